# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper: write the result of the task named "the task" to $NCP_E2E_RESULT as JSON.

run_task (tests/e2e/conftest.py) enables it. A callback is cheaper than a second task that copies
the registered result to a file: that task would start one more module process per test.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: keep_result
    type: aggregate
    short_description: write the result of the task named "the task" to a file
    description: Test helper of ncp.clouddb's end-to-end tests.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "keep_result"
    CALLBACK_NEEDS_ENABLED = True

    def _keep(self, result, **outcome):
        if result.task_name != "the task":
            return
        # Like the registered variable: the module's result, with failed/skipped set as Ansible saw them.
        kept = dict(result._result)  # pylint: disable=protected-access
        kept.update(outcome)
        with open(os.environ["NCP_E2E_RESULT"], "w") as handle:
            json.dump(kept, handle, default=str)

    def v2_runner_on_ok(self, result):
        self._keep(result, failed=False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._keep(result, failed=True)

    def v2_runner_on_skipped(self, result):
        self._keep(result, failed=False, skipped=True)
