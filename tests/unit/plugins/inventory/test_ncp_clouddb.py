# -*- coding: utf-8 -*-
"""The inventory plugin ncp.clouddb.ncp_clouddb over a fake NCP gateway (a requests.Session whose send()
answers like the API): what it asks for, and the hosts, variables and groups it makes of the answers.

The rows below have the shapes of docs/api-facts.md and tests/simulator/ncpsim/rows.py: instance
fields, CommonCodes for status and roles, server instance lists with zone codes.
"""

from __future__ import annotations

import functools
import json
import os
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import yaml

from ansible import context
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.module_utils.common.collections import ImmutableDict
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.ncp.clouddb.plugins.inventory import ncp_clouddb as plugin_module
from ansible_collections.ncp.clouddb.plugins.module_utils.client import NcpClient
from ansible_collections.ncp.clouddb.plugins.module_utils.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

NAME = "ncp.clouddb.ncp_clouddb"
ACCESS = "AKID-INVENTORY-TEST"
SECRET = "inventory-secret-never-shown"
API_URL = "https://gw.inventory.example"
PREFIXES = {"cache": "/vcache/v2", "redis": "/vredis/v2", "postgresql": "/vpostgresql/v2", "mysql": "/vmysql/v2",
            "mongodb": "/vmongodb/v2", "mssql": "/vmssql/v2"}
STEMS = {"cache": "cloudCache", "redis": "cloudRedis", "postgresql": "cloudPostgresql", "mysql": "cloudMysql",
         "mongodb": "cloudMongoDb", "mssql": "cloudMssql"}
ACTIONS = {"cache": "getCloudCacheInstanceList", "redis": "getCloudRedisInstanceList",
           "postgresql": "getCloudPostgresqlInstanceList", "mysql": "getCloudMysqlInstanceList",
           "mongodb": "getCloudMongoDbInstanceList", "mssql": "getCloudMssqlInstanceList"}
ENGINE_VERSIONS = {"postgresql": "14.11", "mysql": "8.0.36"}


# ---- rows in the API's shapes -------------------------------------------------------------------

def code(value, name=None):
    return {"code": value, "codeName": name or value}


def server(kind, number, name, role="M", status="running", zone="KR-1", region="KR"):
    stem = STEMS[kind]
    return {
        stem + "ServerInstanceNo": number,
        stem + "ServerName": name,
        stem + "ServerRole": code(role, {"M": "Master", "S": "Standby Master"}.get(role)),
        stem + "ServerInstanceStatusName": status,
        stem + "ServerInstanceStatus": code("RUN", "Running"),
        "regionCode": region,
        "zoneCode": zone,
    }


def row(kind, number, name, status="running", servers=None, **fields):
    """One Cloud<Stem>Instance row; fields override or add top-level keys."""
    stem = STEMS[kind]
    result = {stem + "InstanceNo": number}
    if kind == "cache":
        result["cloudCacheDbmsCode"] = "Valkey"
    result.update({
        stem + "ServiceName": name,
        stem + "InstanceStatusName": status,
        stem + "InstanceStatus": code("CREAT", "CLOUD DATABASE(VPC) Created"),
        stem + "InstanceOperation": code("NULL", "CLOUD DATABASE(VPC) Null OP"),
        "engineVersion": ENGINE_VERSIONS.get(kind, "7.2.5"),
        "isHa": False,
        "isBackup": True,
        "backupFileRetentionPeriod": 7,
        "backupTime": "03:00",
        "createDate": "2024-07-02T11:58:45+0900",
    })
    if kind in ("cache", "redis"):
        result["shardCount"] = 0
    result[stem + "ServerInstanceList"] = servers if servers is not None else [server(kind, number + "1", name + "-001")]
    result.update(fields)
    return result


# ---- the fake gateway ---------------------------------------------------------------------------

def xml_of(tag, value):
    """XML the way NCP writes it: lists hold one element per item, named after the type."""
    if isinstance(value, dict):
        return "<%s>%s</%s>" % (tag, "".join(xml_of(k, v) for k, v in value.items()), tag)
    if isinstance(value, list):
        item = tag[:-4] if tag.endswith("List") else "item"
        return "<%s>%s</%s>" % (tag, "".join(xml_of(item, v) for v in value), tag)
    if isinstance(value, bool):
        value = "true" if value else "false"
    return "<%s>%s</%s>" % (tag, "" if value is None else value, tag)


class FakeGateway(requests.Session):
    """Answers get<Stem>InstanceList from instances[(kind, region)], paged like the API (pageNo from 0).

    It checks each request's signature against ACCESS/SECRET (401 otherwise) and logs
    (action, params) of every request. ignore_paging answers the first page whatever pageNo says;
    fail is a list of HTTP statuses to answer first; xml answers in XML; no_total leaves out totalRows.
    """

    def __init__(self, instances=None, ignore_paging=False, xml=False, fail=None, secret=SECRET, no_total=False,
                 denied=()):
        super().__init__()
        self.denied = denied      # (kind, region) pairs refused as NCP refuses a credential an action: 401, 210
        self.no_total = no_total
        self.instances = instances or {}
        self.ignore_paging = ignore_paging
        self.xml = xml
        self.fail = list(fail or [])
        self.secret = secret
        self.calls = []

    MAX_CALLS = 100

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        action = parts.path.rsplit("/", 1)[1]
        params = dict(parse_qsl(parts.query))
        self.calls.append((action, params))
        if len(self.calls) > self.MAX_CALLS:
            raise AssertionError("more than %d requests: the plugin does not stop paging" % self.MAX_CALLS)
        headers = request.headers
        expected = signature(self.secret, request.method, request.path_url, headers.get(TIMESTAMP_HEADER), ACCESS)
        if headers.get("x-ncp-iam-access-key") != ACCESS or headers.get(SIGNATURE_HEADER) != expected:
            return self._answer(401, {"error": {"errorCode": "200", "message": "Authentication Failed",
                                                "details": "Invalid authentication information."}})
        kind = next(k for k, a in ACTIONS.items() if a == action)
        if (kind, params.get("regionCode")) in self.denied:
            return self._answer(401, {"error": {"errorCode": "210", "message": "Permission Denied"}})
        if self.fail:
            return self._answer(self.fail.pop(0), "<html><body>503 Service Temporarily Unavailable</body></html>")
        kind = next(k for k, a in ACTIONS.items() if a == action)
        assert parts.path == PREFIXES[kind] + "/" + action
        rows = self.instances.get((kind, params.get("regionCode")), [])
        shown = rows
        if "pageSize" in params:
            size = int(params["pageSize"])
            number = 0 if self.ignore_paging else int(params["pageNo"])
            shown = rows[number * size:(number + 1) * size]
        body = {"totalRows": len(rows), STEMS[kind] + "InstanceList": shown,
                "requestId": "req-%d" % len(self.calls), "returnCode": "0", "returnMessage": "success"}
        if self.no_total:
            del body["totalRows"]
        return self._answer(200, {action + "Response": body})

    def _answer(self, status, body):
        response = requests.Response()
        response.status_code = status
        if isinstance(body, dict) and self.xml and status == 200:
            ((tag, content),) = body.items()
            text = '<?xml version="1.0" encoding="UTF-8"?>' + xml_of(tag, content)
        else:
            text = json.dumps(body) if isinstance(body, dict) else body
        response._content = text.encode("utf-8")
        return response

    def pages(self, action):
        return [(int(p["pageNo"]), int(p["pageSize"])) for a, p in self.calls if a == action]


class Recorder:
    """Stands in for Display: keeps warnings, ignores the rest."""

    def __init__(self):
        self.warnings = []

    def warning(self, msg, *args, **kwargs):
        self.warnings.append(msg)

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


# ---- running the plugin -------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def no_ncp_environment(monkeypatch, tmp_path):
    """No NCLOUD_* variable and no ~/.ncloud/configure unless a test makes them."""
    for variable in [name for name in os.environ if name.startswith("NCLOUD_")]:
        monkeypatch.delenv(variable)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(context, "CLIARGS", ImmutableDict())


class Run:
    def __init__(self, inventory, plugin, gateway):
        self.inventory = inventory
        self.plugin = plugin
        self.gateway = gateway

    @property
    def hosts(self):
        return sorted(self.inventory.hosts)

    def vars(self, host):
        return self.inventory.get_host(host).get_vars()

    def group(self, name):
        return sorted(host.name for host in self.inventory.groups[name].get_hosts())

    @property
    def warnings(self):
        return self.plugin.display.warnings


def new_plugin():
    """The plugin as Ansible's loader makes it (its options known to the config manager)."""
    inventory_loader._load_config_defs(NAME, plugin_module, plugin_module.__file__)  # pylint: disable=protected-access
    plugin = plugin_module.InventoryModule()
    inventory_loader._update_object(obj=plugin, name=NAME, path=plugin_module.__file__,  # pylint: disable=protected-access
                                    redirected_names=[NAME], resolved=NAME)
    plugin.display = Recorder()
    return plugin


@pytest.fixture(name="run")
def run_fixture(tmp_path):
    """run(config, gateway, cache=True, file_name=...) writes config (a dict) to tmp_path/file_name and
    parses it with the fake gateway; cache=False is what ansible-inventory --flush-cache passes."""

    def run_it(config, gateway=None, cache=True, file_name="test.ncp_clouddb.yml", credentials=True, plugin=None):
        path = tmp_path / file_name      # one file per name: the inventory cache is keyed by the file's path
        settings = {"plugin": NAME, "api_url": API_URL}
        if credentials:
            settings.update(access_key=ACCESS, secret_key=SECRET)
        settings.update(config)
        path.write_text(yaml.safe_dump(settings))
        gateway = gateway if gateway is not None else FakeGateway()
        plugin = plugin or new_plugin()
        plugin._http_session = lambda: gateway  # pylint: disable=protected-access
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=cache)
        plugin.update_cache_if_changed() if plugin.get_option("cache") else None
        return Run(inventory, plugin, gateway)

    return run_it


def demo_instances():
    """The demo fleet (tests/simulator/scenarios/demo.yml) in the API's shapes, region KR."""
    return {
        ("cache", "KR"): [row("cache", "1101", "shop-cache"),
                          row("cache", "1102", "session-cache", cloudCacheDbmsCode="Redis")],
        ("redis", "KR"): [row("redis", "2101", "legacy-redis", shardCount=3)],
        ("postgresql", "KR"): [
            row("postgresql", "3101", "orders-db", isHa=True, servers=[
                server("postgresql", "31011", "orders-db-001", "M", zone="KR-1"),
                server("postgresql", "31012", "orders-db-002", "S", zone="KR-2")]),
            row("postgresql", "3102", "reports-db", status="stopped")],
    }


# ---- verify_file ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, accepted", [
    ("demo.ncp_clouddb.yml", True),
    ("demo.ncp_clouddb.yaml", True),
    ("ncp_clouddb.yml", True),
    ("demo.ncp_clouddb.yml.orig", False),
    ("ncp_clouddb.json", False),
    ("demo.aws_rds.yml", False),
    ("ncp_clouddb.example.yml", False),
])
def test_verify_file_takes_only_ncp_clouddb_yaml_files(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text("plugin: %s\n" % NAME)
    assert new_plugin().verify_file(str(path)) is accepted


def test_verify_file_refuses_a_missing_file(tmp_path):
    assert new_plugin().verify_file(str(tmp_path / "gone.ncp_clouddb.yml")) is False


# ---- host variables -------------------------------------------------------------------------------

def test_vcache_row_becomes_one_host_with_every_variable(run):
    vcache = row("cache", "1101", "shop-cache", status="Running", isHa=True, shardCount=3,
                 licence=code("BSD", "BSD 3-Clause"), servers=[
                     server("cache", "11011", "shop-cache-001", "M", zone="KR-2"),
                     server("cache", "11012", "shop-cache-002", "S", status="Stopped", zone="KR-1")])
    result = run({"kinds": ["cache"]}, FakeGateway({("cache", "KR"): [vcache]}))
    assert result.hosts == ["shop-cache"]
    hostvars = result.vars("shop-cache")
    assert {k: v for k, v in hostvars.items() if k.startswith("ncp_clouddb_")} == {
        "ncp_clouddb_kind": "cache",
        "ncp_clouddb_instance_no": "1101",
        "ncp_clouddb_name": "shop-cache",
        "ncp_clouddb_status": "running",
        "ncp_clouddb_region": "KR",
        "ncp_clouddb_zone": "KR-2",
        "ncp_clouddb_engine": "Valkey",
        "ncp_clouddb_engine_version": "7.2.5",
        "ncp_clouddb_ha": True,
        "ncp_clouddb_backup_enabled": True,
        "ncp_clouddb_backup_time": "03:00",
        "ncp_clouddb_backup_retention_days": 7,
        "ncp_clouddb_license": "BSD",
        "ncp_clouddb_created": "2024-07-02T11:58:45+0900",
        "ncp_clouddb_shard_count": 3,
        "ncp_clouddb_servers": [
            {"instance_no": "11011", "name": "shop-cache-001", "role": "M", "status": "running", "zone": "KR-2"},
            {"instance_no": "11012", "name": "shop-cache-002", "role": "S", "status": "stopped", "zone": "KR-1"},
        ],
    }


def test_vredis_row_is_a_redis_engine_and_reads_the_sdk_spelling_license(run):
    vredis = row("redis", "2101", "legacy-redis", shardCount=3, license=code("REDIS", "Redis license"))
    result = run({"kinds": ["redis"]}, FakeGateway({("redis", "KR"): [vredis]}))
    hostvars = result.vars("legacy-redis")
    assert hostvars["ncp_clouddb_kind"] == "redis"
    assert hostvars["ncp_clouddb_engine"] == "Redis"
    assert hostvars["ncp_clouddb_license"] == "REDIS"
    assert hostvars["ncp_clouddb_shard_count"] == 3
    assert hostvars["ncp_clouddb_instance_no"] == "2101"


def test_vpostgresql_row_has_no_shard_count_and_a_plain_license(run):
    vpg = row("postgresql", "3101", "orders-db", isHa=True, license="PostgreSQL License", servers=[
        server("postgresql", "31011", "orders-db-001", "M", zone="KR-1"),
        server("postgresql", "31012", "orders-db-002", "S", zone="KR-2")])
    result = run({"kinds": ["postgresql"]}, FakeGateway({("postgresql", "KR"): [vpg]}))
    hostvars = result.vars("orders-db")
    assert hostvars["ncp_clouddb_engine"] == "PostgreSQL"
    assert hostvars["ncp_clouddb_engine_version"] == "14.11"
    assert hostvars["ncp_clouddb_license"] == "PostgreSQL License"
    assert hostvars["ncp_clouddb_ha"] is True
    assert "ncp_clouddb_shard_count" not in hostvars
    assert hostvars["ncp_clouddb_zone"] == "KR-1"      # the first server's: instance rows have no zone
    assert [s["role"] for s in hostvars["ncp_clouddb_servers"]] == ["M", "S"]


def test_numbers_become_strings_and_text_becomes_booleans_and_numbers(run):
    """Instance numbers as numbers, booleans and counts as text (the Go SDK types them as strings)."""
    odd = row("cache", "1101", "text-cache", isHa="true", isBackup="False", backupFileRetentionPeriod="14",
              shardCount="2", cloudCacheDbmsCode="VALKEY")
    odd["cloudCacheInstanceNo"] = 1101
    result = run({"kinds": ["cache"]}, FakeGateway({("cache", "KR"): [odd]}))
    hostvars = result.vars("text-cache")
    assert (hostvars["ncp_clouddb_instance_no"], hostvars["ncp_clouddb_ha"], hostvars["ncp_clouddb_backup_enabled"],
            hostvars["ncp_clouddb_backup_retention_days"], hostvars["ncp_clouddb_shard_count"],
            hostvars["ncp_clouddb_engine"]) == ("1101", True, False, 14, 2, "Valkey")


def test_xml_answers_give_the_same_hosts_and_variables_as_json(run):
    fleet = demo_instances()
    as_json = run({}, FakeGateway(fleet))
    as_xml = run({}, FakeGateway(fleet, xml=True))
    assert as_xml.hosts == as_json.hosts == ["legacy-redis", "orders-db", "reports-db", "session-cache", "shop-cache"]
    for host in as_json.hosts:
        assert as_xml.vars(host) == as_json.vars(host)
    assert as_xml.vars("orders-db")["ncp_clouddb_ha"] is True
    assert as_xml.vars("legacy-redis")["ncp_clouddb_shard_count"] == 3


def test_fields_the_api_does_not_give_are_null_not_invented(run):
    bare = {"cloudCacheInstanceNo": "1", "cloudCacheServiceName": "bare", "cloudCacheInstanceStatusName": "running"}
    hostvars = run({"kinds": ["cache"]}, FakeGateway({("cache", "KR"): [bare]})).vars("bare")
    for name in ("zone", "engine", "engine_version", "ha", "backup_enabled", "backup_time",
                 "backup_retention_days", "license", "created", "shard_count"):
        assert hostvars["ncp_clouddb_" + name] is None, name
    assert hostvars["ncp_clouddb_servers"] == []


def test_no_connection_variables_are_set(run):
    result = run({}, FakeGateway(demo_instances()))
    for host in result.hosts:
        assert not [name for name in result.vars(host) if name.startswith("ansible_")], host


# ---- what is asked for: paging, regions, kinds ------------------------------------------------------

def test_three_pages_are_followed_from_page_zero(run):
    rows = [row("cache", str(1100 + n), "cache-%02d" % n) for n in range(7)]
    gateway = FakeGateway({("cache", "KR"): rows})
    result = run({"kinds": ["cache"], "page_size": 3}, gateway)
    assert gateway.pages("getCloudCacheInstanceList") == [(0, 3), (1, 3), (2, 3)]
    assert result.hosts == ["cache-%02d" % n for n in range(7)]
    assert not result.warnings


def test_a_full_last_page_asks_for_no_empty_page_after_it(run):
    rows = [row("cache", str(1100 + n), "cache-%02d" % n) for n in range(6)]
    gateway = FakeGateway({("cache", "KR"): rows})
    assert len(run({"kinds": ["cache"], "page_size": 3}, gateway).hosts) == 6
    assert gateway.pages("getCloudCacheInstanceList") == [(0, 3), (1, 3)]     # totalRows 6 reached


def test_without_total_rows_a_short_page_is_the_last(run):
    rows = [row("cache", str(1100 + n), "cache-%02d" % n) for n in range(7)]
    gateway = FakeGateway({("cache", "KR"): rows}, no_total=True)
    result = run({"kinds": ["cache"], "page_size": 3}, gateway)
    assert len(result.hosts) == 7 and not result.warnings
    assert gateway.pages("getCloudCacheInstanceList") == [(0, 3), (1, 3), (2, 3)]


def test_every_request_asks_for_an_explicit_page_in_json_for_the_region(run):
    gateway = FakeGateway(demo_instances())
    run({}, gateway)
    assert [action for action, _params in gateway.calls] == [
        "getCloudCacheInstanceList", "getCloudRedisInstanceList", "getCloudPostgresqlInstanceList",
        "getCloudMysqlInstanceList", "getCloudMongoDbInstanceList", "getCloudMssqlInstanceList"]
    for _action, params in gateway.calls:
        assert params == {"regionCode": "KR", "pageNo": "0", "pageSize": "100", "responseFormatType": "json"}


def test_a_page_that_repeats_ends_the_listing_with_a_warning(run):
    """An API that ignored pageNo would answer page 0 forever: stop, and say the list is short."""
    rows = [row("cache", str(1100 + n), "cache-%02d" % n) for n in range(5)]
    gateway = FakeGateway({("cache", "KR"): rows}, ignore_paging=True)
    result = run({"kinds": ["cache"], "page_size": 2}, gateway)
    assert gateway.pages("getCloudCacheInstanceList") == [(0, 2), (1, 2)]
    assert result.hosts == ["cache-00", "cache-01"]
    assert len(result.warnings) == 1
    assert "getCloudCacheInstanceList in region KR said 5 instances but its pages gave 2" in result.warnings[0]


def test_regions_are_listed_one_after_another(run):
    instances = {("cache", "KR"): [row("cache", "1101", "kr-cache")],
                 ("cache", "JPN"): [row("cache", "7101", "jp-cache", servers=[
                     server("cache", "71011", "jp-cache-001", zone="JPN-4", region="JPN")])]}
    gateway = FakeGateway(instances)
    result = run({"kinds": ["cache"], "regions": ["KR", "JPN"]}, gateway)
    assert [params["regionCode"] for _action, params in gateway.calls] == ["KR", "JPN"]
    assert result.vars("kr-cache")["ncp_clouddb_region"] == "KR"
    assert result.vars("jp-cache")["ncp_clouddb_region"] == "JPN"
    assert result.vars("jp-cache")["ncp_clouddb_zone"] == "JPN-4"


def test_region_option_and_environment_choose_the_one_region(run, monkeypatch):
    gateway = FakeGateway({("cache", "SGN"): [row("cache", "1", "sg")], ("cache", "JPN"): [row("cache", "2", "jp")]})
    monkeypatch.setenv("NCLOUD_REGION", "JPN")
    assert run({"kinds": ["cache"]}, gateway).hosts == ["jp"]
    assert run({"kinds": ["cache"], "region": "SGN"}, gateway).hosts == ["sg"]


def test_kinds_choose_the_apis_and_services_is_an_alias(run):
    gateway = FakeGateway(demo_instances())
    result = run({"services": ["postgresql"]}, gateway)
    assert {action for action, _params in gateway.calls} == {"getCloudPostgresqlInstanceList"}
    assert result.hosts == ["orders-db", "reports-db"]


def test_mysql_instances_are_hosts_of_their_own_group_with_the_same_variables(run):
    instances = dict(demo_instances())
    instances[("mysql", "KR")] = [row("mysql", "4101", "billing-mysql", isHa=True, servers=[
        server("mysql", "41011", "billing-mysql-001", "M", zone="KR-2"),
        server("mysql", "41012", "billing-mysql-002", "S", zone="KR-1")])]
    gateway = FakeGateway(instances)
    result = run({}, gateway)
    assert ("getCloudMysqlInstanceList", {"regionCode": "KR", "pageNo": "0", "pageSize": "100",
                                          "responseFormatType": "json"}) in gateway.calls
    assert result.group("ncp_clouddb_mysql") == ["billing-mysql"]
    variables = result.vars("billing-mysql")
    assert {key: variables[key] for key in ("ncp_clouddb_kind", "ncp_clouddb_instance_no", "ncp_clouddb_engine",
                                            "ncp_clouddb_engine_version", "ncp_clouddb_ha", "ncp_clouddb_zone",
                                            "ncp_clouddb_status", "ncp_clouddb_license")} == {
        "ncp_clouddb_kind": "mysql", "ncp_clouddb_instance_no": "4101", "ncp_clouddb_engine": "MySQL",
        "ncp_clouddb_engine_version": "8.0.36", "ncp_clouddb_ha": True, "ncp_clouddb_zone": "KR-2",
        "ncp_clouddb_status": "running", "ncp_clouddb_license": None}
    assert [s["instance_no"] for s in variables["ncp_clouddb_servers"]] == ["41011", "41012"]
    assert "ncp_clouddb_shard_count" not in variables
    assert set(result.vars("orders-db")) == set(variables), "a MySQL host has the variables of a PostgreSQL host"


def test_mongodb_and_mssql_instances_are_listed_in_their_own_groups(run):
    gateway = FakeGateway({("mongodb", "KR"): [row("mongodb", "6101", "events-mongo", shardCount=2)],
                           ("mssql", "KR"): [row("mssql", "7101", "erp-mssql", isHa=True, license=code("PAYG"))]})
    result = run({"kinds": ["mongodb", "mssql"]}, gateway)
    assert [action for action, _params in gateway.calls] == ["getCloudMongoDbInstanceList", "getCloudMssqlInstanceList"]
    assert (result.group("ncp_clouddb_mongodb"), result.group("ncp_clouddb_mssql")) == (["events-mongo"], ["erp-mssql"])
    mongo, mssql = result.vars("events-mongo"), result.vars("erp-mssql")
    assert (mongo["ncp_clouddb_kind"], mongo["ncp_clouddb_engine"], mongo["ncp_clouddb_shard_count"]) == (
        "mongodb", "MongoDB", 2)
    assert (mssql["ncp_clouddb_kind"], mssql["ncp_clouddb_engine"], mssql["ncp_clouddb_ha"],
            mssql["ncp_clouddb_license"]) == ("mssql", "MSSQL", True, "PAYG")
    assert mssql["ncp_clouddb_servers"][0]["instance_no"] == "71011" and "ncp_clouddb_shard_count" not in mssql


def test_an_unknown_kind_is_refused_before_any_request(run):
    gateway = FakeGateway(demo_instances())
    with pytest.raises(AnsibleError, match="kinds"):
        run({"kinds": ["oracle"]}, gateway)
    assert gateway.calls == []


def test_deleted_instances_never_appear(run):
    rows = [row("cache", "1", "alive"), row("cache", "2", "gone", status="deleted")]
    assert run({"kinds": ["cache"]}, FakeGateway({("cache", "KR"): rows})).hosts == ["alive"]


# ---- host names -------------------------------------------------------------------------------------

def test_a_shared_name_gives_every_holder_its_number_and_one_warning(run):
    instances = {("cache", "KR"): [row("cache", "1101", "orders"), row("cache", "1102", "shop")],
                 ("postgresql", "KR"): [row("postgresql", "3101", "orders")]}
    result = run({}, FakeGateway(instances))
    assert result.hosts == ["orders-1101", "orders-3101", "shop"]
    assert result.vars("orders-1101")["ncp_clouddb_kind"] == "cache"
    assert result.vars("orders-3101")["ncp_clouddb_kind"] == "postgresql"
    assert result.vars("orders-3101")["ncp_clouddb_name"] == "orders"
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert "cache 1101 in KR as orders-1101" in warning and "postgresql 3101 in KR as orders-3101" in warning
    assert "shop" not in warning


def test_one_name_in_two_regions_is_a_clash_too(run):
    instances = {("redis", "KR"): [row("redis", "2101", "sessions")], ("redis", "JPN"): [row("redis", "8101", "sessions")]}
    result = run({"kinds": ["redis"], "regions": ["KR", "JPN"]}, FakeGateway(instances))
    assert result.hosts == ["sessions-2101", "sessions-8101"]
    assert len(result.warnings) == 1


def test_unique_names_are_kept_and_nothing_is_warned(run):
    result = run({}, FakeGateway(demo_instances()))
    assert result.hosts == ["legacy-redis", "orders-db", "reports-db", "session-cache", "shop-cache"]
    assert result.warnings == []


def test_names_stay_unique_when_a_numbered_name_is_taken_too():
    records = [{"kind": "cache", "region": "KR", "name": "orders", "instance_no": "1"},
               {"kind": "postgresql", "region": "KR", "name": "orders", "instance_no": "2"},
               {"kind": "redis", "region": "KR", "name": "orders-1", "instance_no": "9"},
               {"kind": "postgresql", "region": "JPN", "name": "orders", "instance_no": "1"}]
    names, shared = plugin_module.host_names(records)
    assert len(set(names)) == len(names) == 4
    assert names[1] == "orders-2"
    assert sorted(shared) == ["orders", "orders-1"]


# ---- filters ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("filters, expected", [
    ({}, ["legacy-redis", "orders-db", "reports-db", "session-cache", "shop-cache"]),
    ({"status": ["running"]}, ["legacy-redis", "orders-db", "session-cache", "shop-cache"]),
    ({"status": ["STOPPED"]}, ["reports-db"]),
    ({"name": ["*-cache"]}, ["session-cache", "shop-cache"]),
    ({"name": ["*-cache", "orders-?b"]}, ["orders-db", "session-cache", "shop-cache"]),
    ({"name": ["Shop-*"]}, []),
    ({"exclude_name": ["*-db"]}, ["legacy-redis", "session-cache", "shop-cache"]),
    ({"name": ["*-cache", "*-db"], "exclude_name": ["shop-*"], "status": ["running"]}, ["orders-db", "session-cache"]),
    ({"name": "legacy-*"}, ["legacy-redis"]),
])
def test_filters_keep_status_and_name_and_not_excluded(run, filters, expected):
    assert run({"filters": filters}, FakeGateway(demo_instances())).hosts == expected


def test_the_clash_rule_applies_among_the_kept_instances(run):
    instances = {("cache", "KR"): [row("cache", "1101", "orders")],
                 ("postgresql", "KR"): [row("postgresql", "3101", "orders", status="stopped")]}
    result = run({"filters": {"status": ["running"]}}, FakeGateway(instances))
    assert result.hosts == ["orders"]
    assert result.warnings == []


def test_an_unknown_filter_is_a_clear_error(run):
    with pytest.raises(AnsibleParserError, match="filters: unknown key tags; the filters are status, name, exclude_name"):
        run({"filters": {"tags": ["x"]}})


# ---- groups, compose, keyed_groups ----------------------------------------------------------------

def test_default_groups(run):
    result = run({}, FakeGateway(demo_instances()))
    assert result.group("ncp_clouddb") == result.hosts
    assert result.group("ncp_clouddb_cache") == ["session-cache", "shop-cache"]
    assert result.group("ncp_clouddb_redis") == ["legacy-redis"]
    assert result.group("ncp_clouddb_postgresql") == ["orders-db", "reports-db"]
    assert result.group("ncp_clouddb_status_running") == ["legacy-redis", "orders-db", "session-cache", "shop-cache"]
    assert result.group("ncp_clouddb_status_stopped") == ["reports-db"]


def test_a_listed_kind_without_instances_still_has_its_group(run):
    result = run({"kinds": ["cache", "redis"]}, FakeGateway({("cache", "KR"): [row("cache", "1", "c")]}))
    assert result.group("ncp_clouddb_redis") == []
    assert "ncp_clouddb_postgresql" not in result.inventory.groups


def test_keyed_groups_groups_and_compose_see_the_host_variables(run):
    config = {
        "keyed_groups": [{"key": "ncp_clouddb_engine | lower", "prefix": "engine"},
                         {"key": "ncp_clouddb_region", "prefix": "region"}],
        "groups": {"ha": "ncp_clouddb_ha", "big_cache": "(ncp_clouddb_shard_count | default(0)) > 1"},
        "compose": {"ansible_connection": "'local'", "target_no": "ncp_clouddb_instance_no | int"},
    }
    result = run(config, FakeGateway(demo_instances()))
    assert result.group("engine_valkey") == ["shop-cache"]
    assert result.group("engine_redis") == ["legacy-redis", "session-cache"]
    assert result.group("engine_postgresql") == ["orders-db", "reports-db"]
    assert result.group("region_KR") == result.hosts
    assert result.group("ha") == ["orders-db"]
    assert result.group("big_cache") == ["legacy-redis"]
    assert result.vars("orders-db")["ansible_connection"] == "local"
    assert result.vars("orders-db")["target_no"] == 3101


def test_strict_makes_a_broken_compose_an_error(run):
    with pytest.raises(AnsibleError, match="Could not set"):
        run({"strict": True, "compose": {"x": "ncp_clouddb_no_such_var.y"}}, FakeGateway(demo_instances()))
    result = run({"compose": {"x": "ncp_clouddb_no_such_var.y"}}, FakeGateway(demo_instances()))
    assert "x" not in result.vars("orders-db")


# ---- credentials and errors ---------------------------------------------------------------------------

def test_credentials_come_from_the_environment_when_not_given(run, monkeypatch):
    monkeypatch.setenv("NCLOUD_ACCESS_KEY_ID", ACCESS)
    monkeypatch.setenv("NCLOUD_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("NCLOUD_API_GW", API_URL)
    result = run({}, FakeGateway(demo_instances()), credentials=False)
    assert len(result.hosts) == 5


def test_empty_variables_as_the_awx_credential_injects_them_count_as_unset(run, monkeypatch):
    """extensions/awx/credential_type_ncp.yml injects empty optional fields as empty strings."""
    monkeypatch.setenv("NCLOUD_ACCESS_KEY", ACCESS)
    monkeypatch.setenv("NCLOUD_SECRET_KEY", SECRET)
    monkeypatch.setenv("NCLOUD_REGION", "")
    monkeypatch.setenv("NCLOUD_API_GW", "")
    requested = []
    gateway = FakeGateway(demo_instances())
    gateway.send = functools.partial(lambda send, request, **kw: requested.append(request.url) or send(request, **kw),
                                     gateway.send)
    result = run({"api_url": None}, gateway, credentials=False)
    assert len(result.hosts) == 5
    assert all(url.startswith("https://ncloud.apigw.ntruss.com/") and "regionCode=KR&" in url for url in requested)


def test_credentials_come_from_the_ncloud_configure_file_last(run, tmp_path):
    folder = tmp_path / "home" / ".ncloud"
    folder.mkdir(parents=True)
    (folder / "configure").write_text("[DEFAULT]\nncloud_access_key_id = %s\nncloud_secret_access_key = %s\n"
                                      % (ACCESS, SECRET))
    assert len(run({}, FakeGateway(demo_instances()), credentials=False).hosts) == 5


def test_options_win_over_the_environment(run, monkeypatch):
    monkeypatch.setenv("NCLOUD_ACCESS_KEY", "ENV-KEY")
    monkeypatch.setenv("NCLOUD_SECRET_KEY", "env-secret")
    assert len(run({}, FakeGateway(demo_instances())).hosts) == 5     # signed with the options' keys


def test_templated_keys_take_extra_variables(run, monkeypatch):
    monkeypatch.setattr(context, "CLIARGS", ImmutableDict(extra_vars=(json.dumps({"vault_key": ACCESS,
                                                                                  "vault_secret": SECRET}),)))
    config = {"access_key": "{{ vault_key }}", "secret_key": "{{ vault_secret }}"}
    assert len(run(config, FakeGateway(demo_instances()), credentials=False).hosts) == 5


def test_no_credentials_is_the_modules_message(run):
    with pytest.raises(AnsibleParserError) as caught:
        run({}, FakeGateway(demo_instances()), credentials=False)
    assert "no NCP API access_key and secret_key found" in str(caught.value)
    assert "NCLOUD_ACCESS_KEY" in str(caught.value)


def test_an_api_failure_is_the_clients_message_without_the_secret(run):
    gateway = FakeGateway(demo_instances(), secret="the-gateway-expects-another-secret")
    with pytest.raises(AnsibleParserError) as caught:
        run({}, gateway)
    message = str(caught.value)
    assert "listing Cloud DB for Cache instances in region KR failed: getCloudCacheInstanceList failed, HTTP 401" in message
    assert "Check access_key and secret_key" in message
    assert SECRET not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert len(gateway.calls) == 1      # 401 is final: never retried


def test_a_5xx_is_retried_within_retry_timeout(run, monkeypatch):
    sleeps = []
    monkeypatch.setattr(plugin_module, "NcpClient", functools.partial(NcpClient, sleep=sleeps.append))
    gateway = FakeGateway(demo_instances(), fail=[503])
    assert len(run({}, gateway).hosts) == 5
    assert len(sleeps) == 1 and [a for a, _p in gateway.calls].count("getCloudCacheInstanceList") == 2


def test_retry_timeout_zero_gives_up_at_once(run, monkeypatch):
    monkeypatch.setattr(plugin_module, "NcpClient", functools.partial(NcpClient, sleep=pytest.fail))
    with pytest.raises(AnsibleParserError, match="HTTP 503"):
        run({"retry_timeout": 0}, FakeGateway(demo_instances(), fail=[503]))


# ---- strict_permissions ---------------------------------------------------------------------------

def two_regions():
    instances = demo_instances()
    instances[("cache", "JPN")] = [row("cache", "4101", "jp-cache", servers=[server("cache", "41011", "jp-001", zone="JPN-1")])]
    instances[("redis", "JPN")] = [row("redis", "4201", "jp-redis")]
    return instances


def test_a_refused_listing_fails_by_default_naming_kind_region_and_the_option(run):
    gateway = FakeGateway(two_regions(), denied={("redis", "KR")})
    with pytest.raises(AnsibleParserError) as caught:
        run({"regions": ["KR", "JPN"]}, gateway)
    message = str(caught.value)
    assert "Cloud DB for Redis" in message and "(kind redis) in region KR was refused" in message
    assert "HTTP 401, code 210: Permission Denied" in message
    assert "strict_permissions: false" in message
    assert "Check access_key" not in message          # the key is good: not an authentication failure
    assert [a for a, _p in gateway.calls].count("getCloudRedisInstanceList") == 1    # final: never retried


def test_without_strict_permissions_a_refused_kind_and_region_is_skipped_with_one_warning(run):
    gateway = FakeGateway(two_regions(), denied={("redis", "KR"), ("postgresql", "JPN")})
    result = run({"regions": ["KR", "JPN"], "strict_permissions": False}, gateway)
    assert result.hosts == ["jp-cache", "jp-redis", "orders-db", "reports-db", "session-cache", "shop-cache"]
    assert result.group("ncp_clouddb_redis") == ["jp-redis"]
    assert len(result.warnings) == 1
    (warning,) = result.warnings
    assert "strict_permissions is false" in warning and "skipped what this credential may not list" in warning
    assert "redis (getCloudRedisInstanceList) in region KR" in warning
    assert "postgresql (getCloudPostgresqlInstanceList) in region JPN" in warning
    assert warning.count(" in region ") == 2              # nothing else is named skipped


@pytest.mark.parametrize("failure", ["authentication", "5xx"])
def test_without_strict_permissions_other_failures_still_fail(run, failure):
    if failure == "authentication":
        gateway = FakeGateway(two_regions(), secret="another-secret", denied={("redis", "KR")})
        expected = "code 200"
    else:
        gateway = FakeGateway(two_regions(), fail=[503], denied={("redis", "KR")})
        expected = "HTTP 503"
    with pytest.raises(AnsibleParserError, match=expected):
        run({"regions": ["KR", "JPN"], "strict_permissions": False, "retry_timeout": 0}, gateway)


def test_skipped_kinds_are_warned_of_again_from_the_cache(run, tmp_path):
    config = dict(cache_config(tmp_path), strict_permissions=False)
    first = run(config, FakeGateway(demo_instances(), denied={("redis", "KR")}))
    offline = FakeGateway(fail=[503] * 50)
    second = run(dict(config, retry_timeout=0), offline)
    assert offline.calls == [] and second.hosts == first.hosts
    assert len(second.warnings) == 1 and "redis (getCloudRedisInstanceList) in region KR" in second.warnings[0]


@pytest.mark.parametrize("config, message", [
    ({"page_size": 0}, "page_size=0 is not allowed"),
    ({"page_size": 1001}, "page_size=1001 is not allowed"),
    ({"timeout": 0}, "timeout=0 is not allowed"),
    ({"retry_timeout": -1}, "retry_timeout=-1 is not allowed"),
])
def test_bad_numbers_are_refused_before_any_request(run, config, message):
    gateway = FakeGateway(demo_instances())
    with pytest.raises(AnsibleParserError, match=message):
        run(config, gateway)
    assert gateway.calls == []


# ---- secrets and the cache ----------------------------------------------------------------------------

def test_no_secret_key_access_key_or_api_url_in_any_host_variable(run):
    result = run({}, FakeGateway(demo_instances()))
    dumped = json.dumps({host: result.vars(host) for host in result.hosts})
    for secret in (SECRET, ACCESS, API_URL, "gw.inventory"):
        assert secret not in dumped


def cache_config(tmp_path):
    return {"cache": True, "cache_plugin": "jsonfile", "cache_connection": str(tmp_path / "cache"),
            "cache_timeout": 600}


def cache_files(tmp_path):
    folder = tmp_path / "cache"
    return {name: (folder / name).read_text() for name in os.listdir(str(folder))}


def test_the_cache_serves_the_second_run_and_holds_no_secret(run, tmp_path):
    first = run(cache_config(tmp_path), FakeGateway(demo_instances()))
    files = cache_files(tmp_path)
    assert len(files) == 1
    (text,) = files.values()
    for secret in (SECRET, ACCESS, API_URL, "gw.inventory"):
        assert secret not in text
    entry = json.loads(text)
    entry = json.loads(entry["__payload__"]) if "__payload__" in entry else entry   # ansible-core 2.19 wraps it
    assert {record["name"] for record in entry["instances"]} == set(first.hosts)

    # The API is gone, the cache answers: same hosts and variables, not one request.
    offline = FakeGateway(fail=[503] * 50)
    second = run(dict(cache_config(tmp_path), retry_timeout=0), offline)
    assert offline.calls == []
    assert second.hosts == first.hosts
    assert all(second.vars(host) == first.vars(host) for host in first.hosts)


def test_the_cache_is_keyed_per_file_and_refreshed_on_flush_or_other_kinds(run, tmp_path):
    run(cache_config(tmp_path), FakeGateway(demo_instances()))
    changed = demo_instances()
    changed[("cache", "KR")].append(row("cache", "1103", "new-cache"))

    flushed = FakeGateway(changed)
    result = run(cache_config(tmp_path), flushed, cache=False)       # ansible-inventory --flush-cache
    assert flushed.calls and "new-cache" in result.hosts

    other_kinds = FakeGateway(changed)
    result = run(dict(cache_config(tmp_path), kinds=["cache"]), other_kinds)
    assert other_kinds.calls and result.hosts == ["new-cache", "session-cache", "shop-cache"]

    other_file = FakeGateway(demo_instances())
    result = run(dict(cache_config(tmp_path), kinds=["cache"]), other_file, file_name="other.ncp_clouddb.yml")
    assert other_file.calls and result.hosts == ["session-cache", "shop-cache"]
    assert len(cache_files(tmp_path)) == 2

    cached = FakeGateway(fail=[503] * 50)
    result = run(dict(cache_config(tmp_path), kinds=["cache"], retry_timeout=0), cached)
    assert cached.calls == [] and "new-cache" in result.hosts


def test_filters_apply_to_cached_records(run, tmp_path):
    run(cache_config(tmp_path), FakeGateway(demo_instances()))
    offline = FakeGateway(fail=[503] * 50)
    result = run(dict(cache_config(tmp_path), filters={"status": ["stopped"]}, retry_timeout=0), offline)
    assert offline.calls == [] and result.hosts == ["reports-db"]
