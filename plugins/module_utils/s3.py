# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The few S3 requests the export modules make, signed with AWS Signature Version 4, over requests.

Why not boto3: NCP Object Storage documents a subset of S3 and its own rules (docs/api-facts.md,
"Object Storage"), and boto3's defaults step outside them (flexible checksum headers on uploads,
``encoding-type=url`` on every listing, List Objects version 2 in its paginators) and change from
release to release; importing it also costs a module run about 0.4 s of CPU, twice per instance in a
fleet. Six requests, each sent exactly as NCP's pages show, are less code to trust. The signer is
tested against botocore's own (tests/unit/plugins/module_utils/test_s3.py), and the simulator's S3
front verifies every signature.

Signature Version 4 (the algorithm AWS publishes; NCP's guide signs the same way with its region
names such as kr-standard): a canonical request (method, URI, sorted query, the signed headers host,
x-amz-content-sha256 and x-amz-date, the payload's SHA-256), hashed into a string to sign with the
credential scope ``<date>/<region>/s3/aws4_request``, signed with a key derived from the secret key.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from urllib.parse import quote, urlparse

import time

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff
from ansible_collections.ncp.clouddb.plugins.module_utils.client import (
    USER_AGENT, Budgets, requests, retrying, transport_error)
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpError

try:
    from xml.etree import ElementTree
except ImportError:  # pragma: no cover  (the standard library always has it)
    ElementTree = None

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
ALGORITHM = "AWS4-HMAC-SHA256"


class S3Error(NcpApiError):
    """An S3 request that failed: HTTP status, S3 error code and message. 5xx and throttling are retried."""

    def __init__(self, operation, status, code, message, endpoint):
        retryable = (status >= 500 and status != 501) or status == 429 or code in (
            "SlowDown", "RequestTimeout", "InternalError")  # 501 NotImplemented: a definite no
        super().__init__("Object Storage %s" % operation, "%s answered%s%s" % (
            endpoint, " %s" % code if code else "", ": %s" % message if message else ""), status=status, code=code,
            retryable=retryable, reached_service=None if retryable else True)


def _uri_encode(text, keep_slash):
    return quote(text, safe="/~" if keep_slash else "~")


def sign(method, host, path, query, headers, payload_hash, access_key, secret_key, region, now):
    """The Authorization header value of one request (path as sent, already percent-encoded).

    query: list of (name, value) pairs, unencoded; headers must hold x-amz-date and
    x-amz-content-sha256; host is the Host header value.
    """
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    signed = dict((name.lower(), " ".join(str(value).strip().split())) for name, value in headers.items())
    signed["host"] = host
    names = sorted(signed)
    canonical_query = "&".join("%s=%s" % pair for pair in sorted(
        (_uri_encode(str(k), False), _uri_encode(str(v), False)) for k, v in query))
    canonical = "\n".join([method, path, canonical_query] + ["%s:%s" % (n, signed[n]) for n in names] +
                          ["", ";".join(names), payload_hash])
    scope = "%s/%s/s3/aws4_request" % (day, region)
    to_sign = "\n".join([ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (day, region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, scope, ";".join(names), signature)


class S3Client(Budgets):
    """Signed S3 requests to one endpoint, bucket addressed path-style or virtual-hosted.

    Every request this collection makes is idempotent by key (HEAD, GET, PUT of a record, DELETE of one
    object, a listing), so all are retried like API reads: within retry_timeout and the task's deadline.
    """

    def __init__(self, endpoint, region_name, access_key, secret_key, addressing="path", validate_certs=True,
                 timeout=30, session=None, now=None, retry_timeout=60, sleep=time.sleep, clock=time.monotonic,
                 backoff=None):
        parsed = urlparse(endpoint)
        self.scheme = parsed.scheme
        self.host = parsed.netloc
        self.base_path = parsed.path.rstrip("/")
        self.endpoint = endpoint
        self.region_name = region_name
        self.addressing = addressing
        self.validate_certs = validate_certs
        self.timeout = timeout
        self._access_key = access_key
        self._secret_key = secret_key
        self._session = session
        self._now = now or (lambda: datetime.datetime.now(datetime.timezone.utc))
        self.retry_timeout = retry_timeout
        self._sleep = sleep
        self._clock = clock
        self.backoff = backoff or Backoff(base=1.0, factor=2.0, cap=20.0)
        self.deadline = None
        self.calls = 0

    def __repr__(self):
        # Never the keys: this object may end up in a traceback.
        return "S3Client(%s, %s)" % (self.endpoint, self.region_name)

    @property
    def session(self):
        if self._session is None:
            self._session = requests.Session()
        return self._session

    def request(self, operation, method, bucket, key="", query=(), body=b"", headers=None):
        """Send one request, retried as reads are; the requests Response (2xx, or 404 of an object)."""
        return retrying(lambda timeout: self._send(operation, method, bucket, key, query, body, headers, timeout),
                        "Object Storage " + operation, False, self)

    def _send(self, operation, method, bucket, key, query, body, headers, timeout):
        if self.addressing == "virtual":
            host = "%s.%s" % (bucket, self.host)
            path = self.base_path + "/" + _uri_encode(key, True)
        else:
            host = self.host
            path = "%s/%s%s" % (self.base_path, _uri_encode(bucket, False), "/" + _uri_encode(key, True) if key
                                else "")
        payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        now = self._now()
        sent = {"x-amz-date": now.strftime("%Y%m%dT%H%M%SZ"), "x-amz-content-sha256": payload_hash}
        sent.update(headers or {})
        sent["Authorization"] = sign(method, host, path, list(query), dict(
            (name, value) for name, value in sent.items() if name.lower().startswith("x-amz-") or
            name.lower() in ("content-type", "content-md5")), payload_hash, self._access_key, self._secret_key,
            self.region_name, now)
        sent["Host"] = host
        sent["User-Agent"] = USER_AGENT
        url = "%s://%s%s" % (self.scheme, host, path)
        if query:
            url += "?" + "&".join("%s=%s" % (_uri_encode(k, False), _uri_encode(v, False)) for k, v in query)
        self.calls += 1
        try:
            answer = self.session.request(method, url, data=body or None, headers=sent, timeout=timeout,
                                          verify=self.validate_certs, allow_redirects=False)
        except requests.exceptions.RequestException as exc:
            raise transport_error("Object Storage " + operation, self.endpoint, exc)
        if answer.status_code == 404 and method in ("GET", "HEAD") and key:
            return answer
        if not 200 <= answer.status_code < 300:
            code, message = _error_of(answer)
            raise S3Error(operation, answer.status_code, code, message, self.endpoint)
        return answer

    # --- the six calls -------------------------------------------------------------------------
    def head_object(self, bucket, key):
        answer = self.request("HeadObject", "HEAD", bucket, key)
        if answer.status_code == 404:
            return None
        return {"key": key, "size": int(answer.headers.get("Content-Length") or 0),
                "etag": answer.headers.get("ETag", "").strip('"'),
                "last_modified": _http_date(answer.headers.get("Last-Modified"))}

    def get_object(self, bucket, key):
        answer = self.request("GetObject", "GET", bucket, key)
        return None if answer.status_code == 404 else answer.content

    def put_object(self, bucket, key, body, content_type):
        self.request("PutObject", "PUT", bucket, key, body=body, headers={"Content-Type": content_type})

    def delete_object(self, bucket, key):
        self.request("DeleteObject", "DELETE", bucket, key)

    def copy_object(self, bucket, source_key, key):
        """PUT Object (Copy): a server-side copy of source_key to key in one bucket, as NCP's page shows it
        (``x-amz-copy-source: /bucket/key``, metadata copied). Returns the copy's ETag from its
        CopyObjectResult; an error document in a 200 answer (S3 sends one when a copy fails late) raises."""
        source = "/%s/%s" % (_uri_encode(bucket, False), _uri_encode(source_key, True))
        answer = self.request("CopyObject", "PUT", bucket, key, headers={"x-amz-copy-source": source})
        try:
            root = ElementTree.fromstring(answer.content)
        except ElementTree.ParseError as exc:
            raise NcpError("Object Storage CopyObject answered something that is not XML (%s)" % exc)
        fields = dict((_strip(child.tag), (child.text or "").strip()) for child in root)
        if _strip(root.tag) == "Error":
            raise S3Error("CopyObject", answer.status_code, fields.get("Code"), fields.get("Message"), self.endpoint)
        return fields.get("ETag", "").strip('"')

    def list_objects(self, bucket, prefix="", marker=None, max_keys=1000):
        """One ListObjects (version 1) page: (items, is_truncated, next_marker)."""
        query = [("max-keys", str(max_keys)), ("prefix", prefix)]
        if marker:
            query.append(("marker", marker))
        answer = self.request("ListObjects", "GET", bucket, query=sorted(query))
        return _list_page(answer.content)


def _strip(tag):
    return tag.rsplit("}", 1)[-1]


def _list_page(content):
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise NcpError("Object Storage ListObjects answered something that is not XML (%s)" % exc)
    items, truncated, next_marker = [], False, None
    for child in root:
        tag = _strip(child.tag)
        if tag == "Contents":
            fields = dict((_strip(field.tag), field.text or "") for field in child)
            items.append({"key": fields.get("Key", ""), "size": int(fields.get("Size") or 0),
                          "etag": fields.get("ETag", "").strip('"'),
                          "last_modified": _iso_date(fields.get("LastModified"))})
        elif tag == "IsTruncated":
            truncated = (child.text or "").strip().lower() == "true"
        elif tag == "NextMarker":
            next_marker = child.text or None
    return items, truncated, next_marker


def _error_of(answer):
    try:
        root = ElementTree.fromstring(answer.content)
        fields = dict((_strip(child.tag), child.text or "") for child in root)
        return fields.get("Code"), fields.get("Message")
    except ElementTree.ParseError:
        return None, None


def _iso_date(text):
    """ListObjects' LastModified (2026-11-26T07:52:21.000Z) as ISO 8601 with an offset."""
    if not text:
        return ""
    try:
        moment = datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")
    except ValueError:
        try:
            moment = datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return text
    return moment.replace(microsecond=0).isoformat()


def _http_date(text):
    """HeadObject's Last-Modified (Thu, 26 Nov 2026 07:52:21 GMT) as ISO 8601 with an offset."""
    if not text:
        return ""
    try:
        moment = datetime.datetime.strptime(text, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        return text
    return moment.isoformat()
