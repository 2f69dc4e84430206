# -*- coding: utf-8 -*-
"""The gateway signature, checked against vectors computed outside Python and against NCP's own SDK."""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.signing import auth_headers, signature

# Each expected value was computed with OpenSSL, independently of this code:
#   printf '%s' "$METHOD $URI"$'\n'"$TIMESTAMP"$'\n'"$ACCESS_KEY" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
VECTORS = [
    ("AKIDEXAMPLE", "SECRETEXAMPLE", "GET",
     "/vredis/v2/getCloudRedisBackupList?regionCode=KR&responseFormatType=json", "1700000000000",
     "uUE7tJg2oiDAVkVtVLkGyAqyde7elmBX/MnTJ6vMyKo="),
    ("NCPSIM-ACCESS-KEY", "ncpsim-secret-do-not-log", "GET",
     "/vcache/v2/createCloudCacheManualBackup?regionCode=KR&cloudCacheInstanceNo=821&responseFormatType=json",
     "1763800000000", "UB1rnW7I6oAVicMfTR+NTdV6v4UOpRAnIU0Zc+IGVkI="),
    ("AKIDEXAMPLE", "SECRETEXAMPLE", "POST", "/vpostgresql/v2/exportBackupToObjectStorage", "1763800000123",
     "tQvcZjLPpt8HikyruhxHaVrBIAQ/djZIWjCVIA+Zeg4="),
    ("AKIDEXAMPLE", "SECRETEXAMPLE", "GET",
     "/vcache/v2/getCloudCacheInstanceList?regionCode=KR&cloudCacheServiceName=my%20cache%2Fblue&responseFormatType=json",
     "1763800000000", "ECMWPvIBv9xD5QdOCkZeMdLy6hMBBV1azGtmt7QJSOM="),
]


@pytest.mark.parametrize("access_key, secret_key, method, uri, timestamp, expected", VECTORS)
def test_signature_matches_openssl_vectors(access_key, secret_key, method, uri, timestamp, expected):
    assert signature(secret_key, method, uri, timestamp, access_key) == expected


def test_signature_matches_the_official_python_sdk():
    # NCP's own SDK (PyPI ncloud-sdk) signs the same message; it sends it as -v1, which the gateway accepts.
    from ncloud_vserver.api_client import ApiClient
    from ncloud_vserver.configuration import Configuration

    config = Configuration()
    config.host = "https://ncloud.apigw.ntruss.com/vcache/v2"
    config.access_key, config.secret_key = "AKIDEXAMPLE", "SECRETEXAMPLE"
    sdk = ApiClient(config)
    query = [("regionCode", "KR"), ("cloudCacheInstanceNo", "1001"), ("responseFormatType", "xml")]
    expected = sdk.make_signature("GET", "/getCloudCacheManualBackupDetailList", query, "1763800000000").decode()
    uri = "/vcache/v2/getCloudCacheManualBackupDetailList?regionCode=KR&cloudCacheInstanceNo=1001&responseFormatType=xml"
    assert signature("SECRETEXAMPLE", "GET", uri, "1763800000000", "AKIDEXAMPLE") == expected


def test_auth_headers_carry_timestamp_key_and_v2_signature():
    headers = auth_headers("AKIDEXAMPLE", "SECRETEXAMPLE", "GET",
                           "/vredis/v2/getCloudRedisBackupList?regionCode=KR&responseFormatType=json",
                           timestamp_ms=1700000000000)
    assert headers == {
        "x-ncp-apigw-timestamp": "1700000000000",
        "x-ncp-iam-access-key": "AKIDEXAMPLE",
        "x-ncp-apigw-signature-v2": "uUE7tJg2oiDAVkVtVLkGyAqyde7elmBX/MnTJ6vMyKo=",
    }


def test_fresh_timestamp_is_milliseconds_now():
    import time
    before = int(time.time() * 1000)
    stamp = int(auth_headers("a", "b", "GET", "/x")["x-ncp-apigw-timestamp"])
    assert before <= stamp <= int(time.time() * 1000)
