# -*- coding: utf-8 -*-
"""How an exported backup is recognised in a bucket, and which Object Storage endpoint goes with a gateway."""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import endpoint_for, is_backup_object


@pytest.mark.parametrize("key", [
    "20261121", "pg-prod-1/20261121", "exports/3001/20261121", "pg-prod-1/20261121.tar.gz", "a/b/20261121.gz",
])
def test_keys_that_are_the_backup(key):
    assert is_backup_object(key, "20261121")


@pytest.mark.parametrize("key", [
    "202611211", "pg-prod-1/x20261121", "20261121/other", "pg/20261121-old", "pg/2026112",
])
def test_keys_that_are_not(key):
    assert not is_backup_object(key, "20261121")


def test_endpoints_per_region_and_cloud():
    public = "https://ncloud.apigw.ntruss.com"
    assert endpoint_for("KR", public) == ("https://kr.object.ncloudstorage.com", "kr-standard")
    assert endpoint_for("JPN", public) == ("https://jp.object.ncpstorage.com", "jp-standard")
    assert endpoint_for("KR", "https://ncloud.apigw.gov-ntruss.com")[0] == "https://kr.object.gov-ncloudstorage.com"
    assert endpoint_for("FKR", "https://fin-ncloud.apigw.fin-ntruss.com")[0] == "https://kr.object.fin-ncloudstorage.com"
    assert endpoint_for("KR", public, "http://127.0.0.1:9000/")[0] == "http://127.0.0.1:9000"
    with pytest.raises(ValueError, match="object_storage_url"):
        endpoint_for("XX", public)
