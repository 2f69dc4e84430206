# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one client every ncp.clouddb module talks to NCP through.

It signs each request (signing.py), sends it, decodes JSON or XML (decode.py), turns every failure
into an NcpApiError (errors.py) and retries what is safe to retry:

* reads: throttling (HTTP 429 with errorCode 410/420), 5xx, dropped connections, timeouts and
  undecodable answers, with capped exponential backoff and jitter, until ``retry_timeout``
  seconds are spent or the task's deadline would pass;
* writes (create, export): only failures that surely never reached the service (connection
  refused, throttled by the gateway). After an ambiguous failure the error says so
  (``err.ambiguous``) and the caller watches state instead of asking again (docs/design.md,
  "Writes and lost answers").
"""

from __future__ import annotations

import ipaddress
import time

from urllib.parse import quote, urlencode, urlparse

try:
    import requests
    HAS_REQUESTS = True
except ImportError:
    requests = None
    HAS_REQUESTS = False

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff, Deadline
from ansible_collections.ncp.clouddb.plugins.module_utils.decode import (
    UndecodableBody, decode_body, error_fields, payload)
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import THROTTLE_CODES, NcpApiError, NcpDeadlineError
from ansible_collections.ncp.clouddb.plugins.module_utils.signing import auth_headers
from ansible_collections.ncp.clouddb.plugins.module_utils.version import COLLECTION_NAME, COLLECTION_VERSION

USER_AGENT = "ansible-collection-%s/%s" % (COLLECTION_NAME, COLLECTION_VERSION)
DEFAULT_API_URL = "https://ncloud.apigw.ntruss.com"


def encode_params(params):
    """Query string for a list of (name, value) pairs, as it goes on the wire and is signed.

    Lists become name.1=..&name.2=.. (the API's list convention); booleans true/false. Values are
    percent-encoded with only RFC 3986 unreserved characters left as they are, a form that HTTP
    libraries pass on unchanged, so the signed string and the sent string are the same bytes.
    """
    pairs = []
    for name, value in params:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend(("%s.%d" % (name, index), item) for index, item in enumerate(value, 1))
        else:
            pairs.append((name, value))
    return urlencode([(name, _text(value)) for name, value in pairs], quote_via=quote, safe="")


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Budgets:
    """What a retrying caller has: timeout, retry_timeout, the task's deadline, backoff, sleep and clock."""

    timeout = 30
    retry_timeout = 60
    deadline = None
    backoff = None
    _sleep = staticmethod(time.sleep)
    _clock = staticmethod(time.monotonic)


class NcpClient(Budgets):
    """Signed, retried calls to one NCP API Gateway.

    ``deadline`` (a backoff.Deadline, or None) is the whole task's time budget: no retry sleeps
    past it, no write starts after it, no request waits for its answer longer than what is left of it
    (or REQUEST_FLOOR seconds, when less is left), and a read started after it gets REQUEST_FLOOR seconds.
    """

    def __init__(self, access_key, secret_key, api_url=DEFAULT_API_URL, region=None, timeout=30,
                 validate_certs=True, retry_timeout=60, method="GET", response_format="json",
                 session=None, sleep=time.sleep, clock=time.monotonic, backoff=None, deadline=None):
        self._access_key = access_key
        self._secret_key = secret_key
        self.api_url = api_url.rstrip("/")
        self.region = region
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.retry_timeout = retry_timeout
        self.method = method.upper()
        self.response_format = response_format
        self._session = session
        self._sleep = sleep
        self._clock = clock
        self.backoff = backoff or Backoff(base=1.0, factor=2.0, cap=20.0)
        self.deadline = deadline
        self.calls = 0  # requests actually sent, for results and benchmarks

    def __repr__(self):
        # Never the keys: this object may end up in a traceback.
        return "NcpClient(api_url=%r, region=%r)" % (self.api_url, self.region)

    @property
    def session(self):
        if self._session is None:
            self._session = requests.Session()
        return self._session

    def read(self, api_path, action, params=None):
        """Call an action that changes nothing; retried within retry_timeout."""
        return self._call(api_path, action, params, write=False)

    def write(self, api_path, action, params=None):
        """Call an action that changes something; retried only when it surely did not arrive."""
        return self._call(api_path, action, params, write=True)

    def _call(self, api_path, action, params, write):
        return retrying(lambda timeout: self._send_once(api_path, action, params or {}, timeout), action, write,
                        self)

    def _send_once(self, api_path, action, params, timeout):
        query = [("regionCode", self.region)] + list(params.items()) + [("responseFormatType", self.response_format)]
        encoded = encode_params(query)
        url = "%s%s/%s" % (self.api_url, api_path, action)
        headers = {"User-Agent": "%s %s" % (USER_AGENT, requests.utils.default_user_agent())}
        if self.method == "GET":
            request = requests.Request("GET", url + "?" + encoded, headers=headers)
        else:  # POST form, as the official Go SDK sends: the body is not part of the signature
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = requests.Request("POST", url, data=encoded, headers=headers)
        try:
            prepared = self.session.prepare_request(request)
            # Sign exactly the request target requests will send, byte for byte.
            prepared.headers.update(auth_headers(self._access_key, self._secret_key, prepared.method,
                                                 prepared.path_url))
            self.calls += 1
            response = self.session.send(prepared, timeout=timeout, verify=self.validate_certs)
            text = response.content.decode("utf-8", "replace")
        except requests.exceptions.RequestException as exc:
            raise transport_error(action, self.api_url, exc)
        return _interpret(action, response.status_code, response.headers, text)


def retrying(send, action, write, budgets):
    """send(timeout) until it succeeds, retrying what is safe within retry_timeout and the task's deadline.

    budgets: an object with timeout, retry_timeout, deadline (a backoff.Deadline or None), backoff,
    _sleep and _clock (NcpClient, s3.S3Client). A write is retried only when it surely never reached
    the service; no retry sleeps past either budget, no write starts after the deadline, and each request
    waits at most what is left of the deadline (see _request_timeout).
    """
    retry_budget = Deadline(budgets.retry_timeout, clock=budgets._clock)  # pylint: disable=protected-access
    attempt = 0
    while True:
        timeout = _request_timeout(budgets, action, write)
        try:
            return send(timeout)
        except NcpApiError as err:
            safe = err.retryable and (not write or err.reached_service is False)
            delay = err.retry_after if err.retry_after is not None else budgets.backoff.delay(attempt)
            attempt += 1
            err.attempts = attempt
            if not safe:
                raise
            if delay > retry_budget.remaining():
                err.gave_up(retry_budget.elapsed(), "retry_timeout")
                raise
            if budgets.deadline is not None and delay > budgets.deadline.remaining():
                err.gave_up(retry_budget.elapsed(), "wait_timeout")
                raise
            budgets._sleep(delay)  # pylint: disable=protected-access


# The least time one request gets under a deadline, however little of it is left: what a healthy answer of
# the gateway or of Object Storage needs (docs/design.md, "Retries, and one time budget per task").
REQUEST_FLOOR = 3.0


def _request_timeout(budgets, action, write):
    """Seconds the next request may take under the task's deadline; NcpDeadlineError when none are left.

    Before the deadline: what is left of it, never more than ``timeout`` nor less than REQUEST_FLOOR
    (``timeout`` when that is smaller). After it: no write; a read (the waiter's last look) gets the
    floor, until one ``timeout`` beyond the deadline has passed.
    """
    deadline = budgets.deadline
    if deadline is None:
        return budgets.timeout
    floor = min(budgets.timeout, REQUEST_FLOOR)
    if not deadline.expired:
        return min(budgets.timeout, max(floor, deadline.remaining()))
    if write or deadline.overrun_left(budgets.timeout) <= 0:
        raise NcpDeadlineError(action, deadline.seconds)
    return floor


def transport_error(action, url, exc):
    """An NcpApiError for a request that got no (complete) answer, named by what really happened.

    Failures no retry can mend (an invalid URL, a TLS handshake with something that does not speak
    TLS, a certificate that does not verify, a refused connection on this machine) are final at
    once; the others are retried as the caller allows.
    """
    host = urlparse(url).hostname or ""
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema, requests.exceptions.URLRequired)):
        return NcpApiError(action, "%s is not a URL requests can use (%s): check api_url / object_storage_url"
                           % (url, type(exc).__name__), reached_service=False)
    if isinstance(exc, requests.exceptions.SSLError):
        text = _chain_text(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return NcpApiError(action, "the TLS certificate of %s did not verify; fix the trust store, or set "
                               "validate_certs=false only for a test endpoint" % url, reached_service=False)
        if any(mark in text for mark in _NOT_TLS):
            return NcpApiError(action, "TLS handshake failed with %s: it does not answer in TLS (is it an http:// "
                               "endpoint given as https://?)" % url, reached_service=False)
        return NcpApiError(action, "TLS handshake failed with %s (%s)" % (url, _reason(exc)),
                           retryable=True, reached_service=False)
    if _refused(exc):
        local = _is_loopback(host)
        return NcpApiError(action, "connection refused by %s%s" % (
            url, ": nothing listens there" if local else ""), retryable=not local, reached_service=False)
    if _never_connected(exc):
        return NcpApiError(action, "could not connect to %s (%s)" % (url, _reason(exc)),
                           retryable=True, reached_service=False)
    if isinstance(exc, requests.exceptions.Timeout):
        text = "no answer from %s in time (%s)" % (url, _reason(exc))
    else:
        text = "connection to %s broke off before the answer was complete (%s)" % (url, _reason(exc))
    return NcpApiError(action, text, retryable=True, reached_service=None)


# What OpenSSL says when the other side answered the handshake with something that is not TLS.
_NOT_TLS = ("WRONG_VERSION_NUMBER", "wrong version number", "record layer failure", "unknown protocol",
            "http request", "HTTP_REQUEST")


def _chain(exc, depth=8):
    """The exception and the ones it was raised for (_cause), at most depth of them."""
    for _unused in range(depth):
        if exc is None:
            return
        yield exc
        exc = _cause(exc)


def _chain_text(exc):
    """The messages of an exception and its causes, for matching (never shown: they may be long)."""
    return " ".join("%s %s" % (type(seen).__name__, seen) for seen in _chain(exc))


def _cause(exc):
    """The exception exc was raised for, or None. ``reason`` counts only when it is an exception:
    ssl.SSLError's is OpenSSL's reason string (WRONG_VERSION_NUMBER, ...)."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, BaseException):
        return reason
    return exc.__cause__ or exc.__context__ or \
        (exc.args[0] if getattr(exc, "args", None) and isinstance(exc.args[0], BaseException) else None)


def _is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _refused(exc):
    return any(isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen) or
               "Errno 111" in str(seen) for seen in _chain(exc))


def _never_connected(exc):
    """True when the request surely never left this machine (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    seen = exc
    for _unused in range(6):
        name = type(seen).__name__
        if name in ("NewConnectionError", "NameResolutionError", "ConnectionRefusedError"):
            return True
        nxt = getattr(seen, "reason", None) or (seen.args[0] if getattr(seen, "args", None) else None)
        if not isinstance(nxt, BaseException):
            return False
        seen = nxt
    return False


def _reason(exc):
    """A short, secret-free description of a transport failure."""
    seen = exc
    while isinstance(getattr(seen, "reason", None), BaseException):
        seen = seen.reason
    return type(seen).__name__


def _interpret(action, status, headers, text):
    try:
        document = decode_body(text)
        problem = None
    except UndecodableBody as exc:
        document, problem = None, str(exc)

    if 200 <= status < 300:
        body = payload(action, document)
        if body is not None and str(body.get("returnCode", "0")) == "0":
            return body
        if body is not None:  # a 200 that says it failed
            raise NcpApiError(action, body.get("returnMessage") or "failed", status, body.get("returnCode"),
                              body.get("requestId"))
        if error_fields(document) is None:
            # A 200 we cannot read (truncated, or an HTML page): a write may have happened.
            raise NcpApiError(action, problem or "the answer has no %sResponse" % action, status,
                              retryable=True, reached_service=None)

    fields = error_fields(document)
    if fields:
        code, message, details, request_id = fields
    else:
        code, message, details, request_id = None, problem or "no error details in the answer", None, None
    code = None if code is None else str(code)
    if status == 429:
        # Rejected by the gateway before the service saw it. Without a code, assume throttling.
        throttled = code is None or code in THROTTLE_CODES
        err = NcpApiError(action, message, status, code, request_id, details,
                          retryable=throttled, reached_service=False)
        err.retry_after = _retry_after(headers)
        return _raise(err)
    if status >= 500:
        return _raise(NcpApiError(action, message, status, code, request_id, details,
                                  retryable=True, reached_service=None))
    # 4xx: the gateway refused (401, 403, 404) or the service said no (400): final either way.
    return _raise(NcpApiError(action, message, status, code, request_id, details,
                              reached_service=status == 400))


def _raise(err):
    raise err


def _retry_after(headers):
    try:
        return max(0.0, float(headers.get("Retry-After")))
    except (TypeError, ValueError):
        return None
