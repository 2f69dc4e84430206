# -*- coding: utf-8 -*-
"""Issue 9 end to end: never a second backup, honest `changed`, one time budget, bad input caught.

Each test reproduces one numbered case of the issue against the simulator, through ansible-runner,
and pins the promise the collection makes for it. Faults come from the simulator (docs/simulator.md,
"Faults"); what took effect is read from its request log (`applied`), never from the module's word.
"""

from __future__ import annotations

import copy
import socket
import threading
import time

import pytest

CACHE = dict(module="ncp.clouddb.ncp_cache_backup", service="vcache", no="1001", create="createCloudCacheManualBackup",
             list="getCloudCacheManualBackupDetailList", instances="getCloudCacheInstanceList",
             info="ncp.clouddb.ncp_cache_backup_info")
REDIS = dict(module="ncp.clouddb.ncp_redis_backup", service="vredis", no="2001", create="createCloudRedisManualBackup",
             list="getCloudRedisManualBackupDetailList", instances="getCloudRedisInstanceList",
             info="ncp.clouddb.ncp_redis_backup_info")
BOTH = pytest.mark.parametrize("kind", [CACHE, REDIS], ids=["cache", "redis"])


def with_settings(ncp_sim, **settings):
    """Reset the simulator to the default scenario with these settings changed."""
    scenario = copy.deepcopy(ncp_sim.scenario)
    scenario["settings"] = dict(scenario.get("settings") or {}, **settings)
    ncp_sim.reset(scenario)


def manual_backups(sim_instance, kind):
    return sim_instance(kind["service"], kind["no"])["manual_backups"]


def creates_applied(ncp_sim, kind):
    return ncp_sim.applied_writes()[(kind["create"], kind["no"])]


def settled(condition, timeout=15.0):
    """Wait until condition() holds (True), or timeout seconds (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def warnings_of(run):
    """The task's warnings, as Ansible's own warning mechanism (module.warn) delivers them.

    A module that put a `warnings` key into its result instead would get ansible-core 2.19's
    deprecation "Passing `warnings` to `exit_json` or `fail_json` is deprecated" with it.
    """
    deprecated = [d for d in run.result.get("deprecations") or [] if "warnings" in str(d.get("msg"))]
    assert deprecated == [], "the module returned warnings as a result key: %s" % deprecated
    return run.result.get("warnings") or []


# --- case 1: a lost create answer never leads to a second backup ---------------------------------

@BOTH
def test_a_lost_create_answer_and_a_late_list_make_exactly_one_backup(ncp_sim, run_task, sim_instance, kind):
    # The create takes effect and its answer is lost; the next list read is answered 3 s late, after
    # the first backup finished (1 s): a second create would be accepted now (the simulator allows
    # concurrent backups here, and hides running ones), so nothing but the module can prevent it.
    with_settings(ncp_sim, list_running_backups=False, concurrent_manual_backups="allow")
    before = len(manual_backups(sim_instance, kind))
    ncp_sim.inject(kind["create"], "drop", apply=True)
    ncp_sim.inject(kind["list"], "slow", delay=3, apply=True, skip=1)
    run = run_task(ncp_sim, kind["module"], {"instance_no": kind["no"], "wait_timeout": 30})
    assert not run.failed and run.result["changed"] is True, run.output
    assert [e["outcome"] for e in ncp_sim.requests(kind["create"])] == ["fault:drop"], "asked more than once"
    assert "fault:slow" in [e["outcome"] for e in ncp_sim.requests(kind["list"])]
    assert creates_applied(ncp_sim, kind) == 1
    after = manual_backups(sim_instance, kind)
    assert len(after) == before + 1
    assert run.result["backup"]["file_name"] == after[-1]["file_name"] and run.result["backup"]["end_time"]
    assert any("answer to the backup request was lost" in w for w in warnings_of(run))


@BOTH
def test_a_create_held_past_timeout_and_applied_afterwards_makes_exactly_one_backup(ncp_sim, run_task, sim_instance,
                                                                                    kind):
    # A gateway holds the create longer than the module's timeout (2 s), then forwards it (at 4 s).
    with_settings(ncp_sim, concurrent_manual_backups="allow")
    before = len(manual_backups(sim_instance, kind))
    ncp_sim.inject(kind["create"], "slow", delay=4, apply=False)
    run = run_task(ncp_sim, kind["module"], {"instance_no": kind["no"], "timeout": 2, "wait_timeout": 30})
    assert not run.failed and run.result["changed"] is True, run.output
    # Whatever the module did, let the held create land and every backup finish before counting.
    assert settled(lambda: "fault:slow" in [e["outcome"] for e in ncp_sim.requests(kind["create"])] and
                   not sim_instance(kind["service"], kind["no"])["running_backups"])
    assert len(ncp_sim.requests(kind["create"])) == 1 and creates_applied(ncp_sim, kind) == 1
    after = manual_backups(sim_instance, kind)
    assert len(after) == before + 1 and run.result["backup"]["file_name"] == after[-1]["file_name"]


# --- case 2 and 3: changed and the "may exist" message survive later failures ----------------------

@BOTH
def test_reads_failing_after_an_ambiguous_create_report_changed_and_how_to_find_the_backup(ncp_sim, run_task, kind):
    ncp_sim.inject(kind["create"], "drop", apply=True)
    ncp_sim.inject(kind["list"], "http_error", status=503, count=100, skip=1)
    run = run_task(ncp_sim, kind["module"], {"instance_no": kind["no"], "retry_timeout": 3, "wait_timeout": 30})
    assert run.failed and run.result["changed"] is True, run.output
    assert "HTTP 503" in run.msg and "may exist" in run.msg, run.msg
    assert kind["info"] in run.msg and "instance_no %s" % kind["no"] in run.msg and "max_age" in run.msg
    assert len(ncp_sim.requests(kind["create"])) == 1 and creates_applied(ncp_sim, kind) == 1

    # The message's advice works: a re-run with max_age finds the backup and makes none.
    ncp_sim.clear_faults()
    again = run_task(ncp_sim, kind["module"], {"instance_no": kind["no"], "max_age": "1h"})
    assert not again.failed and (again.result["changed"], again.result["reused"]) == (False, True), again.output
    assert creates_applied(ncp_sim, kind) == 1


def test_a_503_while_waiting_for_the_backup_reports_changed(ncp_sim, run_task):
    ncp_sim.inject(CACHE["list"], "http_error", status=503, count=100, skip=1)
    run = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "retry_timeout": 3})
    assert run.failed and run.result["changed"] is True, run.output
    assert "HTTP 503" in run.msg and "may exist" in run.msg
    assert creates_applied(ncp_sim, CACHE) == 1
    assert run.result["instance"]["instance_no"] == "1001"


# --- case 4 and 5: bad input never reaches the API ------------------------------------------------

@pytest.mark.parametrize("module, args, message", [
    (CACHE["module"], {"instance_no": "1001", "wait_timeout": 0}, "wait_timeout=0 is not allowed"),
    (CACHE["module"], {"instance_no": "1001", "wait_timeout": -5}, "wait_timeout=-5 is not allowed"),
    (CACHE["module"], {"instance_no": "1001", "timeout": 0}, "timeout=0 is not allowed"),
    (REDIS["module"], {"instance_no": "2001", "wait_timeout": -5}, "wait_timeout=-5 is not allowed"),
    ("ncp.clouddb.ncp_postgresql_export", {"instance_no": "3001", "bucket": "pg-backups", "wait_timeout": 0},
     "wait_timeout=0 is not allowed"),
    ("ncp.clouddb.ncp_cache_export", {"instance_no": "1001", "bucket": "cache-backups", "timeout": 0},
     "timeout=0 is not allowed"),
], ids=["cache-wait0", "cache-wait-5", "cache-timeout0", "redis-wait-5", "pg-export-wait0", "cache-export-timeout0"])
def test_non_positive_timeouts_are_refused_before_any_request(ncp_sim, run_task, module, args, message):
    run = run_task(ncp_sim, module, args)
    assert run.failed and message in run.msg, run.msg
    assert run.result["changed"] is False
    assert ncp_sim.requests() == [] and ncp_sim.s3_requests() == []


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("make_url, message", [
    (lambda sim: "not a url", "api_url='not a url' is not a URL"),
    (lambda sim: "127.0.0.1:8080", "api_url='127.0.0.1:8080' is not a URL: give it with its scheme and host"),
    (lambda sim: sim.api_url.replace("http://", "https://"), "TLS handshake failed"),
    (lambda sim: "http://127.0.0.1:%d" % closed_port(), "connection refused"),
], ids=["not-a-url", "no-scheme", "https-to-plain-http", "closed-port"])
def test_endpoints_no_retry_can_mend_fail_fast_with_their_real_name(ncp_sim, run_task, make_url, message):
    url = make_url(ncp_sim)
    run = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "api_url": url, "retry_timeout": 60})
    assert run.failed and message in run.msg, run.msg
    assert run.duration < 20, "took %.1f s: retried although no retry can help" % run.duration
    assert "Traceback" not in str(run.result.get("exception", "")) and "module_stderr" not in run.result
    assert run.result.get("error", {}).get("attempts", 1) == 1
    assert ncp_sim.requests() == [] and run.result["changed"] is False


# --- case 6: one deadline per task ----------------------------------------------------------------

def test_throttling_with_retry_after_never_carries_a_task_past_its_deadline(ncp_sim, run_task):
    # Every phase throttled once with Retry-After: 9. Per-request budgets spent 9 s on each phase
    # (36 s in the issue); one deadline per task ends the task when the next wait would pass it.
    for action in (CACHE["instances"], CACHE["list"], CACHE["create"]):
        ncp_sim.inject(action, "throttle", code="420", retry_after=9)
    run = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "retry_timeout": 10, "wait_timeout": 10,
                                              "timeout": 5})
    assert run.failed, run.output
    # API time, from the first request to the last (the simulator logs when each arrived; a throttled
    # one is answered at once): the Retry-After was honoured once (9 s), and the deadline ended the
    # task at the next one.
    log = ncp_sim.requests()
    spent = log[-1]["time"] - log[0]["time"]
    assert 8.5 <= spent <= 10 + 5, "spent %.1f s against wait_timeout=10, timeout=5" % spent
    assert run.duration <= 10 + 5 + 5, "the task took %.1f s" % run.duration
    assert "Gave up after" in run.msg and "wait_timeout" in run.msg, run.msg
    assert [e["outcome"] for e in ncp_sim.requests(CACHE["instances"])] == ["fault:throttle", "ok"]
    assert ncp_sim.writes() == [] and run.result["changed"] is False


@pytest.mark.slow
def test_a_poll_answered_after_the_deadline_is_followed_by_one_more_look(ncp_sim, run_task):
    # Issue 16: ncp_cache_backup with wait_timeout 10, retry_timeout 10, timeout 30 and a wait poll answered
    # 25 s late took 29.6 s. The held poll now waits only for what is left of wait_timeout, then the waiter
    # looks once more (with the client's floor of 3 s) and finds the backup finished meanwhile.
    ncp_sim.inject(CACHE["list"], "slow", delay=25, apply=True, skip=1)
    run = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "wait_timeout": 10, "retry_timeout": 10,
                                              "timeout": 30})
    assert not run.failed and run.result["changed"] is True, run.output
    assert run.result["backup"]["end_time"]
    assert run.duration < 20, "the task took %.1f s: it waited for the held answer" % run.duration
    # The held answer is logged when it goes out, 25 s after it was asked for.
    assert settled(lambda: len(ncp_sim.requests(CACHE["list"])) == 3, 30)
    log = ncp_sim.requests()
    assert max(e["time"] for e in log) - min(e["time"] for e in log) <= 10 + 3, \
        "the last look starts by the end of wait_timeout (and the floor)"
    outcomes = [e["outcome"] for e in sorted(ncp_sim.requests(CACHE["list"]), key=lambda e: e["time"])]
    assert outcomes == ["ok", "fault:slow", "ok"]
    assert creates_applied(ncp_sim, CACHE) == 1


# --- case 7: two runs at once on one instance ------------------------------------------------------

@pytest.mark.parametrize("listed", [True, False], ids=["running-backups-listed", "running-backups-hidden"])
def test_two_runs_at_once_with_max_age_make_one_backup_and_the_second_reuses_it(ncp_sim, run_task, sim_instance,
                                                                                listed):
    with_settings(ncp_sim, backup_seconds=6, list_running_backups=listed)
    before = len(manual_backups(sim_instance, CACHE))
    runs = [None, None]

    def one(index):
        runs[index] = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "max_age": "1h", "wait_timeout": 60})

    threads = [threading.Thread(target=one, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for run in runs:
        assert not run.failed, run.output
    assert creates_applied(ncp_sim, CACHE) == 1
    assert len(manual_backups(sim_instance, CACHE)) == before + 1
    made, reused = sorted(runs, key=lambda run: run.result["reused"])
    assert (made.result["changed"], made.result["reused"]) == (True, False)
    assert (reused.result["changed"], reused.result["reused"]) == (False, True)
    assert made.result["backup"]["file_name"] == reused.result["backup"]["file_name"]
    assert reused.result["backup"]["end_time"], "the second run must wait for the backup to finish"


# --- unpinned before: an unfinished backup is never reused or exported ----------------------------

def test_a_backup_under_way_is_waited_for_then_reused_never_returned_unfinished(ncp_sim, run_task):
    with_settings(ncp_sim, backup_seconds=4)
    asked = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "wait": False})
    assert not asked.failed and asked.result["changed"] and asked.result["backup"] == {}, asked.output
    reused = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "max_age": "1h", "wait_timeout": 30})
    assert not reused.failed, reused.output
    assert (reused.result["changed"], reused.result["reused"]) == (False, True)
    assert reused.result["backup"]["end_time"] and reused.result["backup"]["backup_size"]
    assert creates_applied(ncp_sim, CACHE) == 1


def test_an_export_never_picks_a_backup_under_way(ncp_sim, run_task, sim_instance):
    with_settings(ncp_sim, backup_seconds=30)
    finished = max(manual_backups(sim_instance, CACHE), key=lambda b: b["end_time"])["file_name"]
    asked = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "wait": False})
    assert not asked.failed, asked.output
    assert sim_instance("vcache", "1001")["running_backups"], "this test needs a backup under way"
    run = run_task(ncp_sim, "ncp.clouddb.ncp_cache_export", {"instance_no": "1001", "bucket": "cache-backups"})
    assert not run.failed, run.output
    assert run.result["backup"]["file_name"] == finished
    assert [e["params"]["fileName"] for e in ncp_sim.requests("exportBackupToObjectStorage")] == [finished]


# --- case 8: warnings through Ansible's warning mechanism ----------------------------------------

def test_warnings_arrive_through_ansible_not_as_a_result_key(ncp_sim, run_task):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_cache_backup_info", {"instance_no": "1001", "region": "XX9"})
    assert any("region 'XX9' is not one" in w for w in warnings_of(run)), run.result
    plain = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001"})
    assert not plain.failed and warnings_of(plain) == [] and "deprecations" not in plain.result


# --- changed for exports: true once the export may have been asked for, false before -------------

def test_a_storage_failure_before_the_export_request_reports_changed_false(ncp_sim, run_task):
    ncp_sim.inject("s3:ListObjects", "http_error", status=403, count=10)
    run = run_task(ncp_sim, "ncp.clouddb.ncp_cache_export", {"instance_no": "1001", "bucket": "cache-backups"})
    assert run.failed and "AccessDenied" in run.msg, run.output
    assert ncp_sim.writes() == []
    assert (run.result["changed"], run.result["exported"]) == (False, False), "nothing was asked for"
    assert "may arrive" not in run.msg


def test_a_storage_failure_while_waiting_for_the_export_reports_changed(ncp_sim, run_task):
    # With folder_path the look before the export is one HEAD; every later HEAD fails.
    ncp_sim.inject("s3:HeadObject", "http_error", status=403, count=100, skip=1)
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", {"instance_no": "3001", "bucket": "pg-backups",
                                                                  "folder_path": "pg/"})
    assert run.failed and "HeadObject" in run.msg and "403" in run.msg, run.output
    assert ncp_sim.applied_writes()[("exportBackupToObjectStorage", "3001")] == 1
    assert (run.result["changed"], run.result["exported"]) == (True, True)
    assert "may arrive" in run.msg
