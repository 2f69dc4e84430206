# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An export that landed at a shared key is moved to a key that names its instance.

Cache and Redis exports land where NCP puts them, which NCP does not document; with date file names
shared by every instance, a shared landing key (the bucket root) holds only the last instance's
export. So once this export has arrived and is provably its own (it holds the turn: export_claims.py),
it is moved to ``<root><kind>/<instance_no>/<name>`` (name: the landed key's last part, extension
included):

1. a server-side copy (PutObject with ``x-amz-copy-source``, NCP page storage-objectstorage-copyobject);
2. the copy is checked: the copy's HEAD has the landed object's size, and the ETag the copy answered
   (the landed object's ETag too, unless that one is a multipart ETag, which a copy recomputes); and
   the landed object is still the version that arrived (nothing replaced it during the copy);
3. the shared key is deleted; then the caller writes the record for the instance's key.

A lost answer to the copy or the delete is settled by looking (HEAD): a copy that took effect is
used, a delete that took effect is done. Objects above SINGLE_COPY_LIMIT fail clearly: NCP documents
no UploadPartCopy, so they cannot be moved.
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.export_records import folders
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import SINGLE_COPY_LIMIT, version_of


def instance_key(root, kind, instance_no, landed_key):
    """Where an export of this instance ends: <root><kind>/<instance_no>/<last part of the landed key>."""
    return "%s%s/%s/%s" % (root, kind, instance_no, landed_key.rsplit("/", 1)[-1])


def names_instance(key, root, instance_no):
    """Whether a key tells this instance's export apart: one of its folders below root is the instance number."""
    return str(instance_no) in folders(key, root)


class Mover:
    """Copy, check, delete: one landed object to its instance key, within one bucket."""

    def __init__(self, store, bucket, warn):
        self.store = store
        self.bucket = bucket
        self.warn = warn

    def move(self, item, target):
        """The HEAD of target once item (a HEAD of the landed object) is copied there and its key deleted."""
        if item["size"] > SINGLE_COPY_LIMIT:
            raise NcpError(
                "the export arrived at %r with %d bytes, more than the %d bytes one server-side copy can move; NCP "
                "documents no multipart copy (UploadPartCopy) for Object Storage, so it was left there and not "
                "recorded. Set move_to_instance_key: false to keep it at that key (same-named exports of other "
                "instances then replace it), or give this instance its own bucket" % (
                    item["key"], item["size"], SINGLE_COPY_LIMIT))
        try:
            etag = self.store.copy(self.bucket, item["key"], target)
        except NcpApiError as err:
            if not err.ambiguous:
                raise NcpError("the export arrived at %r, but the server-side copy to %r was refused (%s); it was "
                               "left there and not recorded. Set move_to_instance_key: false where the store has no "
                               "copy (Ncloud Storage documents none): same-named exports of other instances then "
                               "replace it" % (item["key"], target, err))
            etag = None  # the answer was lost: the copy may have taken effect; the HEAD below tells
        copied = self.store.head(self.bucket, target)
        problem = self._check(item, copied, etag)
        if problem:
            raise NcpError("the export at %r was copied to %r, but %s; the export was left at %r and not recorded: "
                           "the next run exports again" % (item["key"], target, problem, item["key"]))
        self._delete(item["key"])
        return copied

    def _check(self, item, copied, etag):
        if copied is None:
            return "the copy is not there"
        if copied["size"] != item["size"]:
            return "the copy has %d bytes, not %d" % (copied["size"], item["size"])
        if etag and copied["etag"] != etag:
            return "the copy's ETag is %s, not the %s the copy answered" % (copied["etag"], etag)
        if "-" not in item["etag"] and copied["etag"] != item["etag"]:
            return "the copy's ETag is %s, not the landed object's %s" % (copied["etag"], item["etag"])
        now = self.store.head(self.bucket, item["key"])
        if now is None or version_of(now) != version_of(item):
            return "the object at %r was replaced or removed during the copy (another export)" % item["key"]
        return None

    def _delete(self, key):
        try:
            self.store.delete(self.bucket, key)
            return
        except NcpApiError as err:
            problem = err
        if self.store.head(self.bucket, key) is None:
            return  # the delete took effect; only its answer was lost
        self.warn("The export was copied to its instance's key and is recorded there, but deleting the shared key %r "
                  "failed (%s): the same-named export of another instance will replace that copy; delete it by hand "
                  "if it stays" % (key, problem))
