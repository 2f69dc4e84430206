# -*- coding: utf-8 -*-
"""Which Object Storage endpoint goes with a gateway, and how a bucket is listed (ListObjects V1 only)."""

from __future__ import annotations

import datetime
import random
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils import object_storage
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import Endpoint, ObjectStorage, endpoint_for

PUBLIC = "https://ncloud.apigw.ntruss.com"


def test_endpoints_per_region_and_cloud():
    def as_tuple(endpoint):
        return (endpoint.url, endpoint.region_name, endpoint.addressing)

    assert as_tuple(endpoint_for("KR", PUBLIC)) == ("https://kr.object.ncloudstorage.com", "kr-standard", "path")
    assert as_tuple(endpoint_for("JPN", PUBLIC)) == ("https://jp.object.ncpstorage.com", "jp-standard", "path")
    assert as_tuple(endpoint_for("KR", "https://ncloud.apigw.gov-ntruss.com")) == (
        "https://kr.object.gov-ncloudstorage.com", "gov-standard", "path")
    assert as_tuple(endpoint_for("FKR", "https://fin-ncloud.apigw.fin-ntruss.com")) == (
        "https://kr.object.fin-ncloudstorage.com", "fin-standard", "path")
    assert as_tuple(endpoint_for("KR", PUBLIC, "http://127.0.0.1:9000/")) == (
        "http://127.0.0.1:9000", "kr-standard", "path")
    assert endpoint_for("KR", PUBLIC, "https://us.object.ncloudstorage.com").region_name == "us-standard"
    assert endpoint_for("KR", PUBLIC, "https://krs.object.gov-ncloudstorage.com").region_name == "gov2-standard"
    with pytest.raises(ValueError, match="object_storage_url"):
        endpoint_for("XX", PUBLIC)


def test_ncloud_storage_is_addressed_virtual_hosted_with_its_region_code():
    for url in ("https://kr.ncloudstorage.com", "http://kr.ncloudstorage.com", "https://kr.gov-ncloudstorage.com"):
        endpoint = endpoint_for("KR", PUBLIC, url)
        assert (endpoint.region_name, endpoint.addressing) == ("kr", "virtual"), url
    assert endpoint_for("KR", PUBLIC, "https://kr.object.ncloudstorage.com").addressing == "path"


class ListingS3:
    """Answers list_objects like NCP says it does: at most 1,000 keys, in arbitrary order, marker in UTF-8 order."""

    def __init__(self, keys, next_marker=False, stuck=False):
        self.keys = sorted(keys)
        self.next_marker = next_marker
        self.stuck = stuck
        self.calls = []

    def list_objects(self, Bucket, Prefix="", MaxKeys=1000, Marker=None):  # noqa: N803  boto3's names
        self.calls.append(dict(Bucket=Bucket, Prefix=Prefix, MaxKeys=MaxKeys, Marker=Marker))
        assert MaxKeys <= 1000
        after = [k for k in self.keys if k.startswith(Prefix) and (Marker is None or k > Marker or self.stuck)]
        page = after[:MaxKeys]
        truncated = len(after) > MaxKeys
        shuffled = list(page)
        random.Random(len(self.calls)).shuffle(shuffled)
        answer = {"IsTruncated": truncated, "Contents": [
            {"Key": k, "Size": 1, "ETag": '"e"', "LastModified": datetime.datetime(2026, 11, 26)} for k in shuffled]}
        if truncated and self.next_marker:
            answer["NextMarker"] = page[-1]
        return answer

    def __getattr__(self, name):
        raise AssertionError("only ListObjects V1 may be called, not %s" % name)


def store_with(s3):
    store = ObjectStorage.__new__(ObjectStorage)
    store._s3 = s3  # pylint: disable=protected-access
    store.calls = 0
    store.endpoint = "http://test"
    return store


@pytest.mark.parametrize("next_marker", [False, True], ids=["greatest-key-as-marker", "next-marker"])
def test_a_bucket_of_2500_objects_is_listed_whole_in_three_v1_pages(next_marker):
    keys = ["obj/%05d" % n for n in range(2500)]
    s3 = ListingS3(keys, next_marker=next_marker)
    listed = [item["key"] for item in store_with(s3).list("bucket", "obj/")]
    assert sorted(listed) == keys and len(listed) == 2500
    assert len(s3.calls) == 3 and all(call["MaxKeys"] == 1000 for call in s3.calls)


def test_a_listing_that_does_not_move_on_is_an_error_not_an_endless_loop():
    s3 = ListingS3(["k%04d" % n for n in range(1500)], stuck=True)
    with pytest.raises(NcpError, match="without moving on from marker"):
        list(store_with(s3).list("bucket"))


def test_flexible_checksums_are_turned_off_when_botocore_has_them(monkeypatch):
    seen = {}

    class Config:
        def __init__(self, **kwargs):
            seen.update(kwargs)

    class Client:
        class meta:  # noqa: N801  boto3's name
            class events:  # noqa: N801
                unregister = staticmethod(lambda *args: None)

    monkeypatch.setattr(object_storage, "BotoConfig", Config)
    monkeypatch.setattr(object_storage, "boto3", type("B", (), {"client": staticmethod(lambda *a, **k: Client())}))
    ObjectStorage(Endpoint("https://kr.ncloudstorage.com", "kr", "virtual"), "AK", "SK")
    assert seen["request_checksum_calculation"] == "when_required"
    assert seen["s3"] == {"addressing_style": "virtual"}


@pytest.mark.parametrize("url, documented", [
    ("http://kr.ncloudstorage.com", {"marker", "max-keys", "prefix"}),
    ("https://kr.object.ncloudstorage.com", {"prefix", "delimiter", "encoding-type", "max-keys", "marker"}),
], ids=["ncloud-storage", "object-storage"])
def test_a_listing_carries_only_parameters_the_store_documents(url, documented):
    """Ncloud Storage's ListObjects page documents marker, max-keys and prefix; boto3 adds
    encoding-type=url to every listing unless told not to (the simulator refuses it there)."""
    pytest.importorskip("boto3")
    store = ObjectStorage(endpoint_for("KR", PUBLIC, url), "AK", "SK")
    sent = []

    class Sent(Exception):
        pass

    def capture(request, **_kwargs):
        sent.append(request.url)
        raise Sent()

    store._s3.meta.events.register("before-send.s3.ListObjects", capture)  # pylint: disable=protected-access
    with pytest.raises(Sent):
        list(store.list("bucket", "pg/"))
    query = parse_qs(urlsplit(sent[0]).query, keep_blank_values=True)
    assert set(query) <= documented and query["prefix"] == ["pg/"], sent[0]
