# -*- coding: utf-8 -*-
"""The manual backup core (ncp_cache_backup, ncp_redis_backup) against an in-memory API on a fake clock.

The promises pinned here: at most one backup per task under every fault; changed tells the truth
once a write may have reached NCP; wait_timeout bounds the whole task; every option is checked
before the first request; retention deletes exactly what no rule keeps.
"""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError
from ansible_collections.ncp.clouddb.plugins.module_utils.manual_backup import ManualBackupModule
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE, REDIS

from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.fakes import FakeApi, FakeModule

CREATE = CACHE.create_manual_backup
DELETE = CACHE.delete_manual_backup
LIST = CACHE.manual_backups.name
HOUR = 3600.0


@pytest.fixture(name="api")
def api_fixture(fake_clock):
    return FakeApi(fake_clock, CACHE)


def run(api, check_mode=False, service=CACHE, **params):
    params.setdefault("instance_no", api.number)
    module = FakeModule(ManualBackupModule, service, check_mode=check_mode, **params)
    core = ManualBackupModule(module, service, client=api, sleep=api.clock.sleep, clock=api.clock)
    failed, result = core.outcome()
    result["warned"] = module.warnings
    return failed, result


def old(api, *hours_ago):
    """Finished manual backups that ended these many hours ago (start 2 min before)."""
    for number, hours in enumerate(hours_ago):
        end = -hours * HOUR
        api.backups.append({"file_name": "old%d" % number, "start": end - 120, "end": end, "kind": "manual"})


# --- the plain path ----------------------------------------------------------------------------

def test_makes_one_backup_waits_for_it_and_returns_it(api):
    failed, result = run(api)
    assert not failed, result
    assert result["changed"] and not result["reused"]
    assert result["backup"]["file_name"] == "m000" and result["backup"]["end_time"]
    assert len(api.creates()) == 1
    assert "warnings" not in result and result["warned"] == []


def test_reuses_a_finished_backup_inside_max_age_and_asks_for_none(api):
    old(api, 1)
    failed, result = run(api, max_age="2h")
    assert not failed and (result["changed"], result["reused"]) == (False, True)
    assert result["backup"]["file_name"] == "old0" and api.creates() == []


def test_an_unfinished_backup_is_never_returned_as_the_backup(api):
    """A backup under way is waited for: the result names it only once it has finished."""
    api.backups.append({"file_name": "busy", "start": -10.0, "end": None, "kind": "manual"})
    api.pending.append((20.0, lambda: api.backups[0].update(end=20.0)))
    failed, result = run(api, max_age="1h")
    assert not failed, result
    assert result["backup"]["file_name"] == "busy" and result["backup"]["end_time"]
    assert result["reused"] and not result["changed"] and api.creates() == []
    assert api.clock.now >= 20.0


def test_check_mode_reads_and_never_writes(api):
    failed, result = run(api, check_mode=True)
    assert not failed and result["changed"] and result["backup"] == {}
    assert api.creates() == [] and result["diff"]["after"] == {"manual_backups": ["(new manual backup)"]}


# --- issue 9, case 1: a lost answer never leads to a second backup -----------------------------

def test_lost_answer_after_the_backup_was_made_waits_for_it_without_asking_again(api):
    api.faults[CREATE] = ["lose"]
    failed, result = run(api)
    assert not failed, result
    assert len(api.creates()) == 1 and len(api.backups) == 1
    assert result["changed"] and result["backup"]["file_name"] == "m000"
    assert any("answer to the backup request was lost" in w for w in result["warned"])


def test_late_reread_after_a_lost_answer_never_asks_again_even_when_the_first_backup_is_done(api):
    """The independent fault run: the re-read came after the first backup had finished, so a
    'busy' refusal could no longer protect a second create. No second create may be sent."""
    api.faults[CREATE] = ["lose"]
    api.faults[LIST] = [None, ("late", 5.0)]   # the look after the lost answer is answered 5 s late
    api.backup_seconds = 1.0
    api.refuse_concurrent = False
    failed, result = run(api)
    assert not failed, result
    assert len(api.creates()) == 1 and len(api.backups) == 1, api.calls
    assert result["backup"]["file_name"] == "m000" and result["changed"]


def test_a_held_create_applied_after_the_client_gave_up_is_the_one_waited_for(api):
    """A gateway holds the create past the client's timeout, then forwards it: one backup in all."""
    api.faults[CREATE] = [("hold", 40.0)]
    api.refuse_concurrent = False
    failed, result = run(api, wait_timeout=600)
    assert not failed, result
    assert len(api.creates()) == 1 and len(api.backups) == 1
    assert result["changed"] and result["backup"]["file_name"] == "m000"


def test_a_create_that_never_arrived_fails_with_changed_true_and_says_how_to_look(api):
    api.faults[CREATE] = ["drop"]
    failed, result = run(api, wait_timeout=120)
    assert failed and result["changed"] is True
    assert len(api.creates()) == 1 and api.backups == []
    assert "no new manual backup" in result["msg"] and "within wait_timeout=120 s" in result["msg"]
    assert "may exist" in result["msg"] and "ncp.clouddb.ncp_cache_backup_info" in result["msg"]
    assert api.clock.now <= 120 + 1


# --- case 2 and 3: changed and the "may exist" message survive later failures --------------------

def test_reads_failing_after_a_lost_answer_keep_changed_and_the_may_exist_message(api):
    api.faults[CREATE] = ["lose"]
    broken = NcpApiError(LIST, "Endpoint Error", status=503, code="500", retryable=True, reached_service=None)
    api.faults[LIST] = [None] + [broken] * 50
    failed, result = run(api)
    assert failed and result["changed"] is True
    assert "Endpoint Error" in result["msg"] and "may exist" in result["msg"]
    assert len(api.creates()) == 1


def test_a_wait_timeout_after_the_create_reports_changed(api):
    api.backup_seconds = 10000
    failed, result = run(api, wait_timeout=30)
    assert failed and result["changed"] is True and result["instance"]["instance_no"] == "1101"
    assert "did not finish within wait_timeout=30 s" in result["msg"] and "may still finish" in result["msg"]


def test_a_refused_create_reports_changed_false(api):
    api.status_refusal = True
    api.faults[CREATE] = [NcpApiError(CREATE, "Permission Denied", status=401, code="210")]
    failed, result = run(api)
    assert failed and result["changed"] is False and "may exist" not in result["msg"]


# --- case 4 and 5: bad input never reaches the API ---------------------------------------------

@pytest.mark.parametrize("params, message", [
    (dict(wait_timeout=0), "wait_timeout=0 is not allowed: give a positive number of seconds"),
    (dict(wait_timeout=-5), "wait_timeout=-5 is not allowed"),
    (dict(timeout=0), "timeout=0 is not allowed"),
    (dict(retry_timeout=-1), "retry_timeout=-1 is not allowed: give a zero or positive number"),
    (dict(max_age="soon"), "max_age='soon' is not a duration"),
    (dict(keep_last=0), "keep_last=0 is not allowed"),
    (dict(keep_within="forever"), "keep_within='forever' is not a duration"),
    (dict(api_url="not a url"), "api_url='not a url' is not a URL"),
    (dict(api_url="127.0.0.1:8080"), "api_url='127.0.0.1:8080' is not a URL: give it with its scheme and host"),
    (dict(api_url="http://host:port"), "api_url='http://host:port' is not a URL"),
    (dict(object_storage_url="kr.object.ncloudstorage.com"), "object_storage_url='kr.object.ncloudstorage.com'"),
    (dict(state="absent", file_name="x", max_age="1h"), "max_age cannot be used with state=absent"),
    (dict(file_name="x"), "file_name cannot be used with state=present"),
    (dict(request={"kind": "redis", "instance_no": "1101", "known": []}), "it is a request of kind 'redis'"),
    (dict(request={"kind": "cache"}), "lacks instance_no or the list of known backups"),
])
def test_bad_options_fail_before_any_request(api, params, message):
    failed, result = run(api, **params)
    assert failed and message in result["msg"], result["msg"]
    assert api.calls == [] and result["changed"] is False


def test_an_unknown_region_is_sent_with_a_warning(api):
    failed, result = run(api, region="XX9")
    assert not failed and any("region 'XX9' is not one" in w for w in result["warned"])


# --- case 6: one deadline per task -------------------------------------------------------------

def test_wait_timeout_bounds_the_whole_task_not_each_phase(api):
    api.backup_seconds = 10000
    failed, _result = run(api, wait_timeout=10)
    assert failed and 10 <= api.clock.now <= 10 + 15  # the last look may start at the deadline


# --- case 7: concurrent runs --------------------------------------------------------------------

@pytest.mark.parametrize("list_running", [True, False], ids=["running-rows-listed", "running-rows-hidden"])
def test_a_busy_refusal_with_max_age_waits_for_the_other_backup_and_reuses_it(api, list_running):
    api.list_running = list_running
    api.faults[CREATE] = [None]  # let "the other run" start one right before ours
    api._create({})  # pylint: disable=protected-access
    api.calls.clear()
    if list_running:
        failed, result = run(api, max_age="1h")   # sees the running row: never asks
        assert api.creates() == []
    else:
        failed, result = run(api, max_age="1h")   # asks, is refused as busy, waits for it
        assert len(api.creates()) == 1
    assert not failed, result
    assert (result["changed"], result["reused"]) == (False, True)
    assert result["backup"]["file_name"] == "m000" and len(api.backups) == 1


def test_without_max_age_a_running_backup_is_waited_for_and_then_ours_is_made(api):
    api._create({})  # pylint: disable=protected-access
    api.calls.clear()
    failed, result = run(api)
    assert not failed and result["changed"] and not result["reused"]
    assert result["backup"]["file_name"] == "m001" and len(api.creates()) == 1


def test_a_refusal_that_is_not_busy_fails_at_once(api):
    api.faults[CREATE] = [NcpApiError(CREATE, "The instance is not in a state that allows this", status=400,
                                      code="5001171")]
    failed, result = run(api, max_age="1h")
    assert failed and "not in a state" in result["msg"] and api.clock.now < 1


# --- wait: false and request -------------------------------------------------------------------

def test_wait_false_returns_a_request_that_a_later_run_waits_for(api):
    old(api, 30)
    failed, first = run(api, wait=False, max_age="1h")
    assert not failed and first["changed"] and first["backup"] == {}
    request = first["request"]
    assert request["kind"] == "cache" and request["instance_no"] == "1101" and len(request["known"]) == 1
    failed, second = run(api, max_age="1h", request=request)
    assert not failed and not second["changed"] and second["backup"]["file_name"] == "m001"
    assert len(api.creates()) == 1


def test_a_request_made_for_another_instance_is_refused_before_any_write(api):
    old(api, 30)
    failed, result = run(api, request={"kind": "cache", "instance_no": "9999", "known": []})
    assert failed and "request is for instance 9999, but this task names instance 1101" in result["msg"], result["msg"]
    assert api.creates() == [] and result["changed"] is False


def test_wait_false_with_a_lost_answer_warns_and_still_returns_the_request(api):
    api.faults[CREATE] = ["drop"]
    failed, result = run(api, wait=False)
    assert not failed and result["changed"] and result["request"]["known"] == []
    assert any("may or may not have been made" in w for w in result["warned"])


# --- state: absent -----------------------------------------------------------------------------

def test_absent_deletes_one_backup_and_is_idempotent(api):
    old(api, 5, 6)
    failed, result = run(api, state="absent", file_name="old1")
    assert not failed and result["changed"] and result["backup"]["file_name"] == "old1"
    assert [b["file_name"] for b in api.backups] == ["old0"]
    assert (DELETE, {"cloudCacheInstanceNo": "1101", "fileNameList": ["old1"]}) in api.calls
    failed, again = run(api, state="absent", file_name="old1")
    assert not failed and not again["changed"]


def test_absent_in_check_mode_deletes_nothing(api):
    old(api, 5)
    failed, result = run(api, check_mode=True, state="absent", file_name="old0")
    assert not failed and result["changed"] and len(api.backups) == 1
    assert not [c for c in api.calls if c[0] == DELETE]


# --- retention ---------------------------------------------------------------------------------

def test_keep_last_two_of_five_leaves_the_newest_two_including_the_new_one(api):
    old(api, 10, 20, 30, 40)
    failed, result = run(api, keep_last=2)
    assert not failed, result
    assert sorted(b["file_name"] for b in api.backups) == ["m004", "old0"]
    assert sorted(p["file_name"] for p in result["pruned"]) == ["old1", "old2", "old3"]
    assert result["kept"] == ["m004", "old0"]
    assert result["diff"]["after"] == {"manual_backups": ["m004", "old0"]}


def test_keep_within_keeps_exactly_those_younger(api):
    old(api, 2, 23, 25, 50)
    failed, result = run(api, keep_within="1d", max_age="1h")
    assert not failed, result
    assert sorted(b["file_name"] for b in api.backups) == ["m004", "old0", "old1"]
    assert sorted(p["file_name"] for p in result["pruned"]) == ["old2", "old3"]


def test_rules_combine_a_backup_any_rule_keeps_is_kept(api):
    old(api, 2, 23, 25, 50, 70)
    failed, result = run(api, keep_last=4, keep_within="1d")
    assert not failed
    assert sorted(b["file_name"] for b in api.backups) == ["m005", "old0", "old1", "old2"]


def test_the_reused_backup_is_kept_even_when_older_than_every_rule(api):
    old(api, 30, 40)
    failed, result = run(api, max_age="2d", keep_within="1h")
    assert not failed and result["reused"] and result["backup"]["file_name"] == "old0"
    assert [b["file_name"] for b in api.backups] == ["old0"]


def test_a_backup_still_running_is_never_pruned(api):
    old(api, 30)
    api.backups.append({"file_name": "other", "start": -5.0, "end": None, "kind": "manual"})
    api.pending.append((9999999.0, lambda: None))
    failed, result = run(api, max_age="2d", keep_last=1, wait=False)
    assert not failed
    assert [b["file_name"] for b in api.backups] == ["old0", "other"]


def test_check_mode_lists_what_would_be_pruned_and_deletes_nothing(api):
    old(api, 1, 20, 30)
    failed, result = run(api, check_mode=True, max_age="2h", keep_last=1)
    assert not failed and result["changed"]
    assert sorted(p["file_name"] for p in result["pruned"]) == ["old1", "old2"]
    assert len(api.backups) == 3 and not [c for c in api.calls if c[0] == DELETE]


def test_check_mode_counts_the_backup_it_would_make_among_the_newest(api):
    """Without a backup to reuse, the real run makes one and keeps it: check mode must plan the same."""
    old(api, 10, 20, 30, 40)
    failed, result = run(api, check_mode=True, keep_last=2)
    assert not failed and result["changed"] and result["backup"] == {}
    assert sorted(p["file_name"] for p in result["pruned"]) == ["old1", "old2", "old3"]
    assert result["diff"]["after"] == {"manual_backups": ["(new manual backup)", "old0"]}
    assert len(api.backups) == 4 and not [c for c in api.calls if c[0] in (CREATE, DELETE)]


def test_many_prunes_are_sent_in_batches(api):
    old(api, *range(1, 26))
    failed, result = run(api, max_age="2h", keep_last=1)
    assert not failed and len(result["pruned"]) == 24
    deletes = [c for c in api.calls if c[0] == DELETE]
    assert [len(c[1]["fileNameList"]) for c in deletes] == [10, 10, 4]


def test_a_delete_whose_answer_was_lost_is_checked_in_the_list(api):
    old(api, 1, 20, 30)
    api.faults[DELETE] = ["lose"]
    failed, result = run(api, max_age="2h", keep_last=1)
    assert not failed, result
    assert sorted(p["file_name"] for p in result["pruned"]) == ["old1", "old2"]
    assert len([c for c in api.calls if c[0] == DELETE]) == 1


def test_a_delete_that_never_arrived_is_asked_for_once_more(api):
    old(api, 1, 20, 30)
    api.faults[DELETE] = ["drop"]
    failed, result = run(api, max_age="2h", keep_last=1)
    assert not failed and len(result["pruned"]) == 2
    assert len([c for c in api.calls if c[0] == DELETE]) == 2


def test_an_interrupted_prune_reports_only_what_it_saw_deleted_and_a_rerun_finishes(api):
    old(api, 1, *range(20, 32))
    api.faults[DELETE] = [None, "drop", "drop"]
    failed, result = run(api, max_age="2h", keep_last=1)
    assert failed and result["changed"] is True
    assert len(result["pruned"]) == 10 and "Run the task again to finish" in result["msg"]
    assert len(api.backups) == 3
    failed, again = run(api, max_age="2h", keep_last=1)
    assert not failed and len(again["pruned"]) == 2 and len(api.backups) == 1


def test_redis_uses_its_own_names(fake_clock):
    api = FakeApi(fake_clock, REDIS, instance_no="2101", name="legacy-redis")
    failed, result = run(api, service=REDIS)
    assert not failed and result["instance"]["kind"] == "redis"
    assert api.creates()[0] == (REDIS.create_manual_backup, {"cloudRedisInstanceNo": "2101"})


# --- issue 16: a create answered with a 5xx or an unreadable 200 is as ambiguous as a lost answer ---------

class WiredCreate:
    """Reads from the in-memory API; the create goes through the real NcpClient, whose gateway (a scripted
    session) answers with the given answer, after the create took effect (applied) or not."""

    def __init__(self, api, status, body, applied):
        from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.test_client import ScriptedSession, answer
        from ansible_collections.ncp.clouddb.plugins.module_utils.client import NcpClient
        self.api = api
        self.applied = applied
        # A second request would be answered with success: only a client that (wrongly) asks again sends it.
        self.session = ScriptedSession(answer(status, body), answer())
        self.wire = NcpClient("AK", "SK", api_url="https://gw.example", region="KR", session=self.session,
                              sleep=api.clock.sleep, clock=api.clock)
        self.deadline = None

    def read(self, api_path, action, params=None):
        return self.api.read(api_path, action, params)

    def write(self, api_path, action, params=None):
        self.wire.deadline = self.deadline
        self.api.calls.append((action, dict(params or {})))
        if self.applied:
            self.api._create(params)  # pylint: disable=protected-access
        return self.wire.write(api_path, action, params)


AMBIGUOUS_ANSWERS = [
    (503, "<html><body>503 Service Temporarily Unavailable</body></html>"),
    (504, {"error": {"errorCode": "510", "message": "Endpoint Timeout"}}),
    (200, "<html><body>maintenance</body></html>"),
    (200, '{"createCloudCacheManualBackupResponse": {"requestId": "r-1", "retu'),
]


@pytest.mark.parametrize("status, body", AMBIGUOUS_ANSWERS, ids=["503-html", "504-json", "200-html", "200-cut"])
def test_a_create_answered_with_a_5xx_or_an_unreadable_200_is_never_asked_again(api, status, body):
    api.refuse_concurrent = False
    wired = WiredCreate(api, status, body, applied=True)
    failed, result = run_with(wired)
    assert not failed, result
    assert len(wired.session.sent) == 1 and len(api.creates()) == 1 and len(api.backups) == 1
    assert result["changed"] and result["backup"]["file_name"] == "m000"
    assert any("answer to the backup request was lost" in w for w in result["warned"])


@pytest.mark.parametrize("status, body", AMBIGUOUS_ANSWERS, ids=["503-html", "504-json", "200-html", "200-cut"])
def test_a_create_answered_with_a_5xx_or_an_unreadable_200_that_made_nothing_says_it_may_exist(api, status, body):
    api.refuse_concurrent = False
    wired = WiredCreate(api, status, body, applied=False)
    failed, result = run_with(wired, wait_timeout=60)
    assert failed and result["changed"] is True
    assert "may exist" in result["msg"] and "ncp.clouddb.ncp_cache_backup_info" in result["msg"]
    assert len(wired.session.sent) == 1 and api.backups == []


def run_with(client, **params):
    params.setdefault("instance_no", client.api.number)
    module = FakeModule(ManualBackupModule, CACHE, **params)
    core = ManualBackupModule(module, CACHE, client=client, sleep=client.api.clock.sleep, clock=client.api.clock)
    failed, result = core.outcome()
    result["warned"] = module.warnings
    return failed, result


@pytest.mark.parametrize("built", ["after", "before"], ids=["client-built-after-the-clock", "client-built-before"])
def test_the_api_client_is_built_with_the_tasks_deadline(fake_clock, built):
    from ansible_collections.ncp.clouddb.plugins.module_utils.client import NcpClient
    core = ManualBackupModule(FakeModule(ManualBackupModule, CACHE, instance_no="1101", wait_timeout=30), CACHE,
                              sleep=fake_clock.sleep, clock=fake_clock)
    core.validate()
    early = core.client if built == "before" else None
    core.start_clock()
    client = core.client
    assert isinstance(client, NcpClient) and (early is None or early is client)
    assert client.deadline is core.deadline and core.deadline.seconds == 30
    assert (client.timeout, client.retry_timeout) == (core.params["timeout"], core.params["retry_timeout"])
