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
extends_documentation_fragment:
  - ncp.clouddb.export
  - ncp.clouddb.common
  - ncp.clouddb.instance
"""

EXAMPLES = r"""
- name: Ship last night's backup, refusing one older than 26 hours
  ncp.clouddb.ncp_postgresql_export:
    instance_name: billing-pg
    bucket: db-backups
    max_backup_age: 26h
  register: pg_export

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
instance:
  description: Number, name, status and API (C(vpostgresql)) of the instance.
  returned: always
  type: dict
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_export import ExportModule
from ansible_collections.ncp.clouddb.plugins.module_utils.services import POSTGRESQL


def main():
    ExportModule(POSTGRESQL).run()


if __name__ == "__main__":
    main()
