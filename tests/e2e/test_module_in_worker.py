# -*- coding: utf-8 -*-
"""Modules run in Ansible's worker process on a local connection, and answer exactly as a module process.

Issue 19: each module call as its own Python process cost the controller about 0.3 s of CPU, four
calls an instance. The action plugin beside each module (plugins/plugin_utils/module_in_worker.py)
runs it in the worker when the task runs on the controller. Users must not be able to tell the two
apart from the result: the same answer, the same masking of secrets, check mode, diff, warnings and
errors. An interpreter that records each start tells which way a module ran.
"""

from __future__ import annotations

import json
import stat
import sys

import pytest

SWITCH = "ncp_clouddb_module_in_worker"


@pytest.fixture
def counting_python(tmp_path):
    """(inventory line for localhost, function returning how many times a module process started)."""
    log = tmp_path / "module-processes.log"
    wrapper = tmp_path / "python-wrapper"
    wrapper.write_text('#!/bin/sh\necho "$$" >> %s\nexec %s "$@"\n' % (log, sys.executable))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)

    def started():
        return len(log.read_text().splitlines()) if log.exists() else 0

    return "localhost ansible_connection=local ansible_python_interpreter=%s\n" % wrapper, started


def one_task(module, args, in_worker, check=False, extra=None):
    task = {"name": "the task", module: args, "register": "outcome", "ignore_errors": True}
    task.update(extra or {})
    play = {"name": "e2e", "hosts": "localhost", "gather_facts": False, "tasks": [task]}
    if in_worker is not None:
        play["vars"] = {SWITCH: in_worker}
    return [play]


def comparable(result):
    """A task result without what differs between any two runs (timings, Ansible's bookkeeping)."""
    drop = ("_ansible_no_log", "_ansible_delegated_vars", "_ansible_verbose_always", "_ansible_verbose_override")
    return dict((key, value) for key, value in result.items() if key not in drop)


CASES = {
    # a read, with an unknown region: a module warning, which must reach the result's warnings (and
    # then no instance in that region: a failure)
    "read with a warning": ("ncp.clouddb.ncp_cache_backup_info", {"instance_no": "1001", "region": "MARS"}, {}),
    # check mode and diff: what would be made, nothing made
    "check mode and diff": ("ncp.clouddb.ncp_cache_backup", {"instance_no": "1003", "max_age": "1m"},
                            {"check_mode": True, "diff": True}),
    # a bad option: the module's own error, before any request
    "bad option": ("ncp.clouddb.ncp_cache_backup", {"instance_no": "1001", "max_age": "soon"}, {}),
    # an option Ansible's validation refuses: AnsibleModule's own message
    "unknown option": ("ncp.clouddb.ncp_cache_backup_info", {"instance_no": "1001", "colour": "blue"}, {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_worker_and_a_module_process_answer_alike(ncp_sim, play, counting_python, case):
    inventory, started = counting_python
    module, args, extra = CASES[case]
    args = dict(args, secret_key=ncp_sim.secret_key)      # an explicit no_log option, masked in invocation
    answers = {}
    for in_worker in (True, False):
        before = started()
        run = play(ncp_sim, one_task(module, args, in_worker, extra=extra), inventory=inventory)
        results = run.task_results("the task")
        assert list(results) == ["localhost"], run
        answers[in_worker] = comparable(results["localhost"])
        assert started() - before == (0 if in_worker else 1), "in_worker=%s: %d module processes" % (
            in_worker, started() - before)
        assert ncp_sim.secret_key not in json.dumps(results) and ncp_sim.secret_key not in run.output
    assert answers[True] == answers[False]
    answer = answers[True]
    assert answer["invocation"]["module_args"]["secret_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    if case == "read with a warning":
        assert any("MARS" in warning for warning in answer["warnings"]), answer
    elif case == "check mode and diff":
        assert answer["changed"] and "diff" in answer and not ncp_sim.applied_writes(), answer
    else:
        assert answer["failed"] and ("max_age" in answer["msg"] or "colour" in answer["msg"]), answer


def test_the_role_runs_its_modules_in_the_worker_and_can_be_told_not_to(ncp_sim, play, counting_python):
    """By default the main job starts no module process; with the switch off, one per module call."""
    inventory, started = counting_python
    inventory += "pg-prod-1 ncp_clouddb_kind=postgresql ncp_clouddb_instance_no=3001\n"
    playbook = [{"name": "one instance", "hosts": "pg-prod-1", "gather_facts": False,
                 "tasks": [{"name": "back up and export", "ansible.builtin.include_role": {
                     "name": "ncp.clouddb.backup_and_export"}}]}]
    extravars = {"backup_and_export_bucket": "pg-backups"}
    run = play(ncp_sim, playbook, inventory=inventory, extravars=extravars)
    assert run.rc == 0 and started() == 0, run
    first = ncp_sim.applied_writes()
    run = play(ncp_sim, playbook, inventory=inventory, extravars=dict(extravars, **{SWITCH: False}))
    assert run.rc == 0, run
    assert started() >= 2, "the switch did not send the module calls to their own processes"
    assert ncp_sim.applied_writes() == first      # the second run reuses the backup and the export
