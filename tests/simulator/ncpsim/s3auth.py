# -*- coding: utf-8 -*-
"""AWS Signature Version 4 as NCP's S3-compatible stores take it, checked by the S3 front.

Both stores document SigV4 with the NCP API keys (storage-objectstorage: "Signature Version 2 and
Signature Version 4", the guide based on 4; storage-ncloudstorage: "AWS Signature Version 4").
The front recomputes the signature from what it received: method, path as sent, query, the signed
headers and x-amz-content-sha256 (which, when a hash, must be the body's). Version 2 and presigned
URLs are refused (stricter than NCP, which documents Version 2 for Object Storage).
"""

import datetime
import hashlib
import hmac
import re
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"
_AUTH = re.compile(r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/"
                   r"(?P<service>[^/,\s]+)/aws4_request,\s*SignedHeaders=(?P<signed>[^,\s]+),\s*"
                   r"Signature=(?P<signature>[0-9a-f]{64})$")
UNHASHED = ("UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
MAX_SKEW = datetime.timedelta(minutes=15)


class SignatureProblem(Exception):
    """Why a request's signature is not accepted: HTTP status, S3 error code, message."""

    def __init__(self, status, code, message):
        super(SignatureProblem, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _uri_encode(text):
    return quote(text, safe="-_.~")


def canonical_query(pairs):
    return "&".join("%s=%s" % (_uri_encode(k), _uri_encode(v)) for k, v in sorted(pairs))


def _sign(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, date, region, service):
    key = _sign(("AWS4" + secret).encode("utf-8"), date)
    for part in (region, service, "aws4_request"):
        key = _sign(key, part)
    return key


def access_key_of(authorization):
    """The access key an Authorization header names (SigV4 or V2), or None."""
    match = re.match(r"^AWS4-HMAC-SHA256 Credential=([^/,\s]+)/", authorization or "") or \
        re.match(r"^AWS ([^:\s]+):", authorization or "")
    return match.group(1) if match else None


def verify(method, raw_path, query_pairs, headers, body, secrets, regions, now):
    """Check one request; raise SignatureProblem, return the access key when it is good.

    raw_path is the path exactly as the client sent it (percent-encoded once); headers a
    case-insensitive mapping; regions the credential-scope region names this host documents.
    """
    authorization = headers.get("Authorization") or ""
    if authorization.startswith("AWS "):
        raise SignatureProblem(400, "InvalidRequest", "ncpsim: only Signature Version 4 is checked; use it")
    if any(name.lower() in ("x-amz-signature", "x-amz-credential") for name, _value in query_pairs):
        raise SignatureProblem(403, "AccessDenied", "ncpsim: presigned URLs are not taken")
    match = _AUTH.match(authorization)
    if not match:
        raise SignatureProblem(403, "AccessDenied", "Access Denied (ncpsim: requests must be signed with "
                                                    "AWS Signature Version 4)")
    access_key = match.group("key")
    if access_key not in secrets:
        raise SignatureProblem(403, "InvalidAccessKeyId",
                               "The AWS Access Key Id you provided does not exist in our records.")
    if match.group("service") != "s3":
        raise SignatureProblem(400, "AuthorizationHeaderMalformed", "the service must be s3")
    if match.group("region") not in regions:
        raise SignatureProblem(400, "AuthorizationHeaderMalformed",
                               "The authorization header is malformed; the region '%s' is wrong; expecting '%s'"
                               % (match.group("region"), "' or '".join(regions)))
    amz_date = headers.get("x-amz-date") or ""
    try:
        moment = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise SignatureProblem(403, "AccessDenied", "ncpsim: x-amz-date is missing or not YYYYMMDDTHHMMSSZ")
    if amz_date[:8] != match.group("date"):
        raise SignatureProblem(403, "SignatureDoesNotMatch", "the credential date is not the x-amz-date day")
    if abs(moment - now) > MAX_SKEW:
        raise SignatureProblem(403, "RequestTimeTooSkewed",
                               "The difference between the request time and the current time is too large.")
    payload = headers.get("x-amz-content-sha256")
    if not payload:
        raise SignatureProblem(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
    if payload not in UNHASHED and payload != hashlib.sha256(body).hexdigest():
        raise SignatureProblem(400, "XAmzContentSHA256Mismatch",
                               "The provided 'x-amz-content-sha256' header does not match what was computed.")
    signed = match.group("signed").split(";")
    if "host" not in signed:
        raise SignatureProblem(403, "AccessDenied", "ncpsim: the Host header must be signed")
    lines = []
    for name in signed:
        value = headers.get(name)
        if value is None:
            raise SignatureProblem(403, "SignatureDoesNotMatch", "signed header %s is missing" % name)
        lines.append("%s:%s\n" % (name, " ".join(value.split())))
    canonical = "\n".join([method, raw_path, canonical_query(query_pairs), "".join(lines), ";".join(signed), payload])
    scope = "/".join([match.group("date"), match.group("region"), "s3", "aws4_request"])
    text = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = signing_key(secrets[access_key], match.group("date"), match.group("region"), "s3")
    expected = hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match.group("signature")):
        raise SignatureProblem(403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                                                             "the signature you provided.")
    return access_key
