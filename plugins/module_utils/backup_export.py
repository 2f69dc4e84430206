# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export a backup file to Object Storage: one module core for PostgreSQL, Cache and Redis.

Idempotency: before exporting, the bucket is searched for this instance's backup, recognised by the
marker the module leaves beside each export it saw arrive (object_storage.py explains why a file
name alone is not enough); when it is there the task reports changed=false, unless force=true.
An export whose answer was lost is asked for once more: exporting the same file to the same bucket
again writes the same object, so repeating it loses nothing. Exports that could be mistaken for
each other in the bucket take turns on this host (export_turn.py).
"""

from __future__ import annotations

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.ncp.clouddb.plugins.module_utils import settings
from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
from ansible_collections.ncp.clouddb.plugins.module_utils.backups import BackupCatalog
from ansible_collections.ncp.clouddb.plugins.module_utils.base import NcpModule
from ansible_collections.ncp.clouddb.plugins.module_utils.durations import parse_duration
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpConfigError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.export_turn import export_turn
from ansible_collections.ncp.clouddb.plugins.module_utils.manual_backup import (
    INSTANCE_ARGUMENT_SPEC, INSTANCE_MODULE_KWARGS)
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import (
    HAS_BOTO3, ObjectStorage, endpoint_for, version_of)
from ansible_collections.ncp.clouddb.plugins.module_utils.services import EXPORT_ACTION
from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until

# The API's backupTypeMode for each backup_type (docs/api-facts.md, "Export and buckets").
BACKUP_TYPE_MODES = {BackupCatalog.MANUAL: "MANUAL", BackupCatalog.AUTOMATIC: "SYSTEM"}
SHOWN_WHEN_MISSING = 5


class ExportModule(NcpModule):
    module_kwargs = INSTANCE_MODULE_KWARGS

    def __init__(self, service):
        self.service = service
        self.argument_spec = dict(
            INSTANCE_ARGUMENT_SPEC,
            bucket=dict(type="str", required=True),
            file_name=dict(type="str"),
            max_backup_age=dict(type="str"),
            force=dict(type="bool", default=False),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=1800),
            object_prefix=dict(type="str", default=""),
        )
        if service.export_needs_backup_type:
            self.argument_spec["backup_type"] = dict(type="str", default=BackupCatalog.MANUAL,
                                                     choices=sorted(BACKUP_TYPE_MODES))
        super().__init__()
        self._storage = None

    @property
    def backup_type(self):
        return self.params.get("backup_type") or BackupCatalog.AUTOMATIC

    def execute(self):
        max_backup_age = self._duration("max_backup_age")
        needs_storage = not (self.params["force"] and not self.params["wait"])
        if needs_storage and not HAS_BOTO3:
            raise NcpConfigError(missing_required_lib(
                "boto3", reason="to look for the backup in the bucket (set force=true and wait=false to export "
                "without looking)"))
        catalog = BackupCatalog(self.client, self.service)
        instance = catalog.find_instance(self.params["instance_no"], self.params["instance_name"])
        catalog.require_running(instance, "export a backup")
        backup = self._choose_backup(catalog, instance, max_backup_age)
        bucket = self._check_bucket(catalog, instance)

        result = dict(changed=False, exported=False, backup=backup.to_result(), bucket=bucket, object={},
                      instance=instance.to_result())
        identity = _identity(self.service, instance, backup)
        if not self.params["force"]:
            found = self._storage_call(bucket, backup, lambda store: store.exported(
                bucket, backup.file_name, identity, self.params["object_prefix"]))
            if found:
                result.update(object=found, diff=_diff(bucket, found["key"], found["key"]))
                return result

        result.update(changed=True, diff=_diff(bucket, None, backup.file_name))
        if self.module.check_mode:
            return result
        if not self.params["wait"]:
            self._export(instance, backup, bucket)
            result["exported"] = True
            return result
        # One Deadline for the turn and the arrival: wait_timeout bounds the whole wait.
        deadline = Deadline(self.params["wait_timeout"])
        with export_turn(self.storage.endpoint, bucket, backup.file_name, self.params["object_prefix"],
                         deadline, self._turn_timeout_message(backup, bucket)):
            before = dict((item["key"], version_of(item)) for item in self._candidates(bucket, backup))
            self._export(instance, backup, bucket)
            result["exported"] = True
            arrived = wait_until(lambda: self._arrived(bucket, backup, before), deadline.remaining(),
                                 self._timeout_message(backup, bucket))
            self._storage_call(bucket, backup, lambda store: store.write_marker(bucket, arrived, identity))
        result.update(object=arrived, diff=_diff(bucket, None, arrived["key"]))
        return result

    def _duration(self, name):
        if self.params[name] is None:
            return None
        try:
            return parse_duration(self.params[name], name)
        except ValueError as exc:
            raise NcpConfigError(str(exc))

    def _choose_backup(self, catalog, instance, max_backup_age):
        backups = [b for b in catalog.backups(instance, self.backup_type) if b.finished]
        wanted = self.params["file_name"]
        where = "%s backups of %s instance %s (%s)" % (self.backup_type, self.service.title, instance.number,
                                                       instance.name)
        if wanted:
            chosen = next((b for b in backups if b.file_name == wanted), None)
            if chosen is None:
                newest = ", ".join(b.file_name for b in backups[:SHOWN_WHEN_MISSING]) or "none"
                raise NcpConfigError("no backup file %r among the finished %s; the newest are: %s" % (
                    wanted, where, newest))
        elif backups:
            chosen = backups[0]
        else:
            raise NcpConfigError("there are no finished %s to export" % where)
        if max_backup_age is not None and chosen.age_seconds() > max_backup_age:
            raise NcpConfigError(
                "backup %s finished %s ago (%s), longer ago than max_backup_age=%s; check the instance's "
                "automatic backups, or raise max_backup_age" % (
                    chosen.file_name, _hours(chosen.age_seconds()), chosen.row.get("endTime"),
                    self.params["max_backup_age"]))
        return chosen

    def _check_bucket(self, catalog, instance):
        bucket = self.params["bucket"]
        reachable = catalog.reachable_buckets(instance)
        if bucket not in reachable:
            raise NcpConfigError("bucket %r is not one %s instance %s (%s) can export to; it can reach: %s" % (
                bucket, self.service.title, instance.number, instance.name, ", ".join(reachable) or "no bucket"))
        return bucket

    @property
    def storage(self):
        if self._storage is None:
            config = settings.resolve(self.params)
            try:
                endpoint, region_name = endpoint_for(config["region"], config["api_url"], config["object_storage_url"])
            except ValueError as exc:
                raise NcpConfigError(str(exc))
            self._storage = ObjectStorage(endpoint, region_name, config["access_key"], config["secret_key"],
                                          self.params["validate_certs"], self.params["timeout"])
        return self._storage

    def _candidates(self, bucket, backup):
        return self._storage_call(bucket, backup, lambda store: store.candidates(
            bucket, backup.file_name, self.params["object_prefix"]))

    def _arrived(self, bucket, backup, before):
        """The object this export wrote: new, or written again since we looked; None until then."""
        for item in self._candidates(bucket, backup):
            if before.get(item["key"]) != version_of(item):
                return item
        return None

    def _storage_call(self, bucket, backup, call):
        try:
            return call(self.storage)
        except NcpError:
            raise
        except Exception as exc:  # botocore's errors have no common base worth importing here
            raise NcpError("could not look in bucket %r at %s for %s: %s" % (
                bucket, self.storage.endpoint, backup.file_name, exc))

    def _export(self, instance, backup, bucket):
        params = {self.service.instance_param: instance.number, "fileName": backup.file_name, "bucketName": bucket}
        if self.service.export_needs_backup_type:
            params["backupTypeMode"] = BACKUP_TYPE_MODES[self.backup_type]
        try:
            self.client.write(self.service.prefix, EXPORT_ACTION, params)
        except NcpApiError as err:
            if not err.ambiguous:
                raise
            self.client.write(self.service.prefix, EXPORT_ACTION, params)  # same file, same object: safe

    def _turn_timeout_message(self, backup, bucket):
        return ("nothing was exported: another export of %s to bucket %r from this host was still running "
                "after wait_timeout=%s s (exports that could be mistaken for each other take turns). Give each "
                "instance its own object_prefix, or a longer wait_timeout" % (
                    backup.file_name, bucket, self.params["wait_timeout"]))

    def _timeout_message(self, backup, bucket):
        return ("the export of %s to bucket %r was accepted but the file was not in the bucket within "
                "wait_timeout=%s s; it may still arrive. Run the task again later: it exports nothing while "
                "the file is there" % (backup.file_name, bucket, self.params["wait_timeout"]))


def _identity(service, instance, backup):
    """What the marker beside an exported object says it is."""
    return {"service": service.key, "instance_no": instance.number, "file_name": backup.file_name,
            "start_time": backup.row.get("startTime")}


def _diff(bucket, before_key, after_key):
    return dict(before=dict(bucket=bucket, object=before_key), after=dict(bucket=bucket, object=after_key))


def _hours(seconds):
    return "%.1f h" % (seconds / 3600.0)
