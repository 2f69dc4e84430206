# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether an export that arrived may be called done: the object is there, and not empty.

The export modules call ``check_arrival`` once, just before they record an export (backup_export.py,
``_settle``). NCP does not say whether an exported object's size must equal the backup's
``backupSize`` (a compressed or differently packed file may differ), so sizes that differ are only
reported side by side (the result's ``object.size`` and ``backup.backup_size``), never refused; what is
certainly wrong is refused: an object that is gone again, or one of 0 bytes.
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpError


class BadArrival(NcpError):
    pass


def check_arrival(store, bucket, item, file_name):
    """The object as it is now (one HEAD of the key that arrived); BadArrival when it vanished or is empty."""
    now = store.head(bucket, item["key"])
    if now is None:
        raise BadArrival("the export of %s appeared at %r in bucket %r and vanished before it was recorded; it is not "
                         "recorded as exported, so the next run exports it again. Check the bucket's lifecycle rules "
                         "and who else deletes objects there" % (file_name, item["key"], bucket))
    if not now.get("size"):
        raise BadArrival("the export of %s arrived at %r in bucket %r with 0 bytes; it is not recorded as exported, so "
                         "the next run exports it again. An empty backup file cannot be restored; check the backup in "
                         "NCP's console" % (file_name, item["key"], bucket))
    return now
