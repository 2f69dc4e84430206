# -*- coding: utf-8 -*-
"""Manual backups (cache APIs), automatic backup lists, PostgreSQL paging, instance lists."""

import time

import pytest

from ncpsim.testclient import wait_until

FAST = {
    "settings": {"backup_seconds": 0.4, "export_seconds": 0.2},
    "buckets": ["cache-backups"],
    "instances": [
        {"service": "vcache", "instance_no": "11", "name": "c1", "status": "running"},
        {"service": "vcache", "instance_no": "12", "name": "c2", "status": "stopped"},
        {"service": "vredis", "instance_no": "21", "name": "r1", "status": "running"},
        {"service": "vcache", "instance_no": "13", "name": "c-jp", "region": "JPN"},
    ],
}


def manual_files(api, service, param, number):
    action = {"vcache": "getCloudCacheManualBackupDetailList", "vredis": "getCloudRedisManualBackupDetailList"}
    _status, body = api.json(service, action[service], {param: number})
    response = body[action[service] + "Response"]
    return response[[key for key in response if key.endswith("List")][0]]


@pytest.mark.scenario(FAST)
@pytest.mark.parametrize("service, action, param, number", [
    ("vcache", "createCloudCacheManualBackup", "cloudCacheInstanceNo", "11"),
    ("vredis", "createCloudRedisManualBackup", "cloudRedisInstanceNo", "21"),
])
def test_manual_backup_appears_after_backup_seconds(api, service, action, param, number):
    started = time.time()
    status, body = api.json(service, action, {param: number})
    assert status == 200 and body[action + "Response"]["returnCode"] == "0"
    running = manual_files(api, service, param, number)          # the backup runs: no endTime, no sizes yet
    assert len(running) == 1 and sorted(running[0]) == ["fileName", "startTime"]
    status, body = api.json(service, action, {param: number})
    assert status == 400 and body["responseError"]["returnCode"] == "5001172"   # already in progress
    files = wait_until(lambda: [f for f in manual_files(api, service, param, number) if "endTime" in f], timeout=3)
    assert time.time() - started >= 0.4
    assert len(files) == 1 and files[0]["fileName"] == running[0]["fileName"] and files[0]["backupSize"] > 0
    assert files[0]["startTime"] == running[0]["startTime"] <= files[0]["endTime"]
    assert api.json(service, action, {param: number})[0] == 200     # free again


@pytest.mark.scenario(FAST)
def test_manual_backup_refused_on_stopped_unknown_or_without_number(api, ncp_sim):
    status, body = api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "12"})
    assert status == 400 and body["responseError"]["returnCode"] == "5001171"
    status, body = api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "99"})
    assert status == 400 and body["responseError"]["returnCode"] == "5001017"
    status, body = api.json("vcache", "createCloudCacheManualBackup")
    assert status == 400 and "cloudCacheInstanceNo" in body["responseError"]["returnMessage"]
    ncp_sim.set_instance("vcache", "12", status="running")
    assert api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "12"})[0] == 200


@pytest.mark.scenario(FAST)
def test_regions_are_separate(api):
    assert api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "13"})[0] == 400
    status, _body = api.json("vcache", "createCloudCacheManualBackup",
                             {"cloudCacheInstanceNo": "13", "regionCode": "JPN"})
    assert status == 200


def test_postgresql_detail_list_pages_from_zero(api):
    seen = []
    for page_no in range(3):
        status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList",
                                {"cloudPostgresqlInstanceNo": "3001", "pageNo": str(page_no), "pageSize": "12"})
        assert status == 200
        response = body["getCloudPostgresqlBackupDetailListResponse"]
        assert response["totalRows"] == 30
        seen.extend(row["fileName"] for row in response["cloudPostgresqlBackupDetailList"])
    assert len(seen) == len(set(seen)) == 30
    status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList",
                            {"cloudPostgresqlInstanceNo": "3001", "pageNo": "3", "pageSize": "12"})
    assert body["getCloudPostgresqlBackupDetailListResponse"]["cloudPostgresqlBackupDetailList"] == []


@pytest.mark.parametrize("params, code", [
    ({"pageNo": "0"}, "5001001"),                       # pageSize is required with pageNo
    ({"pageNo": "0", "pageSize": "0"}, "5001002"),
    ({"pageNo": "0", "pageSize": "1001"}, "5001002"),
    ({"pageNo": "-1", "pageSize": "10"}, "5001002"),
])
def test_postgresql_paging_limits(api, params, code):
    status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList",
                            dict(params, cloudPostgresqlInstanceNo="3001"))
    assert status == 400 and body["responseError"]["returnCode"] == code


def test_instance_list_filters(api):
    _status, body = api.json("vpostgresql", "getCloudPostgresqlInstanceList",
                             {"cloudPostgresqlInstanceNoList.1": "3001", "cloudPostgresqlInstanceNoList.2": "3003"})
    rows = body["getCloudPostgresqlInstanceListResponse"]["cloudPostgresqlInstanceList"]
    assert [r["cloudPostgresqlInstanceNo"] for r in rows] == ["3001", "3003"]
    assert [s["cloudPostgresqlServerInstanceNo"] for s in rows[0]["cloudPostgresqlServerInstanceList"]] == \
        ["30011", "30012"]
    _status, body = api.json("vredis", "getCloudRedisInstanceList", {"cloudRedisServiceName": "redis-prod-1"})
    assert body["getCloudRedisInstanceListResponse"]["totalRows"] == 1


def test_stale_instance_newest_backup_is_old(api):
    _status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList",
                             {"cloudPostgresqlInstanceNo": "3002"})
    rows = body["getCloudPostgresqlBackupDetailListResponse"]["cloudPostgresqlBackupDetailList"]
    newest = max(row["startTime"] for row in rows)
    assert newest < time.strftime("%Y-%m-%dT%H:%M:%S+0900", time.gmtime(time.time() + 9 * 3600 - 71 * 3600))


@pytest.mark.parametrize("order", ["oldest_first", "newest_first", "shuffled"])
def test_detail_list_order_is_a_setting(api, ncp_sim, order):
    scenario = dict(ncp_sim.scenario, settings=dict(ncp_sim.scenario.get("settings") or {}, list_order=order))
    ncp_sim.reset(scenario)
    _status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList", {"cloudPostgresqlInstanceNo": "3001"})
    starts = [row["startTime"] for row in body["getCloudPostgresqlBackupDetailListResponse"]["cloudPostgresqlBackupDetailList"]]
    assert sorted(starts) == sorted(set(starts)) and len(starts) == 30
    if order == "oldest_first":
        assert starts == sorted(starts)
    elif order == "newest_first":
        assert starts == sorted(starts, reverse=True)
    else:
        assert starts not in (sorted(starts), sorted(starts, reverse=True))


@pytest.mark.scenario(dict(FAST, settings={"backup_seconds": 0.4, "list_running_backups": False}))
def test_running_backups_can_be_hidden_until_finished(api):
    assert api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "11"})[0] == 200
    assert manual_files(api, "vcache", "cloudCacheInstanceNo", "11") == []
    files = wait_until(lambda: manual_files(api, "vcache", "cloudCacheInstanceNo", "11"), timeout=3)
    assert len(files) == 1 and "endTime" in files[0]


@pytest.mark.scenario(dict(FAST, settings={"backup_seconds": 0.4, "concurrent_manual_backups": "allow"}))
def test_concurrent_manual_backups_can_be_allowed(api, ncp_sim):
    for _attempt in range(2):
        assert api.json("vredis", "createCloudRedisManualBackup", {"cloudRedisInstanceNo": "21"})[0] == 200
    running = manual_files(api, "vredis", "cloudRedisInstanceNo", "21")
    assert len(running) == 2 and len(set(r["fileName"] for r in running)) == 2 and all("endTime" not in r for r in running)

    def finished():
        files = manual_files(api, "vredis", "cloudRedisInstanceNo", "21")
        return files if all("endTime" in f for f in files) else []

    files = wait_until(finished, timeout=3)
    assert sorted(f["fileName"] for f in files) == sorted(r["fileName"] for r in running)
    assert ncp_sim.applied_writes()[("createCloudRedisManualBackup", "21")] == 2


def test_running_backup_rows_in_xml_have_no_end_time(api):
    assert api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1003"})[0] == 200
    answer = api.call("vcache", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "1003"}, fmt="xml")
    assert "<fileName>" in answer.text and "<startTime>" in answer.text and "endTime" not in answer.text
    assert "backupSize" not in answer.text
