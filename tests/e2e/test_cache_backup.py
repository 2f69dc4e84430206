# -*- coding: utf-8 -*-
"""ncp_cache_backup end to end: ansible-playbook against the NCP API simulator."""

from __future__ import annotations

import pytest

MODULE = "ncp.clouddb.ncp_cache_backup"
CREATE = "createCloudCacheManualBackup"


def creates(ncp_sim):
    return [entry for entry in ncp_sim.requests(CREATE) if entry["status"] == 200]


def test_creates_a_backup_waits_for_it_and_reuses_it_within_max_age(ncp_sim, run_task):
    first = run_task(ncp_sim, MODULE, {"instance_name": "cache-prod-1", "max_age": "1h"})
    assert not first.failed, first.output
    assert first.result["changed"] and not first.result["reused"]
    backup = first.result["backup"]
    assert backup["file_name"] and backup["end_time"] and backup["backup_type"] == "manual"
    assert isinstance(backup["backup_size"], int)
    assert first.result["instance"] == {"instance_no": "1001", "name": "cache-prod-1", "status": "running",
                                        "kind": "cache"}
    assert len(creates(ncp_sim)) == 1

    second = run_task(ncp_sim, MODULE, {"instance_no": "1001", "max_age": "1h"})
    assert not second.failed, second.output
    assert (second.result["changed"], second.result["reused"]) == (False, True)
    assert second.result["backup"]["file_name"] == backup["file_name"]
    assert len(creates(ncp_sim)) == 1


def test_without_max_age_every_run_makes_a_new_backup(ncp_sim, run_task, sim_instance):
    for _unused in range(2):
        run = run_task(ncp_sim, MODULE, {"instance_no": "1001"})
        assert run.result["changed"] and not run.failed, run.output
    assert len(creates(ncp_sim)) == 2 and len(sim_instance("vcache", "1001")["manual_backups"]) == 4


def test_check_mode_reads_but_never_writes(ncp_sim, run_task):
    run = run_task(ncp_sim, MODULE, {"instance_name": "cache-prod-1"}, check=True, diff=True)
    assert not run.failed, run.output
    assert run.result["changed"] and run.result["backup"] == {}
    assert ncp_sim.writes() == []
    assert ncp_sim.requests("getCloudCacheInstanceList"), "check mode should still look the instance up"


def test_wait_false_returns_after_the_request(ncp_sim, run_task):
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001", "wait": False})
    assert run.result["changed"] and run.result["backup"] == {} and not run.failed
    assert len(creates(ncp_sim)) == 1


@pytest.mark.parametrize("args, expected", [
    ({"instance_name": "no-such-cache"}, "no Cloud DB for Cache instance with name 'no-such-cache'"),
    ({"instance_no": "999999"}, "no Cloud DB for Cache instance with number 999999"),
    ({"instance_name": "cache-stopped"}, "is stopped, not running"),
    ({"instance_no": "1001", "max_age": "soon"}, "max_age='soon' is not a duration"),
    ({"instance_no": "1001", "instance_name": "cache-prod-1"}, "mutually exclusive"),
    ({}, "one of the following is required: instance_no, instance_name"),
])
def test_bad_targets_fail_clearly_without_writing(ncp_sim, run_task, args, expected):
    run = run_task(ncp_sim, MODULE, args)
    assert run.failed and expected in run.msg, run.msg
    assert ncp_sim.writes() == []


def test_wrong_secret_is_an_authentication_error(ncp_sim, run_task):
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001"}, env={"NCLOUD_SECRET_KEY": "not-the-secret"})
    assert run.failed and "HTTP 401" in run.msg and "Authentication Failed" in run.msg
    assert run.result["error"]["code"] == "200"


def test_clock_skew_beyond_five_minutes_is_refused_with_a_hint(ncp_sim, run_task):
    ncp_sim.set_clock_offset(600)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001"})
    assert run.failed and "HTTP 401" in run.msg and "clock" in run.msg
    assert ncp_sim.writes() == []


def test_missing_credentials_fail_before_any_request(ncp_sim, run_task, tmp_path):
    env = {"NCLOUD_ACCESS_KEY": "", "NCLOUD_SECRET_KEY": "", "HOME": str(tmp_path)}
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001"}, env=env)
    assert run.failed and "NCLOUD_ACCESS_KEY" in run.msg and ".ncloud/configure" in run.msg
    assert ncp_sim.requests() == []


def test_a_throttling_storm_is_ridden_out(ncp_sim, run_task):
    ncp_sim.inject("*", "throttle", code="420", count=3)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001"})
    assert not run.failed and run.result["changed"], run.output
    assert len(creates(ncp_sim)) == 1
    assert sum(1 for entry in ncp_sim.requests() if entry["status"] == 429) == 3


def test_a_storm_longer_than_the_retry_budget_fails_and_says_so(ncp_sim, run_task):
    ncp_sim.inject("*", "throttle", code="410", count=50)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001", "retry_timeout": 3})
    assert run.failed and "Gave up after" in run.msg and "retry_timeout" in run.msg
    assert ncp_sim.writes() == []
    # The budget given is the one spent: backoff 1, 2, 4 s (jittered) fits 2 or 3 tries into 3 s.
    throttled = [entry for entry in ncp_sim.requests() if entry["status"] == 429]
    assert 2 <= len(throttled) <= 4 and run.result["error"]["attempts"] == len(throttled)
    assert run.duration < 3 + 4, "took %.1f s with retry_timeout=3" % run.duration


def test_quota_exceeded_is_not_retried(ncp_sim, run_task):
    ncp_sim.inject("getCloudCacheInstanceList", "throttle", code="400", count=5)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001"})
    assert run.failed and "code 400" in run.msg
    assert len(ncp_sim.requests("getCloudCacheInstanceList")) == 1


def test_5xx_html_from_a_proxy_on_reads_is_retried(ncp_sim, run_task):
    ncp_sim.inject("getCloudCacheManualBackupDetailList", "http_error", status=502, count=2)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001"})
    assert not run.failed and run.result["backup"]["file_name"], run.output


def test_a_dropped_create_that_arrived_makes_one_backup_and_is_waited_for(ncp_sim, run_task, sim_instance):
    before = len(sim_instance("vcache", "1001")["manual_backups"])
    ncp_sim.inject(CREATE, "drop", apply=True, count=1)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001"})
    assert not run.failed, run.output
    assert run.result["changed"] and run.result["backup"]["file_name"] and run.result["backup"]["end_time"]
    assert len(sim_instance("vcache", "1001")["manual_backups"]) == before + 1
    assert len(ncp_sim.requests(CREATE)) == 1, "after a lost answer the module must not ask again"


def test_a_dropped_create_that_never_arrived_is_not_asked_again_and_fails_changed(ncp_sim, run_task, sim_instance):
    # Nobody can tell a lost request from a lost answer: the module watches the list until wait_timeout,
    # never asks again, and says that a backup may exist.
    before = len(sim_instance("vcache", "1001")["manual_backups"])
    ncp_sim.inject(CREATE, "drop", apply=False, count=1)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001", "wait_timeout": 3})
    assert run.failed and run.result["changed"] is True, run.output
    assert "no new manual backup" in run.msg and "within wait_timeout=3 s" in run.msg
    assert "may exist" in run.msg and "ncp.clouddb.ncp_cache_backup_info" in run.msg
    assert len(ncp_sim.requests(CREATE)) == 1
    assert len(sim_instance("vcache", "1001")["manual_backups"]) == before


def test_wait_timeout_is_honoured_and_the_message_says_what_to_do(ncp_sim, run_task):
    slow = dict(ncp_sim.scenario, settings=dict(ncp_sim.scenario["settings"], backup_seconds=60))
    ncp_sim.reset(slow)
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001", "wait_timeout": 2})
    assert run.failed and run.result["changed"] is True, "a backup was made: changed must say so"
    assert "did not finish within wait_timeout=2 s" in run.msg and "may still finish" in run.msg
    assert "ncp.clouddb.ncp_cache_backup_info" in run.msg
    assert len(creates(ncp_sim)) == 1


def test_no_secret_in_output_at_any_verbosity(ncp_sim, run_task):
    secret = ncp_sim.secret_key
    run = run_task(ncp_sim, MODULE, {"instance_no": "1001", "secret_key": secret}, verbosity=4, diff=True)
    assert not run.failed, run.output
    failed = run_task(ncp_sim, MODULE, {"instance_name": "cache-stopped"}, verbosity=4)
    for text in (run.output, failed.output):
        assert secret not in text
        assert "signature-v2" not in text and "signature-v1" not in text
