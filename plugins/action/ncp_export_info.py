# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs ncp.clouddb.ncp_export_info in Ansible's worker process when the task runs on the controller (plugin_utils/module_in_worker.py)."""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.modules import ncp_export_info
from ansible_collections.ncp.clouddb.plugins.plugin_utils.module_in_worker import ModuleInWorker


class ActionModule(ModuleInWorker):
    module = ncp_export_info
