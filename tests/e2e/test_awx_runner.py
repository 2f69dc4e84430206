# -*- coding: utf-8 -*-
"""The playbook the way AWX / Automation Controller runs it: ansible-runner, no containers.

AWX renders the custom credential type (extensions/awx/credential_type_ncp.yml) into environment
variables, writes them and the job's extra variables into the private data directory
(env/envvars, env/extravars), and runs a playbook of the project with ansible-runner. This test
does the same, with AWX's own rendering rule (a Jinja sandbox; an empty field is left out of the
namespace and renders as ""), against the simulator.
"""

from __future__ import annotations

import concurrent.futures
import json
import os

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CREDENTIAL_TYPE = os.path.join(ROOT, "extensions", "awx", "credential_type_ncp.yml")
CREATES = ("createCloudCacheManualBackup", "createCloudRedisManualBackup")
EXPORT = "exportBackupToObjectStorage"


def load_credential_type():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


def awx_inject_env(credential_type, inputs):
    """What AWX's CredentialType.inject_credential puts into the job environment for `env` injectors."""
    from jinja2 import sandbox

    namespace = {key: value for key, value in inputs.items() if value not in (None, "")}
    environment = sandbox.ImmutableSandboxedEnvironment()
    return {name: environment.from_string(template).render(**namespace)
            for name, template in credential_type["injectors"]["env"].items()}


def test_credential_type_is_what_awx_accepts_and_feeds_the_modules():
    credential_type = load_credential_type()
    assert set(credential_type) == {"name", "description", "kind", "inputs", "injectors"}
    assert credential_type["kind"] == "cloud"
    fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
    assert set(fields) == {"access_key", "secret_key", "region", "api_url", "object_storage_url"}
    assert all(field["type"] == "string" and field.get("label") for field in fields.values())
    assert fields["secret_key"].get("secret") is True
    assert [name for name, field in fields.items() if field.get("secret")] == ["secret_key"]
    assert sorted(credential_type["inputs"]["required"]) == ["access_key", "secret_key"]
    assert set(credential_type["injectors"]) == {"env"}

    # Every variable injected is one the modules read (module_utils/settings.py), and AWX allows it.
    from ansible_collections.ncp.clouddb.plugins.module_utils import settings

    read = {name for names in settings.ENVIRONMENT.values() for name in names}
    injected = set(credential_type["injectors"]["env"])
    assert injected <= read
    assert not any(name.startswith("ANSIBLE_") for name in injected)

    env = awx_inject_env(credential_type, {"access_key": "AK", "secret_key": "SK", "region": ""})
    assert env == {"NCLOUD_ACCESS_KEY": "AK", "NCLOUD_SECRET_KEY": "SK", "NCLOUD_REGION": "",
                   "NCLOUD_API_GW": "", "NCLOUD_OBJECT_STORAGE_URL": ""}
    resolved = settings.resolve({}, environ=env, home="/nonexistent")
    assert (resolved["access_key"], resolved["secret_key"], resolved["region"]) == ("AK", "SK", "KR")
    assert resolved["api_url"].startswith("https://")            # empty fields fall back to the defaults


def awx_environment(ncp_sim):
    """The job environment AWX gives a job with the NCP credential (and the collections path it installs to)."""
    return awx_inject_env(load_credential_type(), {
        "access_key": ncp_sim.access_key, "secret_key": ncp_sim.secret_key, "region": "KR",
        "api_url": ncp_sim.api_url, "object_storage_url": ncp_sim.s3_url})


def awx_inventory():
    """The inventory source: the plugin's file (sourced from the project) and group variables naming the buckets."""
    return {
        "fleet.ncp_clouddb.yml": {"plugin": "ncp.clouddb.ncp_clouddb",
                                  "filters": {"exclude_name": ["*-stopped", "*-busy", "*-stale"]}},
        "group_vars/ncp_clouddb_cache.yml": {"backup_and_export_bucket": "fleet-cache-backups"},
        "group_vars/ncp_clouddb_redis.yml": {"backup_and_export_bucket": "fleet-cache-backups"},
        "group_vars/ncp_clouddb_postgresql.yml": {"backup_and_export_bucket": "fleet-pg-backups"},
        "group_vars/ncp_clouddb_mysql.yml": {"backup_and_export_bucket": "fleet-mysql-backups"},
    }


def no_secret_in(run, secret):
    """The secret key reaches the modules through the environment only: not in the output, the events AWX
    stores, or the artifacts. (ansible-runner's artifacts/<id>/command and env/envvars record the
    environment it was given; AWX keeps neither, it stores a masked job_env.)"""
    assert secret not in run.output
    assert secret not in json.dumps(run.events)
    for folder, _dirs, files in os.walk(str(run.folder / "artifacts")):
        for name in files:
            if name == "command":
                continue
            with open(os.path.join(folder, name), errors="replace") as handle:
                assert secret not in handle.read(), os.path.join(folder, name)


@pytest.mark.slow
@pytest.mark.scenario("fleet")
def test_two_job_slices_run_at_once_and_do_every_instance_exactly_once(ncp_sim, play):
    """AWX job slicing: each slice runs the playbook over its share of the inventory's hosts, at the same time."""
    instances = sorted((i for i in ncp_sim.scenario["instances"]
                        if not i["name"].endswith(("-stopped", "-busy", "-stale"))), key=lambda i: i["name"])
    names = [i["name"] for i in instances]
    slices = [names[0::2], names[1::2]]           # AWX gives slice k of n every n-th host, by name
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda hosts: play(
            ncp_sim, "ncp.clouddb.backup_and_export", sim_env=False, env=awx_environment(ncp_sim),
            inventory_files=awx_inventory(), limit=":".join(hosts)), slices))

    for run, hosts in zip(runs, slices):
        assert (run.status, run.rc) == ("successful", 0), run
        assert sorted(r["instance_name"] for r in run.results) == sorted(hosts)   # each slice's own artifact
        no_secret_in(run, ncp_sim.secret_key)
    made = ncp_sim.applied_writes()
    for instance in instances:
        number = str(instance["instance_no"])
        assert made[("exportBackupToObjectStorage", number)] == 1, "%s exported %d times" % (
            instance["name"], made[("exportBackupToObjectStorage", number)])
        if instance["service"] in ("vcache", "vredis"):
            action = CREATES[0] if instance["service"] == "vcache" else CREATES[1]
            recent = any(str(b.get("start_time")) == "-2h" for b in instance.get("manual_backups") or [])
            assert made[(action, number)] == (0 if recent else 1), instance["name"]
    assert sum(made.values()) == len(instances) + sum(
        1 for i in instances if i["service"] in ("vcache", "vredis") and
        not any(str(b.get("start_time")) == "-2h" for b in i.get("manual_backups") or []))


@pytest.mark.scenario("fleet")
def test_a_failed_instance_fails_its_host_and_the_job_and_is_in_the_artifacts(ncp_sim, play):
    run = play(ncp_sim, "ncp.clouddb.backup_and_export", sim_env=False, env=awx_environment(ncp_sim),
               inventory_files=dict(awx_inventory(), **{"fleet.ncp_clouddb.yml": {"plugin": "ncp.clouddb.ncp_clouddb"}}),
               limit="fleet-cache-01:fleet-cache-stopped")
    assert run.status == "failed" and run.rc != 0, run
    assert run.failed_hosts() == ["fleet-cache-stopped"]          # AWX: "relaunch on failed hosts" picks it
    good, bad = run.result_for("fleet-cache-01"), run.result_for("fleet-cache-stopped")
    assert not good["failed"] and good["object"]["key"] == "vcache/5101/" + good["backup"]["file_name"]
    assert bad["failed"] and bad["failed_step"] == "backup" and "stopped" in bad["error"]


@pytest.mark.scenario("fleet")
@pytest.mark.parametrize("in_worker", [True, False], ids=["modules in the worker", "modules as processes"])
def test_at_the_highest_verbosity_the_job_does_the_same_work_and_shows_no_secret(ncp_sim, play, in_worker):
    """AWX's verbosity 4 (-vvvv), e.g. to debug a failed host: the same one backup and one export per
    instance as at verbosity 0, the same artifact, and the secret key nowhere in output, events or artifacts;
    with the modules run in Ansible's worker (the default on the controller) and as their own processes."""
    hosts = ["fleet-cache-02", "fleet-pg-02"]
    run = play(ncp_sim, "ncp.clouddb.backup_and_export", sim_env=False, env=awx_environment(ncp_sim),
               inventory_files=awx_inventory(), limit=":".join(hosts), verbosity=4,
               extravars={"ncp_clouddb_module_in_worker": in_worker})
    assert (run.status, run.rc) == ("successful", 0), run
    assert "task path:" in run.output, "not run at -vvvv"
    # A module process is announced at -vvvv ("Using module file ..."); a module run in the worker is not.
    assert ("Using module file" in run.output) is not in_worker
    assert sorted(r["instance_name"] for r in run.results) == hosts
    no_secret_in(run, ncp_sim.secret_key)
    made = ncp_sim.applied_writes()
    numbers = {i["name"]: str(i["instance_no"]) for i in ncp_sim.scenario["instances"]}
    assert made[(EXPORT, numbers["fleet-cache-02"])] == 1 and made[(EXPORT, numbers["fleet-pg-02"])] == 1
    assert sum(made.values()) == 3, made        # the cache backup, then the two exports
