# -*- coding: utf-8 -*-
"""The S3 requests of the export modules: signed exactly as botocore signs them, sent as NCP documents them."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import requests

from ansible_collections.ncp.clouddb.plugins.module_utils.s3 import S3Client, S3Error, sign

NOW = datetime.datetime(2026, 11, 26, 7, 52, 21, tzinfo=datetime.timezone.utc)
ACCESS, SECRET = "NCPACCESSKEY", "ncp/secret+key=="


def botocore_authorization(method, url, headers, body, region):
    """What botocore's own Signature Version 4 signer puts in Authorization for the same request."""
    auth = pytest.importorskip("botocore.auth")
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    signer = auth.S3SigV4Auth(Credentials(ACCESS, SECRET), "s3", region)
    with mock.patch.object(auth, "get_current_datetime", lambda: NOW.replace(tzinfo=None)):
        signer.add_auth(request)
    return request.headers["Authorization"]


class Recorder(requests.Session):
    def __init__(self, *answers):
        super().__init__()
        self.sent = []
        self.answers = list(answers)

    def request(self, method, url, **kwargs):  # pylint: disable=arguments-differ
        self.sent.append((method, url, kwargs))
        answer = requests.Response()
        answer.status_code, answer._content, headers = self.answers.pop(0)  # pylint: disable=protected-access
        answer.headers.update(headers)
        return answer


def client(addressing="path", endpoint="https://kr.object.ncloudstorage.com", region="kr-standard", *answers):
    session = Recorder(*answers)
    return S3Client(endpoint, region, ACCESS, SECRET, addressing, session=session, now=lambda: NOW,
                    retry_timeout=0), session


@pytest.mark.parametrize("addressing, endpoint, region", [
    ("path", "https://kr.object.ncloudstorage.com", "kr-standard"),
    ("virtual", "https://kr.ncloudstorage.com", "kr"),
    ("path", "http://127.0.0.1:9000", "kr-standard"),
])
@pytest.mark.parametrize("operation", ["head", "get", "put", "delete", "list", "copy"])
def test_every_request_is_signed_as_botocore_signs_it(addressing, endpoint, region, operation):
    ok = (200, b"<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>", {"ETag": '"e"'})
    if operation == "copy":
        ok = (200, b"<CopyObjectResult><ETag>&quot;e&quot;</ETag></CopyObjectResult>", {})
    s3, session = client(addressing, endpoint, region, ok)
    key = "postgresql/3101/2026 11+26.json"
    if operation == "head":
        s3.head_object("pg-backups", key)
    elif operation == "get":
        s3.get_object("pg-backups", key)
    elif operation == "put":
        s3.put_object("pg-backups", key, b'{"a": 1}', "application/json")
    elif operation == "delete":
        s3.delete_object("pg-backups", key)
    elif operation == "copy":
        s3.copy_object("pg-backups", "2026 11+26", key)
    else:
        s3.list_objects("pg-backups", "postgresql/3101/", marker="postgresql/3101/a b")
    method, url, kwargs = session.sent[0]
    headers = dict(kwargs["headers"])
    given = headers.pop("Authorization")
    headers.pop("User-Agent")
    assert given == botocore_authorization(method, url, headers, kwargs["data"] or b"", region)


def test_virtual_hosted_requests_put_the_bucket_in_the_host():
    s3, session = client("virtual", "https://kr.ncloudstorage.com", "kr", (404, b"", {}))
    assert s3.head_object("my-bucket", "a/b") is None
    _method, url, kwargs = session.sent[0]
    assert url == "https://my-bucket.kr.ncloudstorage.com/a/b" and kwargs["headers"]["Host"] == "my-bucket.kr.ncloudstorage.com"


def test_a_listing_is_version_1_with_nothing_ncp_does_not_document():
    page = (b'<?xml version="1.0"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<IsTruncated>true</IsTruncated><NextMarker>k2</NextMarker>"
            b"<Contents><Key>k2</Key><LastModified>2026-11-26T07:52:21.000Z</LastModified><ETag>&quot;e2&quot;</ETag>"
            b"<Size>12</Size></Contents></ListBucketResult>")
    s3, session = client("path", "https://kr.object.ncloudstorage.com", "kr-standard", (200, page, {}))
    items, truncated, marker = s3.list_objects("b", "k")
    assert items == [{"key": "k2", "size": 12, "etag": "e2", "last_modified": "2026-11-26T07:52:21+00:00"}]
    assert truncated and marker == "k2"
    _method, url, kwargs = session.sent[0]
    assert url == "https://kr.object.ncloudstorage.com/b?max-keys=1000&prefix=k"
    assert "list-type" not in url and "encoding-type" not in url
    assert not [h for h in kwargs["headers"] if h.lower().startswith("x-amz-checksum") or h.lower() ==
                "x-amz-sdk-checksum-algorithm"]


def test_errors_say_what_failed_and_never_carry_the_keys():
    error = (403, b"<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>", {})
    s3, _session = client("path", "https://kr.object.ncloudstorage.com", "kr-standard", error)
    with pytest.raises(S3Error) as caught:
        s3.put_object("b", "k", b"x", "text/plain")
    text = str(caught.value) + repr(s3)
    assert "Object Storage PutObject failed, HTTP 403, code SignatureDoesNotMatch" in text
    assert SECRET not in text and ACCESS not in text


def test_the_signature_changes_with_every_signed_part():
    base = dict(method="GET", host="h", path="/b/k", query=[("prefix", "p")],
                headers={"x-amz-date": "20261126T075221Z", "x-amz-content-sha256": "e"}, payload_hash="e",
                access_key=ACCESS, secret_key=SECRET, region="kr-standard", now=NOW)
    first = sign(**base)
    for change in (dict(method="PUT"), dict(host="g"), dict(path="/b/l"), dict(query=[("prefix", "q")]),
                   dict(region="kr"), dict(secret_key="other"), dict(payload_hash="f")):
        assert sign(**dict(base, **change)) != first, change


def test_5xx_and_dropped_connections_are_retried_and_4xx_are_not(clock_factory):
    clock = clock_factory()
    error = (500, b"<Error><Code>InternalError</Code></Error>", {})
    session = Recorder(error, (503, b"<Error><Code>SlowDown</Code></Error>", {}), (200, b"", {}))
    s3 = S3Client("http://127.0.0.1:9", "kr-standard", ACCESS, SECRET, session=session, now=lambda: NOW,
                  sleep=clock.sleep, clock=clock)
    s3.put_object("b", "k", b"x", "text/plain")
    assert len(session.sent) == 3 and len(clock.sleeps) == 2
    session = Recorder((403, b"<Error><Code>AccessDenied</Code></Error>", {}))
    s3 = S3Client("http://127.0.0.1:9", "kr-standard", ACCESS, SECRET, session=session, now=lambda: NOW,
                  sleep=clock.sleep, clock=clock)
    with pytest.raises(S3Error):
        s3.put_object("b", "k", b"x", "text/plain")
    assert len(session.sent) == 1


def test_s3_retries_stop_at_the_task_deadline(clock_factory):
    from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
    clock = clock_factory()
    session = Recorder(*[(500, b"", {})] * 20)
    s3 = S3Client("http://127.0.0.1:9", "kr-standard", ACCESS, SECRET, session=session, now=lambda: NOW,
                  sleep=clock.sleep, clock=clock, retry_timeout=600)
    s3.deadline = Deadline(5, clock=clock)
    with pytest.raises(S3Error) as caught:
        s3.head_object("b", "k")
    assert clock.now <= 5 and "wait_timeout" in str(caught.value)


def test_a_copy_is_sent_as_ncp_shows_it_and_answers_the_etag_of_the_copy():
    answer = b'<?xml version="1.0"?><CopyObjectResult><LastModified>2026-12-07T01:00:00.000Z</LastModified>' \
             b'<ETag>"0123abcd"</ETag></CopyObjectResult>'
    s3, session = client("path", "https://kr.object.ncloudstorage.com", "kr-standard", (200, answer, {}))
    assert s3.copy_object("cache-backups", "20261207", "cache/1101/20261207") == "0123abcd"
    method, url, kwargs = session.sent[0]
    assert (method, url) == ("PUT", "https://kr.object.ncloudstorage.com/cache-backups/cache/1101/20261207")
    assert kwargs["headers"]["x-amz-copy-source"] == "/cache-backups/20261207" and kwargs["data"] is None


def test_a_copy_that_fails_late_with_an_error_document_in_a_200_answer_raises():
    late = (200, b"<Error><Code>InternalError</Code><Message>copy failed</Message></Error>", {})
    s3, _session = client("path", "https://kr.object.ncloudstorage.com", "kr-standard", late)
    with pytest.raises(S3Error, match="InternalError"):
        s3.copy_object("cache-backups", "20261207", "cache/1101/20261207")


def test_not_implemented_is_a_definite_no():
    error = S3Error("CopyObject", 501, "NotImplemented", "not documented", "https://x")
    assert not error.retryable and not error.ambiguous
