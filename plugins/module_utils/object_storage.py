# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NCP Object Storage (and Ncloud Storage) through their S3-compatible APIs: the few calls the
export modules make, each one NCP documents (docs/api-facts.md, "Object Storage"):

* ListObjects (version 1) with ``marker`` paging, at most 1,000 keys a call. NCP's Object Storage
  overview says List Objects version 2 is not supported, so it is never called; and NCP says a
  listing comes back "in arbitrary order", so the next marker is the page's NextMarker, else its
  greatest key (UTF-8 binary order, as the marker parameter is defined), never simply its last.
* HeadObject, GetObject, PutObject, DeleteObject. Never DeleteObjects (NCP requires a Content-MD5
  header there that current boto3 no longer sends by default); never the flexible checksum headers
  newer boto3 adds, which NCP does not document.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

try:
    import boto3
    from botocore.config import Config as BotoConfig
    from botocore.handlers import set_list_objects_encoding_type_url
    HAS_BOTO3 = True
except ImportError:
    boto3 = None
    BotoConfig = None
    set_list_objects_encoding_type_url = None
    HAS_BOTO3 = False

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpError

# Public endpoints and SigV4 region names of NCP Object Storage, per NCP region code
# (docs/api-facts.md: API guide "storage-objectstorage").
_ENDPOINTS = {
    "KR": ("https://kr.object.ncloudstorage.com", "kr-standard"),
    "USWN": ("https://us.object.ncloudstorage.com", "us-standard"),
    "SGN": ("https://sg.object.ncloudstorage.com", "sg-standard"),
    "JPN": ("https://jp.object.ncpstorage.com", "jp-standard"),
    "DEN": ("https://de.object.ncloudstorage.com", "de-standard"),
}
_GOV_ENDPOINT = ("https://kr.object.gov-ncloudstorage.com", "gov-standard")
_FIN_ENDPOINT = ("https://kr.object.fin-ncloudstorage.com", "fin-standard")
# Region names by host, for an object_storage_url that names a known endpoint.
_REGION_OF_HOST = dict((urlparse(url).hostname, name) for url, name in
                       list(_ENDPOINTS.values()) + [_GOV_ENDPOINT, _FIN_ENDPOINT])
_REGION_OF_HOST["krs.object.gov-ncloudstorage.com"] = "gov2-standard"
# Ncloud Storage: https://{bucket}.{regionCode}.ncloudstorage.com (gov: .gov-ncloudstorage.com),
# addressed virtual-hosted; the SigV4 region is the region code ("kr", inferred).
_NCLOUD_STORAGE = re.compile(r"^(?P<region>[a-z]{2,4})\.(?:gov-)?ncloudstorage\.com$")
LIST_PAGE = 1000


class Endpoint:
    """Where Object Storage is, how to sign for it, and how buckets are addressed."""

    def __init__(self, url, region_name, addressing="path"):
        self.url = url
        self.region_name = region_name
        self.addressing = addressing

    def __repr__(self):
        return "Endpoint(%s, %s, %s)" % (self.url, self.region_name, self.addressing)


def endpoint_for(region, api_url, override=None):
    """The Endpoint of the Object Storage that goes with this gateway and region (or override)."""
    if override:
        url = override.rstrip("/")
        host = urlparse(url).hostname or ""
        match = _NCLOUD_STORAGE.match(host)
        if match:
            return Endpoint(url, match.group("region"), "virtual")
        return Endpoint(url, _REGION_OF_HOST.get(host, "kr-standard"))
    host = urlparse(api_url).hostname or ""
    if "gov-ntruss" in host:
        return Endpoint(*_GOV_ENDPOINT)
    if "fin-ntruss" in host:
        return Endpoint(*_FIN_ENDPOINT)
    if region not in _ENDPOINTS:
        raise ValueError("no known Object Storage endpoint for region %s: set object_storage_url" % region)
    return Endpoint(*_ENDPOINTS[region])


def version_of(item):
    """What changes whenever an object is written again, even with the same bytes: (ETag, Last-Modified)."""
    return [item["etag"], item["last_modified"]]


def content_of(item):
    """What tells one object's bytes from another's: (ETag, size)."""
    return [item["etag"], item["size"]]


class ObjectStorage:
    """The S3 calls the export modules make; each returns plain dicts {key, size, etag, last_modified}."""

    def __init__(self, endpoint, access_key, secret_key, validate_certs=True, timeout=30):
        options = dict(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 5, "mode": "standard"},
                       s3={"addressing_style": endpoint.addressing}, signature_version="s3v4")
        try:
            config = BotoConfig(request_checksum_calculation="when_required",
                                response_checksum_validation="when_required", **options)
        except TypeError:  # botocore before 1.36 sends no flexible checksums anyway
            config = BotoConfig(**options)
        self._s3 = boto3.client("s3", endpoint_url=endpoint.url, region_name=endpoint.region_name,
                                aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                                verify=validate_certs, config=config)
        if _NCLOUD_STORAGE.match(urlparse(endpoint.url).hostname or ""):
            # Ncloud Storage's ListObjects takes marker, max-keys and prefix only, not the
            # encoding-type=url boto3 adds to every listing (docs/api-facts.md, "list query parameters").
            self._s3.meta.events.unregister("before-parameter-build.s3.ListObjects",
                                            set_list_objects_encoding_type_url)
        self.endpoint = endpoint.url
        self.calls = 0  # S3 requests made, for results and benchmarks

    def __repr__(self):
        return "ObjectStorage(%s)" % self.endpoint

    def _call(self, operation, **kwargs):
        self.calls += 1
        return getattr(self._s3, operation)(**kwargs)

    def head(self, bucket, key):
        """The object at key, or None when there is none."""
        try:
            answer = self._call("head_object", Bucket=bucket, Key=key)
        except self._s3.exceptions.ClientError as exc:
            if _status(exc) == 404:
                return None
            raise
        return {"key": key, "size": answer.get("ContentLength"), "etag": answer.get("ETag", "").strip('"'),
                "last_modified": answer["LastModified"].isoformat()}

    def list(self, bucket, prefix=""):
        """Every object below prefix, by ListObjects (V1) pages of at most 1,000 keys."""
        marker = None
        while True:
            kwargs = dict(Bucket=bucket, Prefix=prefix, MaxKeys=LIST_PAGE)
            if marker:
                kwargs["Marker"] = marker
            page = self._call("list_objects", **kwargs)
            contents = page.get("Contents") or []
            for item in contents:
                yield {"key": item["Key"], "size": item["Size"], "etag": item["ETag"].strip('"'),
                       "last_modified": item["LastModified"].isoformat()}
            if not page.get("IsTruncated") or not contents:
                return
            following = page.get("NextMarker") or max(item["Key"] for item in contents)
            if marker is not None and following <= marker:
                raise NcpError("Object Storage listed bucket %r below %r without moving on from marker %r" % (
                    bucket, prefix, marker))
            marker = following

    def get_json(self, bucket, key):
        """The JSON object stored at key, or None when there is none (or it is not a JSON object)."""
        try:
            body = self._call("get_object", Bucket=bucket, Key=key)["Body"].read()
        except self._s3.exceptions.ClientError as exc:
            if _status(exc) == 404:
                return None
            raise
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def put_json(self, bucket, key, data):
        self._call("put_object", Bucket=bucket, Key=key, ContentType="application/json",
                   Body=json.dumps(data, sort_keys=True).encode("utf-8"))

    def delete(self, bucket, key):
        self._call("delete_object", Bucket=bucket, Key=key)


def _status(exc):
    return exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or \
        (404 if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound") else None)
