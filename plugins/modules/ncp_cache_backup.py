#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_cache_backup
short_description: Make a manual backup of a Cloud DB for Cache instance (Valkey or Redis)
version_added: 0.1.0
description:
  - Makes a manual backup of a NAVER Cloud Platform Cloud DB for Cache instance through the Cloud DB for Cache
    API v2 (C(/vcache/v2/createCloudCacheManualBackup)), which serves both Valkey and Redis instances.
  - For instances managed through the older API v1 (C(/vredis/v2)), use M(ncp.clouddb.ncp_redis_backup).
  - To list backups use M(ncp.clouddb.ncp_cache_backup_info); to send one to Object Storage use
    M(ncp.clouddb.ncp_cache_export).
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
extends_documentation_fragment:
  - ncp.clouddb.common
  - ncp.clouddb.instance
  - ncp.clouddb.manual_backup
  - ncp.clouddb.retention
"""

EXAMPLES = r"""
- name: Back up a Valkey instance and wait for the file
  ncp.clouddb.ncp_cache_backup:
    instance_name: sessions-valkey
  register: cache_backup

- name: Back up at most once a day, however often the play runs
  ncp.clouddb.ncp_cache_backup:
    instance_no: "1234567"
    max_age: 1d

- name: Back up daily and keep the last 7 manual backups
  ncp.clouddb.ncp_cache_backup:
    instance_no: "1234567"
    max_age: 1d
    keep_last: 7

- name: Ask for a backup and move on
  ncp.clouddb.ncp_cache_backup:
    instance_no: "1234567"
    wait: false
  register: asked

- name: Later in the play, wait for exactly that backup
  ncp.clouddb.ncp_cache_backup:
    instance_no: "1234567"
    request: "{{ asked.request }}"

- name: Delete one manual backup
  ncp.clouddb.ncp_cache_backup:
    instance_no: "1234567"
    state: absent
    file_name: "20261120"
"""

RETURN = r"""
backup:
  description:
    - The manual backup file made or reused; the fields of the API's C(CloudCacheBackupDetail), in snake_case.
    - Empty in check mode and with O(wait=false); with O(state=absent), the backup deleted.
  returned: always
  type: dict
  sample:
    file_name: cache-prod-1_manual_20261122_101501.rdb
    start_time: "2026-11-22T10:15:01+0900"
    end_time: "2026-11-22T10:15:03+0900"
    backup_size: 525
    data_storage_size: 1024
    backup_type: manual
instance:
  description: The Cloud DB for Cache instance.
  returned: always
  type: dict
  sample: {instance_no: "1001", name: cache-prod-1, status: running, kind: cache}
reused:
  description: Whether a backup younger than O(max_age) was reused instead of making one.
  returned: always
  type: bool
request:
  description:
    - With O(wait=false), what a later run of this module needs to wait for the backup just requested; pass it
      unchanged in O(request).
  returned: when a backup was requested with O(wait=false)
  type: dict
  sample: {kind: cache, instance_no: "1101", known: [["20261125", "2026-11-25T03:00:00+0900"]],
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
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE


def main():
    run_module(ManualBackupModule, CACHE)


if __name__ == "__main__":
    main()
