#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_cache_export
short_description: Send a Cloud DB for Cache backup file (Valkey or Redis) to an Object Storage bucket
version_added: 0.1.0
description:
  - Sends a manual or automatic backup file of a Cloud DB for Cache instance to an Object Storage bucket through the
    Cloud DB for Cache API v2 (C(/vcache/v2/exportBackupToObjectStorage)).
  - The bucket is checked with C(getCloudCacheBucketList).
  - Pairs with M(ncp.clouddb.ncp_cache_backup); for instances on the API v1 use M(ncp.clouddb.ncp_redis_export).
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
extends_documentation_fragment:
  - ncp.clouddb.common
  - ncp.clouddb.instance
  - ncp.clouddb.export
  - ncp.clouddb.retention
  - ncp.clouddb.cache_export
"""

EXAMPLES = r"""
- name: Back up a Valkey instance
  ncp.clouddb.ncp_cache_backup:
    instance_name: sessions-valkey
    max_age: 6h
  register: made

- name: Ship exactly that backup
  ncp.clouddb.ncp_cache_export:
    instance_name: sessions-valkey
    bucket: cache-backups
    file_name: "{{ made.backup.file_name }}"

- name: Ship the newest daily backup instead
  ncp.clouddb.ncp_cache_export:
    instance_no: "1001"
    bucket: cache-backups
    backup_type: automatic
"""

RETURN = r"""
backup:
  description: The exported file from the manual or automatic backup list, keys in snake_case.
  returned: always
  type: dict
  sample: {file_name: cache-prod-1_manual_20261122_101501.rdb, backup_size: 525, backup_type: manual}
bucket:
  description: Name of the destination bucket.
  returned: always
  type: str
object:
  description: The backup's object in the bucket (C(key), C(size), C(last_modified)); empty until known.
  returned: always
  type: dict
instance:
  description: The Cloud DB for Cache instance (number, name, status, C(kind=cache)).
  returned: always
  type: dict
exported:
  description: True when this run asked NCP to export the file, or queued its export behind another's claim (RV(queued)).
  returned: always
  type: bool
queued:
  description:
    - True when, with O(wait=false), the export waits behind another export's claim on the same shared landing key;
      the run with O(request) asks NCP for it when its turn comes.
  returned: when an export was queued
  type: bool
landed_key:
  description:
    - The key where NCP put the file, when it was moved from there to the instance's key (RV(object)) by
      O(move_to_instance_key).
  returned: when the export was moved
  type: str
request:
  description:
    - With O(wait=false), what a later run of this module needs to wait for the file; pass it unchanged in O(request).
  returned: when an export was requested with O(wait=false)
  type: dict
pruned:
  description:
    - This instance's older exports deleted by O(keep_last) / O(keep_within) (in check mode, those that would be),
      each with C(key), C(file_name), C(end_time) and C(outcome) (V(deleted), V(object gone), or
      V(object replaced since its export, left alone) when the object no longer holds what was exported).
  returned: always
  type: list
  elements: dict
kept:
  description: Object keys of this instance's exports the retention rules keep, newest first.
  returned: with O(keep_last) or O(keep_within)
  type: list
  elements: str
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_export import ExportModule
from ansible_collections.ncp.clouddb.plugins.module_utils.base import run_module
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE


def main():
    run_module(ExportModule, CACHE)


if __name__ == "__main__":
    main()
