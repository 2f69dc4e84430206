#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_backup
short_description: Make a manual backup of a Cloud DB for Cache or Redis instance, the kind given as an option
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - The same module as M(ncp.clouddb.ncp_cache_backup) (O(kind=cache), API v2, Valkey and Redis) and
    M(ncp.clouddb.ncp_redis_backup) (O(kind=redis), API v1), with the kind as an option, so that one task serves
    instances of both kinds, for example every host of the inventory plugin P(ncp.clouddb.ncp_clouddb#inventory) with
    O(kind) set from its C(ncp_clouddb_kind) host variable.
  - Cloud DB for PostgreSQL has no manual backup action; use M(ncp.clouddb.ncp_export) for it.
options:
  kind:
    description:
      - Which API the instance belongs to. V(cache) is Cloud DB for Cache (C(/vcache/v2)), V(redis) is Cloud DB for
        Redis on the Cloud DB for Cache API v1 (C(/vredis/v2)).
    type: str
    required: true
    choices: [cache, redis]
extends_documentation_fragment:
  - ncp.clouddb.instance
  - ncp.clouddb.manual_backup
  - ncp.clouddb.retention
  - ncp.clouddb.common
"""

EXAMPLES = r"""
- name: Back up every cache and Redis host of the inventory, at most once in 6 hours
  ncp.clouddb.ncp_backup:
    kind: "{{ ncp_clouddb_kind }}"
    instance_no: "{{ ncp_clouddb_instance_no }}"
    region: "{{ ncp_clouddb_region }}"
    max_age: 6h
    keep_last: 7
  delegate_to: localhost
  when: ncp_clouddb_kind in ['cache', 'redis']
"""

RETURN = r"""
backup:
  description:
    - The manual backup made or reused, the API's backup detail with snake_case keys and C(backup_type=manual).
    - Empty in check mode and with O(wait=false); with O(state=absent), the backup deleted.
  returned: always
  type: dict
  sample: {file_name: "20261126", start_time: "2026-11-26T03:00:01+0900", end_time: "2026-11-26T03:00:03+0900"}
reused:
  description: Whether a backup younger than O(max_age), or one already under way, was returned instead of a new one.
  returned: with O(state=present)
  type: bool
instance:
  description: Number, name, status and kind of the instance.
  returned: always
  type: dict
  sample: {instance_no: "1101", name: shop-cache, status: running, kind: cache}
request:
  description:
    - With O(wait=false), what a later run of this module needs to wait for the backup just requested; pass it
      unchanged in O(request).
  returned: when a backup was requested with O(wait=false)
  type: dict
pruned:
  description: The manual backups deleted by O(keep_last) / O(keep_within) (in check mode, those that would be).
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


def main():
    run_module(ManualBackupModule, kinds=("cache", "redis"))


if __name__ == "__main__":
    main()
