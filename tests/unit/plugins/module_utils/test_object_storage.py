# -*- coding: utf-8 -*-
"""Which Object Storage endpoint goes with a gateway, and how a bucket is listed (ListObjects V1 only)."""

from __future__ import annotations

import random

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import ObjectStorage, endpoint_for

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

    def list_objects(self, bucket, prefix="", marker=None, max_keys=1000):
        self.calls.append(dict(bucket=bucket, prefix=prefix, marker=marker, max_keys=max_keys))
        assert max_keys <= 1000
        after = [k for k in self.keys if k.startswith(prefix) and (marker is None or k > marker or self.stuck)]
        page = after[:max_keys]
        truncated = len(after) > max_keys
        shuffled = list(page)
        random.Random(len(self.calls)).shuffle(shuffled)
        items = [{"key": k, "size": 1, "etag": "e", "last_modified": "2026-11-26T00:00:00+00:00"} for k in shuffled]
        return items, truncated, (page[-1] if truncated and self.next_marker else None)


def store_with(s3):
    store = ObjectStorage.__new__(ObjectStorage)
    store._s3 = s3  # pylint: disable=protected-access
    store.endpoint = "http://test"
    return store


@pytest.mark.parametrize("next_marker", [False, True], ids=["greatest-key-as-marker", "next-marker"])
def test_a_bucket_of_2500_objects_is_listed_whole_in_three_v1_pages(next_marker):
    keys = ["obj/%05d" % n for n in range(2500)]
    s3 = ListingS3(keys, next_marker=next_marker)
    listed = [item["key"] for item in store_with(s3).list("bucket", "obj/")]
    assert sorted(listed) == keys and len(listed) == 2500
    assert len(s3.calls) == 3 and all(call["max_keys"] == 1000 for call in s3.calls)


def test_a_listing_that_does_not_move_on_is_an_error_not_an_endless_loop():
    s3 = ListingS3(["k%04d" % n for n in range(1500)], stuck=True)
    with pytest.raises(NcpError, match="without moving on from marker"):
        list(store_with(s3).list("bucket"))
