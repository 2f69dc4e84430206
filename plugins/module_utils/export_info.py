# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The exports this collection recorded for one instance, and whether their objects still hold them.

The core of ncp_export_info. Read-only, and Object Storage only (no API Gateway call): it lists the
instance's export records (export_records.py: one narrow listing and one GET per record), newest
first by the end time of the backup each one holds, and HEADs the objects of the newest ``limit`` of
them. An object is ``intact`` when it still has the recorded ETag and size, ``gone`` when there is
none, ``truncated`` when it is smaller than recorded, ``replaced`` otherwise.
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_export import fill_folder, normalise_folder
from ansible_collections.ncp.clouddb.plugins.module_utils.backups import parse_time
from ansible_collections.ncp.clouddb.plugins.module_utils.base import NcpModule
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.export_records import ExportRecords, holds
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import storage_for

INTACT = "intact"
GONE = "gone"
TRUNCATED = "truncated"
REPLACED = "replaced"


def object_state(record, item):
    """What became of a recorded export's object (item: a HEAD's answer, None when there is none)."""
    if item is None:
        return GONE
    if holds(record, item):
        return INTACT
    recorded = record.get("size")
    if isinstance(recorded, int) and isinstance(item.get("size"), int) and item["size"] < recorded:
        return TRUNCATED
    return REPLACED


def _newest_first_key(entry):
    record = entry[1]
    moment = parse_time(record.get("end_time"))
    return (moment.timestamp() if moment else 0.0, str(record.get("exported_at") or ""), entry[0])


class ExportInfoModule(NcpModule):
    module_kwargs = {}

    @classmethod
    def options(cls, service):
        spec = dict(
            instance_no=dict(type="str", required=True),
            instance_name=dict(type="str"),
            bucket=dict(type="str", required=True),
            object_prefix=dict(type="str"),
            limit=dict(type="int", default=1),
        )
        if service.export_folder_param:
            spec["folder_path"] = dict(type="str")
        return spec

    def __init__(self, module, service, store=None, **kwargs):
        super().__init__(module, service, **kwargs)
        self._storage = store

    def validate(self):
        super().validate()
        if self.params["limit"] < 0:
            raise NcpConfigError("limit must be 0 (check every export) or a positive number, got %d" %
                                 self.params["limit"])
        if self.params.get("folder_path") is not None and self.params.get("object_prefix") is not None:
            raise NcpConfigError("folder_path and object_prefix are mutually exclusive: with folder_path the export "
                                 "records are kept in that folder")
        folder = self.params.get("folder_path")
        if folder and "{name}" in folder and not self.params.get("instance_name"):
            raise NcpConfigError("folder_path=%r names the instance ({name}): give instance_name too" % folder)
        self.root = (normalise_folder(fill_folder(folder, self.params["instance_no"], self.params.get("instance_name")))
                     if folder else None) or self.params.get("object_prefix") or ""
        if self._storage is None:
            self._storage = storage_for(self.config, self.params, self.sleep, self.clock)

    def execute(self):
        kind, number, bucket = self.service.kind, str(self.params["instance_no"]), self.params["bucket"]
        records = ExportRecords(self._storage, bucket, self.root)
        try:
            entries = sorted(records.of_instance(kind, number), key=_newest_first_key, reverse=True)
            limit = self.params["limit"] or len(entries)
            exports = [self._describe(record_key, record, index < limit) for index, (record_key, record) in
                       enumerate(entries)]
        except NcpError:
            raise
        except Exception as exc:  # pylint: disable=broad-exception-caught  # one message, whatever broke
            raise NcpError("Object Storage call failed for bucket %r at %s: %s" % (
                bucket, self._storage.endpoint, exc))
        return dict(changed=False, exports=exports, bucket=bucket, records_folder=records.folder_of(kind, number),
                    instance={"instance_no": number, "kind": kind})

    def _describe(self, record_key, record, check):
        found = {"file_name": record.get("file_name"), "start_time": record.get("start_time"),
                 "end_time": record.get("end_time"), "key": record.get("key"), "size": record.get("size"),
                 "etag": record.get("etag"), "exported_at": record.get("exported_at"), "record": record_key,
                 "checked": check, "state": None, "object": None}
        if check:
            item = self._storage.head(self.params["bucket"], record.get("key") or "")
            found.update(state=object_state(record, item), object=item)
        return found
