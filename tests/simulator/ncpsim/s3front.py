# -*- coding: utf-8 -*-
"""The S3 front: the only way clients reach the simulator's Object Storage.

It listens on its own loopback port (the URL the simulator reports as s3_url) and takes requests in
two forms:

* origin form (``GET /bucket/key``) addressed to the front itself: NCP Object Storage, path style;
* as an HTTP forward proxy (absolute form ``GET http://host/key``, or origin form with a Host header
  naming an NCP host): the host picks the face. ``kr.object.ncloudstorage.com`` and the other Object
  Storage hosts (path style, or ``<bucket>.<host>`` virtual-hosted style) are "NCP Object Storage";
  ``<bucket>.kr.ncloudstorage.com`` is "Ncloud Storage" (virtual-hosted only, unless the setting
  ncloudstorage_path_style allows path style). Any other host is refused with 502: the front
  forwards nowhere but to moto on loopback.

Each face allows the operations NCP documents for it (catalogue.S3_OPERATIONS); the rest get 501
NotImplemented. Requests that pass the face's checks are forwarded, path style, to moto in this
process; every request is logged (s3log) without its headers, and faults from the shared fault book
apply to actions named "s3:<Operation>" (or "s3:*").
"""

import base64
import datetime
import hashlib
import http.client
import random
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, unquote_plus, urlencode, urlsplit
from xml.sax.saxutils import escape

from . import catalogue, s3auth
from .faults import FaultReplies
from .objectstore import NCLOUD_STORAGE_ACCOUNT, OBJECT_STORAGE_ACCOUNT
from .s3ops import operation

XML_TYPE = "application/xml"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer",
              "transfer-encoding", "upgrade", "host", "content-length"}
ANSWER_SKIP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}
FACE_TITLES = {catalogue.OBJECT_STORAGE: "NCP Object Storage", catalogue.NCLOUD_STORAGE: "Ncloud Storage"}
_CONTENTS = re.compile(rb"<Contents>.*?</Contents>", re.S)
_NEXT_MARKER = re.compile(rb"<NextMarker>.*?</NextMarker>", re.S)
_KEY = re.compile(rb"<Key>(.*?)</Key>", re.S)
_TRUNCATED = re.compile(rb"<IsTruncated>\s*true\s*</IsTruncated>", re.S)
_DELETE_OBJECT = re.compile(rb"<Object>", re.S)


class Refusal(Exception):
    """The front answers itself with an S3 error: status, Code, Message."""

    def __init__(self, status, code, message):
        super(Refusal, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_body(code, message, resource=""):
    """An S3 XML error document."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
            '<Resource>%s</Resource><RequestId>%s</RequestId></Error>'
            % (escape(code), escape(message), escape(resource), uuid.uuid4())).encode("utf-8")


class Target(object):
    """Where one request goes: face, bucket, raw key, query, and how it was addressed."""

    def __init__(self, face, host, bucket, raw_key, query_text, via, addressing, raw_path="/", region_host=None):
        self.face = face
        self.host = host
        self.raw_path = raw_path            # the path exactly as sent (what the client signed)
        self.region_host = region_host or host
        self.bucket = bucket or ""
        self.raw_key = raw_key or ""
        self.key = unquote(self.raw_key)
        self.query_text = query_text
        self.query_pairs = parse_qsl(query_text, keep_blank_values=True)
        self.query = dict(self.query_pairs)
        self.via = via                      # origin | proxy
        self.addressing = addressing        # path | virtual

    def moto_path(self):
        path = "/" + self.bucket if self.bucket else "/"
        if self.raw_key:
            path += "/" + self.raw_key
        return path + ("?" + self.query_text if self.query_text else "")

    def resource(self):
        return "/" + "/".join(part for part in (self.bucket, self.key) if part)


def face_of_host(hostname):
    """(face, bucket named in the host or None) for an NCP storage host name, or (None, None)."""
    for face, hosts in ((catalogue.OBJECT_STORAGE, catalogue.OBJECT_STORAGE_HOSTS),
                        (catalogue.NCLOUD_STORAGE, catalogue.NCLOUD_STORAGE_HOSTS)):
        if hostname in hosts:
            return face, None
        for host in hosts:
            if hostname.endswith("." + host):
                return face, hostname[:-len(host) - 1]
    return None, None


class S3Front(object):
    """The front's HTTP server; sim gives it settings, the fault book, the S3 log and moto's URL."""

    def __init__(self, sim, host="127.0.0.1", port=0):
        self.sim = sim
        self.httpd = ThreadingHTTPServer((host, port), make_handler(self))
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.url = "http://%s:%d" % (self.host, self.port)
        self._thread = None
        self.markers = {}       # opaque NextMarker token -> (bucket, the key it stands for)

    def start(self):
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="ncpsim-s3front", daemon=True)
        self._thread.start()
        return self.url

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def is_own(self, netloc):
        host, _colon, port = netloc.rpartition(":")
        return port == str(self.port) and host.strip("[]") in (self.host, "localhost", "127.0.0.1", "::1")

    def setting(self, name):
        return self.sim.world.settings[name]

    def account(self, face):
        """The moto account holding a face's buckets: Ncloud Storage's own unless namespaces are shared."""
        if face == catalogue.NCLOUD_STORAGE and self.setting("storage_namespaces") == "separate":
            return NCLOUD_STORAGE_ACCOUNT
        return OBJECT_STORAGE_ACCOUNT


def make_handler(front):
    class Handler(S3Handler):
        pass
    Handler.front = front
    return Handler


class S3Handler(FaultReplies, BaseHTTPRequestHandler):
    front = None
    protocol_version = "HTTP/1.1"
    server_version = "ncpsim-s3"
    sys_version = ""

    def log_message(self, *_args):
        return

    def do_GET(self):
        self._dispatch()

    do_HEAD = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_PATCH = do_GET

    def do_CONNECT(self):
        """HTTPS through the proxy would need a tunnel to the real host: never."""
        self._read_body()
        entry = self._entry = {"time": time.time(), "method": "CONNECT", "face": None, "host": self.path,
                               "via": "proxy", "operation": None, "bucket": "", "key": "", "query": {},
                               "applied": False}
        message = ("ncpsim S3 front: CONNECT %s refused; the simulator opens no tunnels (use an http:// "
                   "endpoint through the proxy)" % self.path)
        self._refuse(Refusal(502, "BadGateway", message), entry)
        self.close_connection = True

    # --- plumbing -----------------------------------------------------------------------------
    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _log(self):
        """Add this request's entry to the S3 log, once, before the client can see an answer."""
        entry, self._entry = getattr(self, "_entry", None), None
        if entry is not None:
            entry.pop("resource", None)
            self.front.sim.s3log.add(**entry)

    def _write(self, status, headers, body, cut=False):
        self._log()
        try:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            if self.command != "HEAD" or not any(n.lower() == "content-length" for n, _v in headers):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body[:len(body) // 2] if cut else body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        if cut:
            self.close_connection = True

    def _refuse(self, refusal, entry):
        entry.update(status=refusal.status, outcome="refused:%s" % refusal.code)
        body = error_body(refusal.code, refusal.message, entry.get("resource", ""))
        self._write(refusal.status, [("Content-Type", XML_TYPE)], b"" if self.command == "HEAD" else body)

    # --- routing ------------------------------------------------------------------------------
    def _dispatch(self):
        body = self._read_body()
        entry = self._entry = {"time": time.time(), "method": self.command, "face": None, "host": None, "via": None,
                               "addressing": None, "operation": None, "bucket": "", "key": "", "query": {},
                               "applied": False}
        try:
            target = self._target()
            entry.update(face=target.face, host=target.host, via=target.via, addressing=target.addressing,
                         bucket=target.bucket, key=target.key, query=target.query, resource=target.resource())
            entry["operation"] = operation(self.command, target.bucket, target.raw_key, target.query,
                                           dict(self.headers.items()))
            self._check(target, entry["operation"], body)
        except Refusal as refusal:
            self._refuse(refusal, entry)
            return
        params = dict(target.query, bucket=target.bucket, key=target.key)
        fault = self.front.sim.faults.take("s3:" + entry["operation"], params)
        if fault is None:
            self._answer(*self._forward(target, entry, body))
        else:
            entry.update(outcome="fault:%s" % fault["kind"], fault=fault)
            getattr(self, "_fault_" + fault["kind"])(fault, target, entry, body)
        self._log()

    def _target(self):
        """Face, bucket and key of this request, from its request line and Host header."""
        raw = self.path
        if raw.startswith("/"):
            via, netloc, path, query = "origin", (self.headers.get("Host") or ""), raw.partition("?")[0], \
                raw.partition("?")[2]
        else:
            split = urlsplit(raw)
            if split.scheme != "http":
                raise Refusal(400, "InvalidRequest", "ncpsim S3 front: cannot serve %s" % raw)
            via, netloc, path, query = "proxy", split.netloc, split.path or "/", split.query
        if self.front.is_own(netloc):
            return self._path_style(catalogue.OBJECT_STORAGE, netloc, path, query, via, catalogue.FRONT_HOST)
        hostname = netloc.lower().rpartition("@")[2]
        hostname = re.sub(r":\d+$", "", hostname).rstrip(".")
        face, bucket = face_of_host(hostname)
        if face is None:
            raise Refusal(502, "BadGateway", "ncpsim S3 front: %s is neither NCP Object Storage nor Ncloud "
                                             "Storage; the simulator forwards nowhere else" % (hostname or "(no host)"))
        if bucket is not None:
            return Target(face, hostname, bucket, path.lstrip("/"), query, via, "virtual", path,
                          hostname[len(bucket) + 1:])
        target = self._path_style(face, hostname, path, query, via, hostname)
        if face == catalogue.NCLOUD_STORAGE and target.bucket and \
                self.front.setting("ncloudstorage_path_style") != "allow":
            raise Refusal(400, "InvalidRequest",
                          "ncpsim: Ncloud Storage documents only https://{bucket}.kr.ncloudstorage.com "
                          "(virtual-hosted style); path style is refused (setting ncloudstorage_path_style)")
        return target

    @staticmethod
    def _path_style(face, host, path, query, via, region_host):
        bucket, _slash, raw_key = path.lstrip("/").partition("/")
        return Target(face, host, bucket, raw_key, query, via, "path", path, region_host)

    # --- the face's rules ---------------------------------------------------------------------
    def _check(self, target, name, body):
        front, face = self.front, target.face
        title = FACE_TITLES[face]
        if target.bucket.startswith("moto-") or target.bucket.startswith("_"):
            raise Refusal(400, "InvalidBucketName", "The specified bucket is not valid.")
        allowed = catalogue.S3_OPERATIONS[face]
        if face == catalogue.OBJECT_STORAGE and front.setting("objectstorage_list_objects_v2") == "allow":
            allowed = allowed | {"ListObjectsV2"}
        if name not in allowed:
            raise Refusal(501, "NotImplemented", "ncpsim: %s does not document %s (%s %s); the simulator refuses it"
                          % (title, name, self.command, target.resource()))
        self._check_auth(target, body)
        if target.bucket and name != "CreateBucket" and \
                target.bucket not in self.front.sim.store.bucket_names(self.front.account(face)):
            # Object Storage and Ncloud Storage keep separate buckets (setting storage_namespaces).
            raise Refusal(404, "NoSuchBucket", "The specified bucket does not exist.")
        names = catalogue.S3_LIST_PARAMETERS.get((face, name))
        if names is not None:
            if front.setting("s3_list_parameters") == "refuse":
                unknown = sorted(set(target.query) - set(names))
                if unknown:
                    raise Refusal(400, "InvalidArgument", "ncpsim: %s does not document the %s parameter(s) %s"
                                  % (title, name, ", ".join(unknown)))
            self._cap_max_keys(target, face)
        if face == catalogue.OBJECT_STORAGE and name == "ListObjects" and target.query.get("marker") and \
                front.setting("objectstorage_next_marker") == "opaque":
            self._resolve_marker(target)
        if name == "DeleteObjects":
            self._check_delete_objects(face, body)
        if name == "CopyObject":
            self._check_copy(target)
        if face == catalogue.OBJECT_STORAGE and front.setting("objectstorage_checksum_headers") == "refuse":
            self._check_no_checksums()
        if face == catalogue.OBJECT_STORAGE and name == "PutObject" and not self.headers.get("x-amz-content-sha256"):
            raise Refusal(400, "InvalidRequest", "ncpsim: NCP Object Storage requires the x-amz-content-sha256 "
                                                 "header on PutObject")

    def _check_auth(self, target, body):
        """Signature Version 4 with a key of the scenario and the host's region name (s3auth); with
        s3_signatures: ignore, only an Authorization header naming a known key."""
        secrets = self.front.sim.world.secrets
        if self.front.setting("s3_signatures") == "verify":
            try:
                s3auth.verify(self.command, target.raw_path, parse_qsl(target.query_text, keep_blank_values=True),
                              self.headers, body, secrets, (catalogue.S3_REGIONS[target.region_host],),
                              datetime.datetime.fromtimestamp(self.front.sim.clock.time(), datetime.timezone.utc))
            except s3auth.SignatureProblem as problem:
                raise Refusal(problem.status, problem.code, problem.message)
            return
        key = s3auth.access_key_of(self.headers.get("Authorization"))
        if key is None:
            raise Refusal(403, "AccessDenied", "Access Denied (ncpsim: requests must carry an Authorization header)")
        if key not in secrets:
            raise Refusal(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")

    @staticmethod
    def _cap_max_keys(target, face):
        if "max-keys" not in target.query:
            return
        low, high = catalogue.S3_MAX_KEYS[face]
        try:
            value = int(target.query["max-keys"])
        except ValueError:
            raise Refusal(400, "InvalidArgument", "max-keys must be an integer")
        if value < low:
            raise Refusal(400, "InvalidArgument", "max-keys must be between %d and %d" % (low, high))
        if value > high:
            target.query["max-keys"] = str(high)
            target.query_pairs = [(k, str(high) if k == "max-keys" else v) for k, v in target.query_pairs]
            target.query_text = urlencode(target.query_pairs)

    def _resolve_marker(self, target):
        """objectstorage_next_marker: opaque: a marker must be a NextMarker this front handed out for the bucket;
        moto is sent the key it stands for (the log keeps the token, as the client sent it)."""
        given = target.query["marker"]
        bucket, key = self.front.markers.get(given, (None, None))
        if bucket != target.bucket:
            raise Refusal(400, "InvalidArgument", "ncpsim: marker %r is not a NextMarker of a listing of this bucket; "
                                                  "send NextMarker back as it came (setting objectstorage_next_marker)"
                          % given)
        target.query_pairs = [(k, key if k == "marker" else v) for k, v in target.query_pairs]
        target.query_text = urlencode(target.query_pairs)

    def _check_no_checksums(self):
        for name in self.headers.keys():
            lower = name.lower()
            if lower.startswith("x-amz-checksum-") or lower in ("x-amz-sdk-checksum-algorithm", "x-amz-trailer"):
                raise Refusal(400, "InvalidRequest", "ncpsim: NCP Object Storage documents no %s header (flexible "
                                                     "checksums); the simulator refuses it (setting "
                                                     "objectstorage_checksum_headers)" % lower)
        if "aws-chunked" in (self.headers.get("Content-Encoding") or "").lower():
            raise Refusal(400, "InvalidRequest", "ncpsim: NCP Object Storage documents no aws-chunked uploads")

    # Headers of PUT Object (Copy), page storage-objectstorage-copyobject: x-amz-copy-source ("/bucket/key" in
    # its example, /garden/bee), x-amz-metadata-directive (COPY | REPLACE) and the four copy-source conditions.
    COPY_HEADERS = frozenset(["x-amz-copy-source", "x-amz-metadata-directive", "x-amz-copy-source-if-match",
                              "x-amz-copy-source-if-none-match", "x-amz-copy-source-if-unmodified-since",
                              "x-amz-copy-source-if-modified-since"])

    def _check_copy(self, target):
        """A copy as NCP's page shows it: the source as /bucket/key in a bucket of the same store, only the
        documented copy headers (no x-amz-copy-source-range: UploadPartCopy is not documented)."""
        for name in self.headers.keys():
            lower = name.lower()
            if (lower.startswith("x-amz-copy-source") or lower == "x-amz-metadata-directive") and \
                    lower not in self.COPY_HEADERS:
                raise Refusal(400, "InvalidRequest", "ncpsim: NCP Object Storage documents no %s header on a copy"
                              % lower)
        directive = self.headers.get("x-amz-metadata-directive")
        if directive is not None and directive not in ("COPY", "REPLACE"):
            raise Refusal(400, "InvalidArgument", "Unknown metadata directive.")
        source = unquote(self.headers.get("x-amz-copy-source") or "")
        bucket, _slash, key = source[1:].partition("/")
        if not source.startswith("/") or not bucket or not key:
            raise Refusal(400, "InvalidArgument", "ncpsim: x-amz-copy-source must be /bucket/key, as NCP's copy page "
                                                  "shows it (/garden/bee)")
        if bucket not in self.front.sim.store.bucket_names(self.front.account(target.face)):
            raise Refusal(404, "NoSuchBucket", "The specified bucket does not exist.")

    def _check_delete_objects(self, face, body):
        has_md5 = bool(self.headers.get("Content-MD5"))
        digest = hashlib.md5(body).digest()  # noqa: S324  the protocol's checksum
        if has_md5 and self.headers.get("Content-MD5") != base64.b64encode(digest).decode("ascii"):
            raise Refusal(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
        if face == catalogue.OBJECT_STORAGE and not has_md5:
            raise Refusal(400, "InvalidRequest", "Missing required header for this request: Content-MD5")
        if face == catalogue.NCLOUD_STORAGE and not has_md5 and \
                not any(n.lower().startswith("x-amz-checksum-") for n in self.headers.keys()):
            raise Refusal(400, "InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*")
        count = len(_DELETE_OBJECT.findall(body))
        if count > 1000:
            raise Refusal(400, "MalformedXML", "ncpsim: at most 1,000 keys per DeleteObjects request")
        if face == catalogue.NCLOUD_STORAGE and count < 2:
            raise Refusal(400, "MalformedXML", "ncpsim: Ncloud Storage documents DeleteObjects for 2 or more objects")

    # --- forwarding ---------------------------------------------------------------------------
    def _forward(self, target, entry, body):
        """Send the request to moto; returns (status, headers, body) and notes it in the entry."""
        moto = urlsplit(self.front.sim.store.url)
        headers = [(n, v) for n, v in self.headers.items()
                   if n.lower() not in HOP_BY_HOP and not n.lower().startswith("x-moto-")]
        headers.append(("Host", moto.netloc))
        headers.append(("x-moto-account-id", self.front.account(target.face)))
        if body or self.command in ("PUT", "POST"):
            headers.append(("Content-Length", str(len(body))))
        connection = http.client.HTTPConnection(moto.hostname, moto.port, timeout=60)
        try:
            connection.putrequest(self.command, target.moto_path(), skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                connection.putheader(name, value)
            connection.endheaders(body or None)
            answer = connection.getresponse()
            data = answer.read()
            answer_headers = [(n, v) for n, v in answer.getheaders() if n.lower() not in ANSWER_SKIP]
            if self.command == "HEAD" and answer.getheader("Content-Length") is not None:
                answer_headers.append(("Content-Length", answer.getheader("Content-Length")))
            status = answer.status
        finally:
            connection.close()
        if entry["operation"] in ("ListObjects", "ListObjectsV2") and target.face == catalogue.OBJECT_STORAGE \
                and status == 200:
            data = self._object_storage_listing(target, data, entry["operation"])
        entry.update(status=status, applied=True)
        entry.setdefault("outcome", "ok" if status < 400 else "error:%d" % status)
        return status, answer_headers, data

    def _object_storage_listing(self, target, data, name):
        """NCP: listings come "in arbitrary order" (both list pages). NextMarker (NCP does not say when it comes):
        objectstorage_next_marker: opaque, on every truncated ListObjects page as a token that names no key;
        omit, only with a delimiter (as in S3)."""
        encoded = target.query.get("encoding-type") == "url"

        def key_of(item):
            key = _KEY.search(item).group(1).decode("utf-8")
            return unquote_plus(key) if encoded else key

        if self.front.setting("objectstorage_list_order") == "shuffled":
            items = _CONTENTS.findall(data)
            if len(items) > 1:
                shuffled = list(items)
                random.Random(len(items)).shuffle(shuffled)
                if key_of(shuffled[-1]) == max(key_of(item) for item in items):
                    shuffled[0], shuffled[-1] = shuffled[-1], shuffled[0]      # never the greatest key last
                parts = iter(shuffled)
                data = _CONTENTS.sub(lambda _m: next(parts), data)
        if name == "ListObjects" and self.front.setting("objectstorage_next_marker") == "opaque":
            data = _NEXT_MARKER.sub(b"", data)
            keys = [key_of(item) for item in _CONTENTS.findall(data)]
            if keys and _TRUNCATED.search(data):
                token = uuid.uuid4().hex          # says nothing of the keys, and sorts anywhere among them
                self.front.markers[token] = (target.bucket, max(keys))
                data = _TRUNCATED.sub(lambda m: m.group(0) + b"<NextMarker>" + token.encode() + b"</NextMarker>",
                                      data, count=1)
        elif name == "ListObjects" and "delimiter" not in target.query:
            data = _NEXT_MARKER.sub(b"", data)
        return data

    def _answer(self, status, headers, body, cut=False):
        self._write(status, headers, body, cut)

    # --- faults -------------------------------------------------------------------------------
    def _fault_http_error(self, fault, target, entry, _body):
        status = fault["status"]
        code = fault.get("code") or catalogue.S3_ERROR_CODES.get(status, "InternalError")
        entry["status"] = status
        body = b"" if self.command == "HEAD" else error_body(code, "ncpsim: injected fault", target.resource())
        self._write(status, [("Content-Type", XML_TYPE)], body)

    def _fault_drop(self, fault, target, entry, body):
        self._reply_drop(fault, entry, lambda: self._forward(target, entry, body))

    def _fault_slow(self, fault, target, entry, body):
        self._reply_slow(fault, entry, lambda: self._forward(target, entry, body))

    def _fault_truncate(self, fault, target, entry, body):
        self._reply_truncate(fault, entry, lambda: self._forward(target, entry, body), lambda: (
            200, [("Content-Type", XML_TYPE)], b'<?xml version="1.0" encoding="UTF-8"?>\n<Nothing/>'))
