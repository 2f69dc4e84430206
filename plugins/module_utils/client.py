# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one client every ncp.clouddb module talks to NCP through.

It signs each request (signing.py), sends it, decodes JSON or XML (decode.py), turns every failure
into an NcpApiError (errors.py) and retries what is safe to retry:

* reads: throttling (HTTP 429 with errorCode 410/420), 5xx, dropped connections, timeouts and
  undecodable answers, with capped exponential backoff and jitter, until ``retry_timeout``
  seconds are spent;
* writes (create, export): only failures that surely never reached the service (connection
  refused, throttled by the gateway). After an ambiguous failure the error says so
  (``err.ambiguous``) and the caller re-reads state before deciding anything, so that a retry can
  never make a second backup.
"""

from __future__ import annotations

import time

from urllib.parse import quote, urlencode

try:
    import requests
    HAS_REQUESTS = True
except ImportError:
    requests = None
    HAS_REQUESTS = False

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff, Deadline
from ansible_collections.ncp.clouddb.plugins.module_utils.decode import (
    UndecodableBody, decode_body, error_fields, payload)
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import THROTTLE_CODES, NcpApiError
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


class NcpClient:
    """Signed, retried calls to one NCP API Gateway."""

    def __init__(self, access_key, secret_key, api_url=DEFAULT_API_URL, region=None, timeout=30,
                 validate_certs=True, retry_timeout=60, method="GET", response_format="json",
                 session=None, sleep=time.sleep, clock=time.monotonic, backoff=None):
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
        self.calls = 0  # requests actually sent, for results and benchmarks

    def __repr__(self):
        # Never the keys: this object may end up in a traceback.
        return "NcpClient(api_url=%r, region=%r)" % (self.api_url, self.region)

    @property
    def session(self):
        if self._session is None:
            self._session = requests.Session()
        return self._session

    def read(self, prefix, action, params=None):
        """Call an action that changes nothing; retried within retry_timeout."""
        return self._call(prefix, action, params, write=False)

    def write(self, prefix, action, params=None):
        """Call an action that changes something; retried only when it surely did not arrive."""
        return self._call(prefix, action, params, write=True)

    def _call(self, prefix, action, params, write):
        deadline = Deadline(self.retry_timeout, clock=self._clock)
        attempt = 0
        while True:
            try:
                return self._send_once(prefix, action, params or {})
            except NcpApiError as err:
                safe = err.retryable and (not write or err.reached_service is False)
                delay = err.retry_after if err.retry_after is not None else self.backoff.delay(attempt)
                attempt += 1
                err.attempts = attempt
                if not safe or delay > deadline.remaining():
                    if safe:
                        err.gave_up_after = deadline.elapsed()
                    raise
                self._sleep(delay)

    def _send_once(self, prefix, action, params):
        query = [("regionCode", self.region)] + list(params.items()) + [("responseFormatType", self.response_format)]
        encoded = encode_params(query)
        url = "%s%s/%s" % (self.api_url, prefix, action)
        headers = {"User-Agent": "%s %s" % (USER_AGENT, requests.utils.default_user_agent())}
        if self.method == "GET":
            request = requests.Request("GET", url + "?" + encoded, headers=headers)
        else:  # POST form, as the official Go SDK sends: the body is not part of the signature
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = requests.Request("POST", url, data=encoded, headers=headers)
        prepared = self.session.prepare_request(request)
        # Sign exactly the request target requests will send, byte for byte.
        prepared.headers.update(auth_headers(self._access_key, self._secret_key, prepared.method, prepared.path_url))
        self.calls += 1
        try:
            response = self.session.send(prepared, timeout=self.timeout, verify=self.validate_certs)
            text = response.content.decode("utf-8", "replace")
        except requests.exceptions.RequestException as exc:
            raise _transport_error(action, self.api_url, exc)
        return _interpret(action, response.status_code, response.headers, text)


def _transport_error(action, api_url, exc):
    """An NcpApiError for a request that got no (complete) answer."""
    if _never_connected(exc):
        return NcpApiError(action, "could not connect to %s (%s)" % (api_url, _reason(exc)),
                           retryable=True, reached_service=False)
    if isinstance(exc, requests.exceptions.Timeout):
        text = "no answer from %s in time (%s)" % (api_url, _reason(exc))
    else:
        text = "connection to %s broke off before the answer was complete (%s)" % (api_url, _reason(exc))
    return NcpApiError(action, text, retryable=True, reached_service=None)


def _never_connected(exc):
    """True when the request surely never left this machine (refused, DNS, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.SSLError):
        return True  # the TLS handshake failed: no request was sent
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
