# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NCP Object Storage (and Ncloud Storage) through their S3-compatible APIs: where they are, and the
few calls the export modules make (s3.py sends them), each one NCP documents (docs/api-facts.md,
"Object Storage"):

* ListObjects (version 1) with ``marker`` paging, at most 1,000 keys a call. NCP's Object Storage
  overview says List Objects version 2 is not supported, so it is never called; and NCP says a
  listing comes back "in arbitrary order", so the next marker is the page's NextMarker as it came
  (possibly an opaque token), else its greatest key (UTF-8 binary order, as the marker parameter is
  defined), never simply its last; progress is judged by keys, never by comparing markers.
* HeadObject, GetObject, PutObject, DeleteObject, and PutObject with ``x-amz-copy-source`` (a
  server-side copy, page storage-objectstorage-copyobject). A single copy is limited to
  SINGLE_COPY_LIMIT bytes (S3's 5 GB; NCP states no limit, an inference) and NCP documents no
  UploadPartCopy, so larger objects are never copied. Never DeleteObjects (NCP requires a Content-MD5
  header there), never the flexible checksum headers or ``encoding-type`` NCP does not document.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.s3 import S3Client

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
# S3 copies at most 5 GB in one request; NCP's copy page names no limit, so S3's is assumed (inference).
SINGLE_COPY_LIMIT = 5 * 1024 ** 3


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


def storage_for(config, params, sleep=None, clock=None):
    """The ObjectStorage of a module's resolved settings (settings.resolve) and options; NcpConfigError when the
    region has no known endpoint."""
    try:
        endpoint = endpoint_for(config["region"], config["api_url"], config["object_storage_url"])
    except ValueError as exc:
        raise NcpConfigError(str(exc))
    return ObjectStorage(endpoint, config["access_key"], config["secret_key"], params["validate_certs"],
                         params["timeout"], params["retry_timeout"], sleep, clock)


def version_of(item):
    """What changes whenever an object is written again, even with the same bytes: (ETag, Last-Modified)."""
    return [item["etag"], item["last_modified"]]


def content_of(item):
    """What tells one object's bytes from another's: (ETag, size)."""
    return [item["etag"], item["size"]]


class ObjectStorage:
    """The S3 calls the export modules make; each returns plain dicts {key, size, etag, last_modified}."""

    def __init__(self, endpoint, access_key, secret_key, validate_certs=True, timeout=30, retry_timeout=60,
                 sleep=None, clock=None, session=None):
        extra = dict((name, value) for name, value in (("sleep", sleep), ("clock", clock)) if value is not None)
        self._s3 = S3Client(endpoint.url, endpoint.region_name, access_key, secret_key, endpoint.addressing,
                            validate_certs, timeout, session, retry_timeout=retry_timeout, **extra)
        self.endpoint = endpoint.url

    @property
    def deadline(self):
        return self._s3.deadline

    @deadline.setter
    def deadline(self, value):
        """The task's deadline (wait_timeout), which bounds the retries of S3 requests too."""
        self._s3.deadline = value

    def __repr__(self):
        return "ObjectStorage(%s)" % self.endpoint

    @property
    def calls(self):
        """S3 requests made, for results and benchmarks."""
        return self._s3.calls

    def head(self, bucket, key):
        """The object at key, or None when there is none."""
        return self._s3.head_object(bucket, key)

    def list(self, bucket, prefix=""):
        """Every object below prefix, by ListObjects (V1) pages of at most 1,000 keys.

        The next page starts at the page's NextMarker sent back as it came (a server may make it an opaque
        token, never to be read or compared), else at the page's greatest key (not its last: NCP lists in
        arbitrary order). Progress is judged by the keys a page returns: a truncated listing whose next page
        brings no key beyond every key before it (the greatest so far) does not move on, and is an error
        rather than an endless loop or a listing cut short.
        """
        marker, greatest = None, None
        while True:
            items, truncated, next_marker = self._s3.list_objects(bucket, prefix, marker, LIST_PAGE)
            top = max((item["key"] for item in items), default=None)
            if greatest is not None and (top is None or top <= greatest):
                raise NcpError("Object Storage listed bucket %r below %r without moving on: the page after key %r "
                               "brought no later key (marker %r)" % (bucket, prefix, greatest, marker))
            yield from items
            if not truncated:
                return
            if top is None:
                raise NcpError("Object Storage listed bucket %r below %r as truncated but gave no key to go on from"
                               % (bucket, prefix))
            greatest = top
            marker = next_marker or top

    def get_json(self, bucket, key):
        """The JSON object stored at key, or None when there is none (or it is not a JSON object)."""
        body = self._s3.get_object(bucket, key)
        if body is None:
            return None
        try:
            data = json.loads(body.decode("utf-8"))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def put_json(self, bucket, key, data):
        self._s3.put_object(bucket, key, json.dumps(data, sort_keys=True).encode("utf-8"), "application/json")

    def delete(self, bucket, key):
        self._s3.delete_object(bucket, key)

    def copy(self, bucket, source_key, key):
        """Server-side copy within one bucket; the copy's ETag as NCP returns it."""
        return self._s3.copy_object(bucket, source_key, key)
