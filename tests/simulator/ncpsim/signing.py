# -*- coding: utf-8 -*-
"""The API Gateway signature, computed independently of the collection's own client code.

message = METHOD + " " + URI + "\\n" + timestamp + "\\n" + access_key, where URI is the request
target exactly as received (path, plus "?" and the raw query string when there is one); a body is
never signed. signature = base64(HMAC-SHA256(secret_key, message)).
"""

import base64
import hashlib
import hmac


def make_signature(secret_key, method, uri, timestamp, access_key):
    """Return the base64 signature the gateway expects for one request."""
    message = "%s %s\n%s\n%s" % (method, uri, timestamp, access_key)
    digest = hmac.new(secret_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(expected, given):
    """Constant-time comparison, so the check itself leaks nothing about the right value."""
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))
