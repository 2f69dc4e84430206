# -*- coding: utf-8 -*-
"""What the client sends, how it reads answers, and what it retries (and never retries)."""

from __future__ import annotations

import json
import ssl

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError
from urllib3.exceptions import SSLError as Urllib3SSLError

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff
from ansible_collections.ncp.clouddb.plugins.module_utils import client as client_module
from ansible_collections.ncp.clouddb.plugins.module_utils.client import NcpClient
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError
from ansible_collections.ncp.clouddb.plugins.module_utils.signing import signature

ACCESS, SECRET = "AKIDEXAMPLE", "SECRET-never-shown"
OK = {"createCloudCacheManualBackupResponse": {"requestId": "r-1", "returnCode": "0", "returnMessage": "success"}}


def answer(status=200, body=None, headers=None):
    body = OK if body is None else body
    response = requests.Response()
    response.status_code = status
    response._content = (json.dumps(body) if isinstance(body, dict) else body).encode()
    response.headers.update(headers or {})
    return response


class ScriptedSession(requests.Session):
    """A real requests.Session (so preparation is real) whose send() plays a script."""

    def __init__(self, *script):
        super().__init__()
        self.script = list(script)
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        return step


@pytest.fixture(name="client")
def client_fixture(clock_factory):
    """client(*script, **options) -> (NcpClient, its ScriptedSession, its FakeClock)."""

    def make(*script, retry_timeout=60, **kwargs):
        clock = clock_factory()
        session = ScriptedSession(*script)
        ncp = NcpClient(ACCESS, SECRET, api_url="https://gw.example", region="KR", session=session,
                        retry_timeout=retry_timeout, sleep=clock.sleep, clock=clock,
                        backoff=Backoff(base=1.0, factor=2.0, cap=8.0, jitter=False), **kwargs)
        return ncp, session, clock

    return make


def refused():
    return requests.exceptions.ConnectionError(NewConnectionError(None, "Connection refused"))


def dropped():
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError()))


def tls_to_plain_http():
    """The chain requests really raises for https:// against a plain-HTTP port: at its end an
    ssl.SSLError whose ``reason`` is OpenSSL's reason *string*, not an exception."""
    low = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    low.reason = "WRONG_VERSION_NUMBER"
    middle = Urllib3SSLError(low)
    middle.__cause__ = low
    pool = MaxRetryError(None, "/vcache/v2/getCloudCacheInstanceList", reason=middle)
    outer = requests.exceptions.SSLError(pool)
    outer.__context__ = pool
    return outer


def test_get_is_signed_over_the_exact_request_target(client):
    ncp, session, _clock = client(answer())
    ncp.write("/vcache/v2", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "821"})
    sent = session.sent[0]
    assert sent.method == "GET"
    assert sent.path_url == ("/vcache/v2/createCloudCacheManualBackup"
                             "?regionCode=KR&cloudCacheInstanceNo=821&responseFormatType=json")
    stamp = sent.headers["x-ncp-apigw-timestamp"]
    assert sent.headers["x-ncp-iam-access-key"] == ACCESS
    assert sent.headers["x-ncp-apigw-signature-v2"] == signature(SECRET, "GET", sent.path_url, stamp, ACCESS)
    assert sent.headers["User-Agent"].startswith("ansible-collection-ncp.clouddb/0.1.0 ")


def test_values_are_percent_encoded_before_signing_and_lists_numbered(client):
    body = {"getCloudCacheInstanceListResponse": {"returnCode": "0", "cloudCacheInstanceList": []}}
    ncp, session, _clock = client(answer(body=body))
    ncp.read("/vcache/v2", "getCloudCacheInstanceList",
             {"cloudCacheServiceName": "my cache/blue&x=1", "cloudCacheInstanceNoList": ["1", "2"]})
    sent = session.sent[0]
    assert sent.path_url == ("/vcache/v2/getCloudCacheInstanceList?regionCode=KR"
                             "&cloudCacheServiceName=my%20cache%2Fblue%26x%3D1"
                             "&cloudCacheInstanceNoList.1=1&cloudCacheInstanceNoList.2=2&responseFormatType=json")
    stamp = sent.headers["x-ncp-apigw-timestamp"]
    assert sent.headers["x-ncp-apigw-signature-v2"] == signature(SECRET, "GET", sent.path_url, stamp, ACCESS)


def test_post_sends_a_form_body_and_signs_the_bare_path(client):
    ncp, session, _clock = client(answer(), method="POST")
    ncp.write("/vcache/v2", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "821"})
    sent = session.sent[0]
    assert sent.method == "POST" and sent.path_url == "/vcache/v2/createCloudCacheManualBackup"
    assert sent.body == "regionCode=KR&cloudCacheInstanceNo=821&responseFormatType=json"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    stamp = sent.headers["x-ncp-apigw-timestamp"]
    assert sent.headers["x-ncp-apigw-signature-v2"] == signature(SECRET, "POST", sent.path_url, stamp, ACCESS)


def test_xml_answer_is_decoded_like_json(client):
    xml = ("<getCloudCacheInstanceListResponse><returnCode>0</returnCode><cloudCacheInstanceList>"
           "<cloudCacheInstance><cloudCacheInstanceNo>1001</cloudCacheInstanceNo></cloudCacheInstance>"
           "</cloudCacheInstanceList></getCloudCacheInstanceListResponse>")
    ncp, _session, _clock = client(answer(body=xml), response_format="xml")
    body = ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert body["cloudCacheInstanceList"] == [{"cloudCacheInstanceNo": "1001"}]


def test_gateway_auth_error_is_final_and_carries_its_fields(client):
    body = {"error": {"errorCode": "200", "message": "Authentication Failed", "details": "Invalid authentication information."}}
    ncp, session, _clock = client(answer(401, body))
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    err = caught.value
    assert (err.status, err.code, err.message, err.attempts) == (401, "200", "Authentication Failed", 1)
    assert "Invalid authentication information." in str(err)
    assert len(session.sent) == 1


def test_service_error_is_final_with_code_and_message(client):
    body = {"responseError": {"returnCode": "5001017", "returnMessage": "Not found instance", "requestId": "q-9"}}
    ncp, session, _clock = client(answer(400, body))
    with pytest.raises(NcpApiError) as caught:
        ncp.write("/vcache/v2", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "9"})
    assert (caught.value.code, caught.value.request_id, caught.value.ambiguous) == ("5001017", "q-9", False)
    assert "createCloudCacheManualBackup failed, HTTP 400, code 5001017: Not found instance" in str(caught.value)
    assert len(session.sent) == 1


@pytest.mark.parametrize("code", ["410", "420"])
def test_throttling_is_retried_with_backoff_for_reads_and_writes(code, client):
    throttled = answer(429, {"error": {"errorCode": code, "message": "Rate Limited"}})
    for call in ("read", "write"):
        ncp, session, clock = client(throttled, throttled, answer())
        getattr(ncp, call)("/vcache/v2", "createCloudCacheManualBackup")
        assert len(session.sent) == 3 and clock.sleeps == [1.0, 2.0]


def test_quota_exceeded_is_never_retried(client):
    ncp, session, _clock = client(answer(429, {"error": {"errorCode": "400", "message": "Quota Exceeded"}}))
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert caught.value.code == "400" and len(session.sent) == 1


def test_retry_after_header_is_honoured(client):
    throttled = answer(429, {"error": {"errorCode": "420", "message": "Rate Limited"}}, {"Retry-After": "5"})
    ncp, _session, clock = client(throttled, answer())
    ncp.read("/vcache/v2", "createCloudCacheManualBackup")
    assert clock.sleeps == [5.0]


def test_reads_retry_5xx_html_drops_and_truncated_bodies(client):
    html = answer(502, "<html><body>Bad Gateway</body></html>")
    truncated = answer(200, '{"createCloudCacheManualBackupResponse": {"req')
    ncp, session, _clock = client(html, dropped(), truncated, requests.exceptions.ReadTimeout(), answer())
    assert ncp.read("/vcache/v2", "createCloudCacheManualBackup")["returnCode"] == "0"
    assert len(session.sent) == 5


@pytest.mark.parametrize("failure", [
    answer(503, {"error": {"errorCode": "500", "message": "Endpoint Error"}}),
    answer(502, "<html>Bad Gateway</html>"),
    answer(200, '{"createCloudCacheManualBackupResponse": {"req'),
    requests.exceptions.ReadTimeout(),
    dropped(),
], ids=["503", "html-502", "truncated-200", "read-timeout", "reset"])
def test_writes_are_not_retried_after_an_ambiguous_failure(failure, client):
    ncp, session, _clock = client(failure, answer())
    with pytest.raises(NcpApiError) as caught:
        ncp.write("/vcache/v2", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1"})
    assert caught.value.ambiguous
    assert len(session.sent) == 1


def test_writes_are_retried_when_the_connection_was_refused(client):
    ncp, session, _clock = client(refused(), requests.exceptions.ConnectTimeout(), answer())
    ncp.write("/vcache/v2", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1"})
    assert len(session.sent) == 3


def test_retry_budget_bounds_the_time_spent_and_says_so(client):
    storm = [answer(429, {"error": {"errorCode": "420", "message": "Rate Limited"}}) for attempt in range(20)]
    ncp, session, clock = client(*storm, retry_timeout=10)
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    # 1 + 2 + 4 = 7 s of sleeping fits in 10 s; the next delay (8 s) would not.
    assert clock.sleeps == [1.0, 2.0, 4.0] and len(session.sent) == 4
    assert "Gave up after 4 attempts" in str(caught.value) and "retry_timeout" in str(caught.value)


def test_zero_retry_timeout_disables_retries(client):
    ncp, session, _clock = client(answer(503, "<html>x</html>"), retry_timeout=0)
    with pytest.raises(NcpApiError):
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert len(session.sent) == 1


def test_secret_and_signature_never_appear_in_errors_or_repr(client):
    failures = [answer(401, {"error": {"errorCode": "200", "message": "Authentication Failed"}}),
                answer(502, "<html>x</html>"), dropped(), refused()]
    for failure in failures:
        ncp, session, _clock = client(failure, retry_timeout=0)
        with pytest.raises(NcpApiError) as caught:
            ncp.write("/vcache/v2", "createCloudCacheManualBackup")
        sig = session.sent[0].headers["x-ncp-apigw-signature-v2"]
        text = " ".join([str(caught.value), repr(caught.value), json.dumps(caught.value.to_result()), repr(ncp)])
        assert SECRET not in text and sig not in text


# --- one deadline per task, and failures named for what they are -----------------------------

def test_a_retry_after_beyond_the_task_deadline_ends_the_task_at_once(client):
    from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
    throttled = answer(429, {"error": {"errorCode": "420", "message": "Rate Limited"}}, {"Retry-After": "9"})
    ncp, session, clock = client(throttled, answer(), throttled, answer(), retry_timeout=60)
    ncp.deadline = Deadline(10, clock=clock)
    ncp.read("/vcache/v2", "createCloudCacheManualBackup")          # 9 s fit in the 10 s budget
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "createCloudCacheManualBackup")      # 9 more do not
    assert clock.now == 9.0 and len(session.sent) == 3
    assert "the next retry would pass wait_timeout" in str(caught.value)


@pytest.mark.parametrize("retry_after", ["100", "61"])
def test_a_retry_after_beyond_what_is_left_ends_the_task_at_once_also_when_the_backoff_would_fit(client, retry_after):
    """60 s are left, far more than the 1 s backoff delay; the gateway asks for more than 60: the task ends now."""
    from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
    throttled = answer(429, {"error": {"errorCode": "420", "message": "Rate Limited"}}, {"Retry-After": retry_after})
    ncp, session, clock = client(throttled, answer(), retry_timeout=600)
    ncp.deadline = Deadline(60, clock=clock)
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert clock.sleeps == [] and clock.now == 0 and len(session.sent) == 1
    assert "the next retry would pass wait_timeout" in str(caught.value)


def test_no_write_starts_after_the_deadline_and_a_late_read_gets_the_floor(client):
    from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
    from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpDeadlineError
    ncp, session, clock = client(answer(), timeout=30)
    ncp.deadline = Deadline(10, clock=clock)
    clock.sleep(15)
    with pytest.raises(NcpDeadlineError, match="wait_timeout=10 s ran out before createCloudCacheManualBackup"):
        ncp.write("/vcache/v2", "createCloudCacheManualBackup", {"cloudCacheInstanceNo": "1"})
    assert session.sent == []
    assert request_timeout(ncp, False) == client_module.REQUEST_FLOOR == 3.0
    clock.sleep(30)          # one timeout past the deadline: nothing more is sent
    with pytest.raises(NcpDeadlineError):
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")


def request_timeout(ncp, write):
    return client_module._request_timeout(ncp, "getCloudCacheInstanceList", write)  # pylint: disable=protected-access


@pytest.mark.parametrize("now, timeout, expected", [
    (0, 30, 10),     # the whole deadline is left: wait that long, not the 30 s timeout
    (4, 30, 6),      # what is left of it
    (4, 5, 5),       # timeout is smaller
    (9, 30, 3.0),    # less than the floor is left: a healthy answer still has time to come
    (9, 2, 2),       # a timeout below the floor wins
])
def test_a_request_waits_no_longer_than_what_is_left_of_the_deadline(client, now, timeout, expected):
    from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
    ncp, _session, clock = client(timeout=timeout)
    ncp.deadline = Deadline(10, clock=clock)
    clock.sleep(now)
    assert request_timeout(ncp, False) == request_timeout(ncp, True) == expected


def test_without_a_deadline_a_request_gets_its_timeout(client):
    ncp, _session, _clock = client(timeout=30)
    assert request_timeout(ncp, False) == 30


class HeldSession(requests.Session):
    """send() takes holds[i] seconds of the fake clock for request i, or times out after the timeout it is given."""

    def __init__(self, clock, holds):
        super().__init__()
        self.clock = clock
        self.holds = list(holds)
        self.timeouts = []

    def send(self, request, **kwargs):
        timeout = kwargs["timeout"]
        self.timeouts.append(timeout)
        hold = self.holds.pop(0) if self.holds else 0.1
        if hold > timeout:
            self.clock.sleep(timeout)
            raise requests.exceptions.ReadTimeout("held")
        self.clock.sleep(hold)
        return answer(200, {"getCloudCacheBackupListResponse": {"returnCode": "0", "totalRows": 0}})


def test_a_held_poll_ends_the_wait_near_its_budget_not_one_timeout_later(clock_factory):
    """The issue: wait_timeout 10, retry_timeout 10, timeout 30, a poll answered 25 s late took the task to 29.6 s.

    Now the held poll is given what is left of the deadline, and the waiter's one more look the floor.
    """
    from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
    from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpWaitTimeout
    from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until
    clock = clock_factory()
    session = HeldSession(clock, [0.2, 0.2, 25.0])     # the third poll, sent at about 2.6 s, is held 25 s
    ncp = NcpClient(ACCESS, SECRET, api_url="https://gw.example", region="KR", session=session, timeout=30,
                    retry_timeout=10, sleep=clock.sleep, clock=clock, backoff=Backoff(jitter=False))
    ncp.deadline = deadline = Deadline(10, clock=clock)

    def poll():
        ncp.read("/vcache/v2", "getCloudCacheBackupList")    # the backup never shows

    with pytest.raises(NcpWaitTimeout, match="did not finish"):
        wait_until(poll, deadline, "did not finish", sleep=clock.sleep)
    assert session.timeouts[2] == pytest.approx(10 - 2.9)       # what was left of the deadline, not 30
    assert session.timeouts[-1] == 3.0 and len(session.timeouts) == 4   # one more look, with the floor
    assert clock.now <= 10 + 3.0


def test_retry_timeout_is_what_bounds_the_retries(client):
    html = answer(503, "<html>x</html>")
    ncp, session, clock = client(*[html] * 30, retry_timeout=5)
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert len(session.sent) == 3 and clock.sleeps == [1.0, 2.0]   # 1 + 2 fit in 5 s, + 4 would not
    assert "the next retry would pass retry_timeout" in str(caught.value)


@pytest.mark.parametrize("failure, expected, tries", [
    (requests.exceptions.InvalidURL("Invalid URL 'http://not a url/vcache'"), "is not a URL requests can use", 1),
    (requests.exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"),
     "TLS handshake failed with https://gw.example: it does not answer in TLS", 1),
    (requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
     "TLS certificate of https://gw.example did not verify", 1),
    (tls_to_plain_http(), "TLS handshake failed with https://gw.example: it does not answer in TLS", 1),
], ids=["invalid-url", "tls-to-plain-http", "bad-certificate", "tls-to-plain-http-as-requests-raises-it"])
def test_failures_no_retry_can_mend_are_final_and_named(client, failure, expected, tries):
    ncp, session, _clock = client(*[failure] * 5)
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert expected in str(caught.value) and len(session.sent) == tries


def test_a_refused_connection_on_this_machine_is_final_and_says_refused(clock_factory):
    clock = clock_factory()
    session = ScriptedSession(*[refused()] * 5)
    ncp = NcpClient(ACCESS, SECRET, api_url="http://127.0.0.1:9", session=session, sleep=clock.sleep, clock=clock)
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert "connection refused by http://127.0.0.1:9: nothing listens there" in str(caught.value)
    assert len(session.sent) == 1


def test_a_refused_connection_elsewhere_is_retried(client):
    ncp, session, _clock = client(refused(), answer())
    ncp.write("/vcache/v2", "createCloudCacheManualBackup")
    assert len(session.sent) == 2


def test_a_url_requests_cannot_even_prepare_is_a_clear_error(clock_factory):
    clock = clock_factory()
    ncp = NcpClient(ACCESS, SECRET, api_url="http://", sleep=clock.sleep, clock=clock)
    with pytest.raises(NcpApiError, match="is not a URL requests can use"):
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")


def test_the_newer_gateway_error_shape_is_read_too(client):
    body = {"errorCode": "401", "message": "Unauthorized", "detail": "Invalid signature."}
    ncp, _session, _clock = client(answer(401, body))
    with pytest.raises(NcpApiError) as caught:
        ncp.read("/vcache/v2", "getCloudCacheInstanceList")
    assert caught.value.code == "401" and "Invalid signature." in str(caught.value)
