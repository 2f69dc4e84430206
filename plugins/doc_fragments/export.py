# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options and behaviour of the export modules (module_utils/backup_export.py).
    DOCUMENTATION = r"""
options:
  bucket:
    description:
      - Name of the Object Storage bucket to send the backup file to. It must exist and be one the instance can reach
        (the API's bucket list for the instance); otherwise the task fails and lists the buckets it can reach.
    type: str
    required: true
  file_name:
    description:
      - The backup file to export. When not given, the newest finished backup is exported.
      - When the file is not among the instance's finished backups, the task fails and lists the newest ones.
    type: str
  max_backup_age:
    description:
      - Fail, exporting nothing, when the chosen backup finished longer ago than this.
      - Seconds (V(86400)) or a number with a unit C(s), C(m), C(h), C(d) or C(w) (V(26h), V(2d)).
    type: str
  force:
    description:
      - Export even when the file is already in the bucket.
    type: bool
    default: false
  wait:
    description:
      - Wait until the exported file is in the bucket, and return its object in RV(object).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait with O(wait), for this export's turn (see the notes) and for the file to arrive. On timeout
        the task fails and says that the file may still arrive.
    type: int
    default: 1800
  object_prefix:
    description:
      - Look for the exported file only below this key prefix of the bucket, for example the folder your exports land in.
      - By default the whole bucket is searched.
    type: str
    default: ""
notes:
  - Checks, in this order, that the instance exists and is running, that the backup file exists (and is young enough
    with O(max_backup_age)), and that the bucket is reachable; nothing is exported when one of them fails.
  - "Idempotency: NCP does not document the object key an exported backup gets, and file names repeat across instances
    (they are dates). So after an export it made and saw arrive, the module writes a marker object
    C(<key>.ncp-clouddb.json) beside it, naming the instance, the backup and the object version. Before exporting, it
    searches the bucket (or O(object_prefix)) for an object whose key ends with the file name, optionally followed
    by an extension, and carrying such a marker for this backup; when there is one, nothing is exported and the task
    reports C(changed=false). An object written by another instance or by other means is exported again.
    O(force=true) always exports."
  - Looking in the bucket needs the Python library boto3 on the host that runs the module. Without it the task fails
    with a clear message, unless O(force=true) and O(wait=false), which need no look.
  - If the answer to the export request is lost, the module asks once more; exporting the same file to the same bucket
    again writes the same object, so nothing is lost or duplicated.
  - With O(wait=true), exports of the same file name into the same bucket that run at the same time on one host (async
    jobs, forks, the roles) take turns, because while they run they cannot tell whose object is whose. An export with
    its own O(object_prefix) only waits for exports below the same prefix or without one, so giving each instance its
    own folder keeps them concurrent.
requirements:
  - boto3 (to look for the file in the bucket)
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: Runs every check and reports which file would be exported where, without exporting it.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
"""
