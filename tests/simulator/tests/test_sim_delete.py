# -*- coding: utf-8 -*-
"""deleteCloudCacheManualBackup / deleteCloudRedisManualBackup."""

import pytest
import requests

from ncpsim.testclient import wait_until

SCENARIO = {
    "settings": {"backup_seconds": 0.3},
    "instances": [
        {"service": "vcache", "instance_no": "11", "manual_backups": [
            {"file_name": "20240701", "start_time": "-50h"}, {"file_name": "20240702", "start_time": "-26h"},
            {"file_name": "20240703", "start_time": "-2h"}]},
        {"service": "vcache", "instance_no": "12", "status": "stopped",
         "manual_backups": [{"file_name": "20240701", "start_time": "-50h"}]},
        {"service": "vredis", "instance_no": "21", "manual_backups": [{"file_name": "20240702", "start_time": "-26h"}]},
    ],
}
DELETE = {"vcache": ("deleteCloudCacheManualBackup", "cloudCacheInstanceNo"),
          "vredis": ("deleteCloudRedisManualBackup", "cloudRedisInstanceNo")}


def manual_names(ncp_sim, number):
    instance = next(i for i in ncp_sim.state()["instances"] if i["instance_no"] == number)
    return [b["file_name"] for b in instance["manual_backups"]]


def delete(api, service, number, *names, **kwargs):
    action, param = DELETE[service]
    params = {param: number}
    params.update(("fileNameList.%d" % index, name) for index, name in enumerate(names, 1))
    return api.json(service, action, params, **kwargs)


@pytest.mark.scenario(SCENARIO)
@pytest.mark.parametrize("service, number, names, left", [
    ("vcache", "11", ["20240701", "20240703"], ["20240702"]),
    ("vredis", "21", ["20240702"], []),
])
def test_delete_named_files(api, ncp_sim, service, number, names, left):
    status, body = delete(api, service, number, *names)
    action = DELETE[service][0]
    assert status == 200 and set(body[action + "Response"]) == {"requestId", "returnCode", "returnMessage"}
    assert manual_names(ncp_sim, number) == left
    entry = ncp_sim.requests(action)[-1]
    assert entry["write"] and entry["applied"] and entry["outcome"] == "ok"


@pytest.mark.scenario(SCENARIO)
@pytest.mark.parametrize("names, params, code", [
    ([], {}, "5001001"),                                         # no fileNameList.N at all
    ([""], {}, "5001002"),                                       # an empty name
    (["20240701", "20240701"], {}, "5001002"),                   # the same name twice
    (["20240701", "nope", "20240702"], {}, "5001173"),           # one unknown name: nothing is deleted
    (["20240701"], {"cloudCacheInstanceNo": "99"}, "5001017"),
    (["20240701"], {"cloudCacheInstanceNo": "12"}, "5001171"),   # stopped
    (["20240701"], {"fileNameList": "20240702"}, "5001002"),     # not a list parameter
])
def test_delete_refusals_change_nothing(api, ncp_sim, names, params, code):
    request = {"cloudCacheInstanceNo": "11"}
    request.update(("fileNameList.%d" % index, name) for index, name in enumerate(names, 1))
    request.update(params)
    status, body = api.json("vcache", "deleteCloudCacheManualBackup", request)
    assert status == 400 and body["responseError"]["returnCode"] == code
    if code == "5001173":
        assert "nope" in body["responseError"]["returnMessage"] and "20240701" not in body["responseError"]["returnMessage"]
    assert manual_names(ncp_sim, "11") == ["20240701", "20240702", "20240703"]
    assert manual_names(ncp_sim, "12") == ["20240701"]
    assert ncp_sim.requests()[-1]["write"] and not ncp_sim.requests()[-1]["applied"]


@pytest.mark.scenario(SCENARIO)
def test_delete_refused_while_a_backup_runs(api, ncp_sim):
    assert api.json("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "11"})[0] == 200
    status, body = delete(api, "vcache", "11", "20240701")
    assert status == 400 and body["responseError"]["returnCode"] == "5001172"
    assert wait_until(lambda: len(manual_names(ncp_sim, "11")) == 4, timeout=3)
    assert delete(api, "vcache", "11", "20240701")[0] == 200


@pytest.mark.scenario(SCENARIO)
@pytest.mark.parametrize("apply", [True, False])
def test_delete_drop(api, ncp_sim, apply):
    ncp_sim.inject("deleteCloudCacheManualBackup", "drop", apply=apply)
    with pytest.raises(requests.ConnectionError):
        delete(api, "vcache", "11", "20240701")
    assert ("20240701" in manual_names(ncp_sim, "11")) is not apply
    assert ncp_sim.requests("deleteCloudCacheManualBackup")[-1]["applied"] is apply


@pytest.mark.scenario(SCENARIO)
def test_delete_slow_and_http_error(api, ncp_sim):
    ncp_sim.inject("deleteCloudRedisManualBackup", "http_error", status=502)
    answer = api.call("vredis", "deleteCloudRedisManualBackup", {"cloudRedisInstanceNo": "21", "fileNameList.1": "20240702"})
    assert answer.status_code == 502 and manual_names(ncp_sim, "21") == ["20240702"]
    ncp_sim.inject("deleteCloudRedisManualBackup", "slow", delay=0.6, apply=False)
    with pytest.raises(requests.Timeout):
        delete(api, "vredis", "21", "20240702", timeout=0.2)
    assert manual_names(ncp_sim, "21") == ["20240702"]
    assert wait_until(lambda: manual_names(ncp_sim, "21") == [], timeout=3)
