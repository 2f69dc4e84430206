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


def test_user_agent_version_is_the_galaxy_version():
    assert COLLECTION_VERSION == load("galaxy.yml")["version"]
