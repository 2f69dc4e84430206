# -*- coding: utf-8 -*-
"""Generic action handlers: one per action kind, driven by the catalogue entry of the action.

Each handler takes (world, service, spec, params) and returns the action's own response fields as
an ordered dict, or raises errors.ServiceError.
"""

import random
import re

from . import catalogue, errors
from .objectstore import export_object_key
from .rows import detail_row, instance_row, summary_row

# folderPath: "a/b/" — segments of S3's "safe" characters (letters, digits, ! - _ . * ' ( )), each
# ending in "/", none empty, none "." or "..". NCP documents no rule: a simulator ASSUMPTION.
_FOLDER_SEGMENT = re.compile(r"^[A-Za-z0-9!\-_.*'()]+$")
MAX_KEY_BYTES = 1024


def required(params, name):
    value = params.get(name)
    if value is None or str(value).strip() == "":
        raise errors.ServiceError(errors.MISSING_PARAMETER, name)
    return str(value)


def numbered(params, name):
    """The values of a list parameter sent as name.1, name.2, ... in index order."""
    found = []
    for key, value in params.items():
        head, _dot, index = key.rpartition(".")
        if head == name and index.isdigit():
            found.append((int(index), value))
    return [value for _index, value in sorted(found)]


def _int_param(params, name, low, high):
    text = params.get(name)
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise errors.ServiceError(errors.INVALID_PARAMETER, "%s=%s" % (name, text))
    if value < low or (high is not None and value > high):
        raise errors.ServiceError(errors.INVALID_PARAMETER, "%s=%s" % (name, text))
    return value


def page(world, params, rows):
    """Apply pageNo (from 0) / pageSize (1..1000, required with pageNo); totalRows counts all rows."""
    has_no = params.get("pageNo") not in (None, "")
    has_size = params.get("pageSize") not in (None, "")
    if has_no and not has_size:
        raise errors.ServiceError(errors.MISSING_PARAMETER, "pageSize")
    size = world.settings.get("default_page_size")
    if has_size:
        size = _int_param(params, "pageSize", catalogue.PAGE_SIZE_MIN, catalogue.PAGE_SIZE_MAX)
    number = _int_param(params, "pageNo", 0, None) if has_no else 0
    if size is None:
        return rows
    size = int(size)
    return rows[number * size:(number + 1) * size]


def listing(list_key, rows, total):
    return dict([("totalRows", total), (list_key, rows)])


def ordered(world, backups):
    """Detail rows in the configured order; NCP documents none, so clients must sort themselves."""
    order = world.settings.get("list_order", "oldest_first")
    rows = sorted(backups, key=lambda b: b.start_time)
    if order == "newest_first":
        rows.reverse()
    elif order == "shuffled":
        random.Random(len(rows)).shuffle(rows)
    return rows


def instance_list(world, service, spec, params):
    region = world.region(params)
    numbers = set(numbered(params, spec["filters"]["numbers"]))
    name = params.get(spec["filters"]["name"])
    rows = []
    for instance in world.instances_of(service["key"], region):
        if instance.status == "deleted" or (numbers and instance.instance_no not in numbers):
            continue
        # Simulator assumption: the service name filter matches a part of the name.
        if name and name not in instance.name:
            continue
        rows.append(instance)
    shown = page(world, params, rows) if spec.get("paged") else rows
    return listing(spec["list_key"], [instance_row(service, i) for i in shown], len(rows))


def backup_summary(world, service, spec, params):
    region = world.region(params)
    with world.lock:
        as_text = world.settings["postgresql_backup_numbers"] == "string"
        rows = [summary_row(service, i, spec["backups"], as_text) for i in world.instances_of(service["key"], region)
                if i.status != "deleted"]
    rows = [row for row in rows if row is not None]
    shown = page(world, params, rows) if spec.get("paged") else rows
    return listing(spec["list_key"], shown, len(rows))


def backup_detail(world, service, spec, params):
    """Backup files of one instance. A manual backup under way is a row too (setting
    list_running_backups, an inference): fileName and startTime only, no endTime, no sizes."""
    number = required(params, service["instance_param"])
    instance = world.instance(service["key"], number, world.region(params))
    with world.lock:
        backups = list(instance.backups(spec["backups"]))
        if spec["backups"] == catalogue.MANUAL and world.settings["list_running_backups"]:
            backups.extend(instance.running_backups)
        backups = ordered(world, backups)
    shown = page(world, params, backups) if spec.get("paged") else backups
    return listing(spec["list_key"], [detail_row(service, b) for b in shown], len(backups))


def create_manual_backup(world, service, _spec, params):
    number = required(params, service["instance_param"])
    with world.lock:
        instance = world.instance(service["key"], number, world.region(params))
        if instance.status != "running":
            raise errors.ServiceError(errors.NOT_RUNNING, instance.status)
        if instance.running_backups and world.settings["concurrent_manual_backups"] != "allow":
            raise errors.ServiceError(errors.BACKUP_IN_PROGRESS)
        world.start_manual_backup(instance)
    return {}


def delete_manual_backup(world, service, spec, params):
    """delete...ManualBackup: every named file or none. Refused while a manual backup of the
    instance runs (NCP documents nothing about it: the strict choice)."""
    number = required(params, service["instance_param"])
    names = numbered(params, spec["files_param"])
    if not names:
        raise errors.ServiceError(errors.MISSING_PARAMETER, spec["files_param"] + ".N")
    if any(str(name).strip() == "" for name in names):
        raise errors.ServiceError(errors.INVALID_PARAMETER, "%s.N is empty" % spec["files_param"])
    if len(set(names)) != len(names):
        raise errors.ServiceError(errors.INVALID_PARAMETER, "%s.N names a file twice" % spec["files_param"])
    with world.lock:
        instance = world.instance(service["key"], number, world.region(params))
        if instance.status != "running":
            raise errors.ServiceError(errors.NOT_RUNNING, instance.status)
        if instance.running_backups:
            raise errors.ServiceError(errors.BACKUP_IN_PROGRESS)
        known = set(b.file_name for b in instance.manual_backups)
        unknown = [name for name in names if name not in known]
        if unknown:
            raise errors.ServiceError(errors.NO_BACKUP_FILE, ", ".join(unknown))
        world.delete_manual_backups(instance, names)
    return {}


def folder_path(world, service, spec, params):
    """The export's folderPath ("" without one), after the setting postgresql_folder_path (PostgreSQL only)."""
    name = spec.get("folder_param")
    if not name or name not in params:
        return ""
    value = str(params[name])
    setting = catalogue.FOLDER_PATH_SETTINGS.get(service["key"])
    mode = world.settings[setting] if setting else "accept"
    if mode == "refuse":
        raise errors.ServiceError(errors.UNKNOWN_PARAMETER, name, "exportBackupToObjectStorage")
    if mode == "ignore":
        return ""
    segments = value[:-1].split("/")
    if not value.endswith("/") or value.startswith("/") or \
            any(s in (".", "..") or not _FOLDER_SEGMENT.match(s) for s in segments):
        raise errors.ServiceError(errors.INVALID_PARAMETER, "%s=%s" % (name, value))
    return value


def export(world, service, spec, params):
    """exportBackupToObjectStorage; the object key is objectstore.export_object_key()."""
    file_name = required(params, "fileName")
    bucket = required(params, "bucketName")
    number = required(params, service["instance_param"])
    kind = catalogue.AUTOMATIC
    if spec.get("backup_type_param"):
        mode = required(params, spec["backup_type_param"])
        if mode not in catalogue.BACKUP_TYPE_MODES:
            raise errors.ServiceError(errors.INVALID_PARAMETER, "%s=%s" % (spec["backup_type_param"], mode))
        kind = catalogue.BACKUP_TYPE_MODES[mode]
    key = export_object_key(file_name, service["key"], number, world.settings["export_key_template"],
                            folder_path(world, service, spec, params))
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise errors.ServiceError(errors.INVALID_PARAMETER, "folderPath + fileName is longer than %d bytes" % MAX_KEY_BYTES)
    with world.lock:
        instance = world.instance(service["key"], number, world.region(params))
        if instance.status != "running":
            raise errors.ServiceError(errors.NOT_RUNNING, instance.status)
        backup = next((b for b in instance.backups(kind) if b.file_name == file_name), None)
        if backup is None:
            raise errors.ServiceError(errors.NO_BACKUP_FILE, file_name)
        if not world.store.bucket_exists(bucket):
            raise errors.ServiceError(errors.NO_BUCKET, bucket)
        if not instance.can_reach(bucket):
            raise errors.ServiceError(errors.BUCKET_NOT_REACHABLE, bucket)
        world.start_export(instance, backup, bucket, key)
    return {}


def bucket_list(world, service, spec, params):
    region = world.region(params)
    value = params.get(spec["param"])
    if spec["required"]:
        value = required(params, spec["param"])
    names = sorted(world.store.bucket_names())
    if value:
        if spec["param_is"] == "server_instance":
            instance = world.instance_by_server(service["key"], value, region)
        else:
            instance = world.instance(service["key"], value, region)
        names = [n for n in names if instance.can_reach(n)]
    return listing(spec["list_key"], [{"bucketName": n} for n in names], len(names))


HANDLERS = {
    catalogue.INSTANCE_LIST: instance_list,
    catalogue.BACKUP_SUMMARY: backup_summary,
    catalogue.BACKUP_DETAIL: backup_detail,
    catalogue.CREATE_MANUAL_BACKUP: create_manual_backup,
    catalogue.DELETE_MANUAL_BACKUP: delete_manual_backup,
    catalogue.EXPORT: export,
    catalogue.BUCKET_LIST: bucket_list,
}


def run(world, service_key, action, params):
    """Carry out one action; returns the response fields or raises errors.ServiceError."""
    service = dict(catalogue.SERVICES[service_key], key=service_key)
    spec = service["actions"][action]
    if world.settings["unknown_parameters"] == "refuse":
        check_documented(spec, action, params)
    return HANDLERS[spec["kind"]](world, service, spec, params)


def check_documented(spec, action, params):
    """Refuse a parameter the action's page does not list (name.N only for list parameters)."""
    names, lists = catalogue.documented_params(spec)
    for name in sorted(params):
        head, _dot, index = name.rpartition(".")
        if name in names or (head in lists and index.isdigit() and int(index) >= 1):
            continue
        raise errors.ServiceError(errors.UNKNOWN_PARAMETER, name, action)
