# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # How a module picks its database instance (module_utils/manual_backup.py INSTANCE_ARGUMENT_SPEC).
    DOCUMENTATION = r"""
options:
  instance_no:
    description:
      - Number of the database instance, as the NCP console and API show it.
      - Exactly one of O(instance_no) and O(instance_name) is required.
    type: str
  instance_name:
    description:
      - Service name of the database instance. It must match exactly one instance in the region.
      - Exactly one of O(instance_no) and O(instance_name) is required.
    type: str
"""
