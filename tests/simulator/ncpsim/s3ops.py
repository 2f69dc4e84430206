# -*- coding: utf-8 -*-
"""Which S3 operation a request is: its method, bucket, key and query, as the S3 REST API defines them.

A sub-resource in the query (?acl, ?cors, ?uploads, ...) names the operation; anything this module
does not know comes back as "Unknown:<METHOD>[?subresource]" and is refused like every operation
not on a face's list.
"""

# Sub-resources that turn a bucket request into another operation: (method, name) -> operation.
_BUCKET_SUBRESOURCES = {
    ("GET", "acl"): "GetBucketAcl", ("PUT", "acl"): "PutBucketAcl",
    ("GET", "cors"): "GetBucketCors", ("PUT", "cors"): "PutBucketCors", ("DELETE", "cors"): "DeleteBucketCors",
    ("GET", "uploads"): "ListMultipartUploads",
    ("GET", "versions"): "ListObjectVersions",
    ("GET", "lifecycle"): "GetBucketLifecycleConfiguration",
    ("PUT", "lifecycle"): "PutBucketLifecycleConfiguration",
    ("DELETE", "lifecycle"): "DeleteBucketLifecycle",
    ("GET", "location"): "GetBucketLocation",
    ("GET", "versioning"): "GetBucketVersioning", ("PUT", "versioning"): "PutBucketVersioning",
    ("GET", "policy"): "GetBucketPolicy", ("PUT", "policy"): "PutBucketPolicy", ("DELETE", "policy"): "DeleteBucketPolicy",
    ("GET", "tagging"): "GetBucketTagging", ("PUT", "tagging"): "PutBucketTagging",
    ("DELETE", "tagging"): "DeleteBucketTagging",
    ("GET", "website"): "GetBucketWebsite", ("PUT", "website"): "PutBucketWebsite",
    ("DELETE", "website"): "DeleteBucketWebsite",
    ("GET", "logging"): "GetBucketLogging", ("PUT", "logging"): "PutBucketLogging",
    ("GET", "encryption"): "GetBucketEncryption", ("PUT", "encryption"): "PutBucketEncryption",
    ("GET", "notification"): "GetBucketNotificationConfiguration",
    ("PUT", "notification"): "PutBucketNotificationConfiguration",
    ("GET", "object-lock"): "GetObjectLockConfiguration", ("PUT", "object-lock"): "PutObjectLockConfiguration",
    ("GET", "replication"): "GetBucketReplication", ("PUT", "replication"): "PutBucketReplication",
    ("GET", "requestPayment"): "GetBucketRequestPayment", ("GET", "accelerate"): "GetBucketAccelerateConfiguration",
    ("GET", "ownershipControls"): "GetBucketOwnershipControls", ("GET", "publicAccessBlock"): "GetPublicAccessBlock",
    ("POST", "delete"): "DeleteObjects",
}
_OBJECT_SUBRESOURCES = {
    ("GET", "acl"): "GetObjectAcl", ("PUT", "acl"): "PutObjectAcl",
    ("GET", "tagging"): "GetObjectTagging", ("PUT", "tagging"): "PutObjectTagging",
    ("DELETE", "tagging"): "DeleteObjectTagging",
    ("GET", "retention"): "GetObjectRetention", ("PUT", "retention"): "PutObjectRetention",
    ("GET", "legal-hold"): "GetObjectLegalHold", ("PUT", "legal-hold"): "PutObjectLegalHold",
    ("GET", "attributes"): "GetObjectAttributes", ("POST", "restore"): "RestoreObject",
    ("POST", "select"): "SelectObjectContent", ("GET", "torrent"): "GetObjectTorrent",
    ("POST", "uploads"): "CreateMultipartUpload",
}


def operation(method, bucket, key, query, headers=None):
    """The S3 operation name of one request; query is a dict of the query parameters."""
    method = method.upper()
    headers = headers or {}
    names = set(query)
    if not bucket:
        return "ListBuckets" if method == "GET" else _unknown(method, names)
    if not key:
        for name in sorted(names):
            found = _BUCKET_SUBRESOURCES.get((method, name))
            if found:
                return found
        if method == "GET":
            return "ListObjectsV2" if query.get("list-type") == "2" else "ListObjects"
        plain = {"HEAD": "HeadBucket", "PUT": "CreateBucket", "DELETE": "DeleteBucket", "OPTIONS": "OptionsBucket"}
        return plain.get(method) or _unknown(method, names)
    for name in sorted(names):
        found = _OBJECT_SUBRESOURCES.get((method, name))
        if found:
            return found
    if "uploadId" in names:
        multipart = {"PUT": "UploadPartCopy" if _copy(headers) else "UploadPart", "POST": "CompleteMultipartUpload",
                     "DELETE": "AbortMultipartUpload", "GET": "ListParts"}
        if method in multipart:
            return multipart[method]
    plain = {"GET": "GetObject", "HEAD": "HeadObject", "DELETE": "DeleteObject", "OPTIONS": "OptionsObject",
             "PUT": "CopyObject" if _copy(headers) else "PutObject"}
    return plain.get(method) or _unknown(method, names)


def _copy(headers):
    return any(name.lower() == "x-amz-copy-source" for name in headers)


def _unknown(method, names):
    return "Unknown:%s%s" % (method, "?" + ",".join(sorted(names)) if names else "")
