# -*- coding: utf-8 -*-
"""The S3 front: its two faces, what each refuses, the S3 request log, faults, and bulk filling."""

import base64
import hashlib
import time
import xml.etree.ElementTree as ET

import boto3
import botocore
import botocore.handlers
import pytest
import requests

from ncpsim.testclient import list_keys, s3_client, wait_until

NCLOUD = "http://kr.ncloudstorage.com"
BUCKET = "cache-backups"
NCS_BUCKET = "ncs-backups"
# Object Storage buckets of the default scenario, and one of Ncloud Storage's own namespace.
TWO_STORES = {"buckets": ["pg-backups", "cache-backups"], "ncloudstorage_buckets": [NCS_BUCKET]}


def ncloud_client(ncp_sim, **config):
    """boto3 against Ncloud Storage (virtual-hosted), through the front as an HTTP proxy."""
    return s3_client(ncp_sim, endpoint_url=NCLOUD, region_name="kr", proxies={"http": ncp_sim.s3_url},
                     s3={"addressing_style": "virtual"}, **config)


def md5_for_delete_objects(client):
    """NCP Object Storage wants Content-MD5 on DeleteObjects; botocore now sends a CRC32 instead."""
    def add_md5(request, **_kwargs):
        for name in [n for n in request.headers if n.lower().startswith("x-amz-checksum-") or
                     n.lower() == "x-amz-sdk-checksum-algorithm"]:
            del request.headers[name]
        digest = hashlib.md5(request.body).digest()          # noqa: S324  the protocol's checksum
        request.headers["Content-MD5"] = base64.b64encode(digest).decode("ascii")
    client.meta.events.register("before-sign.s3.DeleteObjects", add_md5)
    return client


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def s3_log(ncp_sim, **query):
    return ncp_sim.s3_requests(**query)


def test_s3_url_is_the_front_and_every_request_is_logged(ncp_sim):
    client = s3_client(ncp_sim)
    client.put_object(Bucket=BUCKET, Key="a/b.bin", Body=b"hello")
    assert client.get_object(Bucket=BUCKET, Key="a/b.bin")["Body"].read() == b"hello"
    client.head_object(Bucket=BUCKET, Key="a/b.bin")
    assert list_keys(client, BUCKET) == ["a/b.bin"]
    client.delete_object(Bucket=BUCKET, Key="a/b.bin")
    entries = s3_log(ncp_sim)
    assert [e["operation"] for e in entries] == ["PutObject", "GetObject", "HeadObject", "ListObjects", "DeleteObject"]
    assert {(e["face"], e["via"], e["addressing"], e["bucket"]) for e in entries} == \
        {("objectstorage", "origin", "path", BUCKET)}
    assert entries[0]["key"] == "a/b.bin" and entries[0]["status"] == 200 and entries[0]["applied"]
    assert entries[3]["query"]["encoding-type"] == "url"
    assert [e["seq"] for e in s3_log(ncp_sim, operation="GetObject")] == [2]
    assert ncp_sim.requests() == []                  # the API log is a different one
    ncp_sim.reset()
    assert s3_log(ncp_sim) == []


def test_log_holds_no_secret(ncp_sim):
    client = s3_client(ncp_sim)
    client.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    text = requests.get(ncp_sim.api_url + "/_sim/s3/requests", timeout=10).text
    assert ncp_sim.secret_key not in text and ncp_sim.access_key not in text and "Signature" not in text


def test_list_objects_v2_is_not_implemented_on_object_storage(ncp_sim):
    client = s3_client(ncp_sim)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.list_objects_v2(Bucket=BUCKET)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error_code(excinfo) == "NotImplemented"
    answer = requests.get(ncp_sim.s3_url + "/" + BUCKET + "?list-type=2", timeout=10,
                          headers={"Authorization": "AWS4-HMAC-SHA256 Credential=%s/20260101/kr-standard/s3/aws4_request, "
                                                    "SignedHeaders=host, Signature=00" % ncp_sim.access_key})
    root = ET.fromstring(answer.content)
    assert answer.status_code == 501 and answer.headers["Content-Type"] == "application/xml"
    assert root.tag == "Error" and root.findtext("Code") == "NotImplemented" and "ListObjectsV2" in root.findtext("Message")
    entry = s3_log(ncp_sim)[-1]
    assert (entry["operation"], entry["status"], entry["outcome"], entry["applied"]) == \
        ("ListObjectsV2", 501, "refused:NotImplemented", False)


@pytest.mark.scenario({"settings": {"objectstorage_list_objects_v2": "allow"}, "buckets": ["bkt"]})
def test_list_objects_v2_can_be_allowed(ncp_sim):
    client = s3_client(ncp_sim)
    assert client.list_objects_v2(Bucket="bkt")["KeyCount"] == 0
    ncp_sim.fill_bucket("bkt", count=12, key_template="k{n:02d}")
    pages = list(client.get_paginator("list_objects_v2").paginate(Bucket="bkt", PaginationConfig={"PageSize": 5}))
    found = [item["Key"] for page in pages for item in page["Contents"]]
    assert sorted(found) == ["k%02d" % n for n in range(12)] and found != sorted(found)    # any order


@pytest.mark.parametrize("call", [
    lambda c: c.list_object_versions(Bucket=BUCKET),
    lambda c: c.get_bucket_versioning(Bucket=BUCKET),
    lambda c: c.put_object_tagging(Bucket=BUCKET, Key="k", Tagging={"TagSet": []}),
    lambda c: c.get_bucket_lifecycle_configuration(Bucket=BUCKET),
])
def test_undocumented_operations_are_not_implemented(ncp_sim, call):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        call(s3_client(ncp_sim))
    assert error_code(excinfo) == "NotImplemented"
    assert s3_log(ncp_sim)[-1]["applied"] is False


def test_fill_and_max_keys_cap(ncp_sim):
    started = time.time()
    answer = ncp_sim.fill_bucket(BUCKET, count=30000, key_template="other/{n:06d}.bin")
    assert answer["written"] == 30000 and answer["seconds"] < 15 and time.time() - started < 30   # seconds, not minutes
    client = s3_client(ncp_sim)
    page = client.list_objects(Bucket=BUCKET, MaxKeys=5000)
    assert page["MaxKeys"] == 1000 and len(page["Contents"]) == 1000 and page["IsTruncated"]
    assert s3_log(ncp_sim)[-1]["query"]["max-keys"] == "1000"
    state = ncp_sim.state()
    assert len(state["buckets"][BUCKET]) == 30000 and state["buckets"][BUCKET][-1]["key"] == "other/029999.bin"
    assert s3_log(ncp_sim, operation="PutObject") == []            # the fill is no S3 request
    ncp_sim.control("POST", "buckets/%s/objects" % BUCKET, {"keys": ["x/1", "x/2"], "body": "hi"})
    assert client.get_object(Bucket=BUCKET, Key="x/2")["Body"].read() == b"hi"
    with pytest.raises(AssertionError, match="404"):
        ncp_sim.control("POST", "buckets/no-such-bucket/objects", {"count": 1})


@pytest.mark.scenario({"settings": {"objectstorage_next_marker": "omit"}, "buckets": [BUCKET]})
def test_list_pages_come_in_any_order_without_next_marker(ncp_sim):
    ncp_sim.control("POST", "buckets/%s/objects" % BUCKET, {"count": 25, "key_template": "k{n:02d}"})
    client = s3_client(ncp_sim)
    page = client.list_objects(Bucket=BUCKET, MaxKeys=10)
    found = [item["Key"] for item in page["Contents"]]
    assert sorted(found) == ["k%02d" % n for n in range(10)] and found != sorted(found)
    assert found[-1] != max(found) and page["IsTruncated"] and "NextMarker" not in page
    assert list_keys(client, BUCKET) == ["k%02d" % n for n in range(25)]       # marker = greatest key


def test_by_default_a_truncated_page_carries_an_opaque_next_marker_and_only_that_is_taken_back(ncp_sim):
    """NCP does not say whether Object Storage sends NextMarker without a delimiter: the simulator sends a token
    that names no key (as moto's S3 server does) and refuses any other marker, the least convenient case."""
    ncp_sim.control("POST", "buckets/%s/objects" % BUCKET, {"count": 25, "key_template": "k{n:02d}"})
    client = s3_client(ncp_sim)
    page = client.list_objects(Bucket=BUCKET, MaxKeys=10)
    found = [item["Key"] for item in page["Contents"]]
    token = page["NextMarker"]
    assert sorted(found) == ["k%02d" % n for n in range(10)] and token not in found and "k" not in token
    second = client.list_objects(Bucket=BUCKET, MaxKeys=10, Marker=token)
    assert sorted(item["Key"] for item in second["Contents"]) == ["k%02d" % n for n in range(10, 20)]
    assert s3_log(ncp_sim)[-1]["query"]["marker"] == token                  # logged as the client sent it
    with pytest.raises(botocore.exceptions.ClientError, match="InvalidArgument"):
        client.list_objects(Bucket=BUCKET, MaxKeys=10, Marker="k09")         # a key, not the token handed out
    last = client.list_objects(Bucket=BUCKET, MaxKeys=10, Marker=second["NextMarker"])
    assert not last["IsTruncated"] and "NextMarker" not in last and len(last["Contents"]) == 5
    assert list_keys(client, BUCKET) == ["k%02d" % n for n in range(25)]


@pytest.mark.scenario({"settings": {"objectstorage_list_order": "sorted"}, "buckets": ["bkt"]})
def test_list_order_can_be_sorted(ncp_sim):
    ncp_sim.control("POST", "buckets/bkt/objects", {"count": 12, "key_template": "k{n:02d}"})
    found = [item["Key"] for item in s3_client(ncp_sim).list_objects(Bucket="bkt")["Contents"]]
    assert found == sorted(found)


def test_checksum_headers_are_refused_on_object_storage(ncp_sim):
    plain = s3_client(ncp_sim, request_checksum_calculation="when_supported")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        plain.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert error_code(excinfo) == "InvalidRequest" and "x-amz-checksum" in str(excinfo.value)
    assert ncp_sim.state()["buckets"][BUCKET] == []


@pytest.mark.scenario({"settings": {"objectstorage_checksum_headers": "accept"}, "buckets": ["bkt"]})
def test_checksum_headers_can_be_accepted(ncp_sim):
    s3_client(ncp_sim, request_checksum_calculation="when_supported").put_object(Bucket="bkt", Key="k", Body=b"x")


def test_delete_objects_needs_content_md5_on_object_storage(ncp_sim):
    ncp_sim.control("POST", "buckets/%s/objects" % BUCKET, {"keys": ["a", "b", "c"]})
    client = s3_client(ncp_sim)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "a"}]})
    assert error_code(excinfo) == "InvalidRequest" and "Content-MD5" in str(excinfo.value)
    md5_for_delete_objects(client).delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
    assert list_keys(client, BUCKET) == ["c"]


def test_unsigned_or_unknown_key_is_refused(ncp_sim):
    answer = requests.get(ncp_sim.s3_url + "/" + BUCKET, timeout=10)
    assert answer.status_code == 403 and ET.fromstring(answer.content).findtext("Code") == "AccessDenied"
    stranger = boto3.client("s3", endpoint_url=ncp_sim.s3_url, region_name="kr-standard", aws_access_key_id="NOBODY",
                            aws_secret_access_key="x")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        stranger.head_bucket(Bucket=BUCKET)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


# --- the faces through the front used as an HTTP proxy -------------------------------------------

@pytest.mark.scenario(TWO_STORES)
def test_ncloud_storage_face_through_the_proxy(ncp_sim):
    client = ncloud_client(ncp_sim)
    client.put_object(Bucket=NCS_BUCKET, Key="dir/file.bin", Body=b"data")
    assert client.head_object(Bucket=NCS_BUCKET, Key="dir/file.bin")["ContentLength"] == 4
    assert client.get_object(Bucket=NCS_BUCKET, Key="dir/file.bin")["Body"].read() == b"data"
    entries = s3_log(ncp_sim)
    assert {(e["face"], e["via"], e["addressing"], e["host"]) for e in entries} == \
        {("ncloudstorage", "proxy", "virtual", NCS_BUCKET + ".kr.ncloudstorage.com")}
    assert [(e["operation"], e["bucket"], e["key"]) for e in entries] == \
        [("PutObject", NCS_BUCKET, "dir/file.bin"), ("HeadObject", NCS_BUCKET, "dir/file.bin"),
         ("GetObject", NCS_BUCKET, "dir/file.bin")]
    assert [o["key"] for o in ncp_sim.state()["ncloudstorage_buckets"][NCS_BUCKET]] == ["dir/file.bin"]


@pytest.mark.scenario(TWO_STORES)
def test_the_two_stores_keep_their_own_buckets(ncp_sim):
    ncp_sim.fill_bucket(NCS_BUCKET, keys=["n"], face="ncloudstorage")
    ncp_sim.fill_bucket(BUCKET, keys=["o"])
    ncloud, objects = ncloud_client(ncp_sim), s3_client(ncp_sim)
    assert [b["Name"] for b in ncloud.list_buckets()["Buckets"]] == [NCS_BUCKET]
    assert sorted(b["Name"] for b in objects.list_buckets()["Buckets"]) == ["cache-backups", "pg-backups"]
    for client, bucket, key in ((ncloud, BUCKET, "o"), (objects, NCS_BUCKET, "n")):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            client.get_object(Bucket=bucket, Key=key)
        assert error_code(excinfo) == "NoSuchBucket"
    assert ncloud.get_object(Bucket=NCS_BUCKET, Key="n")["Body"].read() == b""


@pytest.mark.scenario({"settings": {"storage_namespaces": "shared"}, "buckets": ["bkt"]})
def test_the_two_stores_can_share_buckets(ncp_sim):
    s3_client(ncp_sim).put_object(Bucket="bkt", Key="k", Body=b"x")
    assert ncloud_client(ncp_sim).get_object(Bucket="bkt", Key="k")["Body"].read() == b"x"


@pytest.mark.scenario(TWO_STORES)
def test_ncloud_storage_lists_only_with_documented_parameters(ncp_sim):
    client = ncloud_client(ncp_sim)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.list_objects_v2(Bucket=NCS_BUCKET)            # boto3 adds encoding-type=url by itself
    assert error_code(excinfo) == "InvalidArgument" and "encoding-type" in str(excinfo.value)
    client.meta.events.unregister("before-parameter-build.s3.ListObjectsV2",
                                  botocore.handlers.set_list_objects_encoding_type_url)
    assert client.list_objects_v2(Bucket=NCS_BUCKET, MaxKeys=5000)["MaxKeys"] == 1000
    with pytest.raises(botocore.exceptions.ClientError):
        client.list_objects_v2(Bucket=NCS_BUCKET, Delimiter="/")     # no delimiter on Ncloud Storage


@pytest.mark.scenario({"settings": {"s3_list_parameters": "ignore"}, "ncloudstorage_buckets": ["bkt"]})
def test_list_parameters_can_be_ignored(ncp_sim):
    assert ncloud_client(ncp_sim).list_objects_v2(Bucket="bkt")["KeyCount"] == 0


@pytest.mark.scenario(TWO_STORES)
def test_ncloud_storage_refuses_path_style_and_needs_two_keys_to_delete(ncp_sim):
    path_style = s3_client(ncp_sim, endpoint_url=NCLOUD, region_name="kr", proxies={"http": ncp_sim.s3_url},
                           s3={"addressing_style": "path"})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        path_style.head_object(Bucket=NCS_BUCKET, Key="k")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [b["Name"] for b in path_style.list_buckets()["Buckets"]] == [NCS_BUCKET]    # no bucket: fine
    client = ncloud_client(ncp_sim)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.delete_objects(Bucket=NCS_BUCKET, Delete={"Objects": [{"Key": "a"}]})
    assert error_code(excinfo) == "MalformedXML"
    client.delete_objects(Bucket=NCS_BUCKET, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})   # CRC32 is fine here


@pytest.mark.scenario({"settings": {"ncloudstorage_path_style": "allow"}, "ncloudstorage_buckets": ["bkt"]})
def test_ncloud_storage_path_style_can_be_allowed(ncp_sim):
    client = s3_client(ncp_sim, endpoint_url=NCLOUD, region_name="kr", proxies={"http": ncp_sim.s3_url},
                       s3={"addressing_style": "path"})
    client.put_object(Bucket="bkt", Key="k", Body=b"x")
    assert s3_log(ncp_sim)[-1]["addressing"] == "path"


@pytest.mark.parametrize("addressing", ["path", "virtual"])
def test_object_storage_host_through_the_proxy(ncp_sim, addressing):
    client = s3_client(ncp_sim, endpoint_url="http://kr.object.ncloudstorage.com", proxies={"http": ncp_sim.s3_url},
                       s3={"addressing_style": addressing})
    client.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert list_keys(client, BUCKET) == ["k"]
    entry = s3_log(ncp_sim)[-1]
    assert (entry["face"], entry["via"], entry["addressing"]) == ("objectstorage", "proxy", addressing)


def test_other_hosts_are_never_forwarded(ncp_sim):
    proxies = {"http": ncp_sim.s3_url, "https": ncp_sim.s3_url}
    answer = requests.get("http://example.com/", proxies=proxies, timeout=10)
    assert answer.status_code == 502 and "forwards nowhere else" in answer.text
    with pytest.raises(requests.exceptions.ProxyError):
        requests.get("https://kr.object.ncloudstorage.com/", proxies=proxies, timeout=10)
    assert [e["status"] for e in s3_log(ncp_sim)] == [502, 502]


@pytest.mark.scenario(dict(TWO_STORES, instances=[{"service": "vcache", "instance_no": "1"}]))
def test_http_proxy_environment_reaches_ncloud_storage_and_not_the_api(api, ncp_sim, monkeypatch):
    for name, value in ncp_sim.proxy_env().items():
        monkeypatch.setenv(name, value)
    client = s3_client(ncp_sim, endpoint_url=NCLOUD, region_name="kr", s3={"addressing_style": "virtual"})
    client.put_object(Bucket=NCS_BUCKET, Key="via-env", Body=b"x")
    assert api.json("vcache", "getCloudCacheInstanceList")[0] == 200          # NO_PROXY: straight to the API
    assert [(e["face"], e["via"], e["key"]) for e in ncp_sim.s3_requests()] == [("ncloudstorage", "proxy", "via-env")]
    assert [e["action"] for e in ncp_sim.requests()] == ["getCloudCacheInstanceList"]


# --- faults on S3 operations ---------------------------------------------------------------------

def test_s3_http_error_fault_is_an_s3_error(ncp_sim):
    client = s3_client(ncp_sim)
    client.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    ncp_sim.inject("s3:DeleteObject", "http_error", status=503)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.delete_object(Bucket=BUCKET, Key="k")
    assert error_code(excinfo) == "SlowDown"
    assert list_keys(client, BUCKET) == ["k"]
    ncp_sim.inject("s3:ListObjects", "http_error", status=500)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.list_objects(Bucket=BUCKET)
    assert error_code(excinfo) == "InternalError"
    assert [e["outcome"] for e in s3_log(ncp_sim)] == ["ok", "fault:http_error", "ok", "fault:http_error"]


def test_api_wildcard_faults_leave_s3_alone(ncp_sim):
    ncp_sim.inject("*", "http_error", status=503, count=5)
    s3_client(ncp_sim).put_object(Bucket=BUCKET, Key="k", Body=b"x")
    ncp_sim.clear_faults()
    ncp_sim.inject("s3:*", "http_error", status=500)
    with pytest.raises(botocore.exceptions.ClientError):
        s3_client(ncp_sim).head_bucket(Bucket=BUCKET)


@pytest.mark.parametrize("apply", [True, False])
def test_s3_drop(ncp_sim, apply):
    ncp_sim.inject("s3:PutObject", "drop", apply=apply)
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        s3_client(ncp_sim).put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert [o["key"] for o in ncp_sim.state()["buckets"][BUCKET]] == (["k"] if apply else [])
    assert s3_log(ncp_sim)[-1]["applied"] is apply


def test_s3_slow_applied_after_the_client_gave_up(ncp_sim):
    ncp_sim.inject("s3:PutObject", "slow", delay=0.8, apply=False)
    client = s3_client(ncp_sim, read_timeout=0.3, connect_timeout=2)
    with pytest.raises(botocore.exceptions.ReadTimeoutError):
        client.put_object(Bucket=BUCKET, Key="late", Body=b"x")
    assert ncp_sim.state()["buckets"][BUCKET] == []
    assert wait_until(lambda: ncp_sim.state()["buckets"][BUCKET], timeout=3)


def test_s3_fault_matching_a_key_and_skipping(ncp_sim):
    client = s3_client(ncp_sim)
    for key in ("a", "b"):
        client.put_object(Bucket=BUCKET, Key=key, Body=b"x")
    ncp_sim.inject("s3:HeadObject", "http_error", status=500, match={"key": "b"}, skip=1)
    client.head_object(Bucket=BUCKET, Key="a")
    client.head_object(Bucket=BUCKET, Key="b")               # skipped: the first matching request
    with pytest.raises(botocore.exceptions.ClientError):
        client.head_object(Bucket=BUCKET, Key="b")
    client.head_object(Bucket=BUCKET, Key="b")
    assert [e["outcome"] for e in s3_log(ncp_sim, operation="HeadObject")] == ["ok", "ok", "fault:http_error", "ok"]


def test_throttle_is_no_s3_fault(ncp_sim):
    with pytest.raises(AssertionError, match="400"):
        ncp_sim.inject("s3:GetObject", "throttle")


# --- Signature Version 4 --------------------------------------------------------------------------

def test_signatures_are_verified(ncp_sim):
    client = s3_client(ncp_sim)
    for key in ("plain", "with space/and+plus=eq", "한글/파일.bin", "a~b_c-d.e!f*g'h(i)"):
        client.put_object(Bucket=BUCKET, Key=key, Body=b"x")
        assert client.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"x"
    assert len(list_keys(client, BUCKET, prefix="with space/")) == 1
    forger = boto3.client("s3", endpoint_url=ncp_sim.s3_url, region_name="kr-standard",
                          aws_access_key_id=ncp_sim.access_key, aws_secret_access_key="not-the-secret")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        forger.head_bucket(Bucket=BUCKET)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.parametrize("endpoint, region, proxied", [
    (None, "us-east-1", False),                            # the front stands for kr.object.ncloudstorage.com
    (None, "KR", False),                                   # NCP's region code is not the region name
    ("http://kr.object.ncloudstorage.com", "kr", True),
    ("http://jp.object.ncpstorage.com", "kr-standard", True),
    (NCLOUD, "kr-standard", True),
])
def test_the_region_name_must_be_the_hosts(ncp_sim, endpoint, region, proxied):
    options = {"proxies": {"http": ncp_sim.s3_url}} if proxied else {}
    client = s3_client(ncp_sim, endpoint_url=endpoint, region_name=region, **options)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.list_buckets()
    assert error_code(excinfo) == "AuthorizationHeaderMalformed"


def test_jp_object_storage_takes_jp_standard(ncp_sim):
    client = s3_client(ncp_sim, endpoint_url="http://jp.object.ncpstorage.com", region_name="jp-standard",
                       proxies={"http": ncp_sim.s3_url})
    assert "Buckets" in client.list_buckets()


def test_clock_skew_and_payload_hash(ncp_sim):
    ncp_sim.set_clock_offset(3600)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3_client(ncp_sim).head_bucket(Bucket=BUCKET)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    ncp_sim.set_clock_offset(0)
    client = s3_client(ncp_sim)

    def tamper(request, **_kwargs):
        request.body = b"y"                               # after signing: the hash no longer matches
    client.meta.events.register("before-send.s3.PutObject", tamper)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.put_object(Bucket=BUCKET, Key="k", Body=b"x")
    assert error_code(excinfo) == "XAmzContentSHA256Mismatch"


def test_signature_version_2_is_refused(ncp_sim):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3_client(ncp_sim, signature_version="s3").list_buckets()
    assert error_code(excinfo) == "InvalidRequest"


@pytest.mark.scenario({"settings": {"s3_signatures": "ignore"}, "buckets": ["bkt"]})
def test_signatures_can_be_ignored(ncp_sim):
    assert "Buckets" in s3_client(ncp_sim, region_name="us-east-1").list_buckets()


def test_copy_object_as_ncp_documents_it(ncp_sim):
    """PUT with x-amz-copy-source: /bucket/key (page storage-objectstorage-copyobject): the copy answers
    the ETag of the bytes it holds; the other forms and the undocumented headers are refused."""
    client = s3_client(ncp_sim)
    put = client.put_object(Bucket=BUCKET, Key="20261207", Body=b"one export")
    copied = client.copy_object(Bucket=BUCKET, Key="cache/11/20261207", CopySource="/%s/20261207" % BUCKET)
    assert copied["CopyObjectResult"]["ETag"] == put["ETag"]
    assert client.get_object(Bucket=BUCKET, Key="cache/11/20261207")["Body"].read() == b"one export"
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.copy_object(Bucket=BUCKET, Key="x", CopySource="%s/20261207" % BUCKET)
    assert error_code(excinfo) == "InvalidArgument" and "/bucket/key" in str(excinfo.value)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.copy_object(Bucket=BUCKET, Key="x", CopySource="/no-such-bucket/20261207")
    assert error_code(excinfo) == "NoSuchBucket"

    def add_range(request, **_kwargs):
        request.headers["x-amz-copy-source-range"] = "bytes=0-3"
    ranged = s3_client(ncp_sim)
    ranged.meta.events.register("before-sign.s3.CopyObject", add_range)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        ranged.copy_object(Bucket=BUCKET, Key="x", CopySource="/%s/20261207" % BUCKET)
    assert error_code(excinfo) == "InvalidRequest" and "x-amz-copy-source-range" in str(excinfo.value)
    assert list_keys(client, BUCKET) == ["20261207", "cache/11/20261207"]


def test_upload_part_copy_is_refused_as_undocumented(ncp_sim):
    client = s3_client(ncp_sim)
    client.put_object(Bucket=BUCKET, Key="big", Body=b"x" * 10)
    upload = client.create_multipart_upload(Bucket=BUCKET, Key="big-copy")["UploadId"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.upload_part_copy(Bucket=BUCKET, Key="big-copy", UploadId=upload, PartNumber=1,
                                CopySource="/%s/big" % BUCKET)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_delete_objects_refuses_a_content_md5_that_does_not_match(ncp_sim):
    ncp_sim.control("POST", "buckets/%s/objects" % BUCKET, {"keys": ["a", "b"]})
    client = s3_client(ncp_sim)

    def wrong_md5(request, **_kwargs):
        for name in [n for n in request.headers if n.lower().startswith("x-amz-checksum-") or
                     n.lower() == "x-amz-sdk-checksum-algorithm"]:
            del request.headers[name]
        request.headers["Content-MD5"] = base64.b64encode(hashlib.md5(b"other").digest()).decode("ascii")  # noqa: S324
    client.meta.events.register("before-sign.s3.DeleteObjects", wrong_md5)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "a"}, {"Key": "b"}]})
    assert error_code(excinfo) == "InvalidDigest"
    assert list_keys(client, BUCKET) == ["a", "b"]
