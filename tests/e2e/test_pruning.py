# -*- coding: utf-8 -*-
"""Issue 11 end to end: keep_last / keep_within on the backup and export modules, state=absent.

What is deleted is read from the simulator (its backups, its bucket, its request log), never from
the module's word alone; what the module reports must match it.
"""

from __future__ import annotations

import copy

import pytest

CACHE = dict(module="ncp.clouddb.ncp_cache_backup", service="vcache", no="1001",
             delete="deleteCloudCacheManualBackup", param="cloudCacheInstanceNo")
REDIS = dict(module="ncp.clouddb.ncp_redis_backup", service="vredis", no="2001",
             delete="deleteCloudRedisManualBackup", param="cloudRedisInstanceNo")
PG_EXPORT = "ncp.clouddb.ncp_postgresql_export"


def with_manual_backups(ncp_sim, kind, *hours_ago):
    """Reset to the default scenario, the instance holding finished manual backups started that
    many hours ago (each took 2 minutes)."""
    scenario = copy.deepcopy(ncp_sim.scenario)
    (instance,) = [i for i in scenario["instances"] if i["instance_no"] == kind["no"]]
    instance["manual_backups"] = [{"start_time": "-%dh" % hours} for hours in hours_ago]
    ncp_sim.reset(scenario)


def manual(sim_instance, kind):
    """File names of the instance's finished manual backups, newest first."""
    backups = sorted(sim_instance(kind["service"], kind["no"])["manual_backups"], key=lambda b: b["end_time"],
                     reverse=True)
    return [b["file_name"] for b in backups]


def deletes(ncp_sim, kind):
    """fileNameList of every delete request, in order."""
    return [[value for name, value in sorted(e["params"].items()) if name.startswith("fileNameList.")]
            for e in ncp_sim.requests(kind["delete"])]


BOTH = pytest.mark.parametrize("kind", [CACHE, REDIS], ids=["cache", "redis"])


# --- keep_last / keep_within on manual backups -----------------------------------------------------

@BOTH
def test_keep_last_two_of_five_leaves_the_newest_two_including_the_new_one(ncp_sim, run_task, sim_instance, kind):
    with_manual_backups(ncp_sim, kind, 50, 40, 30, 20)
    old = manual(sim_instance, kind)                       # newest first
    run = run_task(ncp_sim, kind["module"], {"instance_no": kind["no"], "keep_last": 2}, diff=True)
    assert not run.failed and run.result["changed"], run.output
    new = run.result["backup"]["file_name"]
    assert manual(sim_instance, kind) == [new, old[0]]
    assert run.result["kept"] == [new, old[0]]
    assert sorted(p["file_name"] for p in run.result["pruned"]) == sorted(old[1:])
    assert [sorted(names) for names in deletes(ncp_sim, kind)] == [sorted(old[1:])], "one batched request"
    assert run.result["diff"] == {"before": {"manual_backups": old}, "after": {"manual_backups": [new, old[0]]}}


def test_keep_within_one_day_keeps_exactly_the_younger_ones(ncp_sim, run_task, sim_instance):
    with_manual_backups(ncp_sim, CACHE, 50, 26, 22, 2)
    fifty, twenty_six, twenty_two, two = reversed(manual(sim_instance, CACHE))
    run = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "keep_within": "1d"})
    assert not run.failed, run.output
    new = run.result["backup"]["file_name"]
    assert manual(sim_instance, CACHE) == [new, two, twenty_two]
    assert sorted(p["file_name"] for p in run.result["pruned"]) == sorted([twenty_six, fifty])


def test_check_mode_lists_what_would_be_pruned_and_deletes_nothing(ncp_sim, run_task, sim_instance):
    with_manual_backups(ncp_sim, CACHE, 30, 20, 2)
    before = manual(sim_instance, CACHE)
    run = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "max_age": "3h", "keep_last": 1},
                   check=True, diff=True)
    assert not run.failed and run.result["changed"] and run.result["reused"], run.output
    assert sorted(p["file_name"] for p in run.result["pruned"]) == sorted(before[1:])
    assert run.result["diff"] == {"before": {"manual_backups": before}, "after": {"manual_backups": before[:1]}}
    assert manual(sim_instance, CACHE) == before and ncp_sim.writes() == []


def test_check_mode_counts_the_backup_it_would_make_among_the_newest(ncp_sim, run_task, sim_instance):
    # The real run keeps the new backup and the newest old one; check mode must say the same.
    with_manual_backups(ncp_sim, CACHE, 50, 40, 30, 20)
    before = manual(sim_instance, CACHE)
    check = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "keep_last": 2}, check=True, diff=True)
    assert not check.failed and check.result["changed"], check.output
    assert manual(sim_instance, CACHE) == before and ncp_sim.writes() == []
    would = sorted(p["file_name"] for p in check.result["pruned"])
    real = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "keep_last": 2})
    assert not real.failed, real.output
    assert would == sorted(p["file_name"] for p in real.result["pruned"]) == sorted(before[1:])


# --- state: absent ---------------------------------------------------------------------------------

@BOTH
def test_absent_deletes_one_backup_and_is_idempotent(ncp_sim, run_task, sim_instance, kind):
    with_manual_backups(ncp_sim, kind, 30, 20)
    newer, older = manual(sim_instance, kind)
    args = {"instance_no": kind["no"], "state": "absent", "file_name": older}
    check = run_task(ncp_sim, kind["module"], args, check=True)
    assert not check.failed and check.result["changed"] and manual(sim_instance, kind) == [newer, older]
    assert ncp_sim.writes() == []

    run = run_task(ncp_sim, kind["module"], args, diff=True)
    assert not run.failed and run.result["changed"], run.output
    assert run.result["backup"]["file_name"] == older
    assert run.result["diff"] == {"before": {"manual_backups": [newer, older]}, "after": {"manual_backups": [newer]}}
    assert "[WARNING]" not in run.output, "Ansible could not show the diff: %s" % run.output  # the display is the point
    assert manual(sim_instance, kind) == [newer]
    assert deletes(ncp_sim, kind) == [[older]]
    assert ncp_sim.requests(kind["delete"])[0]["params"][kind["param"]] == kind["no"]

    again = run_task(ncp_sim, kind["module"], args)
    assert not again.failed and again.result["changed"] is False, again.output
    assert len(deletes(ncp_sim, kind)) == 1 and manual(sim_instance, kind) == [newer]


def test_absent_refuses_options_of_present_before_any_request(ncp_sim, run_task):
    run = run_task(ncp_sim, CACHE["module"], {"instance_no": "1001", "state": "absent", "file_name": "x",
                                              "keep_last": 2})
    assert run.failed and "keep_last cannot be used with state=absent" in run.msg, run.msg
    assert ncp_sim.requests() == []


@pytest.mark.parametrize("args, message", [
    ({"keep_last": 0}, "keep_last=0 is not allowed"),
    ({"keep_within": "a fortnight"}, "keep_within='a fortnight' is not a duration"),
])
def test_nonsense_retention_is_refused_before_any_request(ncp_sim, run_task, args, message):
    run = run_task(ncp_sim, CACHE["module"], dict(args, instance_no="1001"))
    assert run.failed and message in run.msg, run.msg
    assert ncp_sim.requests() == []


# --- a prune interrupted by lost answers -----------------------------------------------------------

@pytest.mark.parametrize("apply", [False, True], ids=["deletes-lost", "answers-lost"])
def test_an_interrupted_prune_reports_what_it_saw_deleted_and_a_rerun_finishes(ncp_sim, run_task, sim_instance,
                                                                               apply):
    # 12 old backups and keep_last 1: two delete requests (10 names, then 2). The second is dropped:
    # before it took effect (twice: the module asks once more), or after (once).
    with_manual_backups(ncp_sim, CACHE, *range(100, 40, -5))
    old = manual(sim_instance, CACHE)
    assert len(old) == 12
    ncp_sim.inject(CACHE["delete"], "drop", apply=apply, count=1 if apply else 2, skip=1)
    args = {"instance_no": "1001", "max_age": "1h", "keep_last": 1}
    run = run_task(ncp_sim, CACHE["module"], args)
    new = run.result["backup"]["file_name"]
    reported = sorted(p["file_name"] for p in run.result["pruned"])
    gone = sorted(set(old) - set(manual(sim_instance, CACHE)))
    assert reported == gone, "the result must list exactly what was deleted"
    assert run.result["changed"] is True
    if apply:
        assert not run.failed, run.output
        assert manual(sim_instance, CACHE) == [new] and len(reported) == 12
        assert len(ncp_sim.requests(CACHE["delete"])) == 2, "a delete seen to have worked is not asked again"
    else:
        assert run.failed and len(reported) == 10, run.output
        assert "deleted 10 of 12" in run.msg and "Run the task again to finish" in run.msg
        assert len(manual(sim_instance, CACHE)) == 3

    rerun = run_task(ncp_sim, CACHE["module"], args)
    assert not rerun.failed and rerun.result["reused"], rerun.output
    assert manual(sim_instance, CACHE) == [new]
    assert rerun.result["changed"] is (not apply)
    assert len(rerun.result["pruned"]) == (0 if apply else 2)


# --- exports: only what a record proves ------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("folder", ["pg/{instance_no}/", None], ids=["folder_path", "bucket-root"])
def test_an_export_prune_deletes_only_objects_its_records_prove(ncp_sim, run_task, sim_instance, sim_bucket, folder):
    backups = sorted(sim_instance("vpostgresql", "3001")["automatic_backups"], key=lambda b: b["end_time"],
                     reverse=True)
    names = [b["file_name"] for b in backups]
    root = "pg/3001/" if folder else "postgresql/3001/"   # without a folder: moved from the root to its own key
    args = {"instance_no": "3001", "bucket": "pg-backups"}
    if folder:
        args["folder_path"] = folder
    for name in reversed(names[:4]):                       # exported by this collection, oldest first
        run = run_task(ncp_sim, PG_EXPORT, dict(args, file_name=name))
        assert not run.failed and run.result["object"]["key"] == root + name, run.output
    # Objects this collection did not export, named like backups (one like a file of this very
    # instance), and one of its exports overwritten since by something else: its record no longer
    # proves the object.
    foreign = [root + names[4], root + "20200101", "elsewhere/" + names[1], root + names[3]]
    for key in foreign:
        sim_bucket.put("pg-backups", key)

    deletes_before = ncp_sim.s3_requests("DeleteObject")   # the moves from the root deleted the landed keys
    check = run_task(ncp_sim, PG_EXPORT, dict(args, keep_last=1), check=True)
    assert not check.failed and check.result["changed"], check.output
    assert sorted(p["key"] for p in check.result["pruned"]) == sorted(root + n for n in names[1:4])
    assert {p["outcome"] for p in check.result["pruned"]} == {"would be deleted"}
    assert ncp_sim.s3_requests("DeleteObject") == deletes_before, "check mode deleted something"

    run = run_task(ncp_sim, PG_EXPORT, dict(args, keep_last=1))
    assert not run.failed and run.result["changed"] and not run.result["exported"], run.output
    outcomes = dict((p["key"], p["outcome"]) for p in run.result["pruned"])
    assert outcomes == {root + names[1]: "deleted", root + names[2]: "deleted",
                        root + names[3]: "object replaced since its export, left alone"}
    assert run.result["kept"] == [root + names[0]]
    assert sorted(sim_bucket.backups("pg-backups")) == sorted([root + names[0]] + foreign)
    records = [k for k in sim_bucket.keys("pg-backups") if "/exports/" in k]
    assert records == ["%s.ncp-clouddb/exports/postgresql/3001/%s.json" % ("pg/3001/" if folder else "", names[0])]
    deleted = sorted(e["key"] for e in ncp_sim.s3_requests("DeleteObject"))
    assert not set(deleted) & set(foreign)

    again = run_task(ncp_sim, PG_EXPORT, dict(args, keep_last=1))
    assert not again.failed and not again.result["changed"] and again.result["pruned"] == [], again.output
