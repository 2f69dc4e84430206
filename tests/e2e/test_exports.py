# -*- coding: utf-8 -*-
"""The three export modules end to end, against the simulator and its real S3 server (moto).

After an export it saw arrive, a module writes a record at
<root>.ncp-clouddb/exports/<kind>/<instance_no>/<file_name>.json naming the backup and the object
it became; "already exported?" is that record and one HEAD of its object.
"""

from __future__ import annotations

import pytest

EXPORT = "exportBackupToObjectStorage"


def exports(ncp_sim):
    return [entry for entry in ncp_sim.requests(EXPORT) if entry["status"] == 200]


def record_key(kind, instance_no, file_name, root=""):
    return "%s.ncp-clouddb/exports/%s/%s/%s.json" % (root, kind, instance_no, file_name)


def test_postgresql_export_ships_the_newest_backup_once(ncp_sim, run_task, sim_instance, sim_bucket):
    args = {"instance_name": "pg-prod-1", "bucket": "pg-backups", "max_backup_age": "26h"}
    first = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", args)
    assert not first.failed, first.output
    result = first.result
    assert result["changed"] and result["exported"] and result["bucket"] == "pg-backups"
    newest = max(b["end_time"] for b in sim_instance("vpostgresql", "3001")["automatic_backups"])
    assert result["backup"]["end_time"] == newest and result["backup"]["backup_type"] == "automatic"
    assert sim_bucket.backups("pg-backups") == [result["object"]["key"]]
    assert result["object"]["key"].rsplit("/", 1)[-1].startswith(result["backup"]["file_name"])
    assert [e["params"]["fileName"] for e in exports(ncp_sim)] == [result["backup"]["file_name"]]
    record = sim_bucket.json("pg-backups", record_key("postgresql", "3001", result["backup"]["file_name"]))
    assert dict((k, record[k]) for k in ("kind", "instance_no", "file_name", "start_time", "bucket", "key")) == {
        "kind": "postgresql", "instance_no": "3001", "file_name": result["backup"]["file_name"],
        "start_time": result["backup"]["start_time"], "bucket": "pg-backups", "key": result["object"]["key"]}
    assert (record["etag"], record["size"]) == (result["object"]["etag"], result["object"]["size"])

    again = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", args)
    assert not again.failed, again.output
    assert (again.result["changed"], again.result["exported"]) == (False, False)
    assert again.result["object"]["key"] == result["object"]["key"]
    assert len(exports(ncp_sim)) == 1

    forced = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", dict(args, force=True))
    assert forced.result["changed"] and forced.result["exported"] and len(exports(ncp_sim)) == 2


@pytest.mark.parametrize("extra", [{}, {"force": True, "wait": False}], ids=["plain", "force-no-wait"])
def test_postgresql_export_check_mode_reports_and_writes_nothing(ncp_sim, run_task, sim_bucket, extra):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", dict({"instance_no": "3001", "bucket": "pg-backups"},
                                                                      **extra), check=True, diff=True)
    assert not run.failed, run.output
    assert run.result["changed"] and not run.result["exported"] and run.result["backup"]["file_name"]
    assert run.result["diff"]["after"]["object"] == run.result["backup"]["file_name"]
    assert ncp_sim.writes() == [] and sim_bucket.keys("pg-backups") == []
    assert not [e for e in ncp_sim.s3_requests() if e["method"] in ("PUT", "POST", "DELETE")]


@pytest.mark.parametrize("args, expected", [
    ({"instance_name": "pg-stale", "bucket": "pg-backups", "max_backup_age": "26h"}, "longer ago than max_backup_age=26h"),
    ({"instance_name": "pg-prod-1", "bucket": "unreachable-bucket"},
     "bucket 'unreachable-bucket' is not one Cloud DB for PostgreSQL instance 3001 (pg-prod-1) can export to; it can reach: pg-backups"),
    ({"instance_name": "pg-prod-1", "bucket": "no-such-bucket"}, "bucket 'no-such-bucket' is not one"),
    ({"instance_name": "pg-prod-1", "bucket": "pg-backups", "file_name": "19990101"},
     "no backup file '19990101' among the finished automatic backups"),
    ({"instance_name": "pg-stopped", "bucket": "pg-backups"}, "is stopped, not running"),
    ({"instance_name": "pg-nope", "bucket": "pg-backups"}, "no Cloud DB for PostgreSQL instance with name 'pg-nope'"),
    ({"instance_name": "pg-prod-1", "bucket": "pg-backups", "max_backup_age": "a while"}, "max_backup_age='a while'"),
    ({"instance_name": "pg-prod-1"}, "missing required arguments: bucket"),
])
def test_postgresql_export_refuses_bad_input_without_exporting(ncp_sim, run_task, args, expected):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", args)
    assert run.failed and expected in run.msg, run.msg
    assert ncp_sim.writes() == []


def test_missing_file_lists_the_newest_ones(ncp_sim, run_task, sim_instance):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export",
                   {"instance_no": "3001", "bucket": "pg-backups", "file_name": "nope"})
    newest = sorted(sim_instance("vpostgresql", "3001")["automatic_backups"],
                    key=lambda b: b["end_time"], reverse=True)
    assert newest[0]["file_name"] in run.msg and "the newest are:" in run.msg


def test_cache_backup_then_export_of_that_file_and_rerun(ncp_sim, run_task):
    made = run_task(ncp_sim, "ncp.clouddb.ncp_cache_backup", {"instance_name": "cache-prod-1"})
    assert not made.failed, made.output
    args = {"instance_name": "cache-prod-1", "bucket": "cache-backups", "file_name": made.result["backup"]["file_name"]}
    shipped = run_task(ncp_sim, "ncp.clouddb.ncp_cache_export", args)
    assert not shipped.failed, shipped.output
    assert shipped.result["changed"] and shipped.result["object"]["key"]
    (call,) = exports(ncp_sim)
    assert call["params"]["backupTypeMode"] == "MANUAL" and call["params"]["cloudCacheInstanceNo"] == "1001"
    again = run_task(ncp_sim, "ncp.clouddb.ncp_cache_export", args)
    assert not again.result["changed"] and len(exports(ncp_sim)) == 1


def test_redis_export_of_the_newest_automatic_backup(ncp_sim, run_task):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_redis_export",
                   {"instance_no": "2001", "bucket": "cache-backups", "backup_type": "automatic"})
    assert not run.failed, run.output
    (call,) = exports(ncp_sim)
    assert call["params"]["backupTypeMode"] == "SYSTEM" and call["params"]["cloudRedisInstanceNo"] == "2001"
    assert run.result["backup"]["backup_type"] == "automatic"


def test_cache_export_to_a_bucket_the_instance_cannot_reach(ncp_sim, run_task):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_cache_export", {"instance_no": "1001", "bucket": "pg-backups"})
    assert run.failed and "it can reach: cache-backups" in run.msg and ncp_sim.writes() == []


def test_throttled_export_and_5xx_listing_still_end_with_one_export(ncp_sim, run_task, sim_bucket):
    ncp_sim.inject(EXPORT, "throttle", code="420", count=2)
    ncp_sim.inject("getCloudPostgresqlBackupDetailList", "http_error", status=503, count=2)
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", {"instance_no": "3001", "bucket": "pg-backups"})
    assert not run.failed, run.output
    assert len(exports(ncp_sim)) == 1 and len(sim_bucket.backups("pg-backups")) == 1


@pytest.mark.parametrize("kind", ["drop", "truncate"])
def test_an_export_whose_answer_is_lost_is_asked_once_more_and_leaves_one_object(ncp_sim, run_task, sim_bucket,
                                                                                 kind):
    # The module asks again after a lost export answer because exporting the same backup to the same
    # bucket writes the same object again. Proven here, not assumed: both requests took effect, both
    # wrote one key, the bucket holds one object for the backup, and a third export writes the same bytes.
    ncp_sim.inject(EXPORT, kind, apply=True, count=1)
    args = {"instance_no": "3001", "bucket": "pg-backups"}
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", args)
    assert not run.failed and run.result["changed"], run.output
    assert ncp_sim.applied_writes()[(EXPORT, "3001")] == 2
    assert [e["outcome"] for e in ncp_sim.requests(EXPORT)] == ["fault:%s" % kind, "ok"]
    key, landed = run.result["object"]["key"], run.result["landed_key"]   # moved from the root to its own key
    done = ncp_sim.state()["exports"]
    assert [(e["key"], e["state"]) for e in done] == [(landed, "done"), (landed, "done")]
    assert sim_bucket.backups("pg-backups") == [key] and key == "postgresql/3001/" + landed
    body, etag = sim_bucket.get("pg-backups", key)
    assert etag == run.result["object"]["etag"] and run.result["backup"]["file_name"].encode() in body
    assert any("answer to the export request was lost" in w for w in run.result.get("warnings", []))

    forced = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", dict(args, force=True))
    assert not forced.failed and forced.result["object"]["key"] == key, forced.output
    assert sim_bucket.backups("pg-backups") == [key]
    assert sim_bucket.get("pg-backups", key) == (body, etag), "a repeated export must write the same object"
    again = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", args)
    assert not again.result["changed"] and len(ncp_sim.requests(EXPORT)) == 3


def test_exports_need_no_s3_library(ncp_sim, run_task, tmp_path):
    """Object Storage is reached with the collection's own Signature Version 4 requests: with boto3 and
    botocore unimportable, an export is made, found on the next run, and pruned."""
    for name in ("boto3", "botocore"):
        hidden = tmp_path / "no_s3_library" / name
        hidden.mkdir(parents=True)
        (hidden / "__init__.py").write_text("raise ImportError('%s is hidden for this test')\n" % name)
    env = {"PYTHONPATH": str(tmp_path / "no_s3_library")}
    args = {"instance_no": "3001", "bucket": "pg-backups", "folder_path": "pg/"}
    first = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", args, env=env)
    assert not first.failed and first.result["exported"] and first.result["object"]["key"].startswith("pg/"), \
        first.output
    again = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export", dict(args, keep_last=1), env=env)
    assert not again.failed and not again.result["changed"], again.output
    assert len(exports(ncp_sim)) == 1


def test_wait_timeout_of_an_export_is_honoured(ncp_sim, run_task):
    slow = dict(ncp_sim.scenario, settings=dict(ncp_sim.scenario["settings"], export_seconds=60))
    ncp_sim.reset(slow)
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_export",
                   {"instance_no": "3001", "bucket": "pg-backups", "wait_timeout": 2})
    assert run.failed and "within wait_timeout=2 s" in run.msg and "may still arrive" in run.msg
    assert run.result["changed"] is True and run.result["exported"], "the export was accepted: changed must say so"
    assert len(exports(ncp_sim)) == 1


def test_same_named_exports_of_two_instances_each_end_at_their_own_key(ncp_sim, run_task):
    # Two cache instances back up on the same day, so their files may share a name, and the
    # simulator, like NCP as far as anyone documents, puts an export at the bucket root.
    made = [run_task(ncp_sim, "ncp.clouddb.ncp_cache_backup", {"instance_no": number}) for number in ("1001", "1003")]
    names = [run.result["backup"]["file_name"] for run in made]
    assert names[0] == names[1], "this test needs two backups with one name"
    for number in ("1001", "1003"):
        run = run_task(ncp_sim, "ncp.clouddb.ncp_cache_export",
                       {"instance_no": number, "bucket": "cache-backups", "file_name": names[0]})
        assert not run.failed and run.result["exported"], run.output
    assert [e["params"]["cloudCacheInstanceNo"] for e in exports(ncp_sim)] == ["1001", "1003"]
    # Both landed at the root under one name; each was moved to its own key before the next was asked
    # for, so neither replaced the other and a re-run of either exports nothing.
    for number in ("1001", "1003"):
        again = run_task(ncp_sim, "ncp.clouddb.ncp_cache_export",
                         {"instance_no": number, "bucket": "cache-backups", "file_name": names[0]})
        assert not again.failed and not again.result["changed"], again.output
        assert again.result["object"]["key"] == "cache/%s/%s" % (number, names[0])
    assert len(exports(ncp_sim)) == 2


@pytest.mark.scenario("demo")
def test_mysql_export_into_its_folder_once_and_its_backup_list(ncp_sim, run_task, sim_bucket):
    """ncp_mysql_export and ncp_mysql_backup_info by FQCN on the demo's MySQL instance 4101 (7 backups)."""
    info = run_task(ncp_sim, "ncp.clouddb.ncp_mysql_backup_info", {"instance_name": "billing-mysql"})
    assert not info.failed, info.output
    backups = info.result["backups"]
    assert len(backups) == 7 and {b["backup_type"] for b in backups} == {"automatic"}
    args = {"instance_no": "4101", "bucket": "mysql-backups", "folder_path": "mysql/{instance_no}/",
            "max_backup_age": "26h"}
    first = run_task(ncp_sim, "ncp.clouddb.ncp_mysql_export", args)
    assert not first.failed, first.output
    assert first.result["changed"] and first.result["backup"]["file_name"] == backups[0]["file_name"]
    assert first.result["object"]["key"] == "mysql/4101/" + backups[0]["file_name"]
    (call,) = exports(ncp_sim)
    assert call["params"]["folderPath"] == "mysql/4101/" and call["params"]["cloudMysqlInstanceNo"] == "4101"
    again = run_task(ncp_sim, "ncp.clouddb.ncp_mysql_export", args)
    assert not again.failed and not again.result["changed"] and len(exports(ncp_sim)) == 1
    refused = run_task(ncp_sim, "ncp.clouddb.ncp_mysql_export", dict(args, bucket="pg-backups"))
    assert refused.failed and "pg-backups" in refused.msg and len(exports(ncp_sim)) == 1
    assert sim_bucket.keys("pg-backups") == []
