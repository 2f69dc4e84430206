# -*- coding: utf-8 -*-
"""Run modules the way users do: through ansible-playbook, against the NCP API simulator.

``run_task(ncp_sim, module, args)`` writes a one-task playbook, runs it with the simulator's
environment (NCLOUD_* variables), and returns the task's registered result and the full output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLEET_TARGETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks", "vars", "fleet_targets.yml")
CALLBACKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")
INVENTORY = "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable


class TaskRun:
    def __init__(self, result, output, returncode):
        self.result = result
        self.output = output
        self.returncode = returncode

    @property
    def failed(self):
        return bool(self.result.get("failed"))

    @property
    def msg(self):
        return self.result.get("msg", "")


def ansible_env(extra):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_HOST_KEY_CHECKING": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
    })
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections"))
    env.update(extra)
    return env


@pytest.fixture
def run_task(tmp_path):
    counter = [0]

    def run(ncp_sim, module, args, check=False, diff=False, verbosity=0, env=None, task_extra=None):
        counter[0] += 1
        folder = tmp_path / ("run%d" % counter[0])
        folder.mkdir()
        results = folder / "result.json"
        task = {"name": "the task", module: args, "register": "outcome", "ignore_errors": True}
        task.update(task_extra or {})
        play = [{
            "name": "e2e", "hosts": "localhost", "gather_facts": False,
            "tasks": [task],
        }]
        (folder / "play.yml").write_text(json.dumps(play))
        (folder / "hosts").write_text(INVENTORY)
        command = ["ansible-playbook", "-i", str(folder / "hosts"), str(folder / "play.yml")]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        environment = ncp_sim.env() if ncp_sim is not None else {}
        # callback_plugins/keep_result.py writes the task's result to this file.
        environment.update({"ANSIBLE_CALLBACK_PLUGINS": CALLBACKS, "ANSIBLE_CALLBACKS_ENABLED": "keep_result",
                            "NCP_E2E_RESULT": str(results)})
        environment.update(env or {})
        proc = subprocess.run(command, cwd=str(folder), env=ansible_env(environment), capture_output=True,
                              text=True, timeout=600, check=False)
        output = proc.stdout + proc.stderr
        if not results.exists():
            raise AssertionError("the play did not run to the end:\n" + output)
        return TaskRun(json.loads(results.read_text()), output, proc.returncode)

    return run


@pytest.fixture
def fleet_targets():
    """fleet_targets(*instances): the targets of tests/e2e/playbooks/vars/fleet_targets.yml (the fleet
    scenario's healthy instances): all of them, or those naming these instances by number or name."""

    def select(*instances):
        with open(FLEET_TARGETS) as handle:
            targets = yaml.safe_load(handle)["targets"]
        if not instances:
            return targets
        chosen = [t for t in targets if {t.get("instance_no"), t.get("instance_name")} & set(instances)]
        assert len(chosen) == len(instances), "not every instance is a fleet target: %s" % (instances,)
        return chosen

    return select


@pytest.fixture
def sim_instance(ncp_sim):
    """sim_instance(service, instance_no): that instance as the simulator's /_sim/state shows it now."""

    def find(service, instance_no):
        for instance in ncp_sim.state()["instances"]:
            if (instance["service"], instance["instance_no"]) == (service, instance_no):
                return instance
        raise AssertionError("no instance %s/%s in the simulator" % (service, instance_no))

    return find
