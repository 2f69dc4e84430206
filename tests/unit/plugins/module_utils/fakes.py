# -*- coding: utf-8 -*-
"""In-memory stand-ins for the module cores' collaborators, on a fake clock.

FakeModule is what a core needs of an AnsibleModule; FakeApi answers the actions the cores call
(instances, backup lists, create, delete, export, buckets) and can lose answers, hold requests and
refuse; FakeStore is an Object Storage bucket that counts its requests. Time only moves when
something sleeps, so a 30-minute wait takes microseconds.
"""

from __future__ import annotations

import datetime

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError

BASE = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).replace(microsecond=0)


def ncp_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z")


class FakeModule:
    def __init__(self, core, service, check_mode=False, **params):
        self.params = dict((name, spec.get("default")) for name, spec in core.argument_spec(service).items())
        self.params.update(access_key="AK", secret_key="SK", api_url="https://gw.example", region="KR")
        self.params.update(params)
        self.check_mode = check_mode
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


def lost(action, applied=True):
    """The error a write gets when its answer is lost (timeout, reset after sending, 5xx)."""
    return NcpApiError(action, "no answer in time (ReadTimeout)", retryable=True, reached_service=None)


def refusal(action, message="A backup of this instance is already in progress.", code="5001999"):
    return NcpApiError(action, message, status=400, code=code)


class FakeApi:
    """One cache-like instance (or a PostgreSQL one) and its backups, as the API shows them.

    faults: {action: [step, ...]}; each call of that action takes the next step:
      "lose"        the request takes effect, the answer is lost (ambiguous error)
      "drop"        the request never arrives, the error is ambiguous all the same
      ("hold", s)   the answer is lost now; the request takes effect s seconds later
      ("late", s)   (reads) the answer is what was there when asked, and it comes s seconds later
      "refuse"      a definite refusal (HTTP 400)
      an exception  raised as it is, nothing happens
    """

    def __init__(self, clock, service, backups=(), status="running", backup_seconds=5.0, list_running=True,
                 refuse_concurrent=True, instance_no="1101", name="shop-cache", buckets=("backups",),
                 export_seconds=3.0, store=None, export_key="{file_name}"):
        self.clock = clock
        self.service = service
        self.number = instance_no
        self.name = name
        self.status = status
        self.backup_seconds = backup_seconds
        self.list_running = list_running
        self.refuse_concurrent = refuse_concurrent
        self.buckets = list(buckets)
        self.export_seconds = export_seconds
        self.store = store
        self.export_key = export_key
        self.region = "KR"
        self.deadline = None
        self.backups = [dict(b) for b in backups]  # {file_name, start, end (fake seconds or None), kind}
        self.faults = {}
        self.calls = []
        self.pending = []  # (due, function)

    # --- time ---------------------------------------------------------------------------------
    def _tick(self):
        for due, func in sorted(list(self.pending), key=lambda p: p[0]):
            if due <= self.clock.now:
                self.pending.remove((due, func))
                func()

    def at(self, seconds):
        return BASE + datetime.timedelta(seconds=seconds)

    # --- reads ---------------------------------------------------------------------------------
    def read(self, api_path, action, params=None):
        self._tick()
        self.calls.append((action, dict(params or {})))
        step = self._step(action)
        if isinstance(step, BaseException):
            raise step
        answer = self._answer(action)
        if isinstance(step, tuple) and step[0] == "late":
            self.clock.sleep(step[1])
        return answer

    def _answer(self, action):
        fields = self.service.instance_fields
        if action == self.service.instances.name:
            row = {fields["number"]: self.number, fields["name"]: self.name, fields["status"]: self.status,
                   "cloudPostgresqlServerInstanceList": [{"cloudPostgresqlServerInstanceNo": self.number + "1"}]}
            return {"totalRows": 1, self.service.instances.list_key: [row]}
        for kind, list_action in (("manual", self.service.manual_backups), ("automatic",
                                                                            self.service.automatic_backups)):
            if list_action is not None and action == list_action.name:
                rows = [self._row(b) for b in self.backups if b.get("kind", "manual") == kind and
                        (b["end"] is not None or self.list_running)]
                return {"totalRows": len(rows), list_action.list_key: rows}
        if self.service.bucket_list is not None and action == self.service.bucket_list.action.name:
            return {self.service.bucket_list.action.list_key: [{"bucketName": b} for b in self.buckets]}
        raise AssertionError("unexpected read %s" % action)

    def _row(self, backup):
        row = {"fileName": backup["file_name"], "startTime": ncp_time(self.at(backup["start"])), "backupSize": 100}
        if backup["end"] is not None:
            row["endTime"] = ncp_time(self.at(backup["end"]))
        return row

    # --- writes --------------------------------------------------------------------------------
    def write(self, api_path, action, params=None):
        self._tick()
        self.calls.append((action, dict(params or {})))
        step = self._step(action)
        apply = getattr(self, "_" + {self.service.create_manual_backup: "create",
                                     self.service.delete_manual_backup: "delete",
                                     "exportBackupToObjectStorage": "export"}[action])
        if step is None:
            return apply(params)
        if isinstance(step, BaseException):
            raise step
        if step == "lose":
            apply(params)
            raise lost(action)
        if step == "drop":
            raise lost(action)
        if step == "refuse":
            raise refusal(action)
        if step[0] == "hold":
            self.pending.append((self.clock.now + step[1], lambda: self._applied_late(apply, params)))
            raise lost(action)
        raise AssertionError(step)

    def _applied_late(self, apply, params):
        try:
            apply(params)
        except NcpApiError:
            pass  # refused when it finally arrived: the client never sees it

    def _step(self, action):
        steps = self.faults.get(action)
        return steps.pop(0) if steps else None

    def _create(self, params):
        if self.status != "running":
            raise NcpApiError("create", "not running", status=400, code="5001998")
        if self.refuse_concurrent and any(b["end"] is None for b in self.backups):
            raise refusal("createCloudCacheManualBackup")
        start = self.clock.now
        backup = {"file_name": "m%03d" % len(self.backups), "start": start, "end": None, "kind": "manual"}
        self.backups.append(backup)
        self.pending.append((start + self.backup_seconds, lambda: backup.update(end=start + self.backup_seconds)))
        return {}

    def creates(self):
        return [c for c in self.calls if c[0] == self.service.create_manual_backup]

    def _delete(self, params):
        names = [v for k, v in sorted(params.items()) if k == "fileNameList"]
        names = names[0] if names else []
        listed = set(b["file_name"] for b in self.backups if b.get("kind", "manual") == "manual")
        unknown = [n for n in names if n not in listed]
        if unknown:
            raise NcpApiError("delete", "The backup file does not exist: %s" % unknown[0], status=400, code="5001997")
        self.backups = [b for b in self.backups if b["file_name"] not in names]
        return {}

    def _export(self, params):
        backup = next(b for b in self.backups if b["file_name"] == params["fileName"])
        folder = params.get("folderPath") or ""
        key = folder + self.export_key.format(file_name=backup["file_name"], instance_no=self.number)
        body = "%s/%s/%s" % (self.number, backup["file_name"], backup["start"])
        self.pending.append((self.clock.now + self.export_seconds,
                             lambda: self.store.put(params["bucketName"], key, body)))
        return {}

    def exports(self):
        return [c for c in self.calls if c[0] == "exportBackupToObjectStorage"]


class FakeStore:
    """Buckets of objects with ETag (of the body), size and a Last-Modified that moves with the clock."""

    def __init__(self, clock):
        self.clock = clock
        self.objects = {}   # (bucket, key) -> {body, last_modified}
        self.calls = []
        self.endpoint = "https://kr.object.ncloudstorage.com"
        self.api = None     # the FakeApi whose pending work runs when the store is looked at
        self.faults = {}    # {"copy" | "delete": [step, ...]}: "lose" (done, answer lost), "drop", an exception

    def _tick(self):
        if self.api is not None:
            self.api._tick()  # pylint: disable=protected-access

    def put(self, bucket, key, body):
        self.objects[(bucket, key)] = {"body": body, "last_modified": ncp_time(BASE + datetime.timedelta(
            seconds=self.clock.now)) + "#%d" % len(self.calls)}

    def _item(self, bucket, key):
        found = self.objects[(bucket, key)]
        body = found["body"] if isinstance(found["body"], str) else "json"
        return {"key": key, "size": len(body), "etag": "etag-%x" % (hash(body) & 0xffffffff),
                "last_modified": found["last_modified"]}

    def head(self, bucket, key):
        self._tick()
        self.calls.append(("head", key))
        return self._item(bucket, key) if (bucket, key) in self.objects else None

    def list(self, bucket, prefix=""):
        self._tick()
        keys = sorted(k for b, k in self.objects if b == bucket and k.startswith(prefix))
        for start in range(0, max(len(keys), 1), 1000):
            self.calls.append(("list", prefix))
            for key in keys[start:start + 1000]:
                yield self._item(bucket, key)

    def get_json(self, bucket, key):
        self._tick()
        self.calls.append(("get", key))
        found = self.objects.get((bucket, key))
        return dict(found["body"]) if found and isinstance(found["body"], dict) else None

    def put_json(self, bucket, key, data):
        self.calls.append(("put", key))
        self.put(bucket, key, dict(data))

    def _faulted(self, call, apply):
        steps = self.faults.get(call)
        step = steps.pop(0) if steps else None
        if isinstance(step, BaseException):
            raise step
        if step != "drop":
            answer = apply()
        if step in ("lose", "drop"):
            raise lost("s3:" + call)
        return answer

    def delete(self, bucket, key):
        self.calls.append(("delete", key))
        self._faulted("delete", lambda: self.objects.pop((bucket, key), None))

    def copy(self, bucket, source_key, key):
        self._tick()
        self.calls.append(("copy", key))

        def apply():
            self.objects[(bucket, key)] = dict(self.objects[(bucket, source_key)])
            self.objects[(bucket, key)]["last_modified"] += "c"
            return self._item(bucket, key)["etag"]
        return self._faulted("copy", apply)

    def keys(self, bucket):
        return sorted(k for b, k in self.objects if b == bucket)
