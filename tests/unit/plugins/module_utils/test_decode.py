# -*- coding: utf-8 -*-
"""JSON and XML answers decode into the same structure; error bodies are recognised in both."""

from __future__ import annotations

import json

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.decode import (
    UndecodableBody, decode_body, error_fields, payload)

JSON_ONE = json.dumps({"getCloudRedisManualBackupDetailListResponse": {
    "requestId": "r-1", "returnCode": "0", "returnMessage": "success", "totalRows": 1,
    "cloudRedisBackupDetailList": [{"fileName": "a.rdb", "startTime": "2024-07-02T11:58:45+0900",
                                    "endTime": "2024-07-02T11:58:45+0900", "backupSize": 525}]}})

XML_ONE = """<?xml version="1.0" encoding="UTF-8"?>
<getCloudRedisManualBackupDetailListResponse>
  <requestId>r-1</requestId><returnCode>0</returnCode><returnMessage>success</returnMessage>
  <totalRows>1</totalRows>
  <cloudRedisBackupDetailList>
    <cloudRedisBackupDetail>
      <fileName>a.rdb</fileName><startTime>2024-07-02T11:58:45+0900</startTime>
      <endTime>2024-07-02T11:58:45+0900</endTime><backupSize>525</backupSize>
    </cloudRedisBackupDetail>
  </cloudRedisBackupDetailList>
</getCloudRedisManualBackupDetailListResponse>"""


def test_one_element_xml_list_is_a_list_like_json():
    from_json = payload("getCloudRedisManualBackupDetailList", decode_body(JSON_ONE))
    from_xml = payload("getCloudRedisManualBackupDetailList", decode_body(XML_ONE))
    assert isinstance(from_xml["cloudRedisBackupDetailList"], list)
    assert [row["fileName"] for row in from_xml["cloudRedisBackupDetailList"]] == ["a.rdb"]
    # XML carries text only; the keys and nesting are the same as JSON's.
    assert from_xml["cloudRedisBackupDetailList"][0].keys() == from_json["cloudRedisBackupDetailList"][0].keys()


def test_xml_lists_of_two_empty_and_nested():
    text = """<getCloudCacheInstanceListResponse><returnCode>0</returnCode>
      <cloudCacheInstanceList>
        <cloudCacheInstance><cloudCacheInstanceNo>1</cloudCacheInstanceNo>
          <cloudCacheServerInstanceList><cloudCacheServerInstance><a>x</a></cloudCacheServerInstance>
          </cloudCacheServerInstanceList>
          <accessControlGroupNoList/>
          <cloudCacheInstanceStatus><code>CREAT</code><codeName>Created</codeName></cloudCacheInstanceStatus>
        </cloudCacheInstance>
        <cloudCacheInstance><cloudCacheInstanceNo>2</cloudCacheInstanceNo></cloudCacheInstance>
      </cloudCacheInstanceList></getCloudCacheInstanceListResponse>"""
    body = payload("getCloudCacheInstanceList", decode_body(text))
    first, second = body["cloudCacheInstanceList"]
    assert (first["cloudCacheInstanceNo"], second["cloudCacheInstanceNo"]) == ("1", "2")
    assert first["cloudCacheServerInstanceList"] == [{"a": "x"}]
    assert first["accessControlGroupNoList"] == []
    assert first["cloudCacheInstanceStatus"] == {"code": "CREAT", "codeName": "Created"}


def test_gateway_and_service_errors_in_json_and_xml():
    gateway = decode_body('{"error": {"errorCode": 200, "message": "Authentication Failed", '
                          '"details": "Invalid authentication information."}}')
    assert error_fields(gateway) == (200, "Authentication Failed", "Invalid authentication information.", None)
    service_json = decode_body('{"responseError": {"returnCode": "5001017", "returnMessage": "not found"}}')
    service_xml = decode_body("<responseError><returnCode>5001017</returnCode>"
                              "<returnMessage>not found</returnMessage></responseError>")
    assert error_fields(service_json) == error_fields(service_xml) == ("5001017", "not found", None, None)
    assert error_fields(decode_body(JSON_ONE)) is None


@pytest.mark.parametrize("text", [
    "<html><body><h1>502 Bad Gateway</h1></body></html>",
    "<!DOCTYPE html><html></html>",
    '{"getCloudRedisManualBackupDetailListResponse": {"requestId": "r-1", "retu',
    "<getCloudCacheInstanceListResponse><returnCode>0</retur",
    "",
    "Service Unavailable",
])
def test_html_truncated_and_empty_bodies_are_undecodable(text):
    with pytest.raises(UndecodableBody):
        decode_body(text)


def test_payload_of_another_action_is_none():
    assert payload("createCloudCacheManualBackup", decode_body(JSON_ONE)) is None
