# -*- coding: utf-8 -*-
"""The real client against the real simulator: signing over GET and POST, and XML equal to JSON."""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.client import NcpClient
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError

CALLS = [
    ("/vcache/v2", "getCloudCacheInstanceList", {"cloudCacheInstanceNoList": ["1001"]}),
    ("/vcache/v2", "getCloudCacheManualBackupDetailList", {"cloudCacheInstanceNo": "1001"}),
    ("/vredis/v2", "getCloudRedisBucketList", {"cloudRedisInstanceNo": "2001"}),
    ("/vpostgresql/v2", "getCloudPostgresqlBackupDetailList", {"cloudPostgresqlInstanceNo": "3001", "pageNo": 0,
                                                               "pageSize": 1}),
    ("/vpostgresql/v2", "getCloudPostgresqlInstanceList", {"cloudPostgresqlServiceName": "pg-prod-1"}),
]


def as_text(value):
    """XML carries only text; compare JSON's numbers and booleans as the text XML would give.

    An empty XML element cannot tell "" from null, so both compare as "".
    """
    if isinstance(value, dict):
        return dict((key, as_text(item)) for key, item in value.items() if key != "requestId")
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


def client(ncp_sim, **kwargs):
    return NcpClient(ncp_sim.access_key, ncp_sim.secret_key, api_url=ncp_sim.api_url, region="KR", **kwargs)


@pytest.mark.parametrize("prefix, action, params", CALLS, ids=[c[1] for c in CALLS])
def test_xml_and_json_answers_decode_to_the_same_structure(ncp_sim, prefix, action, params):
    from_json = client(ncp_sim).read(prefix, action, params)
    from_xml = client(ncp_sim, response_format="xml").read(prefix, action, params)
    assert as_text(from_json) == as_text(from_xml)
    lists = [key for key in from_json if key.endswith("List")]
    assert lists and all(isinstance(from_xml[key], list) for key in lists)


def test_one_row_pages_stay_lists_in_xml(ncp_sim):
    body = client(ncp_sim, response_format="xml").read(
        "/vpostgresql/v2", "getCloudPostgresqlBackupDetailList",
        {"cloudPostgresqlInstanceNo": "3001", "pageNo": 0, "pageSize": 1})
    assert len(body["cloudPostgresqlBackupDetailList"]) == 1 and int(body["totalRows"]) == 30


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_gateway_accepts_our_signature_over_get_and_post(ncp_sim, method):
    body = client(ncp_sim, method=method).read("/vcache/v2", "getCloudCacheInstanceList",
                                               {"cloudCacheServiceName": "cache prod/1 & more"})
    assert body["returnCode"] == "0"
    (entry,) = ncp_sim.requests("getCloudCacheInstanceList")
    assert entry["method"] == method and entry["status"] == 200
    assert entry["params"]["cloudCacheServiceName"] == "cache prod/1 & more"


def test_a_wrong_key_is_refused_by_the_gateway(ncp_sim):
    wrong = NcpClient(ncp_sim.access_key, "wrong-secret", api_url=ncp_sim.api_url, region="KR")
    with pytest.raises(NcpApiError) as caught:
        wrong.read("/vcache/v2", "getCloudCacheInstanceList")
    assert (caught.value.status, caught.value.code) == (401, "200")
    assert "wrong-secret" not in str(caught.value)
