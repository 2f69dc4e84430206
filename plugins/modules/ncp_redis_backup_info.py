#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_redis_backup_info
short_description: List the backup files of a Cloud DB for Redis instance (Cloud DB for Cache API v1)
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Lists the backup files of a Redis instance through C(/vredis/v2) (C(getCloudRedisManualBackupDetailList) and
    C(getCloudRedisBackupDetailList)).
options:
  backup_type:
    description: V(manual), V(automatic), or V(all) of them.
    type: str
    choices: [all, automatic, manual]
    default: all
extends_documentation_fragment:
  - ncp.clouddb.backup_info
  - ncp.clouddb.instance
  - ncp.clouddb.common
"""

EXAMPLES = r"""
- name: Every backup of a Redis instance
  ncp.clouddb.ncp_redis_backup_info:
    instance_no: "2001"
  register: redis_backups

- name: Name of the newest
  ansible.builtin.debug:
    msg: "{{ (redis_backups.backups | first).file_name }}"
  when: redis_backups.backups | length > 0
"""

RETURN = r"""
backups:
  description: The instance's backup files, newest first, each with its C(backup_type).
  returned: always
  type: list
  elements: dict
instance:
  description: Redis instance number, name, status and C(kind=redis).
  returned: always
  type: dict
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_info import BackupInfoModule
from ansible_collections.ncp.clouddb.plugins.module_utils.base import run_module
from ansible_collections.ncp.clouddb.plugins.module_utils.services import REDIS


def main():
    run_module(BackupInfoModule, REDIS)


if __name__ == "__main__":
    main()
