# -*- coding: utf-8 -*-
"""Response rows built from world objects and the catalogue's field names."""

from .catalogue import (CACHE_BACKUP_TYPES, INSTANCE_STATUS_CODES, LICENSE_CODE, POSTGRESQL_BACKUP_TYPE,
                        POSTGRESQL_LICENSE, POSTGRESQL_SUMMARY_NUMBERS, SERVER_CODE_NAMES, SERVER_STATUS_CODES,
                        common_code)
from .clock import format_date


def instance_row(service, instance):
    """One Cloud<Stem>Instance row (the fields the guide lists that a backup tool could use)."""
    cloud = "cloud" + service["stem"]
    status, operation = INSTANCE_STATUS_CODES.get(instance.status, ("CREAT", "NULL"))
    row = {"%sInstanceNo" % cloud: instance.instance_no}
    if service["dbms_field"]:
        row[service["dbms_field"]] = instance.dbms
    row.update([
        ("%sServiceName" % cloud, instance.name),
        ("%sInstanceStatusName" % cloud, instance.status),
        ("%sInstanceStatus" % cloud, common_code(status)),
        ("%sInstanceOperation" % cloud, common_code(operation)),
        ("engineVersion", instance.engine_version),
        ("isHa", instance.ha),
        ("isBackup", instance.is_backup),
        ("backupFileRetentionPeriod", instance.retention_days),
        ("backupTime", instance.backup_time),
        ("createDate", format_date(instance.create_date)),
    ])
    if service["license_field"]:
        licence_is_code = service["has_shards"] or service["key"] == "vmssql"
        row[service["license_field"]] = dict(LICENSE_CODE) if licence_is_code else POSTGRESQL_LICENSE
    for field in service.get("omit_fields", ()):
        row.pop(field, None)
    if service["has_shards"]:
        row["shardCount"] = instance.shard_count
    row["%sServerInstanceList" % cloud] = [server_row(cloud, instance, number, index)
                                           for index, number in enumerate(instance.server_instance_nos)]
    return row


def server_row(cloud, instance, number, index):
    """One Cloud<Stem>ServerInstance row."""
    status = SERVER_STATUS_CODES.get(instance.status, "RUN")
    role = "M" if index == 0 else "S"       # role codes: simulator assumption
    return {
        "%sServerInstanceNo" % cloud: number,
        "%sServerName" % cloud: "%s-%03d" % (instance.name, index + 1),
        "%sServerRole" % cloud: common_code(role, {"M": "Master", "S": "Standby Master"}),
        "%sServerInstanceStatusName" % cloud: instance.status,
        "%sServerInstanceStatus" % cloud: common_code(status, SERVER_CODE_NAMES),
        "regionCode": instance.region,
        "zoneCode": instance.zone,
    }


def detail_row(service, backup):
    """One backup detail row in the catalogue's field order; dates in NCP format, sizes as numbers.

    A backup under way has no end time and no sizes yet: those keys are left out, not null.
    """
    row = {}
    for field, attr in service["detail_fields"]:
        value = getattr(backup, attr)
        if value is None:
            continue
        row[field] = format_date(value) if attr.endswith("_time") else value
    return row


def summary_row(service, instance, kind, numbers_as_text=False):
    """One backup list row (per instance) summarising its backups of one kind, or None if it has none."""
    backups = instance.backups(kind)
    if not backups:
        return None
    newest = max(backups, key=lambda b: b.start_time)
    if service["has_shards"]:
        backup_type = CACHE_BACKUP_TYPES["cluster" if instance.shard_count else "single"]
    else:
        backup_type = POSTGRESQL_BACKUP_TYPE
    values = {"retention_days": instance.retention_days, "backup_time": instance.backup_time,
              "backup_size": sum(b.backup_size for b in backups), "backup_type": backup_type,
              "shard_count": instance.shard_count, "last_backup_date": format_date(newest.end_time),
              "backup_file_count": len(backups)}
    cloud = "cloud" + service["stem"]
    row = {"%sInstanceNo" % cloud: instance.instance_no, "%sServiceName" % cloud: instance.name}
    for field, key in service["summary_fields"]:
        row[field] = values[key]
        if numbers_as_text and field in POSTGRESQL_SUMMARY_NUMBERS and not service["has_shards"]:
            row[field] = str(row[field])
    return row
