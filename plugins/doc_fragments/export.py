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
        Cloud DB for MySQL documents no bucket list, so there the export request itself is the check.
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
      - With V(false) the task returns once the export is requested, with a RV(request) that a later run passes in
        O(request) to wait for the file.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds the whole task may take with O(wait), its requests and their retries included. Must be positive.
        No request waits for its answer past it (but every request gets at least 3 s, the time a healthy answer
        needs), and one more look follows a look that got no answer in time, so the task ends a few seconds after
        it at most.
      - It covers the wait for this export's turn (see the notes) and for the file to arrive. On timeout the task fails
        and says that the file may still arrive.
    type: int
    default: 1800
  object_prefix:
    description:
      - Key prefix of the bucket below which this collection looks for the exported file and keeps its export records
        (see the notes). By default the whole bucket.
      - Changing it between runs loses track of earlier exports (they are exported again, never skipped wrongly).
    type: str
  move_to_instance_key:
    description:
      - When the file lands at a key that does not name the instance (the bucket root, where NCP's date file names are
        shared by every instance), move it to C(<object_prefix><kind>/<instance_no>/<name>) by a server-side copy,
        check the copy (size and ETag), delete the shared key, and record the instance's key.
      - With V(false) the file stays where NCP put it, and the module warns that same-named exports of other instances
        into the bucket replace it (the next run then exports again).
      - Objects above 5 GB cannot be moved (NCP documents no multipart copy); the task then fails and says so.
    type: bool
    default: true
  request:
    description:
      - The RV(request) returned by an earlier run of this module with O(wait=false), unchanged.
      - The task then waits for the file that run asked for, moves and records it, and reports C(changed=false) (the
        earlier run reported the change). When that run's export was queued behind another's claim, this task asks
        for it when its turn comes.
    type: dict
notes:
  - Checks, in this order, that the instance exists and is running, that the backup file exists (and is young enough
    with O(max_backup_age)), and that the bucket is reachable; nothing is exported when one of them fails.
  - "Idempotency: file names repeat across instances (they are dates), so a file name in the bucket proves nothing. After
    an export it saw arrive, the module writes a small record
    C(<object_prefix>.ncp-clouddb/exports/<kind>/<instance_no>/<file_name>.json) naming the backup and the object it
    became (key, ETag, size). A backup counts as exported when its record exists and the object still holds what was
    exported: one GET and one HEAD, however big the bucket. An object overwritten or deleted since is exported again.
    O(force=true) always exports."
  - "An export is called done only when its object is really there: just before recording it, the module looks at the
    object once more, and fails, recording nothing (so the next run exports again), when it vanished or has 0 bytes. NCP
    does not say whether the object's size must equal the backup's C(backupSize); the result shows both side by side
    (C(object.size), C(backup.backup_size)) and the record keeps the object's size."
  - "Where the file lands: NCP documents it only for PostgreSQL and MySQL with a folder path
    (M(ncp.clouddb.ncp_postgresql_export) and M(ncp.clouddb.ncp_mysql_export) O(ignore:folder_path)). Otherwise the
    module looks first where the previous export of the same kind into the bucket landed (it learns the layout, for
    example C(vcache/{instance_no}/{file_name}), and keeps it in C(.ncp-clouddb/layout/<kind>.json)) and at
    C(<object_prefix><file_name>), then lists the narrowest prefix, and scans the whole bucket (or O(object_prefix))
    only while nothing is learned yet."
  - Listings use ListObjects (version 1) with marker paging, which NCP Object Storage documents; never List Objects
    version 2, which its overview says it does not support.
  - The bucket is read and written through Object Storage's S3-compatible API with the same access key and secret key,
    signed with Signature Version 4; no S3 library is needed.
  - If the answer to the export request is lost, the module asks once more; exporting the same backup to the same bucket
    again writes the same object, so nothing is lost or duplicated.
  - "Exports that could be mistaken for each other (the same file name into one bucket, where the landing key does not
    tell instances apart) take turns through the bucket, from any host: each writes a claim under
    C(<object_prefix>.ncp-clouddb/claims/<file_name>/) and asks NCP only when its claim is the first unexpired one;
    the claim is removed once the file is moved and recorded, or on failure, and a dead run's claim is passed over once
    it expires. Waiting for the turn counts against O(wait_timeout). Exports into their own folder
    (O(ignore:folder_path), or a learned layout with the instance number in it) never wait for each other."
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: Runs every check and reports which file would be exported where, and which old exports would be pruned.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
"""
