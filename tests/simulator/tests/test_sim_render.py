# -*- coding: utf-8 -*-
"""Response shapes: XML by default, JSON on request, lists, CommonCodes, dates, numbers."""

import re
import xml.etree.ElementTree as ET

import pytest

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0900$")


def test_xml_is_the_default(api):
    answer = api.call("vcache", "getCloudCacheInstanceList", fmt=None)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/xml")
    assert answer.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(answer.content)
    assert root.tag == "getCloudCacheInstanceListResponse"
    assert [child.tag for child in root][:4] == ["requestId", "returnCode", "returnMessage", "totalRows"]
    instances = root.find("cloudCacheInstanceList").findall("cloudCacheInstance")
    assert len(instances) == int(root.findtext("totalRows")) == 3
    status = instances[0].find("cloudCacheInstanceStatus")
    assert status.findtext("code") and status.findtext("codeName")


def test_json_on_request(api):
    status, body = api.json("vcache", "getCloudCacheInstanceList", {"cloudCacheInstanceNoList.1": "1001"})
    assert status == 200
    response = body["getCloudCacheInstanceListResponse"]
    assert list(response)[:2] == ["totalRows", "cloudCacheInstanceList"]
    assert response["returnCode"] == "0" and response["returnMessage"] == "success"
    assert response["totalRows"] == 1
    row = response["cloudCacheInstanceList"][0]
    assert row["cloudCacheInstanceNo"] == "1001"
    assert row["cloudCacheServiceName"] == "cache-prod-1"
    assert row["cloudCacheInstanceStatusName"] == "running"
    assert set(row["cloudCacheInstanceStatus"]) == {"code", "codeName"}
    assert set(row["cloudCacheInstanceOperation"]) == {"code", "codeName"}
    assert DATE.match(row["createDate"])


def test_one_element_list_in_xml_looks_like_a_single_child(api):
    answer = api.call("vredis", "getCloudRedisManualBackupDetailList", {"cloudRedisInstanceNo": "2001"}, fmt="xml")
    root = ET.fromstring(answer.content)
    details = root.find("cloudRedisBackupDetailList")
    assert root.findtext("totalRows") == "1"
    assert [child.tag for child in details] == ["cloudRedisBackupDetail"]
    assert details.find("cloudRedisBackupDetail").findtext("backupSize") == "20971520"


def test_empty_list_is_an_empty_element(api):
    answer = api.call("vcache", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "1003"}, fmt="xml")
    root = ET.fromstring(answer.content)
    assert root.findtext("totalRows") == "0"
    assert len(root.find("cloudCacheBackupDetailList")) == 0


def test_detail_rows_use_documented_fields_and_types(api):
    _status, body = api.json("vredis", "getCloudRedisBackupDetailList", {"cloudRedisInstanceNo": "2001"})
    row = body["getCloudRedisBackupDetailListResponse"]["cloudRedisBackupDetailList"][0]
    assert list(row) == ["startTime", "endTime", "backupSize", "dataStorageSize", "fileName"]
    assert isinstance(row["backupSize"], int) and isinstance(row["dataStorageSize"], int)
    assert DATE.match(row["startTime"]) and DATE.match(row["endTime"])
    _status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList",
                             {"cloudPostgresqlInstanceNo": "3001", "pageNo": "0", "pageSize": "1"})
    row = body["getCloudPostgresqlBackupDetailListResponse"]["cloudPostgresqlBackupDetailList"][0]
    assert list(row) == ["fileName", "startTime", "endTime", "backupSize", "dataStorageSize", "archivedWalFileSize"]


def test_service_error_shapes(api):
    status, body = api.json("vcache", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "999"})
    assert status == 400
    assert body == {"responseError": {"returnCode": "5001017", "returnMessage": body["responseError"]["returnMessage"]}}
    answer = api.call("vcache", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "999"}, fmt=None)
    root = ET.fromstring(answer.content)
    assert answer.status_code == 400 and root.tag == "responseError"
    assert root.findtext("returnCode") == "5001017"


def test_backup_summary_rows(api):
    _status, body = api.json("vredis", "getCloudRedisBackupList")
    rows = body["getCloudRedisBackupListResponse"]["cloudRedisBackupList"]
    row = next(r for r in rows if r["cloudRedisInstanceNo"] == "2001")
    assert row["backupType"]["code"] == "CLUSTER" and row["shardCount"] == 3
    _status, body = api.json("vpostgresql", "getCloudPostgresqlBackupList")
    row = body["getCloudPostgresqlBackupListResponse"]["cloudPostgresqlBackupList"][0]
    assert row["backupType"] == "USER" and row["backupFileStorageCount"] == 30


def instance_rows(api, service, action):
    _status, body = api.json(service, action)
    response = body[action + "Response"]
    return response[[key for key in response if key.endswith("List")][0]]


def test_licence_spelling_per_api(api):
    cache = instance_rows(api, "vcache", "getCloudCacheInstanceList")[0]
    redis = instance_rows(api, "vredis", "getCloudRedisInstanceList")[0]
    postgresql = instance_rows(api, "vpostgresql", "getCloudPostgresqlInstanceList")[0]
    assert set(cache["licence"]) == {"code", "codeName"} and "license" not in cache
    assert set(redis["license"]) == {"code", "codeName"} and "licence" not in redis
    assert isinstance(postgresql["license"], str) and "licence" not in postgresql


@pytest.mark.parametrize("given", ["settingUp", "settingup", "SETTINGUP"])
def test_setting_up_as_terraform_reads_it(api, ncp_sim, given):
    ncp_sim.set_instance("vredis", "2001", status=given)
    row = next(r for r in instance_rows(api, "vredis", "getCloudRedisInstanceList") if r["cloudRedisInstanceNo"] == "2001")
    assert row["cloudRedisInstanceStatusName"] == "settingUp"
    assert (row["cloudRedisInstanceStatus"]["code"], row["cloudRedisInstanceOperation"]["code"]) == ("CREAT", "SETUP")


def test_unknown_status_is_refused(ncp_sim):
    with pytest.raises(AssertionError, match="400"):
        ncp_sim.set_instance("vcache", "1001", status="sleeping")
    with pytest.raises(AssertionError, match="400"):
        ncp_sim.set_instance("vcache", "1001", status="reinstalling")       # PostgreSQL's only


@pytest.mark.parametrize("numbers, kind", [("number", int), ("string", str)])
def test_postgresql_backup_list_numbers_setting(api, ncp_sim, numbers, kind):
    scenario = dict(ncp_sim.scenario, settings=dict(ncp_sim.scenario.get("settings") or {}, postgresql_backup_numbers=numbers))
    ncp_sim.reset(scenario)
    row = instance_rows(api, "vpostgresql", "getCloudPostgresqlBackupList")[0]
    assert all(isinstance(row[field], kind) for field in ("backupRetention", "backupSize", "backupFileStorageCount"))
    assert int(row["backupFileStorageCount"]) == 30
