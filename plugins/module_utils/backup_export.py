# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export a backup file to Object Storage: one module core for PostgreSQL, MySQL, Cache and Redis.

* "Already exported?" is one record GET and one object HEAD (export_records.py), however big the
  bucket; ``force: true`` exports anyway.
* ``folder_path`` (PostgreSQL and MySQL, sent as ``folderPath``) puts the file at exactly
  ``<folder_path><file_name>``; without it NCP does not document the key, and export_records.Landing
  finds it.
* An export whose answer was lost is asked for once more: exporting the same backup to the same
  bucket writes the same object again (tests/e2e/test_exports.py proves it on the simulator), so
  repeating it loses and duplicates nothing.
* Exports that could be mistaken for each other (same file name, a landing key that does not tell
  instances apart) take turns through the bucket (export_claims.py), and each is then moved to a key
  that names its instance (export_move.py), unless ``move_to_instance_key: false``.
* ``wait: false`` returns a ``request`` that a later run passes back to wait for the file.
* ``keep_last`` / ``keep_within`` delete this instance's older exports, only those its records prove.
"""

from __future__ import annotations

import time

from ansible_collections.ncp.clouddb.plugins.module_utils.arrival import check_arrival
from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff
from ansible_collections.ncp.clouddb.plugins.module_utils.backups import (
    BackupCatalog, parse_time, refuse_other_instance, utc_now, utc_stamp)
from ansible_collections.ncp.clouddb.plugins.module_utils.base import (
    INSTANCE_ARGUMENT_SPEC, INSTANCE_MODULE_KWARGS, WAIT_ARGUMENT_SPEC, NcpModule)
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpConfigError, NcpError, NcpWaitTimeout
from ansible_collections.ncp.clouddb.plugins.module_utils.export_records import (
    ExportRecords, Landing, holds, template_of)
from ansible_collections.ncp.clouddb.plugins.module_utils.export_claims import Claims
from ansible_collections.ncp.clouddb.plugins.module_utils.export_move import Mover, instance_key, names_instance
from ansible_collections.ncp.clouddb.plugins.module_utils.manual_backup import read_backup_request
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import storage_for
from ansible_collections.ncp.clouddb.plugins.module_utils.retention import RETENTION_ARGUMENT_SPEC, Retention
from ansible_collections.ncp.clouddb.plugins.module_utils.services import EXPORT_ACTION
from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until

# The API's backupTypeMode for each backup_type (docs/api-facts.md, "Export and buckets").
BACKUP_TYPE_MODES = {BackupCatalog.MANUAL: "MANUAL", BackupCatalog.AUTOMATIC: "SYSTEM"}
SHOWN_WHEN_MISSING = 5
# A claim outlives its holder's own deadline by this much (clock differences between hosts, the last
# requests after the deadline); one from a wait=false ask lasts for the ask and a wait after it.
CLAIM_GRACE = 120.0
# A waiting claim is renewed when it has less than this left.
CLAIM_RENEW = 60.0
# Look at the queue again soon: the holder may be done in a second (the simulator) or in minutes (NCP).
TURN_BACKOFF = Backoff(base=0.2, factor=1.5, cap=5.0, jitter=True)


class ExportModule(NcpModule):
    module_kwargs = INSTANCE_MODULE_KWARGS

    @classmethod
    def options(cls, service):
        spec = dict(
            INSTANCE_ARGUMENT_SPEC,
            bucket=dict(type="str", required=True),
            file_name=dict(type="str"),
            max_backup_age=dict(type="str"),
            force=dict(type="bool", default=False),
            object_prefix=dict(type="str"),
            move_to_instance_key=dict(type="bool", default=True),
            request=dict(type="dict"),
            **dict(WAIT_ARGUMENT_SPEC, **RETENTION_ARGUMENT_SPEC))
        if service.export_needs_backup_type:
            spec["backup_type"] = dict(type="str", default=BackupCatalog.MANUAL, choices=sorted(BACKUP_TYPE_MODES))
            spec["backup_request"] = dict(type="dict")
        if service.export_folder_param:
            spec["folder_path"] = dict(type="str")
        return spec

    def __init__(self, module, service, store=None, wall=None, **kwargs):
        super().__init__(module, service, **kwargs)
        self._storage = store
        self._wall = wall

    KIND_DEPENDENT_DEFAULTS = ("backup_type",)

    @property
    def backup_type(self):
        if not self.service.export_needs_backup_type:
            return BackupCatalog.AUTOMATIC  # PostgreSQL and MySQL have automatic backups only
        return self.params.get("backup_type") or BackupCatalog.MANUAL

    # --- before any request --------------------------------------------------------------------
    def validate(self):
        super().validate()
        self.max_backup_age = self.duration("max_backup_age")
        self.retention = Retention.from_params(self.params)
        if self.params.get("folder_path") is not None and self.params.get("object_prefix") is not None:
            raise NcpConfigError("folder_path and object_prefix are mutually exclusive: with folder_path the file and its "
                                 "export record are kept in that folder")
        self.folder_template = self.params.get("folder_path")
        if self.folder_template:
            normalise_folder(fill_folder(self.folder_template, "1234", "name"))  # checked before any request
        self.folder_path = None
        self.root = self.params.get("object_prefix") or ""
        self.awaited = self._read_request(self.params.get("request"))
        self.backup_request = read_backup_request(self.params.get("backup_request"), self.service, "backup_request")
        if self.backup_request is not None and (self.params.get("file_name") or self.awaited is not None or
                                                self.backup_type != BackupCatalog.MANUAL):
            raise NcpConfigError("backup_request names the backup to export: it cannot be used with file_name, request "
                                 "or backup_type=automatic")
        # Only an export to an exact key (folder_path) can be asked for without a look at the bucket: any
        # other may land at a shared key, and takes its turn there (export_claims.py).
        self.looks = not (self.params["force"] and not self.params["wait"] and not self.retention.active and
                          normalise_folder(self.folder_template) is not None)
        if self.looks:
            self.store  # pylint: disable=pointless-statement  # resolved (and checked) before any request

    def _read_request(self, request):
        if request is None:
            return None
        wanted = ("kind", "instance_no", "bucket", "file_name", "before")
        problem = None
        if request.get("kind") != self.service.kind:
            problem = "it is a request of kind %r, not %r" % (request.get("kind"), self.service.kind)
        elif any(request.get(name) is None for name in wanted) or not isinstance(request["before"], dict) or \
                not isinstance(request.get("claim") or {}, dict):
            problem = "it lacks one of %s" % ", ".join(wanted)
        elif request["bucket"] != self.params["bucket"]:
            problem = "it is for bucket %r, not %r" % (request["bucket"], self.params["bucket"])
        elif not self.params["wait"]:
            problem = "it is for waiting, and wait=false was given too"
        if problem:
            raise NcpConfigError("request must be the request value returned by an earlier run of this module with "
                                 "wait=false, passed unchanged: %s" % problem)
        return request

    @property
    def store(self):
        if self._storage is None:
            self._storage = storage_for(self.config, self.params, self.sleep, self.clock)
        return self._storage

    def start_clock(self):
        super().start_clock()
        if self._wall is None:  # wall-clock seconds (claims are compared across hosts), moving with self.clock
            anchor, started = time.time(), self.clock()
            self._wall = lambda: anchor + (self.clock() - started)
        if self._storage is not None:
            self._storage.deadline = self.deadline

    # --- the task ------------------------------------------------------------------------------
    def execute(self):
        catalog = BackupCatalog(self.client, self.service)
        instance = catalog.find_requested_instance(self.params, self.awaited)
        if self.folder_template:
            self.folder_path = normalise_folder(fill_folder(self.folder_template, instance.number, instance.name))
            self.root = self.folder_path
        catalog.require_running(instance, "export a backup")
        backup = self._choose_backup(catalog, instance)
        bucket = self._check_bucket(catalog, instance)
        self.instance, self.backup, self.bucket = instance, backup, bucket
        self.result.update(exported=False, backup=backup.to_result(), bucket=bucket, object={},
                           instance=instance.to_result(), pruned=[])
        records = ExportRecords(self.store, bucket, self.root) if self.looks else None

        if self.awaited is not None:
            self._wait_for_request(records)
            self._prune(records)
            return self.result
        if not self.params["force"]:
            found = self._storage_call(lambda: records.find(self.service.kind, instance, backup))
            if found:
                self._found(found)
                self._prune(records)
                return self.result

        # Would change; changes only once the export is asked for (_export: self.wrote), so a failure
        # before that reports changed=false.
        self.result.update(changed=self.module.check_mode, diff=_diff(bucket, None, self._planned_key()))
        if self.module.check_mode:
            self._prune(records)
            return self.result
        if not self.looks:
            self._export()
            return self.result
        landing = self._landing(records)
        claims = claim = None
        if not landing.specific:
            claims = self._claims()
            claim = self._storage_call(lambda: claims.write(self.service.kind, instance.number, self._claim_ttl()))
        settled = False
        try:
            if claim is not None and not self.params["wait"]:
                if not self._storage_call(lambda: claims.first(claim)):
                    # Queued: the later wait (request) asks NCP when this claim's turn comes.
                    self.wrote("A claim on the export of %s to bucket %r was written; the wait with the request "
                               "exports it" % (backup.file_name, bucket))
                    self.result.update(exported=True, queued=True)
                    self.result["request"] = self._request(landing, None, claim, asked=False)
                    settled = True
                    return self.result
            elif claim is not None:
                claim = self._take_turn(claims, claim, records, landing)
            before = self._storage_call(landing.snapshot)
            self._export()
            if not self.params["wait"]:
                self.result["request"] = self._request(landing, before, claim, asked=True)
                settled = True
                return self.result
            self._settle(records, landing, self._wait_arrival(landing, before, holding_turn=claim is not None))
        finally:
            if claim is not None and not settled:
                self._drop_claim(claims, claim)
        self._prune(records)
        return self.result

    def _wait_for_request(self, records):
        """The wait of a wait=false run: take the turn its claim queued for (and ask NCP then), or wait
        for the file it asked for; then settle, and remove the claim whatever happens."""
        landing = self._landing(records, self.awaited)
        claims = self._claims()
        claim = claims.find(self.awaited.get("claim"))
        before, asked = self.awaited["before"], bool(self.awaited.get("asked", True))
        try:
            if claim is not None:
                renewed = self._storage_call(lambda: claims.renew(claim, self._claim_ttl()))
                if renewed is None:
                    # Expired: others may have passed it over, so it is never revived; join the queue
                    # again, and ask again when the turn comes (the same backup writes the same object).
                    self._storage_call(lambda: claims.remove(claim))
                    renewed = self._storage_call(
                        lambda: claims.write(self.service.kind, self.instance.number, self._claim_ttl()))
                    asked = False
                claim = renewed
                if not asked:
                    claim = self._take_turn(claims, claim, records, landing)
                    found = self._storage_call(lambda: records.find(self.service.kind, self.instance, self.backup))
                    if found:  # exported meanwhile by another run of this instance
                        self._found(found)
                        return
                    before = self._storage_call(landing.snapshot)
                    self._export()
            self._settle(records, landing, self._wait_arrival(landing, before, holding_turn=claim is not None))
        finally:
            if claim is not None:
                self._drop_claim(claims, claim)

    def _found(self, found):
        _record, item = found
        self.result.update(object=item, diff=_diff(self.bucket, item["key"], item["key"]))

    # --- turns: claims in the bucket (export_claims.py) -------------------------------------------------
    def _claims(self):
        return Claims(self.store, self.bucket, self.root, self.backup.file_name, self._wall)

    def _claim_ttl(self):
        """How long a claim lasts: this task's time left, and with wait=false a whole wait after it."""
        left = self.deadline.remaining() if self.deadline is not None else self.params["wait_timeout"]
        return left + CLAIM_GRACE + (self.params["wait_timeout"] if not self.params["wait"] else 0)

    def _take_turn(self, claims, claim, records, landing):
        """Wait (within wait_timeout) until the claim is first among the unexpired ones (renewing it as it
        waits); the claim. None when, meanwhile, another export taught a layout with the instance number
        in it (the first export into a bucket): then no turn is needed, and the claim is removed."""
        def first():
            if claim.expires - self._wall() < CLAIM_RENEW and claims.renew(claim, self._claim_ttl()) is None:
                raise NcpError("the claim %r expired while it waited for its turn; nothing was exported" % claim.key)
            if claims.first(claim):
                return claim
            if landing.wide:
                landing.template = records.layout(self.service.kind)
                if landing.specific:
                    claims.remove(claim)
                    return False
            return None

        try:
            return wait_until(lambda: self._storage_call(first), self.deadline, "", backoff=TURN_BACKOFF,
                              sleep=self.sleep) or None
        except NcpWaitTimeout:
            ahead = claims.last_ahead
            raise NcpWaitTimeout(
                "nothing was exported: the export of %s to bucket %r waited its turn for wait_timeout=%s s and was "
                "still behind the claim of %s. Exports of the same file name that land at one shared key take "
                "turns: give each instance its own object_prefix, or a longer wait_timeout" % (
                    self.backup.file_name, self.bucket, self.params["wait_timeout"],
                    ahead.describe() if ahead else "another export (this claim was not listed yet)"))

    def _drop_claim(self, claims, claim):
        try:
            claims.remove(claim)
        except Exception as exc:  # pylint: disable=broad-exception-caught  # the claim expires by itself
            self.warn("The claim %r could not be removed (%s); it is passed over once it expires" % (claim.key, exc))

    def _choose_backup(self, catalog, instance):
        if self.backup_request is not None:
            refuse_other_instance(self.backup_request, instance, "backup_request")
            known = set(tuple(item) for item in self.backup_request["known"])
            return wait_until(lambda: catalog.new_backup(instance, known, finished=True), self.deadline,
                              "the manual backup asked for (backup_request) of %s instance %s (%s) did not finish "
                              "within wait_timeout=%s s; nothing was exported" % (
                                  self.service.title, instance.number, instance.name, self.params["wait_timeout"]),
                              sleep=self.sleep)
        backups = [b for b in catalog.backups(instance, self.backup_type) if b.finished]
        wanted = self.awaited["file_name"] if self.awaited else self.params["file_name"]
        where = "%s backups of %s instance %s (%s)" % (self.backup_type, self.service.title, instance.number,
                                                       instance.name)
        if wanted:
            chosen = next((b for b in backups if b.file_name == wanted and (
                not self.awaited or b.row.get("startTime") == self.awaited.get("start_time"))), None)
            if chosen is None:
                newest = ", ".join(b.file_name for b in backups[:SHOWN_WHEN_MISSING]) or "none"
                raise NcpConfigError("no backup file %r among the finished %s; the newest are: %s" % (
                    wanted, where, newest))
        elif backups:
            chosen = backups[0]
        else:
            raise NcpConfigError("there are no finished %s to export" % where)
        if self.max_backup_age is not None and chosen.age_seconds() > self.max_backup_age:
            raise NcpConfigError(
                "backup %s finished %s ago (%s), longer ago than max_backup_age=%s; check the instance's "
                "automatic backups, or raise max_backup_age" % (
                    chosen.file_name, _hours(chosen.age_seconds()), chosen.row.get("endTime"),
                    self.params["max_backup_age"]))
        return chosen

    def _check_bucket(self, catalog, instance):
        bucket = self.params["bucket"]
        if self.service.bucket_list is None:
            return bucket   # MySQL documents no bucket list: the export request is the check
        reachable = catalog.reachable_buckets(instance)
        if bucket not in reachable:
            raise NcpConfigError("bucket %r is not one %s instance %s (%s) can export to; it can reach: %s" % (
                bucket, self.service.title, instance.number, instance.name, ", ".join(reachable) or "no bucket"))
        return bucket

    # --- exporting and seeing it arrive ----------------------------------------------------------
    def _landing(self, records, request=None):
        exact = self._planned_key() if self.folder_path else None
        if request is not None:
            template = request.get("template")
        else:
            template = None if exact else self._storage_call(lambda: records.layout(self.service.kind))
        return Landing(self.store, self.bucket, self.root, self.instance.number, self.backup.file_name,
                       exact=exact, template=template, clock=self.clock)

    def _planned_key(self):
        return self.folder_path + self.backup.file_name if self.folder_path else self.backup.file_name

    def _export(self):
        params = {self.service.instance_param: self.instance.number, "fileName": self.backup.file_name,
                  "bucketName": self.bucket}
        if self.service.export_needs_backup_type:
            params["backupTypeMode"] = BACKUP_TYPE_MODES[self.backup_type]
        if self.folder_path:
            params[self.service.export_folder_param] = self.folder_path
        self.wrote("The export of %s to bucket %r was requested and the file may arrive there" % (
            self.backup.file_name, self.bucket))
        self.result["exported"] = True
        try:
            try:
                self.client.write(self.service.api_path, EXPORT_ACTION, params)
            except NcpApiError as err:
                if not err.ambiguous:
                    raise
                self.warn("The answer to the export request was lost (%s); asked once more: exporting the same "
                          "backup to the same bucket writes the same object again." % err)
                self.client.write(self.service.api_path, EXPORT_ACTION, params)
        except NcpApiError as err:
            if not err.ambiguous:  # a definite no: nothing was exported
                self.result.update(changed=False, exported=False)
                self._after_write = None
            if self.folder_path:
                err.message += self._folder_hint()
            raise

    def _wait_arrival(self, landing, before, holding_turn):
        return wait_until(lambda: self._storage_call(lambda: landing.arrived(before, holding_turn)),
                          self.deadline, self._timeout_message(), sleep=self.sleep)

    def _settle(self, records, landing, arrived):
        """Learn where the export landed; move it to its instance's key when it landed at a shared one;
        record it (when it is provably this one)."""
        item, attributable = arrived
        if not attributable:
            self.result.update(object=item, diff=_diff(self.bucket, None, item["key"]))
            self.warn("The export arrived at %r, a key where exports of other instances with the same file name "
                      "land too, and another export was under way; it is not recorded as this instance's export, so "
                      "the next run exports again." % item["key"])
            return
        # Called done only when the object is really there, whole: before it is learned from, moved or recorded.
        item = self._storage_call(lambda: check_arrival(self.store, self.bucket, item, self.backup.file_name))
        if landing.exact is None:
            template = template_of(item["key"], self.instance.number, self.backup.file_name)
            if template != landing.template:
                self._storage_call(lambda: records.learn_layout(self.service.kind, template))
            if not names_instance(item["key"], self.root, self.instance.number):
                item = self._move(item)
        self.result.update(object=item, diff=_diff(self.bucket, None, item["key"]))
        self._storage_call(lambda: records.write(self.service.kind, self.instance, self.backup, item))

    def _move(self, item):
        """The export moved from its shared landing key to its instance's key (unless move_to_instance_key is off)."""
        if not self.params["move_to_instance_key"]:
            self.warn("The export stays at %r (move_to_instance_key: false), a key where same-named exports of other "
                      "instances into this bucket land too: the next one replaces it, and the next run of this task "
                      "then exports again." % item["key"])
            return item
        target = instance_key(self.root, self.service.kind, self.instance.number, item["key"])
        self.result["landed_key"] = item["key"]
        return self._storage_call(lambda: Mover(self.store, self.bucket, self.warn).move(item, target))

    def _request(self, landing, before, claim, asked):
        """With wait=false: what a later run needs to wait for this export (RV(request))."""
        return dict(kind=self.service.kind, instance_no=self.instance.number, bucket=self.bucket,
                    file_name=self.backup.file_name, start_time=self.backup.row.get("startTime"),
                    template=landing.template, before=before or {}, requested_at=utc_stamp(),
                    claim=claim.to_request() if claim is not None else None, asked=asked)

    def _storage_call(self, call):
        try:
            return call()
        except NcpError:
            raise
        except Exception as exc:  # pylint: disable=broad-exception-caught  # one message, whatever broke
            raise NcpError("Object Storage call failed for bucket %r at %s: %s" % (
                self.bucket, self.store.endpoint, exc))

    # --- retention -------------------------------------------------------------------------------
    def _prune(self, records):
        """Delete this instance's older exports that no rule keeps: only objects a record proves are ours."""
        if not self.retention.active:
            return
        entries = self._storage_call(lambda: records.of_instance(self.service.kind, self.instance.number))
        current = next((e for e in entries if (e[1].get("file_name"), e[1].get("start_time")) ==
                        self.backup.identity), None)
        kept, pruned = self.retention.plan(entries, current, _record_age, _record_end)
        self.result["kept"] = [e[1].get("key") for e in kept]
        if not pruned:
            return
        if self.module.check_mode:
            self.result.update(changed=True, pruned=[_pruned(e[1], "would be deleted") for e in pruned])
            return
        self.wrote("Pruning by %s deletes old exports of this instance; list the bucket to see which are gone" %
                   self.retention.describe())
        for record_key, record in pruned:
            item = self._storage_call(lambda r=record: self.store.head(self.bucket, r.get("key") or ""))
            if holds(record, item):
                self._storage_call(lambda r=record: self.store.delete(self.bucket, r["key"]))
                outcome = "deleted"
            else:
                outcome = "object gone" if item is None else "object replaced since its export, left alone"
            self._storage_call(lambda k=record_key: self.store.delete(self.bucket, k))
            self.result["pruned"].append(_pruned(record, outcome))

    # --- messages --------------------------------------------------------------------------------
    def _folder_hint(self):
        return (" (folderPath=%s was sent: NCP documents the field for this export, but where a region refuses or "
                "ignores it, set folder_path to an empty string to export to the bucket root)" % self.folder_path)

    def _timeout_message(self):
        text = ("the export of %s to bucket %r was accepted but the file was not in the bucket within "
                "wait_timeout=%s s; it may still arrive. Run the task again later: it exports nothing once the "
                "file is there" % (self.backup.file_name, self.bucket, self.params["wait_timeout"]))
        if self.folder_path:
            text += ("; it was looked for at %s%s" % (self.folder_path, self.backup.file_name)) + self._folder_hint()
        return text


def fill_folder(template, instance_no, name):
    """folder_path with its placeholders {instance_no} and {name} filled in (postgresql/{instance_no}/)."""
    try:
        return template.format(instance_no=instance_no, name=name)
    except (KeyError, IndexError, ValueError) as exc:
        raise NcpConfigError("folder_path=%r: only the placeholders {instance_no} and {name} can be used (%s)" % (
            template, exc))


def normalise_folder(value):
    """folder_path as NCP's example writes it ("cloud-db-for-mysql/"): no leading /, one trailing /; None if empty."""
    if value is None or value.strip("/") == "":
        return None
    if value.startswith("/"):
        raise NcpConfigError("folder_path=%r must not start with '/': give the folder inside the bucket, such as "
                             "'backups/orders-db/'" % value)
    parts = value.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise NcpConfigError("folder_path=%r has an empty, '.' or '..' folder name; give a path such as "
                             "'backups/orders-db/'" % value)
    return "/".join(parts) + "/"


def _record_end(entry):
    moment = parse_time(entry[1].get("end_time"))
    return moment.timestamp() if moment else 0.0


def _record_age(entry):
    moment = parse_time(entry[1].get("end_time"))
    return (utc_now() - moment).total_seconds() if moment else None


def _pruned(record, outcome):
    return {"key": record.get("key"), "file_name": record.get("file_name"), "end_time": record.get("end_time"),
            "outcome": outcome}


def _diff(bucket, before_key, after_key):
    return dict(before=dict(bucket=bucket, object=before_key), after=dict(bucket=bucket, object=after_key))


def _hours(seconds):
    return "%.1f h" % (seconds / 3600.0)
