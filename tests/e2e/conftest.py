# -*- coding: utf-8 -*-
"""Run modules, roles and playbooks the way users and AWX do, against the NCP API simulator.

There is one way to run a playbook here: ``play(...)`` runs ``ansible-playbook`` through
ansible-runner (what AWX / Automation Controller uses) and returns a ``PlayRun`` built from the
structured events: each task's result per host, the play recap, and the job artifacts
(``set_stats``). Nothing is read from printed output. ``run_task`` is ``play`` with a one-task
playbook, returning that task's registered result.
"""

from __future__ import annotations

import itertools
import json
import os
import sys

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
LOCALHOST = "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable
RESULT_EVENTS = ("runner_on_ok", "runner_on_failed", "runner_on_skipped", "runner_on_unreachable")


def collections_path():
    return os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, "collections")


class PlayRun:
    """What one playbook run did, from ansible-runner's events and artifacts."""

    def __init__(self, runner, folder):
        self.rc = runner.rc
        self.status = runner.status
        self.folder = folder
        self.events = list(runner.events)
        with open(runner.stdout.name, errors="replace") as handle:
            self.output = handle.read()

    @property
    def stats(self):
        found = [e for e in self.events if e.get("event") == "playbook_on_stats"]
        return found[-1]["event_data"] if found else {}

    @property
    def artifacts(self):
        return self.stats.get("artifact_data") or {}

    @property
    def results(self):
        """The playbook's artifact ncp_clouddb_results: one record per instance."""
        return self.artifacts.get("ncp_clouddb_results") or []

    def result_for(self, instance):
        """The result record of one instance, by number or name."""
        found = [r for r in self.results if str(instance) in (str(r.get("instance_no")), r.get("instance_name"))]
        assert len(found) == 1, "no single result for %s in %s" % (instance, json.dumps(self.results, indent=1))
        return found[0]

    def task_results(self, name):
        """{host: result} of the task with this name (the last result of each host)."""
        found = {}
        for event in self.events:
            data = event.get("event_data") or {}
            if event.get("event") in RESULT_EVENTS and data.get("task") == name:
                result = dict(data.get("res") or {})
                result.setdefault("failed", event["event"] in ("runner_on_failed", "runner_on_unreachable"))
                result.setdefault("skipped", event["event"] == "runner_on_skipped")
                found[data.get("host")] = result
        return found

    def task_duration(self, name):
        """Seconds the task with this name ran on its (last) host, as Ansible measured it."""
        found = [event["event_data"]["duration"] for event in self.events
                 if event.get("event") in RESULT_EVENTS and (event.get("event_data") or {}).get("task") == name]
        assert found, "the task %r did not run" % name
        return found[-1]

    def failed_hosts(self):
        return sorted(set(self.stats.get("failures") or {}) | set(self.stats.get("dark") or {}))

    def failures(self):
        """(host, task, message) of every failed task, for assertion messages."""
        return [(e["event_data"].get("host"), e["event_data"].get("task"), (e["event_data"].get("res") or {}).get("msg"))
                for e in self.events if e.get("event") in ("runner_on_failed", "runner_on_unreachable")]

    def __repr__(self):
        return "PlayRun(rc=%s, failures=%s)\n%s" % (
            self.rc, json.dumps(self.failures(), indent=1, default=str), self.output[-3000:])


class TaskRun:
    """The registered result of the task named "the task" in a one-task play."""

    def __init__(self, run):
        results = run.task_results("the task")
        if len(results) != 1:
            raise AssertionError("the task did not run once:\n%s" % run.output)
        self.result = next(iter(results.values()))
        self.output = run.output
        self.returncode = run.rc
        self.duration = run.task_duration("the task")   # seconds, module start to result

    @property
    def failed(self):
        return bool(self.result.get("failed"))

    @property
    def msg(self):
        return self.result.get("msg", "")


@pytest.fixture
def play(tmp_path, monkeypatch):
    """play(ncp_sim, playbook, ...) -> PlayRun. playbook: an FQCN, a path, or a list of plays."""
    import ansible_runner

    for name in [n for n in os.environ if n.startswith("NCLOUD_")]:
        monkeypatch.delenv(name)
    counter = itertools.count(1)  # play() may run in several threads at once (two AWX job slices)

    def run(ncp_sim, playbook, inventory=LOCALHOST, extravars=None, env=None, check=False, diff=False,
            verbosity=0, limit=None, forks=None, sim_env=True, inventory_files=None):
        base = tmp_path / ("play%d" % next(counter))
        for folder in ("project", "inventory", "env"):
            (base / folder).mkdir(parents=True)
        if isinstance(playbook, list):
            text = yaml.safe_dump(playbook)
        elif os.path.isfile(playbook):
            text = yaml.safe_dump([{"name": "the playbook", "ansible.builtin.import_playbook": playbook}])
        else:
            text = yaml.safe_dump([{"name": "the playbook", "ansible.builtin.import_playbook": playbook}])
        (base / "project" / "site.yml").write_text(text)
        (base / "inventory" / "hosts").write_text(inventory)
        for name, content in (inventory_files or {}).items():
            path = base / "inventory" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
        environment = {
            "ANSIBLE_COLLECTIONS_PATH": collections_path(),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_HOST_KEY_CHECKING": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        }
        if sim_env and ncp_sim is not None:
            environment.update(ncp_sim.env())
        environment.update(env or {})
        cmdline = []
        if check:
            cmdline.append("--check")
        if diff:
            cmdline.append("--diff")
        if verbosity:
            cmdline.append("-" + "v" * verbosity)
        if limit:
            cmdline.extend(["--limit", limit])
        if forks:
            cmdline.extend(["--forks", str(forks)])
        runner = ansible_runner.run(
            private_data_dir=str(base), playbook="site.yml", inventory=str(base / "inventory"),
            extravars=extravars or {}, envvars=environment, cmdline=" ".join(cmdline) or None, quiet=True,
            settings={"job_timeout": 1200, "suppress_ansible_output": True})
        return PlayRun(runner, base)

    return run


@pytest.fixture
def run_task(play):
    """run_task(ncp_sim, module, args, ...) -> TaskRun: one task on localhost, its registered result."""

    def run(ncp_sim, module, args, check=False, diff=False, verbosity=0, env=None, task_extra=None):
        task = {"name": "the task", module: args, "register": "outcome", "ignore_errors": True}
        task.update(task_extra or {})
        playbook = [{"name": "e2e", "hosts": "localhost", "gather_facts": False, "tasks": [task]}]
        return TaskRun(play(ncp_sim, playbook, check=check, diff=diff, verbosity=verbosity, env=env))

    return run


@pytest.fixture
def sim_instance(ncp_sim):
    """sim_instance(service, instance_no): that instance as the simulator's /_sim/state shows it now."""

    def find(service, instance_no):
        for instance in ncp_sim.state()["instances"]:
            if (instance["service"], instance["instance_no"]) == (service, instance_no):
                return instance
        raise AssertionError("no instance %s/%s in the simulator" % (service, instance_no))

    return find


class SimBucket:
    """What a test sees in the simulator's Object Storage, besides the modules' own requests.

    keys() reads the simulator's state (never logged as an S3 request); get() and put() go through
    the S3 front as any client would, so they ARE in ncp_sim.s3_requests(): count a module's
    requests before calling them.
    """

    def __init__(self, ncp_sim):
        import boto3
        from botocore.config import Config

        self.sim = ncp_sim
        self.client = boto3.client(
            "s3", endpoint_url=ncp_sim.s3_url, region_name="kr-standard", aws_access_key_id=ncp_sim.access_key,
            aws_secret_access_key=ncp_sim.secret_key,
            config=Config(request_checksum_calculation="when_required", response_checksum_validation="when_required"))

    def keys(self, bucket):
        """Every key in the bucket, in key order."""
        return [item["key"] for item in self.sim.state()["buckets"][bucket]]

    def backups(self, bucket):
        """Keys in the bucket that are not this collection's records and layout hints."""
        return [key for key in self.keys(bucket) if ".ncp-clouddb/" not in key]

    def get(self, bucket, key):
        """(body bytes, ETag) of an object."""
        answer = self.client.get_object(Bucket=bucket, Key=key)
        return answer["Body"].read(), answer["ETag"].strip('"')

    def json(self, bucket, key):
        return json.loads(self.get(bucket, key)[0])

    def put(self, bucket, key, body=b"not an export of this collection"):
        self.client.put_object(Bucket=bucket, Key=key, Body=body)


@pytest.fixture
def sim_bucket(ncp_sim):
    """SimBucket: the simulator's Object Storage as a test looks at it."""
    return SimBucket(ncp_sim)
