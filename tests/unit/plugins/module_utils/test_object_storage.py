# -*- coding: utf-8 -*-
"""Which Object Storage endpoint goes with a gateway, and how a bucket is listed (ListObjects V1 only)."""

from __future__ import annotations

import random

import pytest
import requests

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
    """Answers list_objects like NCP says it does: at most 1,000 keys, in arbitrary order, marker in UTF-8 order.

    next_marker: False (no NextMarker, as S3 without a delimiter), True (the page's last key in key order),
    or "opaque" (a token naming no key, which sorts before every earlier token, as moto's S3 server may send:
    only a token handed out is taken as a marker). stuck: every page starts from the beginning again.
    """

    def __init__(self, keys, next_marker=False, stuck=False):
        self.keys = sorted(keys)
        self.next_marker = next_marker
        self.stuck = stuck
        self.calls = []
        self.tokens = {}

    def list_objects(self, bucket, prefix="", marker=None, max_keys=1000):
        self.calls.append(dict(bucket=bucket, prefix=prefix, marker=marker, max_keys=max_keys))
        assert max_keys <= 1000
        if self.next_marker == "opaque" and marker is not None:
            marker = self.tokens[marker]          # KeyError: a marker that is not a token handed out
        after = [k for k in self.keys if k.startswith(prefix) and (marker is None or k > marker or self.stuck)]
        page = after[:max_keys]
        truncated = len(after) > max_keys
        shuffled = list(page)
        random.Random(len(self.calls)).shuffle(shuffled)
        items = [{"key": k, "size": 1, "etag": "e", "last_modified": "2026-11-26T00:00:00+00:00"} for k in shuffled]
        following = None
        if truncated and self.next_marker == "opaque":
            following = "%08x" % (0xFFFFFFFF - len(self.calls))     # each token sorts before the one before it
            self.tokens[following] = page[-1]
        elif truncated and self.next_marker:
            following = page[-1]
        return items, truncated, following


def store_with(s3):
    store = ObjectStorage.__new__(ObjectStorage)
    store._s3 = s3  # pylint: disable=protected-access
    store.endpoint = "http://test"
    return store


@pytest.mark.parametrize("next_marker", [False, True, "opaque"], ids=["greatest-key-as-marker", "next-marker",
                                                                      "opaque-next-marker"])
def test_a_bucket_of_2500_objects_is_listed_whole_in_three_v1_pages(next_marker):
    keys = ["obj/%05d" % n for n in range(2500)]
    s3 = ListingS3(keys, next_marker=next_marker)
    listed = [item["key"] for item in store_with(s3).list("bucket", "obj/")]
    assert sorted(listed) == keys and len(listed) == 2500
    assert len(s3.calls) == 3 and all(call["max_keys"] == 1000 for call in s3.calls)


def test_an_opaque_next_marker_is_sent_back_as_it_came():
    s3 = ListingS3(["k%04d" % n for n in range(2500)], next_marker="opaque")
    list(store_with(s3).list("bucket"))
    assert [call["marker"] for call in s3.calls] == [None, "fffffffe", "fffffffd"]


def test_without_next_marker_the_next_page_starts_at_the_greatest_key_not_the_last():
    s3 = ListingS3(["k%04d" % n for n in range(1500)])
    list(store_with(s3).list("bucket"))
    assert [call["marker"] for call in s3.calls] == [None, "k0999"]


def test_a_listing_that_does_not_move_on_is_an_error_not_an_endless_loop():
    s3 = ListingS3(["k%04d" % n for n in range(1500)], stuck=True)
    listed = []
    with pytest.raises(NcpError, match="without moving on: the page after key 'k0999' brought no later key"):
        listed.extend(item["key"] for item in store_with(s3).list("bucket"))
    assert sorted(listed) == ["k%04d" % n for n in range(1000)]        # the repeated page is not handed on
    assert len(s3.calls) == 2


def test_a_truncated_page_without_keys_is_an_error_not_the_end():
    class Empty:
        def list_objects(self, bucket, prefix="", marker=None, max_keys=1000):
            return [], True, "token"

    with pytest.raises(NcpError, match="as truncated but gave no key"):
        list(store_with(Empty()).list("bucket"))


class PagedSession(requests.Session):
    """Two ListObjects pages: the first truncated with a NextMarker token, the second the last."""

    PAGE = ('<?xml version="1.0"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            "<IsTruncated>%s</IsTruncated>%s<Contents><Key>%s</Key><LastModified>2026-11-26T07:52:21.000Z"
            "</LastModified><ETag>&quot;e&quot;</ETag><Size>1</Size></Contents></ListBucketResult>")

    def __init__(self):
        super().__init__()
        self.urls = []

    def request(self, method, url, **kwargs):  # pylint: disable=arguments-differ
        self.urls.append(url)
        answer = requests.Response()
        answer.status_code = 200
        first = len(self.urls) == 1
        answer._content = (self.PAGE % ("true" if first else "false", "<NextMarker>7d81bb93+/=</NextMarker>" if first
                                        else "", "a/1" if first else "a/2")).encode()  # pylint: disable=protected-access
        return answer


def test_list_objects_paging_sends_marker_after_the_first_page():
    session = PagedSession()
    store = ObjectStorage(Endpoint("https://kr.object.ncloudstorage.com", "kr-standard"), "AK", "SK", session=session)
    assert [item["key"] for item in store.list("bkt", "a/")] == ["a/1", "a/2"]
    assert session.urls == ["https://kr.object.ncloudstorage.com/bkt?max-keys=1000&prefix=a%2F",
                            "https://kr.object.ncloudstorage.com/bkt?marker=7d81bb93%2B%2F%3D&max-keys=1000&prefix=a%2F"]
