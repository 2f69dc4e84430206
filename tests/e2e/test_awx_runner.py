# -*- coding: utf-8 -*-
"""The playbook the way AWX / Automation Controller runs it: ansible-runner, no containers.

AWX renders the custom credential type (extensions/awx/credential_type_ncp.yml) into environment
variables, writes them and the job's extra variables into the private data directory
(env/envvars, env/extravars), and runs a playbook of the project with ansible-runner. This test
does the same, with AWX's own rendering rule (a Jinja sandbox; an empty field is left out of the
namespace and renders as ""), against the simulator.
"""

from __future__ import annotations

import json
import os
import sys

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


def _private_data_dir(tmp_path, ncp_sim, extravars):
    """project/, inventory/, env/ as AWX lays them out for a job of the template 'NCP backups'."""
    base = tmp_path / "awx_job"
    for folder in ("project", "inventory", "env"):
        (base / folder).mkdir(parents=True)
    # The project's playbook: AWX job templates pick a playbook file of the project, so the project
    # holds this one line and collections/requirements.yml naming ncp.clouddb.
    (base / "project" / "site.yml").write_text(
        "---\n- name: NCP database backups\n  ansible.builtin.import_playbook: ncp.clouddb.backup_and_export\n")
    (base / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    envvars = awx_inject_env(load_credential_type(), {
        "access_key": ncp_sim.access_key, "secret_key": ncp_sim.secret_key, "region": "KR",
        "api_url": ncp_sim.api_url, "object_storage_url": ncp_sim.s3_url})
    # What AWX adds itself: where the installed collections are.
    envvars["ANSIBLE_COLLECTIONS_PATH"] = (os.environ.get("ANSIBLE_COLLECTIONS_PATH")
                                           or os.path.join(ROOT, "collections"))
    envvars["ANSIBLE_NOCOLOR"] = "1"
    (base / "env" / "envvars").write_text(yaml.safe_dump(envvars))
    (base / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    (base / "env" / "settings").write_text(yaml.safe_dump({"job_timeout": 1200}))
    return base


@pytest.mark.slow
@pytest.mark.scenario("fleet")
def test_backup_and_export_through_ansible_runner_with_awx_credential_injection(
        ncp_sim, tmp_path, monkeypatch, fleet_targets):
    import ansible_runner

    for name in [n for n in os.environ if n.startswith("NCLOUD_")]:
        monkeypatch.delenv(name)
    # A mixed sample of the fleet: every kind, by number and by name (the 20+ target runs are in
    # test_roles.py; this test is about how AWX hands over credentials and collects results).
    targets = fleet_targets("5101", "5201", "5301", "fleet-pg-02")
    assert {t["kind"] for t in targets} == {"cache", "redis", "postgresql"}
    base = _private_data_dir(tmp_path, ncp_sim, {"targets": targets, "backup_and_export_poll_interval": 1})

    runner = ansible_runner.run(private_data_dir=str(base), playbook="site.yml", quiet=True)

    stdout = runner.stdout.read()
    assert (runner.status, runner.rc) == ("successful", 0), stdout
    stats = [e for e in runner.events if e.get("event") == "playbook_on_stats"][-1]["event_data"]
    results = stats["artifact_data"]["ncp_clouddb_results"]          # set_stats: the job's artifacts in AWX
    assert len(results) == len(targets) and not any(r["failed"] for r in results)
    assert {r["bucket"] for r in results} == {"fleet-cache-backups", "fleet-pg-backups"}
    assert all(r["object"]["key"] for r in results)

    made = ncp_sim.applied_writes()
    for result in results:
        number = result["instance_no"]
        assert made[(EXPORT, number)] == 1
        if result["kind"] != "postgresql":
            action = CREATES[0] if result["kind"] == "cache" else CREATES[1]
            assert made[(action, number)] == (0 if result["backup_reused"] else 1)

    # The secret key reaches the modules through the environment only: not in the output, the
    # events AWX stores, or the artifacts. (ansible-runner's artifacts/<id>/command records the
    # environment it was given, like env/envvars; AWX keeps neither, it stores a masked job_env.)
    assert ncp_sim.secret_key not in stdout
    assert ncp_sim.secret_key not in json.dumps(list(runner.events))
    for folder, _dirs, files in os.walk(str(base / "artifacts")):
        for name in files:
            if name == "command":
                continue
            with open(os.path.join(folder, name), errors="replace") as handle:
                assert ncp_sim.secret_key not in handle.read(), os.path.join(folder, name)


@pytest.mark.scenario("fleet")
def test_a_failed_target_fails_the_awx_job_and_is_in_its_artifacts(ncp_sim, tmp_path, monkeypatch):
    import ansible_runner

    for name in [n for n in os.environ if n.startswith("NCLOUD_")]:
        monkeypatch.delenv(name)
    targets = [{"kind": "cache", "instance_no": "5101", "object_prefix": "vcache/5101/"},
               {"kind": "cache", "instance_name": "fleet-cache-stopped"}]
    base = _private_data_dir(tmp_path, ncp_sim, {"targets": targets, "bucket": "fleet-cache-backups",
                                                 "backup_and_export_poll_interval": 1})
    runner = ansible_runner.run(private_data_dir=str(base), playbook="site.yml", quiet=True)
    stdout = runner.stdout.read()
    assert runner.status == "failed" and runner.rc != 0, stdout
    stats = [e for e in runner.events if e.get("event") == "playbook_on_stats"][-1]["event_data"]
    results = {r["label"]: r for r in stats["artifact_data"]["ncp_clouddb_results"]}
    good, bad = results["cache 5101"], results["cache fleet-cache-stopped"]
    assert not good["failed"] and good["object"]["key"] == "vcache/5101/" + good["backup"]["file_name"]
    assert bad["failed"] and bad["failed_step"] == "backup" and "stopped" in bad["error"]
