# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one of this collection's modules inside Ansible's worker process, when it runs on the controller.

Every module of ncp.clouddb only talks HTTPS to NCP, so where it runs matters only for which Python
and libraries it uses. The role delegates its calls to the controller, and there a module call
normally costs a new Python process: Ansible builds the AnsiballZ payload, runs a shell, starts
Python, imports ``ansible.module_utils.basic``, requests and our module_utils, then tears it all
down; about 0.3 s of CPU a call, four calls an instance (issue 19). With a ``local`` connection the
action plugin beside each module (``plugins/action/<module>.py``) runs the same module in the
worker process that Ansible has already forked for the task:

* the arguments travel exactly as they would to a module process: ``_update_module_args`` adds the
  ``_ansible_*`` settings (check mode, diff, no_log, verbosity), they are encoded with the module's
  serialization profile, and ``AnsibleModule`` decodes them, validates them against the argument
  spec and masks every ``no_log`` value in the result, as it does in a module process;
* the module's printed answer is decoded by the same ``_parse_returned_data`` that reads a module
  process's output, and internal keys are removed the same way;
* the task's ``environment`` is applied to this process while the module runs (the worker is a
  fork that runs this one task), as a module process would have it.

The module files are imported when Ansible's strategy first loads the action plugin, in the main
process, so every worker it forks finds requests and our module_utils already imported.

Anything else (another connection, ``become``, ``async``, a controller Python that lacks requests
or xmltodict, or ``ncp_clouddb_module_in_worker: false``) runs the module as a separate process,
exactly as without this plugin.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import traceback

from ansible.module_utils import _internal as module_utils_internal
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.json import Direction, get_module_encoder
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.vars.clean import remove_internal_keys

from ansible_collections.ncp.clouddb.plugins.module_utils.client import HAS_REQUESTS
from ansible_collections.ncp.clouddb.plugins.module_utils.decode import xmltodict

# The serialization profile of a module without metadata (ours declare none): how Ansible encodes the
# arguments it sends to a module process and decodes the answer.
PROFILE = "legacy"
# Connection plugins that run a module on the controller itself.
LOCAL_CONNECTIONS = ("local", "ansible.builtin.local", "ansible.legacy.local")
# The host variable (or play/task variable) that turns running in the worker off.
SWITCH = "ncp_clouddb_module_in_worker"


class ModuleInWorker(ActionBase):
    """The action plugin of one module; subclasses set ``module`` to the imported module file."""

    module = None
    _requires_connection = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ModuleInWorker, self).run(tmp, task_vars)
        del tmp  # not used
        if self.in_worker(task_vars):
            result.update(self._execute_in_worker(task_vars))
        else:
            result.update(self._execute_module(task_vars=task_vars, wrap_async=self._task.async_val))
        return result

    def in_worker(self, task_vars):
        """True when the module can run in this process with the same effect as in its own."""
        if not boolean(task_vars.get(SWITCH, True), strict=False):
            return False
        connection = getattr(self._connection, "_load_name", None) or getattr(self._connection, "transport", None)
        return (connection in LOCAL_CONNECTIONS and not self._play_context.become and not self._task.async_val
                and HAS_REQUESTS and xmltodict is not None)

    def _execute_in_worker(self, task_vars):
        """Run the module's main() here; return its answer as _execute_module would."""
        module_name = self._task.action
        module_args = dict(self._task.args)
        self._update_module_args(module_name, module_args, task_vars)
        environment = {}
        self._compute_environment_string(raw_environment_out=environment)
        encoder = get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=encoder).encode("utf-8")
        output = io.StringIO()
        code = 0
        with _environment(environment), _module_process_state(payload), contextlib.redirect_stdout(output):
            try:
                self.module.main()
            except SystemExit as ex:
                code = ex.code if isinstance(ex.code, int) else 1
            except Exception:  # pylint: disable=broad-except
                # As a module process would die: its traceback on stderr, no answer on stdout.
                return self._parse_returned_data(
                    {"rc": 1, "stdout": "", "stderr": traceback.format_exc()}, PROFILE)
        data = self._parse_returned_data({"rc": code, "stdout": output.getvalue(), "stderr": ""}, PROFILE)
        data.pop("_ansible_suppress_tmpdir_delete", None)
        remove_internal_keys(data)
        return data


@contextlib.contextmanager
def _module_process_state(payload):
    """Module-side state while the module runs: its arguments, and module_utils acting as in a module process.

    In the controller, module_utils sends a module's warn() straight to the display; in a module
    process it collects warnings and deprecations into the result, where the task's callbacks and
    registered variables find them. The module runs with the module process's behaviour.
    """
    basic._ANSIBLE_ARGS = payload  # pylint: disable=protected-access
    basic._ANSIBLE_PROFILE = PROFILE  # pylint: disable=protected-access
    module_warnings._global_warnings.clear()  # pylint: disable=protected-access
    module_warnings._global_deprecations.clear()  # pylint: disable=protected-access
    was_controller = module_utils_internal.is_controller
    module_utils_internal.is_controller = False
    try:
        yield
    finally:
        module_utils_internal.is_controller = was_controller
        basic._ANSIBLE_ARGS = None  # pylint: disable=protected-access


@contextlib.contextmanager
def _environment(values):
    """The task's environment keyword, set in os.environ while the module runs, then undone."""
    saved = dict((name, os.environ.get(name)) for name in values)
    try:
        for name, value in values.items():
            os.environ[name] = str(value)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
