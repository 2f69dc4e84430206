# -*- coding: utf-8 -*-
"""Which S3 operation a request is (in-process, no server)."""

import pytest

from ncpsim.s3ops import operation
from ncpsim.s3front import face_of_host


@pytest.mark.parametrize("method, bucket, key, query, headers, expected", [
    ("GET", "", "", {}, {}, "ListBuckets"),
    ("GET", "b", "", {}, {}, "ListObjects"),
    ("GET", "b", "", {"list-type": "2"}, {}, "ListObjectsV2"),
    ("GET", "b", "", {"versions": ""}, {}, "ListObjectVersions"),
    ("GET", "b", "", {"uploads": ""}, {}, "ListMultipartUploads"),
    ("HEAD", "b", "", {}, {}, "HeadBucket"),
    ("PUT", "b", "", {}, {}, "CreateBucket"),
    ("PUT", "b", "", {"lifecycle": ""}, {}, "PutBucketLifecycleConfiguration"),
    ("POST", "b", "", {"delete": ""}, {}, "DeleteObjects"),
    ("GET", "b", "k/1", {}, {}, "GetObject"),
    ("HEAD", "b", "k/1", {}, {}, "HeadObject"),
    ("PUT", "b", "k/1", {}, {}, "PutObject"),
    ("PUT", "b", "k/1", {}, {"X-Amz-Copy-Source": "/b/k"}, "CopyObject"),
    ("DELETE", "b", "k/1", {}, {}, "DeleteObject"),
    ("GET", "b", "k", {"acl": ""}, {}, "GetObjectAcl"),
    ("POST", "b", "k", {"uploads": ""}, {}, "CreateMultipartUpload"),
    ("PUT", "b", "k", {"uploadId": "1", "partNumber": "1"}, {}, "UploadPart"),
    ("POST", "b", "k", {"uploadId": "1"}, {}, "CompleteMultipartUpload"),
    ("DELETE", "b", "k", {"uploadId": "1"}, {}, "AbortMultipartUpload"),
    ("GET", "b", "k", {"uploadId": "1"}, {}, "ListParts"),
    ("PATCH", "b", "k", {}, {}, "Unknown:PATCH"),
    ("DELETE", "", "", {}, {}, "Unknown:DELETE"),
])
def test_operation(method, bucket, key, query, headers, expected):
    assert operation(method, bucket, key, query, headers) == expected


@pytest.mark.parametrize("host, expected", [
    ("kr.object.ncloudstorage.com", ("objectstorage", None)),
    ("jp.object.ncpstorage.com", ("objectstorage", None)),
    ("my-bucket.kr.object.ncloudstorage.com", ("objectstorage", "my-bucket")),
    ("kr.object.gov-ncloudstorage.com", ("objectstorage", None)),
    ("kr.ncloudstorage.com", ("ncloudstorage", None)),
    ("my-bucket.kr.ncloudstorage.com", ("ncloudstorage", "my-bucket")),
    ("my-bucket.us.ncloudstorage.com", (None, None)),
    ("ncloudstorage.com", (None, None)),
    ("s3.amazonaws.com", (None, None)),
])
def test_face_of_host(host, expected):
    assert face_of_host(host) == expected
