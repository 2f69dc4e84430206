# -*- coding: utf-8 -*-
"""The inventory plugin the way users run it: ansible-inventory --list / --graph on a *.ncp_clouddb.yml
file, against the NCP API simulator, with the simulator's NCLOUD_* environment (or none at all).

ansible-inventory runs as a subprocess with ANSIBLE_INVENTORY_UNPARSED_FAILED=1, so a source the
plugin cannot parse fails the command instead of leaving an empty inventory behind a warning.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIOS = os.path.join(ROOT, "tests", "simulator", "scenarios")
EXAMPLE = os.path.join(ROOT, "extensions", "inventory", "ncp_clouddb.example.yml")
LIST_ACTIONS = ("getCloudCacheInstanceList", "getCloudRedisInstanceList", "getCloudPostgresqlInstanceList",
                "getCloudMysqlInstanceList", "getCloudMongoDbInstanceList", "getCloudMssqlInstanceList")
DEMO_HOSTS = ["billing-mysql", "erp-mssql", "events-mongo", "legacy-redis", "orders-db", "reports-db", "session-cache",
              "shop-cache"]


def scenario(name, **settings):
    """A shipped scenario as a dict, with extra settings merged in."""
    with open(os.path.join(SCENARIOS, name + ".yml"), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["settings"] = dict(data.get("settings") or {}, **settings)
    return data


def demo_with(**changes):
    """The demo scenario with some instances changed: changes[instance_no] = {field: value}."""
    data = scenario("demo")
    for instance in data["instances"]:
        instance.update(changes.get(instance["instance_no"], {}))
    return data


def plain(value):
    """ansible-inventory --list marks strings from inventory plugins as unsafe ({"__ansible_unsafe": ...})."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


class Inventory:
    def __init__(self, proc, data=None, listing=""):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.output = proc.stdout + proc.stderr + listing      # everything the user would see
        self.data = data

    @property
    def hosts(self):
        return sorted(self.data["_meta"]["hostvars"])

    def vars(self, host):
        return self.data["_meta"]["hostvars"][host]

    def group(self, name):
        return sorted(self.data.get(name, {}).get("hosts", []))

    def warnings(self, text):
        return [line for line in self.stderr.splitlines() if "[WARNING]" in line and text in line]


@pytest.fixture(name="inventory")
def inventory_fixture(tmp_path):
    """inventory(ncp_sim, config, *args, sim_env=True, env=None, name=...) runs ansible-inventory -i <file> --list
    (or the args given) and returns an Inventory; config is a dict written to tmp_path/<name>."""

    def run(ncp_sim, config, *args, sim_env=True, env=None, name="demo.ncp_clouddb.yml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(dict({"plugin": "ncp.clouddb.ncp_clouddb"}, **config)))
        environment = dict(os.environ)
        for variable in [n for n in environment if n.startswith("NCLOUD_")]:
            del environment[variable]
        environment.update({
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_INVENTORY_UNPARSED_FAILED": "1",
            "HOME": str(tmp_path / "home"),              # no ~/.ncloud/configure but the test's own
        })
        environment.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections"))
        if sim_env:
            environment.update(ncp_sim.env())
        environment.update(env or {})
        command = ["ansible-inventory", "-i", str(path)] + list(args or ["--list"])
        output = tmp_path / "inventory.json"     # -v lines go to stdout too: the JSON goes to a file
        if output.exists():
            output.unlink()
        if "--list" in command:
            command += ["--output", str(output)]
        proc = subprocess.run(command, cwd=str(tmp_path), env=environment, capture_output=True, text=True,
                              timeout=300, check=False)
        data = None
        if output.exists():
            data = plain(json.loads(output.read_text()))
        return Inventory(proc, data, output.read_text() if output.exists() else "")

    return run


def without_dates(data):
    copy = json.loads(json.dumps(data))
    for hostvars in copy["_meta"]["hostvars"].values():
        hostvars.pop("ncp_clouddb_created")
    return copy


def list_requests(ncp_sim):
    """(action, regionCode, pageNo, pageSize) of every instance list request, in order."""
    return [(entry["action"], entry["params"].get("regionCode"), entry["params"].get("pageNo"),
             entry["params"].get("pageSize"))
            for entry in ncp_sim.requests() if entry["action"] in LIST_ACTIONS]


@pytest.mark.scenario("demo")
def test_demo_fleet_hosts_variables_and_groups(ncp_sim, inventory):
    result = inventory(ncp_sim, {})
    assert result.returncode == 0, result.output
    assert result.hosts == DEMO_HOSTS
    assert result.vars("shop-cache") == {
        "ncp_clouddb_kind": "cache",
        "ncp_clouddb_instance_no": "1101",
        "ncp_clouddb_name": "shop-cache",
        "ncp_clouddb_status": "running",
        "ncp_clouddb_region": "KR",
        "ncp_clouddb_zone": "KR-1",
        "ncp_clouddb_engine": "Valkey",
        "ncp_clouddb_engine_version": None,        # the demo scenario gives none
        "ncp_clouddb_ha": False,
        "ncp_clouddb_backup_enabled": True,
        "ncp_clouddb_backup_time": "03:00",
        "ncp_clouddb_backup_retention_days": 7,
        "ncp_clouddb_license": "BSD",               # the code of the simulator's licence CommonCode
        "ncp_clouddb_created": result.vars("shop-cache")["ncp_clouddb_created"],
        "ncp_clouddb_shard_count": 0,
        "ncp_clouddb_servers": [{"instance_no": "11011", "name": "shop-cache-001", "role": "M",
                                 "status": "running", "zone": "KR-1"}],
    }
    assert result.vars("shop-cache")["ncp_clouddb_created"].endswith("+0900")
    assert result.vars("session-cache")["ncp_clouddb_engine"] == "Redis"
    redis = result.vars("legacy-redis")
    assert (redis["ncp_clouddb_kind"], redis["ncp_clouddb_engine"], redis["ncp_clouddb_shard_count"]) == ("redis", "Redis", 3)
    orders = result.vars("orders-db")
    assert (orders["ncp_clouddb_engine"], orders["ncp_clouddb_ha"]) == ("PostgreSQL", True)
    assert "ncp_clouddb_shard_count" not in orders
    assert [(s["instance_no"], s["role"]) for s in orders["ncp_clouddb_servers"]] == [("31011", "M"), ("31012", "S")]
    mysql = result.vars("billing-mysql")
    assert (mysql["ncp_clouddb_kind"], mysql["ncp_clouddb_instance_no"], mysql["ncp_clouddb_engine"],
            mysql["ncp_clouddb_ha"], mysql["ncp_clouddb_license"]) == ("mysql", "4101", "MySQL", True, None)
    assert set(mysql) == set(orders)
    assert [(s["instance_no"], s["role"]) for s in mysql["ncp_clouddb_servers"]] == [("41011", "M"), ("41012", "S")]

    assert result.group("ncp_clouddb") == DEMO_HOSTS
    assert result.group("ncp_clouddb_cache") == ["session-cache", "shop-cache"]
    assert result.group("ncp_clouddb_redis") == ["legacy-redis"]
    assert result.group("ncp_clouddb_postgresql") == ["orders-db", "reports-db"]
    assert result.group("ncp_clouddb_mysql") == ["billing-mysql"]
    assert (result.group("ncp_clouddb_mongodb"), result.group("ncp_clouddb_mssql")) == (["events-mongo"], ["erp-mssql"])
    mongo, mssql = result.vars("events-mongo"), result.vars("erp-mssql")
    assert (mongo["ncp_clouddb_engine"], mongo["ncp_clouddb_shard_count"], mongo["ncp_clouddb_ha"]) == ("MongoDB", 2, None)
    assert (mssql["ncp_clouddb_engine"], mssql["ncp_clouddb_ha"], mssql["ncp_clouddb_backup_enabled"]) == (
        "MSSQL", True, None)                        # the type pages have no isBackup (MSSQL) / isHa (MongoDB)
    assert result.group("ncp_clouddb_status_running") == DEMO_HOSTS

    # One request per kind, for page 0 with an explicit page size, in the default region.
    assert list_requests(ncp_sim) == [(action, "KR", "0", "100") for action in LIST_ACTIONS]
    assert ncp_sim.writes() == []
    for text in (ncp_sim.secret_key, ncp_sim.access_key, ncp_sim.api_url):
        assert text not in result.output


@pytest.mark.scenario("demo")
def test_demo_graph(ncp_sim, inventory):
    result = inventory(ncp_sim, {}, "--graph")
    assert result.returncode == 0, result.output
    graph = result.stdout
    for group, members in (("ncp_clouddb_cache", ["shop-cache", "session-cache"]),
                           ("ncp_clouddb_redis", ["legacy-redis"]),
                           ("ncp_clouddb_postgresql", ["orders-db", "reports-db"]),
                           ("ncp_clouddb_mysql", ["billing-mysql"])):
        block = graph.split("@%s:" % group, 1)[1].split("--@", 1)[0]
        assert sorted(line.strip(" |-") for line in block.splitlines() if line.strip(" |-")) == sorted(members)
    assert "@ncp_clouddb_status_running:" in graph
    assert not result.warnings("")


@pytest.mark.scenario(scenario("fleet", default_page_size=2))
def test_fleet_every_page_of_every_kind(ncp_sim, inventory):
    """32 instances. default_page_size caps every answer that names no pageSize at 2 rows, so a
    plugin that relied on an unpaged answer would miss most of them; the plugin names its page
    size, and with page_size 4 it must follow 3 + 2 + 3 + 1 pages."""
    expected = sorted(instance["name"] for instance in ncp_sim.scenario["instances"])
    assert len(expected) == 32

    result = inventory(ncp_sim, {})
    assert result.returncode == 0, result.output
    assert result.hosts == expected
    assert list_requests(ncp_sim) == [(action, "KR", "0", "100") for action in LIST_ACTIONS]

    ncp_sim.reset()
    paged = inventory(ncp_sim, {"page_size": 4})
    assert paged.returncode == 0, paged.output
    assert without_dates(paged.data) == without_dates(result.data)   # createDate moves with each reset
    assert list_requests(ncp_sim) == (
        [("getCloudCacheInstanceList", "KR", str(n), "4") for n in range(3)]          # 12 rows
        + [("getCloudRedisInstanceList", "KR", str(n), "4") for n in range(2)]        # 7 rows
        + [("getCloudPostgresqlInstanceList", "KR", str(n), "4") for n in range(3)]   # 10 rows
        + [("getCloudMysqlInstanceList", "KR", "0", "4")]                             # 3 rows
        + [("getCloudMongoDbInstanceList", "KR", "0", "4"), ("getCloudMssqlInstanceList", "KR", "0", "4")])
    assert len(paged.group("ncp_clouddb_cache")) == 12
    assert len(paged.group("ncp_clouddb_redis")) == 7
    assert len(paged.group("ncp_clouddb_postgresql")) == 10
    assert len(paged.group("ncp_clouddb_mysql")) == 3
    assert paged.group("ncp_clouddb_status_stopped") == ["fleet-cache-stopped", "fleet-pg-stopped"]
    assert paged.group("ncp_clouddb_status_restarting") == ["fleet-redis-busy"]
    assert paged.vars("fleet-cache-02")["ncp_clouddb_engine"] == "Redis"
    assert paged.vars("fleet-cache-03")["ncp_clouddb_engine"] == "Valkey"


@pytest.mark.scenario("demo")
def test_credentials_given_only_as_plugin_options(ncp_sim, inventory):
    config = {"access_key": ncp_sim.access_key, "secret_key": ncp_sim.secret_key, "api_url": ncp_sim.api_url,
              "region": "KR"}
    result = inventory(ncp_sim, config, "--list", "-vvv", sim_env=False)
    assert result.returncode == 0, result.output
    assert result.hosts == DEMO_HOSTS
    assert ncp_sim.secret_key not in result.output
    dumped = json.dumps(result.data)
    for text in (ncp_sim.access_key, ncp_sim.api_url):
        assert text not in dumped


@pytest.mark.scenario("demo")
def test_a_vault_encrypted_secret_key_option(ncp_sim, tmp_path):
    password = tmp_path / "vault-password"
    password.write_text("inventory-vault-password\n")
    vaulted = subprocess.run(["ansible-vault", "encrypt_string", "--vault-password-file", str(password),
                              ncp_sim.secret_key, "--name", "secret_key"], capture_output=True, text=True, check=True)
    path = tmp_path / "vaulted.ncp_clouddb.yml"
    path.write_text("plugin: ncp.clouddb.ncp_clouddb\naccess_key: %s\napi_url: %s\n%s\n"
                    % (ncp_sim.access_key, ncp_sim.api_url, vaulted.stdout.strip()))
    assert "secret_key: !vault |" in path.read_text() and ncp_sim.secret_key not in path.read_text()
    environment = dict(os.environ, ANSIBLE_INVENTORY_UNPARSED_FAILED="1", ANSIBLE_NOCOLOR="1",
                       HOME=str(tmp_path / "home"))
    for variable in [n for n in environment if n.startswith("NCLOUD_")]:
        del environment[variable]
    environment.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections"))
    result = subprocess.run(["ansible-inventory", "-i", str(path), "--graph", "--vault-password-file", str(password)],
                            env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "@ncp_clouddb_postgresql:" in result.stdout and "orders-db" in result.stdout
    assert ncp_sim.secret_key not in result.stdout + result.stderr


@pytest.mark.scenario("demo")
def test_without_any_credentials_the_error_says_where_to_put_them(ncp_sim, inventory):
    result = inventory(ncp_sim, {"api_url": ncp_sim.api_url}, sim_env=False)
    assert result.returncode != 0
    assert "no NCP API access_key and secret_key found" in result.output
    assert "NCLOUD_ACCESS_KEY" in result.output
    assert list_requests(ncp_sim) == []


@pytest.mark.scenario("demo")
def test_a_wrong_secret_is_a_clear_error_without_secret_or_traceback(ncp_sim, inventory):
    wrong = "wrong-secret-must-not-show-1234"
    result = inventory(ncp_sim, {"secret_key": wrong})
    assert result.returncode != 0
    assert ("listing Cloud DB for Cache instances in region KR failed: getCloudCacheInstanceList failed, HTTP 401"
            in result.output)
    assert "Check access_key and secret_key" in result.output
    assert "Traceback" not in result.output
    assert wrong not in result.output
    verbose = inventory(ncp_sim, {"secret_key": wrong}, "--list", "-vvvv")
    assert verbose.returncode != 0 and wrong not in verbose.output


def demo_denied(*actions):
    """The demo scenario with its credential refused these actions (401, errorCode 210, as NCP's gateway does)."""
    data = scenario("demo")
    data["credentials"][0]["denied_actions"] = list(actions)
    return data


@pytest.mark.scenario(demo_denied("getCloudRedisInstanceList"))
def test_a_kind_the_credential_may_not_list_fails_or_is_skipped_with_strict_permissions_off(ncp_sim, inventory):
    strict = inventory(ncp_sim, {})
    assert strict.returncode != 0
    assert "(kind redis) in region KR was refused" in strict.output and "strict_permissions: false" in strict.output
    assert "Traceback" not in strict.output

    lenient = inventory(ncp_sim, {"strict_permissions": False}, "--graph")
    assert lenient.returncode == 0, lenient.output
    for host in ("shop-cache", "session-cache", "orders-db", "reports-db"):
        assert host in lenient.stdout
    assert "legacy-redis" not in lenient.stdout
    (warning,) = lenient.warnings("strict_permissions is false")
    assert "redis (getCloudRedisInstanceList) in region KR" in warning
    assert len(lenient.warnings("")) == 1


@pytest.mark.scenario("demo")
def test_throttling_is_retried(ncp_sim, inventory):
    ncp_sim.inject("getCloudRedisInstanceList", "throttle", count=1)
    result = inventory(ncp_sim, {})
    assert result.returncode == 0, result.output
    assert result.hosts == DEMO_HOSTS
    outcomes = [entry["outcome"] for entry in ncp_sim.requests("getCloudRedisInstanceList")]
    assert outcomes == ["fault:throttle", "ok"]


@pytest.mark.scenario(demo_with(**{"3102": {"name": "shop-cache"}}))
def test_a_shared_name_gives_numbered_hosts_and_one_warning(ncp_sim, inventory):
    result = inventory(ncp_sim, {})
    assert result.returncode == 0, result.output
    assert result.hosts == ["billing-mysql", "erp-mssql", "events-mongo", "legacy-redis", "orders-db", "session-cache",
                            "shop-cache-1101", "shop-cache-3102"]
    assert result.vars("shop-cache-1101")["ncp_clouddb_kind"] == "cache"
    assert result.vars("shop-cache-3102")["ncp_clouddb_kind"] == "postgresql"
    assert result.vars("shop-cache-3102")["ncp_clouddb_name"] == "shop-cache"
    warnings = result.warnings("more than one listed instance has the same service name")
    assert len(warnings) == 1, result.stderr
    assert "cache 1101 in KR as shop-cache-1101" in result.stderr
    assert "postgresql 3102 in KR as shop-cache-3102" in result.stderr


@pytest.mark.scenario(demo_with(**{"1102": {"region": "JPN", "zone": "JPN-4"}}))
def test_regions(ncp_sim, inventory):
    default = inventory(ncp_sim, {})
    assert default.returncode == 0, default.output
    assert "session-cache" not in default.hosts

    ncp_sim.reset()
    both = inventory(ncp_sim, {"regions": ["KR", "JPN"]})
    assert both.returncode == 0, both.output
    assert both.hosts == DEMO_HOSTS
    assert (both.vars("session-cache")["ncp_clouddb_region"], both.vars("session-cache")["ncp_clouddb_zone"]) == (
        "JPN", "JPN-4")
    assert both.vars("shop-cache")["ncp_clouddb_region"] == "KR"
    assert [region for _action, region, _no, _size in list_requests(ncp_sim)] == ["KR"] * len(LIST_ACTIONS) + ["JPN"] * len(LIST_ACTIONS)


@pytest.mark.scenario(demo_with(**{"1102": {"name": "tmp-cache"}, "3102": {"status": "settingup"}}))
def test_the_shipped_example_file(ncp_sim, inventory, play):
    """extensions/inventory/ncp_clouddb.example.yml, copied to a name the plugin reads, and the main job over it."""
    with open(EXAMPLE, encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    result = inventory(ncp_sim, config)
    assert result.returncode == 0, result.output
    # status [running, stopped] drops the setting-up reports-db; exclude_name tmp-* drops tmp-cache.
    assert result.hosts == ["billing-mysql", "legacy-redis", "orders-db", "shop-cache"]
    assert result.group("engine_valkey") == ["shop-cache"]
    assert result.group("engine_redis") == ["legacy-redis"]
    assert result.group("engine_postgresql") == ["orders-db"]
    assert result.group("engine_mysql") == ["billing-mysql"]
    assert result.group("unprotected") == []
    assert result.vars("orders-db")["backup_and_export_bucket"] == "pg-backups"
    assert result.vars("shop-cache")["backup_and_export_bucket"] == "cache-backups"
    assert result.vars("billing-mysql")["backup_and_export_bucket"] == "mysql-backups"

    # The main job over it, in check mode: every listed instance, each with the bucket compose gave it.
    run = play(ncp_sim, "ncp.clouddb.backup_and_export", inventory_files={"fleet.ncp_clouddb.yml": config},
               check=True)
    assert run.rc == 0, run
    assert {r["instance_name"]: r["bucket"] for r in run.results} == {
        "legacy-redis": "cache-backups", "orders-db": "pg-backups", "shop-cache": "cache-backups",
        "billing-mysql": "mysql-backups"}
    assert ncp_sim.writes() == []


@pytest.mark.scenario("demo")
def test_the_cache_answers_until_flushed_and_holds_no_secret(ncp_sim, inventory, tmp_path):
    cache_dir = tmp_path / "inventory-cache"
    config = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(cache_dir)}
    first = inventory(ncp_sim, config)
    assert first.returncode == 0, first.output
    assert first.hosts == DEMO_HOSTS
    files = list(cache_dir.iterdir())
    assert len(files) == 1
    text = files[0].read_text()
    for secret in (ncp_sim.secret_key, ncp_sim.access_key, ncp_sim.api_url):
        assert secret not in text

    ncp_sim.set_instance("vcache", "1101", name="renamed-cache")
    before = len(list_requests(ncp_sim))
    cached = inventory(ncp_sim, config)
    assert cached.returncode == 0, cached.output
    assert cached.hosts == DEMO_HOSTS and len(list_requests(ncp_sim)) == before

    flushed = inventory(ncp_sim, config, "--list", "--flush-cache")
    assert flushed.returncode == 0, flushed.output
    assert "renamed-cache" in flushed.hosts and "shop-cache" not in flushed.hosts
    assert len(list_requests(ncp_sim)) == before + len(LIST_ACTIONS)
