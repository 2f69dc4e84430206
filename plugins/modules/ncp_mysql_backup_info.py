#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_mysql_backup_info
short_description: List the backup files of a Cloud DB for MySQL instance
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Lists the automatic backup files of a Cloud DB for MySQL instance (C(getCloudMysqlBackupDetailList), following all
    its pages). NCP offers no manual backups for MySQL.
options:
  backup_type:
    description: Kept for symmetry with the cache modules; MySQL only has V(automatic) backups.
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
  ncp.clouddb.ncp_mysql_backup_info:
    instance_name: orders-mysql
    newer_than: 7d
  register: mysql_backups

- name: The newest one's size
  ansible.builtin.debug:
    var: mysql_backups.backups[0].backup_size
"""

RETURN = r"""
backups:
  description: Backup files with C(file_name), C(start_time), C(end_time), C(backup_size), C(data_storage_size) and
    C(backup_type=automatic), newest first.
  returned: always
  type: list
  elements: dict
instance:
  description: Number, name, status and C(kind=mysql) of the instance.
  returned: always
  type: dict
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_info import BackupInfoModule
from ansible_collections.ncp.clouddb.plugins.module_utils.base import run_module
from ansible_collections.ncp.clouddb.plugins.module_utils.services import MYSQL


def main():
    run_module(BackupInfoModule, MYSQL)


if __name__ == "__main__":
    main()
