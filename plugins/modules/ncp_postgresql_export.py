#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_postgresql_export
short_description: Send a Cloud DB for PostgreSQL backup file to an Object Storage bucket
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Sends a backup file of a NAVER Cloud Platform Cloud DB for PostgreSQL instance to an Object Storage bucket
    (C(/vpostgresql/v2/exportBackupToObjectStorage)).
  - PostgreSQL has no manual backup action, so the file is always one of the instance's automatic (daily) backups,
    found with C(getCloudPostgresqlBackupDetailList) through all its pages. Use O(max_backup_age) to refuse a stale one.
  - The bucket is checked with C(getCloudPostgresqlBucketList) for one of the instance's servers.
  - To list the backups use M(ncp.clouddb.ncp_postgresql_backup_info).
options:
  folder_path:
    description:
      - Folder of the bucket to put the file in, sent as C(folderPath) (NCP added it to this export on 2026-09-17). The
        file then lands at exactly C(<folder_path><file_name>), so the next run finds it with two requests and exports
        of different instances never meet. Normalised to no leading and one trailing C(/), as in NCP's example
        C(cloud-db-for-mysql/).
      - The placeholders C({instance_no}) and C({name}) are replaced by the instance's number and name, so that one
        value, such as V(postgresql/{instance_no}/), gives every instance its own folder.
      - Unset or empty, no C(folderPath) is sent and NCP puts the file where it does without one.
      - If an export that sent it fails or its file never arrives, the message says so, because a region without the
        field may refuse or ignore it; set O(folder_path) to an empty string there.
      - Mutually exclusive with O(object_prefix) (the folder is where the file and its export record are kept).
    type: str
extends_documentation_fragment:
  - ncp.clouddb.export
  - ncp.clouddb.retention
  - ncp.clouddb.common
  - ncp.clouddb.instance
"""

EXAMPLES = r"""
- name: Ship last night's backup into the instance's own folder, refusing one older than 26 hours
  ncp.clouddb.ncp_postgresql_export:
    instance_name: billing-pg
    bucket: db-backups
    folder_path: postgresql/billing-pg/
    max_backup_age: 26h
  register: pg_export

- name: Keep a week of exports of this instance in the bucket
  ncp.clouddb.ncp_postgresql_export:
    instance_name: billing-pg
    bucket: db-backups
    folder_path: postgresql/billing-pg/
    keep_within: 7d

- name: Ship a given backup file without waiting for it to land
  ncp.clouddb.ncp_postgresql_export:
    instance_no: "3001"
    bucket: db-backups
    file_name: "20261121"
    wait: false
"""

RETURN = r"""
backup:
  description: The exported backup file (the API's C(CloudPostgresqlBackupDetail) in snake_case, C(backup_type=automatic)).
  returned: always
  type: dict
  sample:
    file_name: "20261121"
    start_time: "2026-11-21T03:00:00+0900"
    end_time: "2026-11-21T03:04:10+0900"
    backup_size: 104857600
    archived_wal_file_size: 16777216
    backup_type: automatic
bucket:
  description: The bucket the file was (or would be, or already was) sent to.
  returned: always
  type: str
object:
  description:
    - The object found in the bucket for this backup, with C(key), C(size) and C(last_modified).
    - Empty when the file was not looked for or is not there yet (check mode, O(wait=false)).
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
  description: Number, name, status and kind (C(postgresql)) of the instance.
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
from ansible_collections.ncp.clouddb.plugins.module_utils.services import POSTGRESQL


def main():
    run_module(ExportModule, POSTGRESQL)


if __name__ == "__main__":
    main()
