# -*- coding: utf-8 -*-
"""Parameters an action's page does not list are refused (setting unknown_parameters)."""

import pytest

LIST_CACHE = ("vcache", "getCloudCacheInstanceList")


def code_and_message(answer):
    status, body = answer
    return status, body["responseError"]["returnCode"], body["responseError"]["returnMessage"]


@pytest.mark.parametrize("service, action, params, unknown", [
    ("vcache", "getCloudCacheInstanceList", {"cloudCacheInstanceNo": "1001"}, "cloudCacheInstanceNo"),
    ("vcache", "getCloudCacheManualBackupList", {"cloudCacheInstanceNo": "1001"}, "cloudCacheInstanceNo"),
    ("vcache", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "1001", "pageNo": "0", "pageSize": "5"},
     "pageNo"),
    ("vredis", "createCloudRedisManualBackup", {"cloudRedisInstanceNo": "2001", "backupName": "x"}, "backupName"),
    ("vpostgresql", "getCloudPostgresqlInstanceList", {"generationCode": "G2"}, "generationCode"),
    ("vpostgresql", "getCloudPostgresqlBackupDetailList", {"cloudPostgresqlInstanceNo": "3001", "sortedBy": "x"},
     "sortedBy"),
    ("vcache", "exportBackupToObjectStorage", {"cloudCacheInstanceNo": "1001", "fileName": "f", "bucketName": "b",
                                               "backupTypeMode": "MANUAL", "folderPath": "a/"}, "folderPath"),
    ("vcache", "getCloudCacheInstanceList", {"cloudCacheInstanceNoList.0": "1001"}, "cloudCacheInstanceNoList.0"),
    ("vcache", "getCloudCacheInstanceList", {"cloudCacheInstanceNoList": "1001"}, "cloudCacheInstanceNoList"),
])
def test_unknown_parameter_is_refused_by_name(api, ncp_sim, service, action, params, unknown):
    status, code, message = code_and_message(api.json(service, action, params))
    assert (status, code) == (400, "5001002") and unknown in message and action in message
    assert ncp_sim.state()["exports"] == [] and not ncp_sim.requests()[-1]["applied"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_documented_parameters_pass(api, method):
    params = {"regionCode": "KR", "zoneCode": "KR-1", "vpcNo": "1", "subnetNo": "2", "cloudCacheServiceName": "cache",
              "cloudCacheInstanceNoList.1": "1001", "cloudCacheInstanceNoList.2": "1002", "cloudCacheServerName": "x",
              "generationCode": "G3", "pageNo": "0", "pageSize": "10"}
    status, _body = api.json(*LIST_CACHE, params=params, method=method)
    assert status == 200
    assert api.json("vpostgresql", "getCloudPostgresqlBackupList", {"pageNo": "0", "pageSize": "2"})[0] == 200


def test_xml_requests_without_format_pass(api):
    assert api.call("vredis", "getCloudRedisBackupList", {"regionCode": "KR"}, fmt=None).status_code == 200


@pytest.mark.scenario({"settings": {"unknown_parameters": "ignore"},
                       "instances": [{"service": "vcache", "instance_no": "1"}]})
def test_unknown_parameters_can_be_ignored(api):
    assert api.json(*LIST_CACHE, params={"surprise": "1"})[0] == 200
