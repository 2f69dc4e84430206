#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_redis_backup
short_description: Make a manual backup of a Cloud DB for Redis instance (Cloud DB for Cache API v1)
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Makes a manual backup of a NAVER Cloud Platform Redis instance through the Cloud DB for Cache API v1
    (C(/vredis/v2/createCloudRedisManualBackup)); the service was called Cloud DB for Redis before June 2025.
  - Same options and behaviour as M(ncp.clouddb.ncp_cache_backup), which uses API v2 and also serves Valkey.
  - To list backups use M(ncp.clouddb.ncp_redis_backup_info); to send one to Object Storage use
    M(ncp.clouddb.ncp_redis_export).
extends_documentation_fragment:
  - ncp.clouddb.instance
  - ncp.clouddb.manual_backup
  - ncp.clouddb.retention
  - ncp.clouddb.common
"""

EXAMPLES = r"""
- name: Back up a Redis instance by name, reusing one from the last 6 hours
  ncp.clouddb.ncp_redis_backup:
    instance_name: orders-redis
    max_age: 6h
  register: redis_backup

- name: Show the file
  ansible.builtin.debug:
    msg: "{{ redis_backup.backup.file_name }} ({{ 'reused' if redis_backup.reused else 'new' }})"
"""

RETURN = r"""
backup:
  description:
    - The manual backup made or reused, as the API's C(CloudRedisBackupDetail) with snake_case keys
      (C(file_name), C(start_time), C(end_time), C(backup_size), ...) and C(backup_type=manual).
    - Empty in check mode and with O(wait=false); with O(state=absent), the backup deleted.
  returned: always
  type: dict
  sample: {file_name: redis-prod-1_manual_20261122_101501.rdb, backup_size: 2048, backup_type: manual}
reused:
  description: True when a backup within O(max_age) was returned instead of a new one.
  returned: always
  type: bool
instance:
  description: Number, name, status and kind (C(redis)) of the Redis instance.
  returned: always
  type: dict
request:
  description:
    - With O(wait=false), what a later run of this module needs to wait for the backup just requested; pass it
      unchanged in O(request).
  returned: when a backup was requested with O(wait=false)
  type: dict
  sample: {kind: redis, instance_no: "2101", known: [["20261125", "2026-11-25T03:00:00+0900"]],
           requested_at: "2026-11-26T01:02:03Z"}
pruned:
  description:
    - The manual backups deleted by O(keep_last) / O(keep_within) (in check mode, those that would be), as in RV(backup).
  returned: with O(state=present)
  type: list
  elements: dict
kept:
  description: File names of the manual backups the retention rules keep, newest first.
  returned: with O(keep_last) or O(keep_within)
  type: list
  elements: str
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.base import run_module
from ansible_collections.ncp.clouddb.plugins.module_utils.manual_backup import ManualBackupModule
from ansible_collections.ncp.clouddb.plugins.module_utils.services import REDIS


def main():
    run_module(ManualBackupModule, REDIS)


if __name__ == "__main__":
    main()
