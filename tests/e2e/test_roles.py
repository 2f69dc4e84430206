# -*- coding: utf-8 -*-
"""The roles and playbooks end to end: ansible-playbook, by FQCN, against the NCP API simulator.

The fleet is tests/simulator/scenarios/fleet.yml; its 24 healthy instances are listed in
tests/e2e/playbooks/vars/fleet_targets.yml. What is checked comes from the simulator's request log
(which writes reached it, for which instance) and from the per-target summary the roles print.
Wall times are measured by tests/benchmarks/fleet.py, not here.
"""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOKS = os.path.join(HERE, "playbooks")
EXAMPLE_TARGETS = os.path.join(ROOT, "playbooks", "vars", "example_targets.yml")
INVENTORY = "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable
CREATES = ("createCloudCacheManualBackup", "createCloudRedisManualBackup")
EXPORT = "exportBackupToObjectStorage"
SERVICE_OF_KIND = {"cache": "vcache", "redis": "vredis", "postgresql": "vpostgresql"}
FAST = {"backup_and_export_poll_interval": 1, "cache_backup_poll_interval": 1,
        "postgresql_export_poll_interval": 1}
SUMMARY_LINE = re.compile(r"^(ok|FAILED) +(cache|redis|postgresql) +(.+?): (.*)$")


def collections_path():
    return os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, "collections")


class PlaybookRun:
    def __init__(self, returncode, output):
        self.returncode = returncode
        self.output = output
        self.summary = parse_summary(output)

    def lines(self, status=None):
        """Parsed summary lines: dicts with status, kind, who, text."""
        return [line for line in self.summary["targets"] if status is None or line["status"] == status]

    def line_for(self, instance):
        """The summary line whose instance part names this instance (name or number)."""
        pattern = re.compile(r"(^|\W)%s(\W|$)" % re.escape(instance))
        found = [line for line in self.summary["targets"] if pattern.search(line["who"])]
        assert len(found) == 1, "no single summary line for %s in:\n%s" % (instance, self.output)
        return found[0]


def parse_summary(output):
    """The last 'Summary, one line per target' task's message: headline and one dict per target."""
    marker = output.rfind(": Summary, one line per target]")
    if marker < 0:
        return {"headline": None, "targets": []}
    start = output.index("=> {", marker) + 3
    end = output.index("\n}\n", start) + 2
    lines = json.loads(output[start:end])["msg"]
    targets = []
    for line in lines[1:]:
        match = SUMMARY_LINE.match(line)
        assert match, "summary line not understood: %r" % line
        targets.append(dict(status=match.group(1), kind=match.group(2), who=match.group(3), text=match.group(4)))
    return {"headline": lines[0], "targets": targets}


def run_playbook(ncp_sim, tmp_path, playbook, targets=None, extra_vars=None, check=False, env=None,
                 sim_env=True):
    """ansible-playbook PLAYBOOK (an FQCN or a path) with the simulator's NCLOUD_* environment."""
    run_dir = tmp_path / ("run-%d" % len(list(tmp_path.glob("run-*"))))
    run_dir.mkdir()
    (run_dir / "hosts").write_text(INVENTORY)
    variables = dict(FAST)
    if targets is not None:
        variables["targets"] = targets
    variables.update(extra_vars or {})
    (run_dir / "vars.json").write_text(json.dumps(variables))
    command = ["ansible-playbook", "-i", str(run_dir / "hosts"), playbook, "-e", "@%s" % (run_dir / "vars.json")]
    if check:
        command.append("--check")
    environment = dict(os.environ)
    for name in [n for n in environment if n.startswith("NCLOUD_")]:
        del environment[name]
    environment.update({
        "ANSIBLE_COLLECTIONS_PATH": collections_path(),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_FORCE_COLOR": "0",
    })
    if sim_env:
        environment.update(ncp_sim.env())
    environment.update(env or {})
    proc = subprocess.run(command, cwd=str(run_dir), env=environment, capture_output=True, text=True, timeout=1200,
                          check=False)
    output = proc.stdout + proc.stderr
    (run_dir / "output.log").write_text(output)
    return PlaybookRun(proc.returncode, output)


def fleet_numbers(ncp_sim, targets):
    """kind -> instance numbers of the targets (names resolved through the scenario)."""
    by_name = {(i["service"], i["name"]): str(i["instance_no"]) for i in ncp_sim.scenario["instances"]}
    numbers = collections.defaultdict(list)
    for target in targets:
        service = SERVICE_OF_KIND[target["kind"]]
        numbers[target["kind"]].append(str(target["instance_no"]) if "instance_no" in target
                                       else by_name[(service, target["instance_name"])])
    return numbers


def recent_manual_backup(ncp_sim, number):
    """Whether the scenario gives the instance a manual backup younger than the 6 h reuse window."""
    for instance in ncp_sim.scenario["instances"]:
        if str(instance["instance_no"]) == number:
            return any(str(b.get("start_time", "")).endswith("h") and int(str(b["start_time"])[1:-1]) < 6
                       for b in instance.get("manual_backups") or [])
    return False


# --- the fleet -----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.scenario("fleet")
def test_fleet_is_backed_up_and_exported_once_and_a_second_run_changes_nothing(ncp_sim, tmp_path, fleet_targets):
    targets = fleet_targets()
    assert len(targets) >= 20
    numbers = fleet_numbers(ncp_sim, targets)

    first = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export", targets=targets)
    assert first.returncode == 0, first.output
    assert first.summary["headline"] == "%d target(s): %d ok, 0 failed" % (len(targets), len(targets))
    assert len(first.lines("ok")) == len(targets)

    writes = ncp_sim.applied_writes()
    for kind in ("cache", "redis"):
        action = CREATES[0] if kind == "cache" else CREATES[1]
        for number in numbers[kind]:
            made = writes[(action, number)]
            if recent_manual_backup(ncp_sim, number):
                assert made == 0, "instance %s has a backup inside max_age; none should be made" % number
                assert "(reused" in first.line_for(number)["text"]
            else:
                assert made == 1, "instance %s: %d backups made, expected exactly one" % (number, made)
                assert "(new)" in first.line_for(number)["text"]
    for kind, kind_numbers in numbers.items():
        for number in kind_numbers:
            assert writes[(EXPORT, number)] == 1, "instance %s: %d exports" % (number, writes[(EXPORT, number)])
            line = first.line_for(number)
            folder = "/%s/%s/" % (SERVICE_OF_KIND[kind], number)
            assert "-> exported to fleet-" in line["text"] and folder in line["text"], line
    targeted = {number for kind_numbers in numbers.values() for number in kind_numbers}
    assert {number for _action, number in writes} <= targeted, "a write went to an instance not in the list"

    writes_after_first = ncp_sim.applied_writes()
    second = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export", targets=targets)
    assert second.returncode == 0, second.output
    assert ncp_sim.applied_writes() == writes_after_first, "the second run wrote something"
    for line in second.lines():
        assert "-> already in fleet-" in line["text"], line
        if line["kind"] != "postgresql":
            assert "(reused" in line["text"], line


@pytest.mark.slow
@pytest.mark.scenario("fleet")
def test_a_stopped_instance_fails_only_itself_and_a_relaunch_redoes_only_what_is_missing(
        ncp_sim, tmp_path, fleet_targets):
    targets = fleet_targets("5101", "5103", "5201", "5301", "fleet-cache-02", "fleet-redis-02", "fleet-pg-02")
    ncp_sim.set_instance("vcache", "5103", status="stopped")

    first = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export", targets=targets)
    assert first.returncode != 0, first.output
    assert first.summary["headline"] == "7 target(s): 6 ok, 1 failed"
    broken = first.line_for("5103")
    assert broken["status"] == "FAILED" and broken["kind"] == "cache"
    assert "stopped" in broken["text"]
    assert "1 of 7 target(s) failed: cache 5103" in first.output
    for line in first.lines("ok"):
        assert "-> exported to fleet-" in line["text"], line
    writes = ncp_sim.applied_writes()
    assert writes[(CREATES[0], "5103")] == 0 and writes[(EXPORT, "5103")] == 0

    ncp_sim.set_instance("vcache", "5103", status="running")
    second = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export", targets=targets)
    assert second.returncode == 0, second.output
    new_writes = ncp_sim.applied_writes() - writes
    assert new_writes == collections.Counter({(CREATES[0], "5103"): 1, (EXPORT, "5103"): 1})
    assert "(new)" in second.line_for("5103")["text"]


@pytest.mark.slow
@pytest.mark.scenario("fleet")
def test_every_kind_of_broken_target_is_named_with_its_reason(ncp_sim, tmp_path):
    """The fleet's broken instances, through the two single-kind playbooks."""
    cache = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.cache_backup", targets=[
        {"kind": "cache", "instance_no": "5101"},                                  # backed up, no bucket
        {"kind": "cache", "instance_name": "fleet-cache-stopped"},
        {"kind": "redis", "instance_name": "fleet-redis-busy"},
        {"kind": "cache", "instance_name": "no-such-cache"},
        {"kind": "redis", "instance_no": "5202", "bucket": "not-reachable"},
    ])
    assert cache.returncode != 0
    assert cache.summary["headline"] == "5 cache target(s): 1 ok, 4 failed"
    assert "not exported (no bucket)" in cache.line_for("5101")["text"]
    assert "is stopped" in cache.line_for("fleet-cache-stopped")["text"]
    assert "is restarting" in cache.line_for("fleet-redis-busy")["text"]
    assert "no-such-cache" in cache.line_for("no-such-cache")["text"]
    assert "not-reachable" in cache.line_for("5202")["text"] and "(new)" in cache.line_for("5202")["text"]

    pg = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.postgresql_export", extra_vars={"bucket": "fleet-pg-backups"},
                      targets=[{"instance_name": "fleet-pg-stale"}, {"instance_name": "fleet-pg-stopped"},
                               {"instance_name": "fleet-pg-01", "object_prefix": "vpostgresql/5301/"}])
    assert pg.returncode != 0
    assert pg.summary["headline"] == "3 PostgreSQL target(s): 1 ok, 2 failed"
    assert "max_backup_age=26h" in pg.line_for("fleet-pg-stale")["text"]
    assert "is stopped" in pg.line_for("fleet-pg-stopped")["text"]
    assert pg.line_for("fleet-pg-01")["status"] == "ok"

    relaxed = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.postgresql_export",
                           extra_vars={"bucket": "fleet-pg-backups"},
                           targets=[{"instance_name": "fleet-pg-stale", "max_backup_age": "4d"}])
    assert relaxed.returncode == 0, relaxed.output
    assert "-> exported to fleet-pg-backups/" in relaxed.line_for("fleet-pg-stale")["text"]


@pytest.mark.scenario("fleet")
def test_check_mode_makes_no_writes(ncp_sim, tmp_path, fleet_targets):
    targets = fleet_targets("5101", "5105", "5201", "fleet-redis-02", "5301", "fleet-pg-02")
    run = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export", targets=targets, check=True)
    assert run.returncode == 0, run.output
    assert ncp_sim.writes() == []
    assert run.summary["headline"].endswith("(check mode: nothing was changed)")
    assert "a new backup would be made (check mode)" in run.line_for("5101")["text"]
    assert "would be exported to fleet-cache-backups (check mode)" in run.line_for("5105")["text"]  # reused one
    assert "would be exported to fleet-pg-backups (check mode)" in run.line_for("5301")["text"]


# --- validation ----------------------------------------------------------------------------------

MALFORMED = [
    ("no instance", [{"kind": "cache"}],
     "target 1 {\"kind\": \"cache\"}: give exactly one of instance_no and instance_name"),
    ("both ids", [{"kind": "redis", "instance_no": "5201", "instance_name": "fleet-redis-01"}],
     "give exactly one of instance_no and instance_name"),
    ("unknown kind", [{"kind": "mysql", "instance_no": "1"}],
     "value of kind must be one of: cache, redis, postgresql, got: mysql"),
    ("missing kind", [{"instance_no": "5101"}], "missing required arguments: kind"),
    ("typo in a key", [{"kind": "cache", "instnce_name": "fleet-cache-01"}],
     "backup_and_export_targets.instnce_name. Supported parameters include"),
    ("not a list", "fleet-cache-01", "Give the databases to back up as a list named targets"),
    ("twice the same", [{"kind": "cache", "instance_no": "5101"}, {"kind": "cache", "instance_no": "5101"}],
     "target 2 {\"kind\": \"cache\", \"instance_no\": \"5101\"}: cache 5101 is already target 1; "
     "list each instance once"),
    ("max_age on postgresql", [{"kind": "postgresql", "instance_no": "5301", "bucket": "b", "max_age": "1h"}],
     "max_age is for cache and redis targets"),
    ("postgresql without bucket", [{"kind": "postgresql", "instance_no": "5301"}],
     "no bucket; give the target a bucket, or set backup_and_export_bucket"),
]


@pytest.mark.scenario("fleet")
@pytest.mark.parametrize("targets,message", [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_a_malformed_target_list_is_refused_before_any_request(ncp_sim, tmp_path, targets, message):
    run = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export",
                       targets=targets + [{"kind": "cache", "instance_no": "5102"}] if isinstance(targets, list)
                       else targets)
    assert run.returncode != 0
    error = run.output[run.output.index("[ERROR]"):]
    assert message in error, run.output
    assert ncp_sim.requests() == [], "nothing may be asked of NCP when the target list is wrong"


@pytest.mark.scenario("fleet")
def test_the_cache_role_checks_its_list_too(ncp_sim, tmp_path):
    run = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.cache_backup",
                       targets=[{"kind": "postgresql", "instance_no": "5301"}])
    assert run.returncode != 0
    assert "value of kind must be one of: cache, redis, got: postgresql" in run.output
    assert ncp_sim.requests() == []


# --- inside an existing role, with module_defaults -----------------------------------------------

@pytest.mark.scenario("fleet")
def test_include_role_with_module_defaults_and_no_environment(ncp_sim, tmp_path):
    """tests/e2e/playbooks/include_role.yml: credentials reach the roles' modules via module_defaults only."""
    run = run_playbook(ncp_sim, tmp_path, os.path.join(PLAYBOOKS, "include_role.yml"), sim_env=False,
                       extra_vars={"ncp_access_key": ncp_sim.access_key, "ncp_secret_key": ncp_sim.secret_key,
                                   "ncp_api_url": ncp_sim.api_url, "ncp_object_storage_url": ncp_sim.s3_url},
                       env={"HOME": str(tmp_path)})                    # and no ~/.ncloud/configure either
    assert run.returncode == 0, run.output
    writes = ncp_sim.applied_writes()
    assert writes[(CREATES[0], "5101")] == 1 and writes[(CREATES[1], "5201")] == 1
    assert writes[(EXPORT, "5101")] == 1 and writes[(EXPORT, "5201")] == 1 and writes[(EXPORT, "5301")] == 1
    assert ncp_sim.secret_key not in run.output


# --- the README's example: concurrent exports of same-named files ---------------------------------

@pytest.mark.slow
@pytest.mark.scenario("demo")
def test_example_targets_each_get_their_own_export_and_a_rerun_finds_them(ncp_sim, tmp_path):
    """The demo's three cache backups share a date-like name and a bucket, with no object_prefix.

    Their exports run at the same time, and an export is recognised only as a new object with its
    file name: without turns, one target took another's object for its own (seen in the demo).
    """
    with open(EXAMPLE_TARGETS) as handle:
        example = yaml.safe_load(handle)
    variables = {"bucket": example["bucket"]}
    first = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export", targets=example["targets"],
                         extra_vars=variables)
    assert first.returncode == 0, first.output
    cache_names = {line["text"].split()[1] for line in first.lines() if line["kind"] != "postgresql"}
    assert len(cache_names) == 1, "this test needs same-named backups: %s" % cache_names
    for line in first.lines("ok"):
        number = re.search(r"\((\d+)\)", line["who"]).group(1)
        # The demo scenario files each export under <service>/<instance_no>/ (export_key_template).
        assert "/%s/%s/" % (SERVICE_OF_KIND[line["kind"]], number) in line["text"], line

    writes = ncp_sim.applied_writes()
    second = run_playbook(ncp_sim, tmp_path, "ncp.clouddb.backup_and_export", targets=example["targets"],
                          extra_vars=variables)
    assert second.returncode == 0, second.output
    assert ncp_sim.applied_writes() == writes, "the second run exported again:\n" + second.output
