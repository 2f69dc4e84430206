# -*- coding: utf-8 -*-
"""The role and the playbook end to end: ansible-playbook (through ansible-runner, as AWX runs it), by
FQCN, over hosts of the inventory plugin or a targets list, against the NCP API simulator.

What is checked comes from the simulator's request log (which writes reached it, for which
instance) and from the playbook's structured results (the artifact ncp_clouddb_results and the
play recap); nothing is read from printed output. Wall times are measured by
tests/benchmarks/fleet.py, not here.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOKS = os.path.join(HERE, "playbooks")
EXAMPLE_TARGETS = os.path.join(ROOT, "playbooks", "vars", "example_targets.yml")
DEMO_INVENTORY = os.path.join(ROOT, "tests", "simulator", "scenarios", "demo_inventory")
PLAYBOOK = "ncp.clouddb.backup_and_export"
CREATES = {"cache": "createCloudCacheManualBackup", "redis": "createCloudRedisManualBackup"}
EXPORT = "exportBackupToObjectStorage"
SERVICE_OF_KIND = {"cache": "vcache", "redis": "vredis", "postgresql": "vpostgresql", "mysql": "vmysql"}
EXPORT_ONLY = ("postgresql", "mysql")      # no manual backup: their newest automatic backup is exported
BROKEN = ("fleet-cache-stopped", "fleet-redis-busy", "fleet-pg-stale", "fleet-pg-stopped", "fleet-mysql-stale")
LOCALHOST_LINE = "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable


def fleet_inventory(exclude=BROKEN, **plugin):
    """Inventory files for the fleet scenario: the plugin's file and group_vars naming the buckets."""
    config = {"plugin": "ncp.clouddb.ncp_clouddb"}
    if exclude:
        config["filters"] = {"exclude_name": list(exclude)}
    config.update(plugin)
    return {
        "fleet.ncp_clouddb.yml": config,
        "group_vars/ncp_clouddb_cache.yml": {"backup_and_export_bucket": "fleet-cache-backups"},
        "group_vars/ncp_clouddb_redis.yml": {"backup_and_export_bucket": "fleet-cache-backups"},
        "group_vars/ncp_clouddb_postgresql.yml": {"backup_and_export_bucket": "fleet-pg-backups"},
        "group_vars/ncp_clouddb_mysql.yml": {"backup_and_export_bucket": "fleet-mysql-backups"},
    }


def scenario_instances(ncp_sim, exclude=BROKEN):
    return [i for i in ncp_sim.scenario["instances"] if i["name"] not in exclude]


def recent_manual_backup(instance):
    """Whether the scenario gives the instance a manual backup younger than the 6 h reuse window."""
    return any(str(b.get("start_time", "")).endswith("h") and int(str(b["start_time"])[1:-1]) < 6
               for b in instance.get("manual_backups") or [])


def kind_of(instance):
    return {service: kind for kind, service in SERVICE_OF_KIND.items()}[instance["service"]]


# --- the fleet, from the inventory plugin -----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.scenario("fleet")
def test_fleet_from_the_inventory_is_backed_up_and_exported_once_and_a_second_run_changes_nothing(ncp_sim, play):
    instances = scenario_instances(ncp_sim)
    assert len(instances) >= 25 and {kind_of(i) for i in instances} == set(SERVICE_OF_KIND)
    first = play(ncp_sim, PLAYBOOK, inventory_files=fleet_inventory())
    assert first.rc == 0, first
    assert len(first.results) == len(instances) and not any(r["failed"] for r in first.results)

    writes = ncp_sim.applied_writes()
    for instance in instances:
        number, kind = str(instance["instance_no"]), kind_of(instance)
        result = first.result_for(number)
        assert writes[(EXPORT, number)] == 1, "instance %s: %d exports" % (number, writes[(EXPORT, number)])
        assert result["exported"] and result["object"]["key"]
        if kind in EXPORT_ONLY:     # the role's default folder: <kind>/<instance_no>/
            assert result["object"]["key"] == "%s/%s/%s" % (kind, number, result["backup"]["file_name"])
            assert writes[(EXPORT, number)] == 1 and result["backup"]["backup_type"] == "automatic"
            continue
        made = writes[(CREATES[kind], number)]
        if recent_manual_backup(instance):
            assert made == 0 and result["backup_reused"], "instance %s has a backup inside max_age" % number
        else:
            assert made == 1 and result["backup_changed"], "instance %s: %d backups made" % (number, made)
        assert result["object"]["key"] == "%s/%s/%s" % (SERVICE_OF_KIND[kind], number, result["backup"]["file_name"])
    assert {number for _action, number in writes} <= {str(i["instance_no"]) for i in instances}

    second = play(ncp_sim, PLAYBOOK, inventory_files=fleet_inventory())
    assert second.rc == 0, second
    assert ncp_sim.applied_writes() == writes, "the second run wrote something"
    for result in second.results:
        assert not result["exported"] and not result["backup_changed"] and result["object"]["key"], result
        if result["kind"] not in EXPORT_ONLY:
            assert result["backup_reused"], result


@pytest.mark.scenario("fleet")
def test_every_kind_runs_at_the_same_time(ncp_sim, play):
    """A PostgreSQL export is asked for before any cache backup has finished: kinds do not wait for each other."""
    slow = dict(ncp_sim.scenario, settings=dict(ncp_sim.scenario["settings"], backup_seconds=10.0))
    ncp_sim.reset(slow)
    run = play(ncp_sim, PLAYBOOK, inventory_files=fleet_inventory(), limit="fleet-cache-01:fleet-redis-01:fleet-pg-01")
    assert run.rc == 0, run
    log = [e for e in ncp_sim.requests() if e.get("applied")]
    first_create = min(e["time"] for e in log if e["action"] in CREATES.values())
    postgresql_export = min(e["time"] for e in log if e["action"] == EXPORT and "cloudPostgresqlInstanceNo" in e["params"])
    assert postgresql_export < first_create + 10.0, "the PostgreSQL export waited for the cache backups"


# --- failures, relaunch, limit ----------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.scenario("fleet")
def test_a_stopped_instance_fails_only_its_host_and_a_relaunch_on_failed_hosts_redoes_only_it(ncp_sim, play):
    hosts = "fleet-cache-01:fleet-cache-03:fleet-redis-02:fleet-pg-02"
    ncp_sim.set_instance("vcache", "5103", status="stopped")
    first = play(ncp_sim, PLAYBOOK, inventory_files=fleet_inventory(), limit=hosts)
    assert first.rc != 0, first
    assert first.failed_hosts() == ["fleet-cache-03"]
    broken = first.result_for("5103")
    assert broken["failed"] and broken["failed_step"] == "backup" and "is stopped" in broken["error"]
    assert broken["summary"].startswith("FAILED cache      fleet-cache-03 (5103): backup FAILED")
    assert [r["label"] for r in first.results if not r["failed"]] == [
        "cache 5101", "redis 5202", "postgresql 5302"]
    writes = ncp_sim.applied_writes()
    assert writes[(CREATES["cache"], "5103")] == 0 and writes[(EXPORT, "5103")] == 0

    ncp_sim.set_instance("vcache", "5103", status="running")
    again = play(ncp_sim, PLAYBOOK, inventory_files=fleet_inventory(), limit=",".join(first.failed_hosts()))
    assert again.rc == 0, again
    assert [r["label"] for r in again.results] == ["cache 5103"]
    expected = collections.Counter({(CREATES["cache"], "5103"): 1, (EXPORT, "5103"): 1})
    assert ncp_sim.applied_writes() - writes == expected


@pytest.mark.scenario("fleet")
def test_every_kind_of_broken_instance_is_named_with_its_reason(ncp_sim, play):
    run = play(ncp_sim, PLAYBOOK, inventory_files=fleet_inventory(exclude=None),
               limit=":".join(BROKEN + ("fleet-cache-solo",)))
    assert run.rc != 0
    assert run.failed_hosts() == sorted(BROKEN)
    assert "is stopped" in run.result_for("fleet-cache-stopped")["error"]
    assert "is restarting" in run.result_for("fleet-redis-busy")["error"]
    for stale in ("fleet-pg-stale", "fleet-mysql-stale"):
        assert "longer ago than max_backup_age=26h" in run.result_for(stale)["error"]
        assert run.result_for(stale)["failed_step"] == "export"
    assert "is stopped" in run.result_for("fleet-pg-stopped")["error"]
    assert not run.result_for("fleet-cache-solo")["failed"]
    assert ncp_sim.applied_writes().keys() <= {(CREATES["cache"], "5199"), (EXPORT, "5199")}


@pytest.mark.scenario("fleet")
def test_check_mode_makes_no_writes_and_says_what_would_be_done(ncp_sim, play):
    run = play(ncp_sim, PLAYBOOK, inventory_files=fleet_inventory(), check=True,
               limit="fleet-cache-01:fleet-cache-05:fleet-redis-02:fleet-pg-01:fleet-mysql-01")
    assert run.rc == 0, run
    assert ncp_sim.writes() == []
    assert ncp_sim.s3_requests("PutObject") == [] and ncp_sim.s3_requests("DeleteObject") == []
    assert "a new backup would be made (check mode)" in run.result_for("5101")["summary"]
    assert "would be exported to fleet-cache-backups (check mode)" in run.result_for("5105")["summary"]  # reused
    assert "would be exported to fleet-pg-backups (check mode)" in run.result_for("5301")["summary"]
    assert "would be exported to fleet-mysql-backups (check mode)" in run.result_for("5401")["summary"]


# --- a targets list instead of an inventory --------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.scenario("demo")
def test_example_targets_each_get_their_own_export_and_a_rerun_finds_them(ncp_sim, play):
    """The demo's three cache backups share a date-like name and a bucket; their exports run at the same time."""
    with open(EXAMPLE_TARGETS) as handle:
        example = yaml.safe_load(handle)
    first = play(ncp_sim, PLAYBOOK, extravars=example)
    assert first.rc == 0, first
    cache = [r for r in first.results if r["kind"] not in EXPORT_ONLY]
    assert len({r["backup"]["file_name"] for r in cache}) == 1, "this test needs same-named backups"
    for result in first.results:
        folder = result["kind"] if result["kind"] in EXPORT_ONLY else SERVICE_OF_KIND[result["kind"]]
        assert result["object"]["key"].startswith("%s/%s/" % (folder, result["instance_no"])), result

    writes = ncp_sim.applied_writes()
    second = play(ncp_sim, PLAYBOOK, extravars=example)
    assert second.rc == 0, second
    assert ncp_sim.applied_writes() == writes, "the second run exported again"


def demo_inventory_files():
    files = {}
    for folder, _dirs, names in os.walk(DEMO_INVENTORY):
        for name in names:
            path = os.path.join(folder, name)
            with open(path) as handle:
                files[os.path.relpath(path, DEMO_INVENTORY)] = handle.read()
    return files


# Ansible's own warnings, shown again (the play fixture hides the two about inventories for other tests).
SHOW_WARNINGS = {"ANSIBLE_LOCALHOST_WARNING": "1", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "1"}


@pytest.mark.slow
@pytest.mark.scenario("demo")
def test_the_plain_command_over_the_demo_inventory_backs_up_every_instance_and_prints_no_warning(ncp_sim, play):
    """ansible-playbook -i <the plugin's file> ncp.clouddb.backup_and_export, as a user types it: no localhost
    in the inventory, no results file. Here the printed output is the point: a healthy run shows no warning."""
    run = play(ncp_sim, PLAYBOOK, inventory="", inventory_files=demo_inventory_files(), env=SHOW_WARNINGS)
    assert run.rc == 0, run
    assert sorted(r["instance_name"] for r in run.results) == [
        "billing-mysql", "erp-mssql", "events-mongo", "legacy-redis", "orders-db", "reports-db", "session-cache",
        "shop-cache"]
    assert not any(r["failed"] for r in run.results)
    noise = [line for line in run.output.splitlines() if "WARNING]" in line]   # [WARNING], [DEPRECATION WARNING]
    assert noise == [], "a healthy run printed:\n%s" % "\n".join(noise)
    mysql = run.result_for("4101")
    assert mysql["object"]["key"] == "mysql/4101/" + mysql["backup"]["file_name"] and mysql["bucket"] == "mysql-backups"
    # MongoDB and MSSQL: listed, then skipped with the fact NCP's pages leave open; never failed, never asked.
    for number, missing in (("6101", "objectName"), ("7101", "fullObjectName")):
        skipped = run.result_for(number)
        assert skipped["skipped"] and not skipped["failed"] and missing in skipped["skip_reason"], skipped
    assert run.failed_hosts() == []
    asked = {entry["service"] for entry in ncp_sim.requests()}
    assert "vmongodb" in asked and "vmssql" in asked          # listed by the inventory plugin
    assert not [e for e in ncp_sim.requests() if e["service"] in ("vmongodb", "vmssql") and
                not e["action"].endswith("InstanceList")]


EMPTY_FLEET = [
    ("inventory source did not parse", dict(env={"NCLOUD_SECRET_KEY": "not-the-key"}, inventory_files=demo_inventory_files()),
     "The likely cause: the inventory source did not parse"),
    ("empty targets list", dict(extravars={"targets": []}), "The targets list is empty."),
]


@pytest.mark.scenario("demo")
@pytest.mark.parametrize("how,message", [case[1:] for case in EMPTY_FLEET], ids=[case[0] for case in EMPTY_FLEET])
def test_a_run_whose_hosts_match_no_instance_fails_naming_the_likely_cause_and_the_way_to_allow_it(
        ncp_sim, play, how, message):
    run = play(ncp_sim, PLAYBOOK, **how)
    assert run.rc != 0, run
    assert run.failed_hosts() == ["localhost"], run
    (failure,) = run.task_results("Fail, no instance matched").values()
    assert "Nothing was backed up: the hosts" in failure["msg"] and "matched no instance" in failure["msg"], failure
    assert message in failure["msg"] and "set ncp_clouddb_allow_empty=true" in failure["msg"], failure
    assert "ncp_clouddb_results" not in run.artifacts
    assert ncp_sim.applied_writes() == {}


@pytest.mark.scenario("demo")
def test_an_empty_fleet_allowed_on_purpose_succeeds_with_empty_results(ncp_sim, play, tmp_path):
    results_file = tmp_path / "results.json"
    run = play(ncp_sim, PLAYBOOK, extravars={"targets": [], "ncp_clouddb_allow_empty": True,
                                             "ncp_clouddb_results_file": str(results_file)})
    assert run.rc == 0, run
    assert run.artifacts["ncp_clouddb_results"] == []
    assert json.loads(results_file.read_text()) == []


@pytest.mark.slow
@pytest.mark.parametrize("extra,status,last_line", [
    ([], 2, "== Exit status 2: the job FAILED (see above)"),
    (["-e", "ncp_clouddb_allow_empty=true"], 0, "== Exit status 0: the job succeeded"),
], ids=["empty-fails", "empty-allowed"])
def test_the_demo_ends_with_a_line_that_says_its_exit_status(tmp_path, extra, status, last_line):
    """scripts/demo --real over an empty targets list: no request is made, the exit status and the last line agree."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("NCLOUD_")}
    env.update(NCLOUD_ACCESS_KEY="demo-test-key", NCLOUD_SECRET_KEY="demo-test-secret", NCLOUD_API_GW="http://127.0.0.1:9",
               ANSIBLE_NOCOLOR="1", TMPDIR=str(tmp_path))
    done = subprocess.run(["bash", os.path.join(ROOT, "scripts", "demo"), "--real", "-e", '{"targets": []}'] + extra,
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300, check=False)
    lines = done.stdout.strip().splitlines()
    assert (done.returncode, lines[-1]) == (status, last_line), done.stdout[-3000:] + done.stderr[-2000:]


MALFORMED = [
    ("no instance", [{"kind": "cache"}], "target 1 {\"kind\": \"cache\"}: give exactly one of instance_no and instance_name"),
    ("both ids", [{"kind": "redis", "instance_no": "5201", "instance_name": "fleet-redis-01"}],
     "give exactly one of instance_no and instance_name"),
    ("unknown kind", [{"kind": "oracle", "instance_no": "1"}],
     "kind must be one of cache, redis, postgresql, mysql, got 'oracle'"),
    ("max_backup_age on cache", [{"kind": "cache", "instance_no": "5101", "max_backup_age": "1h"}],
     "max_backup_age is for postgresql and mysql targets only"),
    ("mysql without bucket", [{"kind": "mysql", "instance_no": "5401"}],
     "no bucket; give the target a bucket, or set bucket for all targets"),
    ("typo in a key", [{"kind": "cache", "instnce_name": "fleet-cache-01"}], "unknown key(s) instnce_name"),
    ("not a list", "fleet-cache-01", "targets must be a list of mappings"),
    ("twice the same", [{"kind": "cache", "instance_no": "5101"}, {"kind": "cache", "instance_no": "5101"}],
     "cache 5101 is already target 1; list each instance once"),
    ("max_age on postgresql", [{"kind": "postgresql", "instance_no": "5301", "bucket": "b", "max_age": "1h"}],
     "max_age is for cache and redis targets only"),
    ("postgresql without bucket", [{"kind": "postgresql", "instance_no": "5301"}],
     "no bucket; give the target a bucket, or set bucket for all targets"),
]


@pytest.mark.scenario("fleet")
@pytest.mark.parametrize("targets,message", [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_target_list_is_refused_before_any_request(ncp_sim, play, targets, message):
    if isinstance(targets, list):
        targets = targets + [{"kind": "cache", "instance_no": "5102"}]
    run = play(ncp_sim, PLAYBOOK, extravars={"targets": targets})
    assert run.rc != 0
    (refused,) = run.task_results("Add one host per target").values()
    assert refused["failed"] and message in refused["msg"], refused
    assert ncp_sim.requests() == [], "nothing may be asked of NCP when the target list is wrong"


@pytest.mark.scenario("fleet")
def test_bad_host_variables_are_refused_by_the_role_argument_spec(ncp_sim, play):
    inventory = "odd ncp_clouddb_kind=oracle ncp_clouddb_instance_no=1\n[ncp_clouddb]\nodd\n"
    run = play(ncp_sim, PLAYBOOK, inventory=inventory)
    assert run.rc != 0 and run.failed_hosts() == ["odd"]
    (refused,) = run.task_results(
        "Validating arguments against arg spec 'main' - Back up one NCP database instance and export the backup to "
        "Object Storage").values()
    assert "ncp_clouddb_kind must be one of: cache, redis, postgresql, mysql, mongodb, mssql, got: oracle" in refused["msg"]
    assert ncp_sim.requests() == []


# --- retention through the role ----------------------------------------------------------------------

@pytest.mark.scenario("fleet")
def test_retention_variables_reach_the_modules_and_the_summary_counts_what_was_pruned(ncp_sim, play):
    inventory = fleet_inventory()
    inventory["host_vars/fleet-cache-03.yml"] = {"backup_and_export_keep_last": 1,
                                                 "backup_and_export_max_age": "0"}
    run = play(ncp_sim, PLAYBOOK, inventory_files=inventory, limit="fleet-cache-03:fleet-cache-01")
    assert run.rc == 0, run
    pruned = run.result_for("5103")
    assert len(pruned["pruned_backups"]) == 1 and "pruned 1 backup(s)" in pruned["summary"]
    assert run.result_for("5101")["pruned_backups"] == [], "retention is off unless asked for"
    deletes = ncp_sim.requests("deleteCloudCacheManualBackup")
    assert [e["params"]["cloudCacheInstanceNo"] for e in deletes] == ["5103"]


# --- inside an existing role, with module_defaults -----------------------------------------------

@pytest.mark.scenario("fleet")
def test_include_role_with_module_defaults_and_no_environment(ncp_sim, play, tmp_path):
    """tests/e2e/playbooks/include_role.yml: credentials reach the role's modules via module_defaults only."""
    run = play(ncp_sim, os.path.join(PLAYBOOKS, "include_role.yml"), sim_env=False,
               extravars={"ncp_access_key": ncp_sim.access_key, "ncp_secret_key": ncp_sim.secret_key,
                          "ncp_api_url": ncp_sim.api_url, "ncp_object_storage_url": ncp_sim.s3_url},
               env={"HOME": str(tmp_path)})                    # and no ~/.ncloud/configure either
    assert run.rc == 0, run
    writes = ncp_sim.applied_writes()
    assert writes[(CREATES["cache"], "5101")] == 1 and writes[(EXPORT, "5101")] == 1
    assert writes[(EXPORT, "5301")] == 1
    assert ncp_sim.secret_key not in run.output


JPN_SCENARIO = {
    "settings": {"backup_seconds": 1.0, "export_seconds": 0.5},
    "buckets": ["jp-backups"],
    "instances": [{"service": "vcache", "instance_no": "8101", "name": "tokyo-cache", "region": "JPN",
                   "automatic_backup_series": {"count": 1, "every": "24h", "newest": "-2h"}}],
}


@pytest.mark.scenario(JPN_SCENARIO)
@pytest.mark.parametrize("through", ["module_defaults", "host_region"])
def test_the_instance_region_reaches_the_modules_without_dropping_one_given_in_module_defaults(
        ncp_sim, play, through, tmp_path):
    """Region JPN, given either in module_defaults for the group (the host has no region) or as the host's
    region (no module_defaults): either way the instance is found there and backed up."""
    host = {"ncp_clouddb_kind": "cache", "ncp_clouddb_name": "tokyo-cache", "backup_and_export_bucket": "jp-backups"}
    if through == "host_region":
        host["ncp_clouddb_region"] = "JPN"
    inventory = LOCALHOST_LINE + "tokyo-cache %s\n" % " ".join("%s=%s" % item for item in host.items())
    playbook = [{"name": "back up", "hosts": "tokyo-cache", "gather_facts": False,
                 "module_defaults": {"group/ncp.clouddb.ncp": {"region": "JPN"}} if through == "module_defaults" else {},
                 "roles": [{"role": "ncp.clouddb.backup_and_export"}]}]
    run = play(ncp_sim, playbook, inventory=inventory, env={"NCLOUD_REGION": "KR"})
    assert run.rc == 0, run
    assert ncp_sim.applied_writes()[(CREATES["cache"], "8101")] == 1
    assert {e["params"].get("regionCode") for e in ncp_sim.requests()} == {"JPN"}
