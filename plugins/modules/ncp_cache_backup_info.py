#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_cache_backup_info
short_description: List the backup files of a Cloud DB for Cache instance (Valkey or Redis)
version_added: 0.1.0
description:
  - Lists the manual (C(getCloudCacheManualBackupDetailList)) and automatic (C(getCloudCacheBackupDetailList)) backup
    files of one instance through the Cloud DB for Cache API v2.
options:
  backup_type:
    description: Which backups to list.
    type: str
    choices: [all, automatic, manual]
    default: all
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
extends_documentation_fragment:
  - ncp.clouddb.common
  - ncp.clouddb.instance
  - ncp.clouddb.backup_info
"""

EXAMPLES = r"""
- name: Manual backups of the last day
  ncp.clouddb.ncp_cache_backup_info:
    instance_name: sessions-valkey
    backup_type: manual
    newer_than: 1d
  register: recent

- name: Fail when there is none
  ansible.builtin.assert:
    that: recent.backups | length > 0
    fail_msg: sessions-valkey has no manual backup from the last day
"""

RETURN = r"""
backups:
  description: Backup files, newest first.
  returned: always
  type: list
  elements: dict
  sample:
    - {file_name: cache-prod-1_manual_20261122_101501.rdb, end_time: "2026-11-22T10:15:03+0900", backup_type: manual}
    - {file_name: cache-prod-1_20261122_0300.rdb, end_time: "2026-11-22T03:00:41+0900", backup_type: automatic}
instance:
  description: The instance whose backups these are.
  returned: always
  type: dict
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_info import BackupInfoModule
from ansible_collections.ncp.clouddb.plugins.module_utils.base import run_module
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE


def main():
    run_module(BackupInfoModule, CACHE)


if __name__ == "__main__":
    main()
