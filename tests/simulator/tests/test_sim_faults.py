# -*- coding: utf-8 -*-
"""Each injected fault kind, and whether the faulted action took effect."""

import time

import pytest
import requests

from ncpsim.testclient import wait_until

LIST = ("vredis", "getCloudRedisInstanceList")
CREATE = ("vcache", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1003"})
FAST = {"settings": {"backup_seconds": 0.2},
        "instances": [{"service": "vcache", "instance_no": "1003", "name": "cache-empty"},
                      {"service": "vredis", "instance_no": "2001", "name": "redis-prod-1"}]}


def backup_started(ncp_sim):
    instance = next(i for i in ncp_sim.state()["instances"] if i["instance_no"] == "1003")
    return instance["backup_in_progress"] or bool(instance["manual_backups"])


@pytest.mark.parametrize("code, message", [("400", "Quota Exceeded"), ("410", "Throttle Limited"),
                                           ("420", "Rate Limited")])
def test_throttle(api, ncp_sim, code, message):
    ncp_sim.inject(LIST[1], "throttle", code=code)
    answer = api.call(*LIST)
    assert answer.status_code == 429
    assert answer.json()["error"]["errorCode"] == code and answer.json()["error"]["message"] == message
    assert api.call(*LIST).status_code == 200                       # count defaults to 1


def test_throttle_with_retry_after_and_its_log_entry(api, ncp_sim):
    ncp_sim.inject(LIST[1], "throttle", code="420", retry_after=9)
    answer = api.call(*LIST)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "9"
    assert "Retry-After" not in api.call(*LIST).headers                 # only the faulted answer has it
    assert [e["outcome"] for e in ncp_sim.requests(LIST[1])] == ["fault:throttle", "ok"]
    assert ncp_sim.requests(LIST[1])[0]["status"] == 429


def test_retry_after_is_a_throttle_field_only(ncp_sim):
    with pytest.raises(AssertionError, match="retry_after is a field of throttle faults only"):
        ncp_sim.inject(LIST[1], "http_error", retry_after=5)
    with pytest.raises(AssertionError, match="retry_after must be 0 or more"):
        ncp_sim.inject(LIST[1], "throttle", retry_after=-1)


def test_http_error_is_a_proxy_page(api, ncp_sim):
    ncp_sim.inject("*", "http_error", status=502, count=2)
    for attempt in range(2):
        answer = api.call(*LIST)
        assert answer.status_code == 502
        assert answer.headers["Content-Type"].startswith("text/html") and "<html>" in answer.text
    assert api.call(*LIST).status_code == 200


@pytest.mark.scenario(FAST)
@pytest.mark.parametrize("apply", [True, False])
def test_drop(api, ncp_sim, apply):
    ncp_sim.inject(CREATE[1], "drop", apply=apply)
    with pytest.raises(requests.ConnectionError):
        api.call(*CREATE)
    assert backup_started(ncp_sim) is apply
    entry = ncp_sim.requests(CREATE[1])[-1]
    assert entry["outcome"] == "fault:drop" and entry["applied"] is apply


@pytest.mark.scenario(FAST)
def test_truncate(api, ncp_sim):
    ncp_sim.inject(LIST[1], "truncate")
    with pytest.raises(requests.RequestException):
        api.call(*LIST).json()
    ncp_sim.inject(CREATE[1], "truncate", apply=True)
    with pytest.raises(requests.RequestException):
        api.call(*CREATE).json()
    assert backup_started(ncp_sim)


@pytest.mark.scenario(FAST)
def test_slow_applied_at_once(api, ncp_sim):
    ncp_sim.inject(CREATE[1], "slow", delay=1.0, apply=True)
    with pytest.raises(requests.Timeout):
        api.call(*CREATE, timeout=0.3)
    assert backup_started(ncp_sim)


@pytest.mark.scenario(FAST)
def test_slow_applied_only_after_the_delay(api, ncp_sim):
    ncp_sim.inject(CREATE[1], "slow", delay=0.8, apply=False)
    started = time.time()
    with pytest.raises(requests.Timeout):
        api.call(*CREATE, timeout=0.3)
    assert not backup_started(ncp_sim)
    assert wait_until(lambda: backup_started(ncp_sim), timeout=3)
    assert time.time() - started >= 0.8


def test_slow_answer_still_arrives(api, ncp_sim):
    ncp_sim.inject(LIST[1], "slow", delay=0.3)
    started = time.time()
    assert api.call(*LIST).status_code == 200
    assert time.time() - started >= 0.3


def test_faults_listed_and_cleared(api, ncp_sim):
    ncp_sim.inject("*", "throttle", count=5)
    assert ncp_sim.control("GET", "faults")[0]["count"] == 5
    ncp_sim.clear_faults()
    assert api.call(*LIST).status_code == 200


MANUAL_LIST = "getCloudCacheManualBackupDetailList"


@pytest.mark.scenario({"instances": [{"service": "vcache", "instance_no": "1101"}, {"service": "vcache", "instance_no": "1102"}]})
def test_fault_matching_parameters(api, ncp_sim):
    ncp_sim.inject(MANUAL_LIST, "slow", delay=0.5, match={"cloudCacheInstanceNo": "1101"})
    started = time.time()
    assert api.call("vcache", MANUAL_LIST, {"cloudCacheInstanceNo": "1102"}).status_code == 200
    assert time.time() - started < 0.4 and len(ncp_sim.control("GET", "faults")) == 1
    assert api.call("vcache", MANUAL_LIST, {"cloudCacheInstanceNo": "1101"}).status_code == 200
    assert time.time() - started >= 0.5 and ncp_sim.control("GET", "faults") == []


def test_fault_on_the_nth_request(api, ncp_sim):
    ncp_sim.inject(LIST[1], "http_error", status=503, skip=2)
    assert [api.call(*LIST).status_code for _n in range(4)] == [200, 200, 503, 200]


@pytest.mark.parametrize("bad", [{"kind": "slow", "match": []}, {"kind": "slow", "skip": -1},
                                 {"kind": "slow", "surprise": 1}, {"kind": "throttle", "action": "s3:GetObject"}])
def test_bad_faults_are_refused(ncp_sim, bad):
    with pytest.raises(AssertionError, match="400"):
        ncp_sim.control("POST", "faults", bad)
