# -*- coding: utf-8 -*-
"""Credential and endpoint lookup: option, then environment, then ~/.ncloud/configure."""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError
from ansible_collections.ncp.clouddb.plugins.module_utils.settings import resolve


@pytest.fixture
def home(tmp_path):
    return str(tmp_path)


def write_configure(home, text):
    folder = __import__("os").path.join(home, ".ncloud")
    __import__("os").makedirs(folder)
    with open(folder + "/configure", "w") as handle:
        handle.write(text)


def test_option_beats_environment_and_file(home):
    write_configure(home, "ncloud_access_key_id = FILE-AK\nncloud_secret_access_key = FILE-SK\n")
    env = {"NCLOUD_ACCESS_KEY": "ENV-AK", "NCLOUD_SECRET_KEY": "ENV-SK"}
    got = resolve({"access_key": "OPT-AK", "secret_key": "OPT-SK"}, env, home)
    assert (got["access_key"], got["secret_key"]) == ("OPT-AK", "OPT-SK")


def test_environment_beats_file_and_first_variable_name_wins(home):
    write_configure(home, "ncloud_access_key_id=FILE-AK\nncloud_secret_access_key=FILE-SK\n")
    env = {"NCLOUD_ACCESS_KEY": "ENV-AK", "NCLOUD_ACCESS_KEY_ID": "ENV-AK-ID",
           "NCLOUD_SECRET_ACCESS_KEY": "ENV-SAK"}
    got = resolve({}, env, home)
    assert (got["access_key"], got["secret_key"]) == ("ENV-AK", "ENV-SAK")


def test_file_is_the_last_resort_and_keeps_equals_signs_in_values(home):
    write_configure(home, "# NCP CLI\nncloud_access_key_id=FILE-AK\nncloud_secret_access_key=abc=def==\n")
    got = resolve({}, {}, home)
    assert (got["access_key"], got["secret_key"]) == ("FILE-AK", "abc=def==")


def test_region_and_gateway_defaults_and_environment(home):
    keys = {"access_key": "a", "secret_key": "b"}
    got = resolve(keys, {}, home)
    assert (got["region"], got["api_url"]) == ("KR", "https://ncloud.apigw.ntruss.com")
    got = resolve(keys, {"NCLOUD_REGION": "JPN", "NCLOUD_API_GW": "https://ncloud.apigw.gov-ntruss.com"}, home)
    assert (got["region"], got["api_url"]) == ("JPN", "https://ncloud.apigw.gov-ntruss.com")
    got = resolve(dict(keys, region="SGN", api_url="http://127.0.0.1:9"), {"NCLOUD_REGION": "JPN"}, home)
    assert (got["region"], got["api_url"]) == ("SGN", "http://127.0.0.1:9")


def test_missing_credentials_name_all_three_ways(home):
    with pytest.raises(NcpConfigError) as caught:
        resolve({"access_key": "only-this"}, {}, home)
    text = str(caught.value)
    assert "secret_key" in text and "access_key and secret_key" in text
    for way in ("NCLOUD_SECRET_KEY", "NCLOUD_SECRET_ACCESS_KEY", ".ncloud/configure", "ncloud_secret_access_key"):
        assert way in text
