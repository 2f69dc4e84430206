# -*- coding: utf-8 -*-
"""Issue 8 end to end: the export modules follow what NCP's pages say about Object Storage.

- NCP Object Storage has no ListObjectsV2: the simulator's Object Storage face refuses it (501), and
  no module calls it (counted in the S3 front's log, not inferred from success);
- a bucket full of other objects still finds the export, wherever it lands;
- ``folder_path`` on the PostgreSQL export puts the file at a known key, found again with two
  requests whatever the bucket holds, and a region that refuses or ignores it is named in the message;
- Ncloud Storage (virtual-hosted ``https://{bucket}.kr.ncloudstorage.com``) works as well;
- instances that are setting up are refused as not running, with their status.
"""

from __future__ import annotations

import copy

import botocore.exceptions
import pytest

EXPORT = "exportBackupToObjectStorage"
PG_EXPORT = "ncp.clouddb.ncp_postgresql_export"
CACHE_EXPORT = "ncp.clouddb.ncp_cache_export"


def with_settings(ncp_sim, **settings):
    scenario = copy.deepcopy(ncp_sim.scenario)
    scenario["settings"] = dict(scenario.get("settings") or {}, **settings)
    ncp_sim.reset(scenario)


def cache_backups_newest_first(sim_instance, number="1001"):
    return [b["file_name"] for b in sorted(sim_instance("vcache", number)["manual_backups"],
                                           key=lambda b: b["end_time"], reverse=True)]


def operations(entries):
    return [entry["operation"] for entry in entries]


# --- ListObjects (V1) only ---------------------------------------------------------------------

def test_the_object_storage_face_refuses_list_objects_v2(ncp_sim, sim_bucket):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sim_bucket.client.list_objects_v2(Bucket="cache-backups")
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501 and error["Error"]["Code"] == "NotImplemented"
    assert sim_bucket.client.list_objects(Bucket="cache-backups")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_export_rerun_and_wait_never_call_list_objects_v2(ncp_sim, run_task, sim_instance, sim_bucket):
    newest, older = cache_backups_newest_first(sim_instance)
    args = {"instance_no": "1001", "bucket": "cache-backups"}
    first = run_task(ncp_sim, CACHE_EXPORT, args)
    assert not first.failed and first.result["changed"], first.output
    assert (first.result["landed_key"], first.result["object"]["key"]) == (newest, "cache/1001/" + newest)
    again = run_task(ncp_sim, CACHE_EXPORT, args)
    assert not again.failed and not again.result["changed"] and not again.result["exported"], again.output
    asked = run_task(ncp_sim, CACHE_EXPORT, dict(args, file_name=older, wait=False))
    assert not asked.failed and asked.result["request"] and asked.result["object"] == {}, asked.output
    waited = run_task(ncp_sim, CACHE_EXPORT, dict(args, request=asked.result["request"]))
    assert not waited.failed and waited.result["object"]["key"] == "cache/1001/" + older, waited.output
    assert len(ncp_sim.requests(EXPORT)) == 2
    assert sorted(sim_bucket.backups("cache-backups")) == sorted(["cache/1001/" + newest, "cache/1001/" + older])

    s3 = ncp_sim.s3_requests()
    assert "ListObjectsV2" not in operations(s3)
    assert "ListObjects" in operations(s3), "the first export into an unknown layout lists the bucket"
    assert [e for e in s3 if e["outcome"].startswith("refused")] == []


def test_a_bucket_of_2500_other_objects_still_finds_a_cache_export_at_the_root(ncp_sim, run_task, sim_instance,
                                                                               sim_bucket):
    ncp_sim.fill_bucket("cache-backups", count=2500, key_template="other/{n:06d}.bin")
    newest = cache_backups_newest_first(sim_instance)[0]
    args = {"instance_no": "1001", "bucket": "cache-backups"}
    first = run_task(ncp_sim, CACHE_EXPORT, args)
    assert not first.failed and first.result["landed_key"] == newest, first.output
    assert first.result["object"]["key"] == "cache/1001/" + newest
    again = run_task(ncp_sim, CACHE_EXPORT, args)
    assert not again.failed and not again.result["changed"], again.output
    assert len(ncp_sim.requests(EXPORT)) == 1
    lists = ncp_sim.s3_requests("ListObjects")
    assert [e for e in lists if e["query"].get("marker")], "a bucket past 1,000 keys is paged by marker"
    # The simulator's NextMarker is an opaque token by default: sent back as it came, never refused.
    assert not [e for e in lists if e["query"].get("marker", "").startswith("other/")]
    assert [e for e in lists if e["outcome"].startswith("refused")] == []
    assert ncp_sim.s3_requests("ListObjectsV2") == []
    assert len(sim_bucket.backups("cache-backups")) == 2501


@pytest.mark.slow
def test_a_bucket_of_2500_other_objects_still_finds_a_cache_export_in_folders(ncp_sim, run_task, sim_instance,
                                                                              sim_bucket):
    # NCP does not document where a cache export lands: the simulator puts it into folders, with an
    # extension. Nothing is learned yet, so the module must find it by listing: slow (it scans the
    # whole bucket at growing intervals, 2 s then 4, 8 ... 30 s), but found, and its layout learned for next time.
    with_settings(ncp_sim, export_key_template="exports/{service}/{instance_no}/{file_name}.tar.gz")
    ncp_sim.fill_bucket("cache-backups", count=2500, key_template="exports/vcache/9{n:05d}/20261101.tar.gz")
    newest, older = cache_backups_newest_first(sim_instance)
    args = {"instance_no": "1001", "bucket": "cache-backups", "wait_timeout": 90}
    first = run_task(ncp_sim, CACHE_EXPORT, args)
    assert not first.failed, first.output
    assert first.result["object"]["key"] == "exports/vcache/1001/%s.tar.gz" % newest
    assert sim_bucket.json("cache-backups", ".ncp-clouddb/layout/cache.json")["template"] == \
        "exports/vcache/{instance_no}/{file_name}.tar.gz"
    since = len(ncp_sim.s3_requests())
    again = run_task(ncp_sim, CACHE_EXPORT, args)
    assert not again.failed and not again.result["changed"], again.output
    assert operations(ncp_sim.s3_requests()[since:]) == ["GetObject", "HeadObject"]
    assert len(ncp_sim.requests(EXPORT)) == 1

    # The learned layout is where the next export is looked for first: no listing of the whole bucket.
    since = len(ncp_sim.s3_requests())
    other = run_task(ncp_sim, CACHE_EXPORT, dict(args, file_name=older))
    assert not other.failed and other.result["object"]["key"] == "exports/vcache/1001/%s.tar.gz" % older, other.output
    requests = ncp_sim.s3_requests()[since:]
    assert ("HeadObject", "exports/vcache/1001/%s.tar.gz" % older) in [(e["operation"], e["key"]) for e in requests]
    assert not [e for e in requests if e["operation"] == "ListObjects" and not e["query"].get("prefix")]
    assert ncp_sim.s3_requests("ListObjectsV2") == []


# --- folder_path on the PostgreSQL export --------------------------------------------------------

def test_folder_path_exports_once_and_is_found_with_two_requests_whatever_the_bucket_holds(ncp_sim, run_task,
                                                                                           sim_bucket):
    args = {"instance_no": "3001", "bucket": "pg-backups", "folder_path": "postgresql/{instance_no}"}
    first = run_task(ncp_sim, PG_EXPORT, args)
    assert not first.failed, first.output
    name = first.result["backup"]["file_name"]
    assert first.result["object"]["key"] == "postgresql/3001/%s" % name
    (export,) = ncp_sim.requests(EXPORT)
    assert export["params"]["folderPath"] == "postgresql/3001/"
    assert "postgresql/3001/.ncp-clouddb/exports/postgresql/3001/%s.json" % name in sim_bucket.keys("pg-backups")
    assert ncp_sim.s3_requests("ListObjects") == [], "a known key needs no listing"

    for filler in (0, 2500, 5000):
        if filler:
            ncp_sim.fill_bucket("pg-backups", count=2500, start=filler - 2500, key_template="postgresql/3001/x{n:06d}")
        since = len(ncp_sim.s3_requests())
        again = run_task(ncp_sim, PG_EXPORT, args)
        assert not again.failed and not again.result["changed"], again.output
        assert again.result["object"]["key"] == "postgresql/3001/%s" % name
        requests = ncp_sim.s3_requests()[since:]
        assert [(e["operation"], e["key"]) for e in requests] == [
            ("GetObject", "postgresql/3001/.ncp-clouddb/exports/postgresql/3001/%s.json" % name),
            ("HeadObject", "postgresql/3001/%s" % name)], "with %d other objects" % filler
    assert len(ncp_sim.requests(EXPORT)) == 1


def test_folder_path_refused_by_the_region_names_the_option_and_the_root_still_works(ncp_sim, run_task, sim_bucket):
    with_settings(ncp_sim, postgresql_folder_path="refuse")
    args = {"instance_no": "3001", "bucket": "pg-backups"}
    run = run_task(ncp_sim, PG_EXPORT, dict(args, folder_path="pg/3001/"))
    assert run.failed and run.result["changed"] is False and not run.result["exported"], run.output
    assert "5001002" in run.msg and "folderPath=pg/3001/ was sent" in run.msg, run.msg
    assert "set folder_path to an empty string" in run.msg
    # The advice in the message works.
    root = run_task(ncp_sim, PG_EXPORT, dict(args, folder_path=""))
    assert not root.failed and root.result["landed_key"] == root.result["backup"]["file_name"], root.output
    assert root.result["object"]["key"] == "postgresql/3001/" + root.result["backup"]["file_name"]
    assert "folderPath" not in ncp_sim.requests(EXPORT)[-1]["params"]


def test_folder_path_ignored_by_the_region_ends_in_a_timeout_that_names_the_option(ncp_sim, run_task, sim_bucket):
    with_settings(ncp_sim, postgresql_folder_path="ignore")
    run = run_task(ncp_sim, PG_EXPORT, {"instance_no": "3001", "bucket": "pg-backups", "folder_path": "pg/3001/",
                                        "wait_timeout": 3})
    assert run.failed and run.result["changed"] is True, run.output
    name = run.result["backup"]["file_name"]
    assert "it was looked for at pg/3001/%s" % name in run.msg and "folder_path" in run.msg, run.msg
    assert sim_bucket.backups("pg-backups") == [name], "the simulator put it at the root"


# --- Ncloud Storage ------------------------------------------------------------------------------

@pytest.mark.parametrize("module, args", [
    # Ncloud Storage documents no copy: the cache export stays where it lands (move_to_instance_key: false).
    (CACHE_EXPORT, {"instance_no": "1001", "bucket": "cache-backups", "move_to_instance_key": False}),
    (PG_EXPORT, {"instance_no": "3001", "bucket": "pg-backups", "folder_path": "pg/{instance_no}/"}),
], ids=["cache", "postgresql-folder"])
def test_ncloud_storage_exports_and_reruns_with_virtual_hosted_requests(ncp_sim, run_task, module, args):
    # Exports go to the account's buckets; here both stores share them, as they must for a module
    # pointed at Ncloud Storage to see them.
    with_settings(ncp_sim, storage_namespaces="shared")
    args = dict(args, object_storage_url="http://kr.ncloudstorage.com")
    first = run_task(ncp_sim, module, args, env=ncp_sim.proxy_env())
    assert not first.failed and first.result["changed"], first.output
    again = run_task(ncp_sim, module, args, env=ncp_sim.proxy_env())
    assert not again.failed and not again.result["changed"], again.output
    assert again.result["object"]["key"] == first.result["object"]["key"]
    assert len(ncp_sim.requests(EXPORT)) == 1
    s3 = ncp_sim.s3_requests()
    assert s3 and {(e["face"], e["via"], e["addressing"]) for e in s3} == {("ncloudstorage", "proxy", "virtual")}
    assert {e["host"] for e in s3} == {"%s.kr.ncloudstorage.com" % args["bucket"]}
    assert [e for e in s3 if e["status"] >= 400 and e["status"] != 404] == []


# --- instances that are setting up ---------------------------------------------------------------

@pytest.mark.parametrize("module, service, number, args", [
    ("ncp.clouddb.ncp_cache_backup", "vcache", "1001", {}),
    ("ncp.clouddb.ncp_redis_backup", "vredis", "2001", {}),
    (CACHE_EXPORT, "vcache", "1001", {"bucket": "cache-backups"}),
    (PG_EXPORT, "vpostgresql", "3001", {"bucket": "pg-backups"}),
], ids=["cache-backup", "redis-backup", "cache-export", "postgresql-export"])
def test_an_instance_setting_up_is_refused_as_not_running_with_its_status(ncp_sim, run_task, module, service,
                                                                          number, args):
    ncp_sim.set_instance(service, number, status="settingUp")
    run = run_task(ncp_sim, module, dict(args, instance_no=number))
    assert run.failed and run.result["changed"] is False, run.output
    assert "is settingup, not running" in run.msg, run.msg
    assert ncp_sim.writes() == []
