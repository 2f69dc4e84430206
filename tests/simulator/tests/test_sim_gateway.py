# -*- coding: utf-8 -*-
"""Gateway fidelity: methods, signing headers, authentication failures, unknown URLs."""

import time

import pytest
import requests

LIST = ("vredis", "getCloudRedisInstanceList")


def test_signed_get_with_v2_header(api):
    status, body = api.json(*LIST)
    assert status == 200
    assert body["getCloudRedisInstanceListResponse"]["returnCode"] == "0"


def test_v1_header_accepted_as_official_sdks_send_it(api, ncp_sim):
    status, _body = api.json(*LIST, signature_header="x-ncp-apigw-signature-v1")
    assert status == 200
    assert ncp_sim.requests()[-1]["signature_header"] == "x-ncp-apigw-signature-v1"


def test_post_form_body_is_accepted_and_not_signed(api):
    """The Go SDK POSTs every action with a form body and signs only the bare path."""
    status, body = api.json("vpostgresql", "getCloudPostgresqlBackupDetailList",
                            {"cloudPostgresqlInstanceNo": "3001", "pageNo": "0", "pageSize": "5"}, method="POST")
    assert status == 200
    assert len(body["getCloudPostgresqlBackupDetailListResponse"]["cloudPostgresqlBackupDetailList"]) == 5


def _error(answer):
    return answer.json()["error"]


def test_bad_signature(api):
    answer = api.call(*LIST, secret_key="not-the-secret")
    assert answer.status_code == 401
    assert _error(answer) == {"errorCode": "200", "message": "Authentication Failed",
                              "details": "Invalid authentication information."}


def test_unknown_access_key(api):
    answer = api.call(*LIST, access_key="NOBODY", secret_key="whatever")
    assert answer.status_code == 401
    assert _error(answer)["details"] == "Invalid authentication information."


def test_missing_headers(ncp_sim):
    answer = requests.get(ncp_sim.api_url + "/vredis/v2/getCloudRedisInstanceList?responseFormatType=json",
                          timeout=10)
    assert answer.status_code == 401
    assert _error(answer) == {"errorCode": "200", "message": "Authentication Failed",
                              "details": "Authentication information are missing."}


def test_query_changed_after_signing_fails(api, ncp_sim):
    uri = "/vredis/v2/getCloudRedisInstanceList?responseFormatType=json"
    headers = api.headers("GET", uri)
    answer = requests.get(ncp_sim.api_url + uri + "&regionCode=KR", headers=headers, timeout=10)
    assert answer.status_code == 401


def test_timestamp_skew_against_simulator_clock(api, ncp_sim):
    ncp_sim.set_clock_offset(600)                     # the gateway clock runs 10 minutes ahead
    answer = api.call(*LIST)
    assert answer.status_code == 401
    assert _error(answer)["errorCode"] == "200"
    # A client whose clock agrees with the gateway's (e.g. read from the Date header) gets through.
    status, _body = api.json(*LIST, timestamp=int((time.time() + 600) * 1000))
    assert status == 200
    ncp_sim.set_clock_offset(240)                     # within 5 minutes: accepted
    assert api.call(*LIST).status_code == 200


def test_date_header_follows_simulator_clock(api, ncp_sim):
    ncp_sim.set_clock_offset(3600)
    answer = api.call(*LIST, timestamp=int((time.time() + 3600) * 1000))
    served = time.mktime(time.strptime(answer.headers["Date"], "%a, %d %b %Y %H:%M:%S GMT")) - time.timezone
    assert abs(served - (time.time() + 3600)) < 5


def test_unknown_path_is_404_before_auth(ncp_sim, api):
    answer = requests.get(ncp_sim.api_url + "/vredis/v2/noSuchAction", timeout=10)
    assert answer.status_code == 404
    assert _error(answer) == {"errorCode": "300", "message": "Not Found Exception", "details": "URL not found."}
    # PostgreSQL has no manual backup action at all.
    assert api.call("vpostgresql", "createCloudPostgresqlManualBackup",
                    {"cloudPostgresqlInstanceNo": "3001"}).status_code == 404


def test_gateway_errors_are_json_by_default_even_for_xml_requests(api):
    answer = api.call(*LIST, fmt=None, secret_key="wrong")
    assert answer.status_code == 401 and answer.headers["Content-Type"].startswith("application/json")


@pytest.mark.scenario({"settings": {"gateway_error_format": "match"}})
def test_gateway_errors_can_follow_the_requested_format(api):
    answer = api.call(*LIST, fmt=None, secret_key="wrong")
    assert answer.status_code == 401 and answer.headers["Content-Type"].startswith("application/xml")
    assert "<error><errorCode>200</errorCode><message>Authentication Failed</message>" in answer.text


DENIED_REDIS = {"credentials": [{"access_key": "NCPSIM-ACCESS-KEY", "secret_key": "ncpsim-secret-do-not-log",
                                 "denied_actions": ["getCloudRedisInstanceList"]}]}


@pytest.mark.scenario(DENIED_REDIS)
def test_an_action_the_credential_may_not_call_is_refused_with_210(api, ncp_sim):
    """NCP: a caller without rights to an action gets 401, errorCode 210 Permission Denied, body without details."""
    answer = api.call(*LIST)
    assert answer.status_code == 401
    assert _error(answer) == {"errorCode": "210", "message": "Permission Denied"}
    assert ncp_sim.requests()[-1]["outcome"] == "gateway_error:210"
    status, _body = api.json("vcache", "getCloudCacheInstanceList")
    assert status == 200                  # the same credential, another action


@pytest.mark.scenario(DENIED_REDIS)
def test_a_bad_signature_is_an_authentication_failure_before_permissions(api):
    answer = api.call(*LIST, secret_key="not-the-secret")
    assert answer.status_code == 401
    assert _error(answer)["errorCode"] == "200"


def test_a_denied_action_must_exist():
    from ncpsim.scenario import ScenarioError, validate   # pylint: disable=import-outside-toplevel
    with pytest.raises(ScenarioError, match="denied_actions"):
        validate({"credentials": [{"access_key": "a", "secret_key": "b", "denied_actions": ["getNothing"]}]})
