# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instances and their backup files, read the same way from every NCP database API."""

from __future__ import annotations

import datetime

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.pages import as_list, read_all

RUNNING = "running"
# Sizes come as numbers in JSON and as text in XML; the same field must not change type.
_NUMERIC_FIELDS = ("backupSize", "dataStorageSize", "archivedWalFileSize")


class InstanceNotFound(NcpError):
    pass


class InstanceNotReady(NcpError):
    pass


def parse_time(text):
    """A datetime from the API's '2024-07-02T11:58:45+0900', or None."""
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def utc_stamp():
    """Now, as results and records write it: 2026-11-26T01:02:03Z."""
    return utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")


class Instance:
    """One database instance: number, name and status, plus the row it came from.

    Status names are compared in lower case: the type pages write ``settingup``, NCP's Terraform
    provider compares ``settingUp`` (docs/api-facts.md, "Instances").
    """

    def __init__(self, service, row):
        fields = service.instance_fields
        self.service = service
        self.number = str(row.get(fields["number"]))
        self.name = row.get(fields["name"])
        self.status = (row.get(fields["status"]) or "").lower()
        self.row = row

    @property
    def running(self):
        return self.status == RUNNING

    def to_result(self):
        return {"instance_no": self.number, "name": self.name, "status": self.status, "kind": self.service.kind}


class BackupFile:
    """One backup file of an instance, manual or automatic."""

    def __init__(self, row, backup_type):
        self.row = dict(row)
        for field in _NUMERIC_FIELDS:
            value = self.row.get(field)
            if isinstance(value, str) and value.isdigit():
                self.row[field] = int(value)
        self.backup_type = backup_type
        self.file_name = row.get("fileName")
        self.start_time = parse_time(row.get("startTime"))
        self.end_time = parse_time(row.get("endTime"))

    @property
    def identity(self):
        """What tells two backup files apart: NCP may give backups of one day the same file name."""
        return (self.file_name, self.row.get("startTime"))

    @property
    def finished(self):
        return self.end_time is not None

    def age_seconds(self, now=None):
        """Seconds since the backup finished (None while it runs)."""
        if self.end_time is None:
            return None
        return ((now or utc_now()) - self.end_time).total_seconds()

    def sort_key(self):
        moment = self.end_time or self.start_time
        return (moment.timestamp() if moment else 0.0, self.file_name or "")

    def to_result(self):
        result = camel_dict_to_snake_dict(self.row)
        result["backup_type"] = self.backup_type
        return result


def newest_first(backups):
    return sorted(backups, key=BackupFile.sort_key, reverse=True)


class BackupCatalog:
    """Reads instances and backup files of one service through an NcpClient."""

    MANUAL = "manual"
    AUTOMATIC = "automatic"

    def __init__(self, client, service):
        self.client = client
        self.service = service

    def find_instance(self, instance_no=None, name=None):
        """The one instance with this number or exact name; InstanceNotFound otherwise."""
        filters = self.service.instance_filters
        if instance_no is not None:
            params = {filters["numbers"]: [str(instance_no)]}
            field, value = "number", str(instance_no)
            label = "number %s" % instance_no
        else:
            params = {filters["name"]: name}
            field, value = "name", name
            label = "name %r" % name
        rows = self._list(self.service.instances, params)
        # NCP does not document whether the name filter is exact; keep only exact matches.
        matches = [instance for instance in (Instance(self.service, row) for row in rows)
                   if getattr(instance, field) == value]
        if not matches:
            raise InstanceNotFound("no %s instance with %s in region %s" % (
                self.service.title, label, self.client.region or "(default)"))
        if len(matches) > 1:
            raise InstanceNotFound("%d %s instances are named %r (%s): give instance_no instead" % (
                len(matches), self.service.title, name, ", ".join(sorted(i.number for i in matches))))
        return matches[0]

    def find_requested_instance(self, params, request):
        """The instance the task names (instance_no or instance_name); with request (the RV(request) of an
        earlier wait=false run, given back to wait for it), NcpConfigError when it was made for another instance."""
        instance = self.find_instance(params["instance_no"], params["instance_name"])
        refuse_other_instance(request, instance, "request")
        return instance

    def require_running(self, instance, doing):
        if not instance.running:
            raise InstanceNotReady("cannot %s: %s instance %s (%s) is %s, not running" % (
                doing, self.service.title, instance.number, instance.name, instance.status or "in an unknown state"))

    def backups(self, instance, backup_type):
        """Backup files of the instance, newest first (manual or automatic)."""
        action = self.service.manual_backups if backup_type == self.MANUAL else self.service.automatic_backups
        if action is None:
            return []
        rows = self._list(action, {self.service.instance_param: instance.number})
        return newest_first(BackupFile(row, backup_type) for row in rows)

    def new_backup(self, instance, known, finished):
        """The newest manual backup whose identity is not in known (finished, or also still running), or None."""
        for backup in self.backups(instance, self.MANUAL):
            if backup.identity not in known and (backup.finished or not finished):
                return backup
        return None

    def reachable_buckets(self, instance):
        """Names of the Object Storage buckets the instance can export to."""
        buckets = self.service.bucket_list
        if buckets.server_list_key:
            servers = instance.row.get(buckets.server_list_key) or []
            numbers = [server.get(buckets.server_no_field) for server in servers if server.get(buckets.server_no_field)]
            params = {buckets.param: numbers[0]} if numbers else {}
        else:
            params = {buckets.param: instance.number}
        return [row.get("bucketName") for row in self._list(buckets.action, params)]

    def _list(self, action, params):
        """All rows of a list action, following its pages when it has them."""
        if not action.paged:
            return as_list(self.client.read(self.service.api_path, action.name, params).get(action.list_key))
        return read_all(self.client, self.service.api_path, action, params, _row_identity).rows


def refuse_other_instance(request, instance, option):
    """NcpConfigError when request (a module's RV(request), given in option) was made for another instance."""
    if request is not None and str(request["instance_no"]) != instance.number:
        raise NcpConfigError("%s is for instance %s, but this task names instance %s (%s)" % (
            option, request["instance_no"], instance.number, instance.name))


def _row_identity(row):
    """What tells rows of one list apart: the instance number, or a backup's file name and start time."""
    return tuple(sorted((key, str(value)) for key, value in row.items() if key.endswith("InstanceNo") or
                        key in ("fileName", "startTime")))
