# -*- coding: utf-8 -*-
"""exportBackupToObjectStorage into the moto S3 endpoint, and the bucket list actions."""

import json

import pytest

from ncpsim.testclient import list_keys, s3_client, wait_until


def s3(ncp_sim):
    """A client as a user of NCP Object Storage would make one (region kr-standard, the API keys)."""
    return s3_client(ncp_sim)


def keys(client, bucket):
    return list_keys(client, bucket)


def newest_pg_file(api, number="3001"):
    _status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList",
                             {"cloudPostgresqlInstanceNo": number, "pageNo": "0", "pageSize": "1000"})
    rows = body["getCloudPostgresqlBackupDetailListResponse"]["cloudPostgresqlBackupDetailList"]
    return max(rows, key=lambda row: row["startTime"])


def test_postgresql_export_puts_a_real_object(api, ncp_sim):
    # 8 s, so that "not there yet" holds on a busy machine too (the default half second did not, nor did
    # 3 s with a load of 15 on 2 cores).
    ncp_sim.reset(dict(ncp_sim.scenario, settings=dict(ncp_sim.scenario.get("settings") or {}, export_seconds=8.0)))
    backup = newest_pg_file(api)
    status, body = api.json("vpostgresql", "exportBackupToObjectStorage",
                            {"cloudPostgresqlInstanceNo": "3001", "fileName": backup["fileName"],
                             "bucketName": "pg-backups"})
    assert status == 200 and body["exportBackupToObjectStorageResponse"]["returnCode"] == "0"
    client = s3(ncp_sim)
    assert keys(client, "pg-backups") == []                         # export_seconds not over yet
    assert wait_until(lambda: keys(client, "pg-backups"), timeout=20) == [backup["fileName"]]
    obj = client.get_object(Bucket="pg-backups", Key=backup["fileName"])
    assert json.loads(obj["Body"].read())["file_name"] == backup["fileName"]
    assert obj["Metadata"]["ncpsim-backup-size"] == str(backup["backupSize"])


def test_cache_export_by_backup_type(api, ncp_sim):
    _status, body = api.json("vcache", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "1001"})
    manual = body["getCloudCacheManualBackupDetailListResponse"]["cloudCacheBackupDetailList"][-1]["fileName"]
    params = {"cloudCacheInstanceNo": "1001", "fileName": manual, "bucketName": "cache-backups"}
    status, body = api.json("vcache", "exportBackupToObjectStorage", params)
    assert status == 400 and "backupTypeMode" in body["responseError"]["returnMessage"]
    assert api.json("vcache", "exportBackupToObjectStorage", dict(params, backupTypeMode="BOTH"))[0] == 400
    assert api.json("vcache", "exportBackupToObjectStorage", dict(params, backupTypeMode="MANUAL"))[0] == 200
    assert wait_until(lambda: keys(s3(ncp_sim), "cache-backups"), timeout=3) == [manual]


@pytest.mark.parametrize("params, code", [
    ({"fileName": "no-such-file", "bucketName": "pg-backups"}, "5001173"),
    ({"bucketName": "no-such-bucket"}, "5001174"),
    ({"bucketName": "unreachable-bucket"}, "5001175"),
    ({"cloudPostgresqlInstanceNo": "3003"}, "5001171"),           # pg-stopped
    ({"cloudPostgresqlInstanceNo": "9999"}, "5001017"),
    ({"fileName": ""}, "5001001"),
])
def test_postgresql_export_refusals(api, ncp_sim, params, code):
    request = {"cloudPostgresqlInstanceNo": "3001", "fileName": newest_pg_file(api)["fileName"],
               "bucketName": "pg-backups"}
    request.update(params)
    status, body = api.json("vpostgresql", "exportBackupToObjectStorage", request)
    assert status == 400 and body["responseError"]["returnCode"] == code
    assert ncp_sim.state()["exports"] == []


def test_postgresql_bucket_list_by_server_instance(api):
    def names(params):
        status, body = api.json("vpostgresql", "getCloudPostgresqlBucketList", params)
        assert status == 200, body
        return [b["bucketName"] for b in body["getCloudPostgresqlBucketListResponse"]["cloudPostgresqlBucketList"]]

    assert names({"cloudPostgresqlServerInstanceNo": "30011"}) == ["pg-backups"]
    assert names({"cloudPostgresqlServerInstanceNo": "30012"}) == ["pg-backups"]
    assert names({}) == ["cache-backups", "pg-backups", "unreachable-bucket"]
    status, body = api.json("vpostgresql", "getCloudPostgresqlBucketList", {"cloudPostgresqlServerInstanceNo": "3001"})
    assert status == 400 and body["responseError"]["returnCode"] == "5001017"   # an instance, not a server, number


def test_cache_bucket_lists_need_the_instance(api):
    status, body = api.json("vcache", "getCloudCacheBucketList", {"cloudCacheInstanceNo": "1001"})
    assert status == 200
    assert body["getCloudCacheBucketListResponse"]["cloudCacheBucketList"] == [{"bucketName": "cache-backups"}]
    status, body = api.json("vredis", "getCloudRedisBucketList")
    assert status == 400 and "cloudRedisInstanceNo" in body["responseError"]["returnMessage"]


@pytest.mark.scenario({
    "settings": {"export_seconds": 0.1, "export_key_template": "exports/{service}/{instance_no}/{file_name}"},
    "buckets": ["bkt"],
    "instances": [{"service": "vredis", "instance_no": "7", "automatic_backups": [{"file_name": "f1", "start_time": "-1h"}]}],
})
def test_export_key_template_moves_the_object(api, ncp_sim):
    params = {"cloudRedisInstanceNo": "7", "fileName": "f1", "bucketName": "bkt", "backupTypeMode": "SYSTEM"}
    assert api.json("vredis", "exportBackupToObjectStorage", params)[0] == 200
    assert wait_until(lambda: keys(s3(ncp_sim), "bkt"), timeout=3) == ["exports/vredis/7/f1"]


# --- folderPath (PostgreSQL only) ------------------------------------------------------------------

def pg_export(api, **extra):
    params = {"cloudPostgresqlInstanceNo": "3001", "fileName": newest_pg_file(api)["fileName"], "bucketName": "pg-backups"}
    params.update(extra)
    return api.json("vpostgresql", "exportBackupToObjectStorage", params)


def test_folder_path_puts_the_file_exactly_there(api, ncp_sim):
    name = newest_pg_file(api)["fileName"]
    assert pg_export(api, folderPath="db/3001/")[0] == 200
    assert wait_until(lambda: keys(s3(ncp_sim), "pg-backups"), timeout=3) == ["db/3001/" + name]
    assert ncp_sim.state()["exports"][0]["key"] == "db/3001/" + name


@pytest.mark.parametrize("folder", ["db/3001", "/db/", "db//x/", "../db/", "db/../x/", "./", "/", "", "db x/", "d\u00e9/"])
def test_bad_folder_paths_are_refused(api, ncp_sim, folder):
    status, body = pg_export(api, folderPath=folder)
    assert status == 400 and body["responseError"]["returnCode"] == "5001002" and "folderPath" in \
        body["responseError"]["returnMessage"]
    assert ncp_sim.state()["exports"] == []


@pytest.mark.scenario({"settings": {"export_seconds": 0.1, "export_key_template": "x/{service}/{file_name}"},
                       "buckets": ["bkt"],
                       "instances": [{"service": "vpostgresql", "instance_no": "7",
                                      "automatic_backups": [{"file_name": "f1", "start_time": "-1h"}]}]})
def test_postgresql_without_folder_lands_at_the_root_whatever_the_template(api, ncp_sim):
    params = {"cloudPostgresqlInstanceNo": "7", "fileName": "f1", "bucketName": "bkt"}
    assert api.json("vpostgresql", "exportBackupToObjectStorage", params)[0] == 200
    assert wait_until(lambda: keys(s3(ncp_sim), "bkt"), timeout=3) == ["f1"]


@pytest.mark.scenario({"settings": {"export_seconds": 0.1, "postgresql_folder_path": "refuse"}, "buckets": ["bkt"],
                       "instances": [{"service": "vpostgresql", "instance_no": "7",
                                      "automatic_backups": [{"file_name": "f1", "start_time": "-1h"}]}]})
def test_folder_path_can_be_refused(api, ncp_sim):
    params = {"cloudPostgresqlInstanceNo": "7", "fileName": "f1", "bucketName": "bkt"}
    status, body = api.json("vpostgresql", "exportBackupToObjectStorage", dict(params, folderPath="a/"))
    assert status == 400 and "folderPath" in body["responseError"]["returnMessage"]
    assert api.json("vpostgresql", "exportBackupToObjectStorage", params)[0] == 200


@pytest.mark.scenario({"settings": {"export_seconds": 0.1, "postgresql_folder_path": "ignore"}, "buckets": ["bkt"],
                       "instances": [{"service": "vpostgresql", "instance_no": "7",
                                      "automatic_backups": [{"file_name": "f1", "start_time": "-1h"}]}]})
def test_folder_path_can_be_ignored_silently(api, ncp_sim):
    params = {"cloudPostgresqlInstanceNo": "7", "fileName": "f1", "bucketName": "bkt", "folderPath": "a/"}
    assert api.json("vpostgresql", "exportBackupToObjectStorage", params)[0] == 200
    assert wait_until(lambda: keys(s3(ncp_sim), "bkt"), timeout=3) == ["f1"]
    assert not wait_until(lambda: "a/f1" in keys(s3(ncp_sim), "bkt"), timeout=0.4)


def test_running_manual_backup_cannot_be_exported(api, ncp_sim):
    assert api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1003"})[0] == 200
    _status, body = api.json("vcache", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "1003"})
    running = body["getCloudCacheManualBackupDetailListResponse"]["cloudCacheBackupDetailList"][0]
    status, body = api.json("vcache", "exportBackupToObjectStorage",
                            {"cloudCacheInstanceNo": "1003", "fileName": running["fileName"], "bucketName": "cache-backups",
                             "backupTypeMode": "MANUAL"})
    assert status == 400 and body["responseError"]["returnCode"] == "5001173"


SHARED_DATES = {
    "settings": {"backup_seconds": 0.2, "export_seconds": 0.1},
    "buckets": ["cache-backups"],
    "instances": [
        {"service": "vcache", "instance_no": "11", "name": "c1", "status": "running", "buckets": ["cache-backups"],
         "manual_backups": [{"start_time": "-3h", "file_name": "20261207"}]},
        {"service": "vredis", "instance_no": "21", "name": "r1", "status": "running", "buckets": ["cache-backups"],
         "manual_backups": [{"start_time": "-3h", "file_name": "20261207"}]},
    ],
}


@pytest.mark.scenario(SHARED_DATES)
def test_same_named_exports_of_two_instances_replace_each_other_and_the_object_names_its_export(api, ncp_sim):
    """NCP lands a cache export at the bucket root under its file name (the default layout): the second
    instance's export replaces the first's, and the object's content tells which one it is."""
    client = s3(ncp_sim)
    for service, param, number in (("vcache", "cloudCacheInstanceNo", "11"), ("vredis", "cloudRedisInstanceNo", "21")):
        assert api.json(service, "exportBackupToObjectStorage", {param: number, "fileName": "20261207",
                                                                 "bucketName": "cache-backups",
                                                                 "backupTypeMode": "MANUAL"})[0] == 200
        body = wait_until(lambda n=number: _body_if(client, "20261207", n), timeout=3)
        assert body["service"] == service and body["file_name"] == "20261207"
    assert keys(client, "cache-backups") == ["20261207"]


def _body_if(client, key, number):
    try:
        body = json.loads(client.get_object(Bucket="cache-backups", Key=key)["Body"].read())
    except client.exceptions.NoSuchKey:
        return None
    return body if body["instance_no"] == number else None
