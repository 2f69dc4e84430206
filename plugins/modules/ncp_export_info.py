#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ncp_export_info
short_description: List the exports this collection recorded for an instance, and check that their objects still hold them
version_added: 0.1.0
author:
  - ncp.clouddb maintainers (@ncp-clouddb)
description:
  - Lists the export records the export modules (M(ncp.clouddb.ncp_export) and the modules of each kind) wrote for one
    instance, kept in C(<root>.ncp-clouddb/exports/<kind>/<instance_no>/) of the bucket, newest first, and checks
    with a HEAD request whether the object of each of the newest O(limit) exports still holds what was exported
    (the recorded ETag and size).
  - It reads Object Storage only (one listing, one GET per record, one HEAD per checked export); it makes no API
    Gateway call, so the instance is given by number.
  - Exports made by other tools, or by this collection before it kept records, are not listed.
options:
  kind:
    description:
      - The kind of the instance whose exports to list, as the inventory plugin's C(ncp_clouddb_kind) host variable
        names it.
    type: str
    required: true
    choices: [cache, redis, postgresql]
  instance_no:
    description: Number of the database instance.
    type: str
    required: true
  instance_name:
    description:
      - Service name of the instance; only needed when O(folder_path) contains C({name}).
    type: str
  bucket:
    description: The Object Storage bucket the exports were sent to.
    type: str
    required: true
  object_prefix:
    description:
      - The O(ncp.clouddb.ncp_export#module:object_prefix) the exports were made with (cache and redis); their
        records are kept below it. By default the bucket root.
    type: str
  folder_path:
    description:
      - O(kind=postgresql) only. The O(ncp.clouddb.ncp_export#module:folder_path) the exports were made with, with the
        same placeholders C({instance_no}) and C({name}); their records are kept in that folder.
    type: str
  limit:
    description:
      - How many of the newest exports to check with a HEAD request; V(0) checks every one. The others are listed
        with RV(exports[].checked=false).
    type: int
    default: 1
notes:
  - This module never changes anything and always reports C(changed=false).
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
extends_documentation_fragment:
  - ncp.clouddb.common
"""

EXAMPLES = r"""
- name: The newest export of every PostgreSQL host, and whether its object is still there
  ncp.clouddb.ncp_export_info:
    kind: "{{ ncp_clouddb_kind }}"
    instance_no: "{{ ncp_clouddb_instance_no }}"
    bucket: pg-backups
    folder_path: "postgresql/{instance_no}/"
  delegate_to: localhost
  register: shipped

- name: Fail when it is missing or no longer intact
  ansible.builtin.assert:
    that: shipped.exports[:1] | map(attribute='state') | list == ['intact']
"""

RETURN = r"""
exports:
  description:
    - The instance's export records, newest first by the time the exported backup finished.
  returned: always
  type: list
  elements: dict
  contains:
    file_name:
      description: The exported backup file.
      type: str
    start_time:
      description: When the backup began (the API's C(startTime)).
      type: str
    end_time:
      description: When the backup finished (the API's C(endTime)).
      type: str
    key:
      description: The object the export became.
      type: str
    size:
      description: The object's size in bytes when it was recorded.
      type: int
    etag:
      description: The object's ETag when it was recorded.
      type: str
    exported_at:
      description: When the export was recorded (UTC).
      type: str
    record:
      description: Key of the record.
      type: str
    checked:
      description: Whether the object was looked at (one of the newest O(limit)).
      type: bool
    state:
      description:
        - V(intact) (the object still has the recorded ETag and size), V(gone) (no object at the key), V(truncated)
          (smaller than recorded) or V(replaced) (other content); null when not checked.
      type: str
    object:
      description: The object as it is now (key, size, etag, last_modified); null when gone or not checked.
      type: dict
  sample:
    - {file_name: "20261126", end_time: "2026-11-26T03:00:41+0900", key: postgresql/3101/20261126, size: 734003200,
       exported_at: "2026-11-26T04:01:10Z", checked: true, state: intact}
bucket:
  description: The bucket.
  returned: always
  type: str
records_folder:
  description: Where the instance's records are kept in the bucket.
  returned: always
  type: str
  sample: postgresql/3101/.ncp-clouddb/exports/postgresql/3101/
instance:
  description: Number and kind of the instance.
  returned: always
  type: dict
"""

from ansible_collections.ncp.clouddb.plugins.module_utils.base import run_module
from ansible_collections.ncp.clouddb.plugins.module_utils.export_info import ExportInfoModule


def main():
    run_module(ExportInfoModule, kinds=("cache", "redis", "postgresql"))


if __name__ == "__main__":
    main()
