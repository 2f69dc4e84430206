# -*- coding: utf-8 -*-
"""The gateway signature: the known vector, and agreement with the official SDK's signer."""

import pytest

from ncpsim.signing import make_signature

VECTOR_URI = "/vredis/v2/getCloudRedisBackupList?regionCode=KR&responseFormatType=json"
VECTOR = "uUE7tJg2oiDAVkVtVLkGyAqyde7elmBX/MnTJ6vMyKo="


def test_known_vector():
    assert make_signature("SECRETEXAMPLE", "GET", VECTOR_URI, "1700000000000", "AKIDEXAMPLE") == VECTOR


@pytest.mark.parametrize("method, path, query", [
    ("GET", "/getCloudRedisBackupList", [("regionCode", "KR"), ("responseFormatType", "json")]),
    ("POST", "/exportBackupToObjectStorage", []),
    ("GET", "/getCloudPostgresqlBackupDetailList", [("cloudPostgresqlInstanceNo", "3001"), ("pageNo", "0"),
                                                    ("pageSize", "25")]),
])
def test_agrees_with_official_sdk(method, path, query):
    """ncloud-sdk (PyPI) signs with ApiClient.make_signature; both must give the same value."""
    api_client = pytest.importorskip("ncloud_vserver.api_client")
    configuration = pytest.importorskip("ncloud_vserver.configuration")
    config = configuration.Configuration()
    config.host = "https://ncloud.apigw.ntruss.com/vredis/v2"
    config.access_key = "AKIDEXAMPLE"
    config.secret_key = "SECRETEXAMPLE"
    client = api_client.ApiClient(config)
    theirs = client.make_signature(method, path, query, "1700000000000")
    theirs = theirs.decode("ascii") if isinstance(theirs, bytes) else theirs
    uri = "/vredis/v2" + path + ("?" + "&".join("%s=%s" % kv for kv in query) if query else "")
    assert make_signature("SECRETEXAMPLE", method, uri, "1700000000000", "AKIDEXAMPLE") == theirs
    if (method, path) == ("GET", "/getCloudRedisBackupList"):
        assert theirs == VECTOR
