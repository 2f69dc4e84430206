#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_postgresql_backup_info
short_description: List the backup files of a Cloud DB for PostgreSQL instance
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Lists the automatic backup files of a Cloud DB for PostgreSQL instance (C(getCloudPostgresqlBackupDetailList),
    following all its pages). PostgreSQL has no manual backups.
options:
  backup_type:
    description: Kept for symmetry with the cache modules; PostgreSQL only has V(automatic) backups.
    type: str
    choices: [all, automatic]
    default: all
extends_documentation_fragment:
  - ncp.clouddb.common
  - ncp.clouddb.instance
  - ncp.clouddb.backup_info
"""

EXAMPLES = r"""
- name: Backups of the last week
  ncp.clouddb.ncp_postgresql_backup_info:
    instance_name: billing-pg
    newer_than: 7d
  register: pg_backups

- name: How much WAL the newest one archived
  ansible.builtin.debug:
    var: pg_backups.backups[0].archived_wal_file_size
"""

RETURN = r"""
backups:
  description: Backup files with C(file_name), C(start_time), C(end_time), C(backup_size), C(data_storage_size),
    C(archived_wal_file_size) and C(backup_type=automatic), newest first.
  returned: always
  type: list
  elements: dict
instance:
  description: Number, name, status and C(kind=postgresql) of the instance.
  returned: always
  type: dict
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_info import BackupInfoModule
from ansible_collections.ncp.clouddb.plugins.module_utils.base import run_module
from ansible_collections.ncp.clouddb.plugins.module_utils.services import POSTGRESQL


def main():
    run_module(BackupInfoModule, POSTGRESQL)


if __name__ == "__main__":
    main()
