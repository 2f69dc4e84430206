#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_redis_export
short_description: Send a Cloud DB for Redis backup file to an Object Storage bucket (Cloud DB for Cache API v1)
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Sends a Redis backup file to an Object Storage bucket through the Cloud DB for Cache API v1
    (C(/vredis/v2/exportBackupToObjectStorage)), checking the bucket with C(getCloudRedisBucketList).
  - Same options and behaviour as M(ncp.clouddb.ncp_cache_export), which uses API v2.
extends_documentation_fragment:
  - ncp.clouddb.instance
  - ncp.clouddb.cache_export
  - ncp.clouddb.export
  - ncp.clouddb.retention
  - ncp.clouddb.common
"""

EXAMPLES = r"""
- name: Ship the newest manual backup of a Redis instance, whatever its name
  ncp.clouddb.ncp_redis_export:
    instance_no: "2001"
    bucket: redis-archive
  register: shipped

- name: Where it went
  ansible.builtin.debug:
    msg: "s3://{{ shipped.bucket }}/{{ shipped.object.key }}"
"""

RETURN = r"""
backup:
  description: The Redis backup file exported, as the API lists it (snake_case keys) with its C(backup_type).
  returned: always
  type: dict
bucket:
  description: Bucket the backup goes to.
  returned: always
  type: str
object:
  description: Key, size and modification time of the backup in the bucket, once it is there; otherwise empty.
  returned: always
  type: dict
exported:
  description: Whether the export action was called in this run.
  returned: always
  type: bool
queued:
  description:
    - True when, with O(wait=false), the export waits behind another export's claim on the same shared landing key;
      the run with O(request) asks NCP for it when its turn comes (RV(exported) is then true too).
  returned: when an export was queued
  type: bool
landed_key:
  description:
    - The key where NCP put the file, when it was moved from there to the instance's key (RV(object)) by
      O(move_to_instance_key).
  returned: when the export was moved
  type: str
instance:
  description: Redis instance number, name, status and C(kind=redis).
  returned: always
  type: dict
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
from ansible_collections.ncp.clouddb.plugins.module_utils.services import REDIS


def main():
    run_module(ExportModule, REDIS)


if __name__ == "__main__":
    main()
