# -*- coding: utf-8 -*-
"""What the API Gateway itself answers: its error table and the authentication check.

The table is the legacy gateway's (NCP guide slug api-call-lgc-errorhandling, see
docs/api-facts.md): errorCode -> (HTTP status, message).
"""

from .signing import make_signature, signature_matches

GATEWAY_ERRORS = {
    "100": (400, "Bad Request Exception"),
    "200": (401, "Authentication Failed"),
    "210": (401, "Permission Denied"),
    "230": (403, "Forbidden"),
    "300": (404, "Not Found Exception"),
    "400": (429, "Quota Exceeded"),
    "410": (429, "Throttle Limited"),
    "420": (429, "Rate Limited"),
    "430": (413, "Request Entity Too Large"),
    "500": (503, "Endpoint Error"),
    "510": (504, "Endpoint Timeout"),
    "900": (500, "Unexpected Error"),
}

TIMESTAMP_HEADER = "x-ncp-apigw-timestamp"
ACCESS_KEY_HEADER = "x-ncp-iam-access-key"
# The guide documents -v2; the official SDKs send the same value as -v1. -v2 wins when both come.
SIGNATURE_HEADERS = ("x-ncp-apigw-signature-v2", "x-ncp-apigw-signature-v1")

MISSING = "Authentication information are missing."
INVALID = "Invalid authentication information."
NOT_FOUND = "URL not found."


class GatewayError(Exception):
    """A gateway-level refusal: HTTP status, errorCode, message and details."""

    def __init__(self, error_code, details):
        super(GatewayError, self).__init__(details)
        self.error_code = error_code
        self.status, self.message = GATEWAY_ERRORS[error_code]
        self.details = details


def signature_header(headers):
    """(header name, value) of the signature the request carries, or (None, None)."""
    for name in SIGNATURE_HEADERS:
        value = headers.get(name)
        if value:
            return name, value
    return None, None


def authenticate(headers, method, target, secrets, now_ms, max_skew_ms):
    """Check one request as the gateway does; raise GatewayError, return the access key if good.

    target is the raw request target (path and query exactly as received); secrets maps access
    keys to secret keys. A timestamp too far from the gateway clock gets the same answer as a bad
    signature (simulator assumption: NCP documents no distinct message for it).
    """
    timestamp = headers.get(TIMESTAMP_HEADER)
    access_key = headers.get(ACCESS_KEY_HEADER)
    _name, given = signature_header(headers)
    if not timestamp or not access_key or not given:
        raise GatewayError("200", MISSING)
    secret = secrets.get(access_key)
    if secret is None:
        raise GatewayError("200", INVALID)
    if not signature_matches(make_signature(secret, method, target, timestamp, access_key), given):
        raise GatewayError("200", INVALID)
    try:
        skew = abs(int(timestamp) - now_ms)
    except ValueError:
        raise GatewayError("200", INVALID)
    if skew > max_skew_ms:
        raise GatewayError("200", INVALID)
    return access_key


def authorize(access_key, action, denied):
    """Refuse an authenticated caller an action its policy lacks, as the gateway does: 401, errorCode 210.

    denied maps access keys to the actions refused to them (scenario credentials' denied_actions).
    """
    if action in denied.get(access_key, ()):
        raise GatewayError("210", None)   # the documented body has no details
