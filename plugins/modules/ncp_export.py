#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_export
short_description: Send a backup file of a Cloud DB for Cache, Redis, PostgreSQL or MySQL instance to Object Storage
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - The same module as M(ncp.clouddb.ncp_cache_export), M(ncp.clouddb.ncp_redis_export),
    M(ncp.clouddb.ncp_postgresql_export) and M(ncp.clouddb.ncp_mysql_export), with the kind as an option, so that one task serves instances of every kind,
    for example every host of the inventory plugin P(ncp.clouddb.ncp_clouddb#inventory) with O(kind) set from its
    C(ncp_clouddb_kind) host variable.
  - An option another kind does not have (O(folder_path) for V(cache) and V(redis), O(backup_type) for V(postgresql)
    and V(mysql)) is refused, not ignored.
options:
  kind:
    description:
      - Which API the instance belongs to. V(cache) is Cloud DB for Cache (C(/vcache/v2)), V(redis) is Cloud DB for
        Redis on the Cloud DB for Cache API v1 (C(/vredis/v2)), V(postgresql) is Cloud DB for PostgreSQL
        (C(/vpostgresql/v2)), V(mysql) is Cloud DB for MySQL (C(/vmysql/v2)).
    type: str
    required: true
    choices: [cache, redis, postgresql, mysql]
  backup_type:
    description:
      - V(cache) and V(redis) only. Which backups O(file_name) is looked up in, and the newest one taken from when it is
        not given; V(manual) when not set. PostgreSQL and MySQL export their automatic backups.
    type: str
    choices: [automatic, manual]
  backup_request:
    description:
      - V(cache) and V(redis) only.
      - The RV(ncp.clouddb.ncp_cache_backup#module:request) returned by a run of the backup module with
        O(ncp.clouddb.ncp_cache_backup#module:wait=false), unchanged. The task then waits (within O(wait_timeout)) for
        the manual backup that run asked for to finish, and exports it. With O(wait=false) it returns as soon as the
        export is asked for, with its own RV(request).
      - A play can so ask for many backups first, then have each exported as soon as it is made.
      - Cannot be used with O(file_name), O(request) or O(backup_type=automatic).
    type: dict
  folder_path:
    description:
      - V(postgresql) and V(mysql) only. Folder of the bucket to put the file in, sent as C(folderPath); the file then lands at
        exactly C(<folder_path><file_name>). The placeholders C({instance_no}) and C({name}) are filled in. See
        M(ncp.clouddb.ncp_postgresql_export) and M(ncp.clouddb.ncp_mysql_export).
    type: str
extends_documentation_fragment:
  - ncp.clouddb.instance
  - ncp.clouddb.export
  - ncp.clouddb.retention
  - ncp.clouddb.common
"""

EXAMPLES = r"""
- name: Export the newest backup of every inventory host into its own folder
  ncp.clouddb.ncp_export:
    kind: "{{ ncp_clouddb_kind }}"
    instance_no: "{{ ncp_clouddb_instance_no }}"
    bucket: db-backups
    folder_path: "{{ (ncp_clouddb_kind ~ '/' ~ ncp_clouddb_instance_no ~ '/') if ncp_clouddb_kind in ['postgresql', 'mysql']
      else omit }}"
  delegate_to: localhost
"""

RETURN = r"""
backup:
  description: The exported backup file, keys in snake_case, with C(backup_type).
  returned: always
  type: dict
bucket:
  description: The bucket the file was (or would be, or already was) sent to.
  returned: always
  type: str
object:
  description: The backup's object in the bucket (C(key), C(size), C(etag), C(last_modified)); empty until known.
  returned: always
  type: dict
exported:
  description: Whether an export was requested in this run (false when the file was already in the bucket).
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
  description: Number, name, status and kind of the instance.
  returned: always
  type: dict
request:
  description:
    - With O(wait=false), what a later run of this module needs to wait for the file; pass it unchanged in O(request).
  returned: when an export was requested with O(wait=false)
  type: dict
pruned:
  description: This instance's older exports deleted by O(keep_last) / O(keep_within), each with C(key), C(file_name),
    C(end_time) and C(outcome).
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


def main():
    run_module(ExportModule, kinds=("cache", "redis", "postgresql", "mysql"))


if __name__ == "__main__":
    main()
