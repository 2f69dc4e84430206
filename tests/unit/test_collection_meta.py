# -*- coding: utf-8 -*-
"""The collection's metadata agrees with its content.

A module missing from the action group is silently skipped by module_defaults (cloudscale_ch.cloud
shipped such a typo), so the group must list exactly the modules in plugins/modules.
"""

from __future__ import annotations

import os

import yaml

from ansible_collections.ncp.clouddb.plugins.module_utils.version import COLLECTION_VERSION

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def load(path):
    with open(os.path.join(ROOT, path)) as handle:
        return yaml.safe_load(handle)


def test_ncp_action_group_lists_exactly_the_modules():
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    group = load("meta/runtime.yml")["action_groups"]["ncp"]
    assert sorted(group) == modules
    assert len(group) == len(set(group))


def test_every_module_has_the_action_plugin_that_runs_it_in_the_worker():
    """plugins/action/<module>.py runs exactly its own module; a module without one would cost a process."""
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    actions = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "action"))
                     if name.endswith(".py") and not name.startswith("_"))
    assert actions == modules
    for name in actions:
        with open(os.path.join(ROOT, "plugins", "action", name + ".py")) as handle:
            text = handle.read()
        assert "from ansible_collections.ncp.clouddb.plugins.modules import %s\n" % name in text
        assert "    module = %s\n" % name in text


def test_user_agent_version_is_the_galaxy_version():
    assert COLLECTION_VERSION == load("galaxy.yml")["version"]
