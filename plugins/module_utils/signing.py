# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NCP API Gateway signature v2.

message = METHOD + " " + URI + "\\n" + timestamp + "\\n" + access_key, where URI is the path with
its query string exactly as it goes on the wire (never a body); signature =
base64(HMAC-SHA256(secret_key, message)). Source: docs/api-facts.md ("Gateway and signing").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

TIMESTAMP_HEADER = "x-ncp-apigw-timestamp"
ACCESS_KEY_HEADER = "x-ncp-iam-access-key"
SIGNATURE_HEADER = "x-ncp-apigw-signature-v2"


def signature(secret_key, method, uri, timestamp, access_key):
    """Return the base64 signature of one request; uri is the path plus query as sent."""
    message = "%s %s\n%s\n%s" % (method.upper(), uri, timestamp, access_key)
    digest = hmac.new(secret_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def auth_headers(access_key, secret_key, method, uri, timestamp_ms=None):
    """The three gateway headers for one request (a fresh timestamp unless one is given)."""
    timestamp = str(int(time.time() * 1000) if timestamp_ms is None else timestamp_ms)
    return {
        TIMESTAMP_HEADER: timestamp,
        ACCESS_KEY_HEADER: access_key,
        SIGNATURE_HEADER: signature(secret_key, method, uri, timestamp, access_key),
    }
