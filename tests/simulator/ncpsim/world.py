# -*- coding: utf-8 -*-
"""The simulated account: instances, their backup files, running backups and exports.

Everything is guarded by one re-entrant lock; actions take it around check-then-change sequences,
and the scheduler's completions take it too, so concurrent requests see consistent state.
"""

import datetime
import threading
import zlib

from . import errors
from .clock import format_date
from .objectstore import NCLOUD_STORAGE_ACCOUNT, backup_object_body
from .scenario import expand_series, status_name

DEFAULT_DATA_STORAGE_SIZE = 10737418240     # the guide's example value (10 GiB)


class Backup(object):
    """One backup file, as the detail lists show it."""

    def __init__(self, kind, file_name, start_time, end_time, backup_size, data_storage_size,
                 archived_wal_file_size):
        self.kind = kind
        self.file_name = file_name
        self.start_time = start_time
        self.end_time = end_time
        self.backup_size = backup_size
        self.data_storage_size = data_storage_size
        self.archived_wal_file_size = archived_wal_file_size

    @property
    def running(self):
        """A manual backup under way has a name and a start, nothing else yet."""
        return self.end_time is None

    def snapshot(self):
        return {"file_name": self.file_name, "start_time": format_date(self.start_time),
                "end_time": format_date(self.end_time) if self.end_time else None, "backup_size": self.backup_size,
                "data_storage_size": self.data_storage_size,
                "archived_wal_file_size": self.archived_wal_file_size}


class Instance(object):
    """One database instance and its backups (oldest first)."""

    def __init__(self, spec, default_region, created):
        self.service = spec["service"]
        self.instance_no = spec["instance_no"]
        self.name = spec.get("name") or "%s-%s" % (self.service, self.instance_no)
        self.status = spec.get("status", "running")     # NCP's spelling (scenario.validate)
        self.region = spec.get("region") or default_region
        self.zone = spec.get("zone") or "%s-1" % self.region
        self.dbms = spec.get("dbms", "Redis")
        self.buckets = spec.get("buckets")          # None: every bucket of the account is reachable
        self.ha = bool(spec.get("ha", False))
        self.server_instance_nos = [str(n) for n in spec.get("server_instance_nos") or
                                    [self.instance_no + "1"] + ([self.instance_no + "2"] if self.ha else [])]
        self.shard_count = int(spec.get("shard_count", 0))
        self.backup_time = spec.get("backup_time", "03:00")
        self.retention_days = int(spec.get("retention_days", 7))
        self.is_backup = bool(spec.get("is_backup", True))
        self.engine_version = spec.get("engine_version", "")
        self.create_date = created
        self.manual_backups = []
        self.automatic_backups = []
        self.running_backups = []                   # manual backups under way (Backup, end_time None)

    def backups(self, kind):
        return self.manual_backups if kind == "manual" else self.automatic_backups

    def file_names(self, kind):
        """Names taken in a list, including those of backups under way (they keep their name)."""
        names = set(b.file_name for b in self.backups(kind))
        if kind == "manual":
            names.update(b.file_name for b in self.running_backups)
        return names

    def can_reach(self, bucket):
        return self.buckets is None or bucket in self.buckets

    def snapshot(self):
        return {"service": self.service, "instance_no": self.instance_no, "name": self.name,
                "status": self.status, "region": self.region, "buckets": self.buckets,
                "server_instance_nos": self.server_instance_nos,
                "backup_in_progress": bool(self.running_backups),
                "running_backups": [b.snapshot() for b in self.running_backups],
                "manual_backups": [b.snapshot() for b in self.manual_backups],
                "automatic_backups": [b.snapshot() for b in self.automatic_backups]}


def new_file_name(existing, start):
    """A file name for a new backup, unique within its list.

    Simulator ASSUMPTION: the guide's examples pass fileName=20210528 / 20240702 (a date), so a
    backup is named after its start date in KST; a second one on the same day gets _HHMMSS, then _N.
    Clients must treat file names as opaque.
    """
    name = start.strftime("%Y%m%d")
    if name not in existing:
        return name
    name = start.strftime("%Y%m%d_%H%M%S")
    suffix = 2
    unique = name
    while unique in existing:
        unique = "%s_%d" % (name, suffix)
        suffix += 1
    return unique


def _default_size(seed):
    """A stable, plausible backup size in bytes derived from a name."""
    return 1048576 + zlib.crc32(seed.encode("utf-8")) % 536870912


class World(object):

    def __init__(self, clock, store, scheduler):
        self.lock = threading.RLock()
        self.clock = clock
        self.store = store
        self.scheduler = scheduler
        self.settings = {}
        self.secrets = {}
        self.denied = {}            # access key -> actions the gateway refuses it (401, errorCode 210)
        self.instances = {}         # (service, instance_no) -> Instance
        self.exports = []

    # --- building ---------------------------------------------------------------------------
    def reset(self, scenario):
        """Replace everything with what the (validated) scenario describes."""
        self.scheduler.cancel_all()
        with self.lock:
            self.settings = dict(scenario["settings"])
            self.secrets = dict((c["access_key"], c["secret_key"]) for c in scenario["credentials"])
            self.denied = dict((c["access_key"], frozenset(c.get("denied_actions") or ()))
                               for c in scenario["credentials"])
            self.instances = {}
            self.exports = []
            self.store.reset(scenario["buckets"], scenario["ncloudstorage_buckets"])
            for spec in scenario["instances"]:
                instance = Instance(spec, self.settings["default_region"], self.clock.resolve("-30d"))
                for kind in ("manual", "automatic"):
                    specs = list(spec.get(kind + "_backups") or [])
                    if kind == "automatic" and spec.get("automatic_backup_series"):
                        specs = expand_series(spec["automatic_backup_series"], self.clock) + specs
                    for backup_spec in specs:
                        self._add_backup(instance, kind, backup_spec)
                self.instances[(instance.service, instance.instance_no)] = instance

    def _add_backup(self, instance, kind, spec):
        start = self.clock.resolve(spec.get("start_time", "now"))
        if spec.get("end_time") is not None:
            end = self.clock.resolve(spec["end_time"])
        else:
            end = start + datetime.timedelta(seconds=float(self.settings["backup_duration_seconds"]))
        backups = instance.backups(kind)
        name = str(spec.get("file_name") or new_file_name(instance.file_names(kind), start))
        backup = Backup(kind, name, start, end,
                        int(spec.get("backup_size", _default_size(instance.instance_no + name))),
                        int(spec.get("data_storage_size", DEFAULT_DATA_STORAGE_SIZE)),
                        int(spec.get("archived_wal_file_size", _default_size(name) // 8)))
        backups.append(backup)
        backups.sort(key=lambda b: b.start_time)
        return backup

    # --- lookups ------------------------------------------------------------------------------
    def region(self, params):
        return params.get("regionCode") or self.settings["default_region"]

    def instances_of(self, service, region):
        with self.lock:
            return sorted((i for i in self.instances.values() if i.service == service and i.region == region),
                          key=lambda i: (len(i.instance_no), i.instance_no))

    def instance(self, service, instance_no, region):
        """The instance, or the documented "does not exist" service error."""
        with self.lock:
            found = self.instances.get((service, str(instance_no)))
            if found is None or found.region != region or found.status == "deleted":
                raise errors.ServiceError(errors.NO_INSTANCE)
            return found

    def instance_by_server(self, service, server_instance_no, region):
        with self.lock:
            for instance in self.instances_of(service, region):
                if str(server_instance_no) in instance.server_instance_nos and instance.status != "deleted":
                    return instance
        raise errors.ServiceError(errors.NO_INSTANCE)

    # --- changes ------------------------------------------------------------------------------
    def start_manual_backup(self, instance):
        """Begin a manual backup: it gets its name now and its file after backup_seconds."""
        with self.lock:
            start = self.clock.now()
            backup = Backup("manual", new_file_name(instance.file_names("manual"), start), start, None, None, None, None)
            instance.running_backups.append(backup)
        self.scheduler.after(float(self.settings["backup_seconds"]), lambda: self._finish_backup(instance, backup))
        return backup

    def _finish_backup(self, instance, backup):
        with self.lock:
            if backup not in instance.running_backups:
                return
            instance.running_backups.remove(backup)
            self._add_backup(instance, "manual", {"file_name": backup.file_name, "start_time": backup.start_time,
                                                  "end_time": self.clock.now()})

    def delete_manual_backups(self, instance, file_names):
        """Remove these finished manual backup files (the caller checked they all exist)."""
        with self.lock:
            instance.manual_backups = [b for b in instance.manual_backups if b.file_name not in set(file_names)]

    def start_export(self, instance, backup, bucket, key):
        """Begin copying a backup file to bucket/key; the object appears after export_seconds."""
        record = {"service": instance.service, "instance_no": instance.instance_no, "file_name": backup.file_name,
                  "backup_type": backup.kind, "bucket": bucket, "key": key,
                  "requested_at": format_date(self.clock.now()), "state": "running"}
        with self.lock:
            self.exports.append(record)
        self.scheduler.after(float(self.settings["export_seconds"]),
                             lambda: self._finish_export(record, instance, backup))

    def _finish_export(self, record, instance, backup):
        metadata = {"ncpsim-backup-size": str(backup.backup_size), "ncpsim-instance-no": instance.instance_no,
                    "ncpsim-service": instance.service}
        try:
            self.store.put(record["bucket"], record["key"], backup_object_body(instance.service, instance.instance_no,
                                                                               backup), metadata)
            state = "done"
        except Exception as error:  # pylint: disable=broad-except
            # The bucket went away while the export ran: NCP would report nothing; we keep a trace.
            state = "failed: %s" % error
        with self.lock:
            record["state"] = state
            record["finished_at"] = format_date(self.clock.now())

    def set_instance(self, service, instance_no, fields):
        """Change an instance from the control API (status, name, buckets, region)."""
        allowed = {"status", "name", "buckets", "region"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError("cannot set %s (allowed: %s)" % (", ".join(sorted(unknown)), ", ".join(sorted(allowed))))
        if "status" in fields:
            fields = dict(fields, status=status_name(fields["status"], service))
        with self.lock:
            instance = self.instances.get((service, str(instance_no)))
            if instance is None:
                raise KeyError("%s/%s" % (service, instance_no))
            for key, value in fields.items():
                setattr(instance, key, value)
            return instance.snapshot()

    def snapshot(self):
        with self.lock:
            buckets = dict((name, self.store.objects(name)) for name in self.store.bucket_names())
            account = NCLOUD_STORAGE_ACCOUNT if self.settings["storage_namespaces"] == "separate" else None
            ncloud = dict((name, self.store.objects(name, account)) for name in self.store.bucket_names(account)) \
                if account else None
            return {"now": format_date(self.clock.now()), "clock_offset_seconds": self.clock.offset,
                    "settings": self.settings, "buckets": buckets, "ncloudstorage_buckets": ncloud,
                    "instances": [i.snapshot() for i in sorted(self.instances.values(),
                                                               key=lambda i: (i.service, i.instance_no))],
                    "exports": [dict(r) for r in self.exports]}
