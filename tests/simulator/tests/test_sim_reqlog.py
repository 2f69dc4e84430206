# -*- coding: utf-8 -*-
"""The request log: what it records, and that it never holds a secret or a signature."""

import urllib.request

from ncpsim.testclient import wait_until

FIELDS = {"seq", "time", "method", "path", "service", "action", "params", "status", "outcome",
          "signature_header", "write", "applied"}


def test_entries(api, ncp_sim):
    api.call("vredis", "getCloudRedisInstanceList")
    api.call("vpostgresql", "getCloudPostgresqlBackupDetailList", {"cloudPostgresqlInstanceNo": "3001"},
             method="POST")
    api.call("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1002"})       # stopped
    api.call("vredis", "getCloudRedisInstanceList", secret_key="wrong")
    entries = ncp_sim.requests()
    assert [e["seq"] for e in entries] == [1, 2, 3, 4]
    assert all(FIELDS <= set(e) for e in entries)
    first, second, third, fourth = entries
    assert (first["service"], first["action"], first["status"], first["outcome"]) == \
        ("vredis", "getCloudRedisInstanceList", 200, "ok")
    assert second["method"] == "POST" and second["params"]["cloudPostgresqlInstanceNo"] == "3001"
    assert third["outcome"] == "service_error:5001171" and third["write"] and not third["applied"]
    assert fourth["status"] == 401 and fourth["outcome"] == "gateway_error:200"
    assert [e["action"] for e in ncp_sim.writes()] == ["createCloudCacheManualBackup"]
    assert ncp_sim.requests("getCloudRedisInstanceList") == [first, fourth]


def test_no_secret_or_signature_in_the_log(api, ncp_sim):
    answer = api.call("vredis", "getCloudRedisInstanceList")
    signature = answer.request.headers["x-ncp-apigw-signature-v2"]
    api.call("vredis", "getCloudRedisInstanceList", signature_header="x-ncp-apigw-signature-v1")
    with urllib.request.urlopen(ncp_sim.api_url + "/_sim/requests", timeout=10) as raw:
        text = raw.read().decode("utf-8")
    assert ncp_sim.secret_key not in text
    assert signature not in text
    assert "x-ncp-apigw-signature-v2" in text      # which header was used, not its value


def test_reset_clears_log_faults_clock_and_state(api, ncp_sim):
    api.call("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1001"})
    ncp_sim.inject("*", "throttle", count=3)
    ncp_sim.set_clock_offset(999)
    ncp_sim.reset()
    state = ncp_sim.state()
    assert ncp_sim.requests() == [] and ncp_sim.control("GET", "faults") == []
    assert state["clock_offset_seconds"] == 0
    instance = next(i for i in state["instances"] if i["instance_no"] == "1001")
    assert not instance["backup_in_progress"] and len(instance["manual_backups"]) == 2
    # a cancelled backup never lands after the reset
    assert not wait_until(lambda: len(next(i for i in ncp_sim.state()["instances"]
                                           if i["instance_no"] == "1001")["manual_backups"]) > 2, timeout=1.2)
