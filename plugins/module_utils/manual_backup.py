# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manual backups of a cache instance: the core of ncp_cache_backup and ncp_redis_backup.

What a task does, in order (docs/design.md, "Manual backups"):

1. with ``request`` (the RV(request) of an earlier ``wait: false`` run): wait for that backup;
2. with ``max_age``: reuse a finished manual backup younger than that;
3. a manual backup still under way (another run's, or the console's) is waited for, then reused
   with ``max_age``; without it, ours is made after it;
4. otherwise ask for one backup, **once**. After a lost answer (timeout, reset, 5xx) the module
   never asks again: it watches the list (finished and running rows) for the new backup until
   ``wait_timeout``. A refusal because another backup runs means: wait for that one (and reuse it
   with ``max_age``). Nothing here depends on NCP refusing a second backup while one runs.
5. with ``keep_last`` / ``keep_within``: delete the manual backups no rule keeps (retention.py).

``state: absent`` deletes one manual backup by file name. Once a write may have reached NCP, every
failure reports ``changed: true`` and says what may exist (base.NcpModule.wrote).
"""

from __future__ import annotations

import re

from ansible_collections.ncp.clouddb.plugins.module_utils.backups import (
    BackupCatalog, BackupFile, newest_first, utc_now, utc_stamp)
from ansible_collections.ncp.clouddb.plugins.module_utils.base import (
    INSTANCE_ARGUMENT_SPEC, INSTANCE_MODULE_KWARGS, WAIT_ARGUMENT_SPEC, NcpModule)
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpConfigError, NcpError
from ansible_collections.ncp.clouddb.plugins.module_utils.retention import RETENTION_ARGUMENT_SPEC, Retention
from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until

# A refusal that means "another backup of this instance is under way". NCP documents no code for it
# (docs/api-facts.md, "Inferred"), so it is recognised by a new row in the list, or by its wording.
BUSY_WORDS = re.compile(r"\bbusy\b|in progress|already (?:in progress|running|being)", re.IGNORECASE)
# fileNameList.N entries per delete request (docs/api-facts.md, "Deleting manual backups").
DELETE_BATCH = 10
MANUAL = BackupCatalog.MANUAL
PLANNED = "(new manual backup)"  # in check mode and diffs: the backup a real run would make


class ManualBackupModule(NcpModule):
    module_kwargs = dict(INSTANCE_MODULE_KWARGS, required_if=[("state", "absent", ("file_name",))])

    @classmethod
    def options(cls, service):
        return dict(
            INSTANCE_ARGUMENT_SPEC,
            state=dict(type="str", default="present", choices=["present", "absent"]),
            file_name=dict(type="str"),
            max_age=dict(type="str"),
            request=dict(type="dict"),
            **dict(WAIT_ARGUMENT_SPEC, **RETENTION_ARGUMENT_SPEC))

    def validate(self):
        super().validate()
        self.max_age = self.duration("max_age")
        self.retention = Retention.from_params(self.params)
        absent = self.params["state"] == "absent"
        misplaced = [name for name in (("max_age", "request", "keep_last", "keep_within") if absent else
                                       ("file_name",)) if self.params.get(name) is not None]
        if misplaced:
            raise NcpConfigError("%s cannot be used with state=%s: %s" % (
                " and ".join(misplaced), self.params["state"],
                "state=absent deletes the one manual backup named by file_name" if absent else
                "file_name names the backup to delete with state=absent"))
        self.awaited = self._read_request(self.params.get("request"))

    def _read_request(self, request):
        """The RV(request) of an earlier wait=false run, checked; None without one."""
        if request is not None and not self.params["wait"]:
            raise NcpConfigError("request is for waiting, and wait=false was given too")
        return read_backup_request(request, self.service, "request")

    # --- the task ----------------------------------------------------------------------------
    def execute(self):
        catalog = BackupCatalog(self.client, self.service)
        instance = catalog.find_requested_instance(self.params, self.awaited)
        self.catalog, self.instance = catalog, instance
        backups = catalog.backups(instance, MANUAL)
        self.result.update(instance=instance.to_result(), backup={},
                           diff=dict(before=_listing(_files(backups)), after=_listing(_files(backups))))
        if self.params["state"] == "absent":
            return self._delete_one(backups)
        self.result.update(reused=False, pruned=[])
        backup = self._backup(backups)
        if backup is not None:
            if backup.file_name != PLANNED:  # check mode: the backup it would make is no result yet
                self.result["backup"] = backup.to_result()
            self._prune(backup)
        return self.result

    def _backup(self, backups):
        """The backup this task makes or reuses (None when it does not wait for one)."""
        if self.awaited is not None:
            known = set(tuple(item) for item in self.awaited["known"])
            return self._watch(known, finished=True, message=self._lost_message(
                "the backup requested by the earlier run (request)"))
        if self.max_age is not None:
            recent = next((b for b in backups if b.finished and b.age_seconds() <= self.max_age), None)
            if recent is not None:
                self.result["reused"] = True
                return recent
        running = [b for b in backups if not b.finished]
        if running and (self.params["wait"] or self.max_age is not None):
            # Another run's backup (or the console's) is under way: wait for it rather than ask for a second.
            if self.module.check_mode:
                self.result["changed"] = self.max_age is None
                return None
            if not self.params["wait"]:
                return self._requested(set(b.identity for b in backups if b.finished))
            finished = self._wait_finished(running[0])
            if self.max_age is not None:
                self.result["reused"] = True
                return finished
            backups = self.catalog.backups(self.instance, MANUAL)
        self.catalog.require_running(self.instance, "make a manual backup")
        self.result["changed"] = True
        self.result["diff"]["after"] = _listing(self.result["diff"]["before"]["manual_backups"] + [PLANNED])
        if self.module.check_mode:
            return None if not self.params["wait"] else _planned_backup()
        return self._make(backups)

    def _make(self, backups, second_try=False):
        """Ask for one backup and return it (finished), or the request when not waiting."""
        known = set(b.identity for b in backups)
        self.wrote(self._may_exist_note())
        try:
            self.client.write(self.service.api_path, self.service.create_manual_backup,
                              {self.service.instance_param: self.instance.number})
        except NcpApiError as err:
            if err.ambiguous:
                return self._after_lost_answer(err, known)
            self._nothing_written()  # a definite answer: nothing was made
            if err.status != 400 or second_try:
                raise
            return self._after_refusal(err, known)
        if not self.params["wait"]:
            return self._requested(known)
        return self._watch(known, finished=True, message=self._timeout_message())

    def _after_lost_answer(self, err, known):
        """Never ask again: find the backup the lost request may have made, in the list."""
        self.warn("The answer to the backup request was lost (%s); the module does not ask again and looks for the "
                  "new backup in the list instead." % err)
        if not self.params["wait"]:
            seen = self._new_backup(known, finished=False)
            if seen is None:
                self.warn("No new backup is listed yet: it may or may not have been made. Pass this task's request "
                          "to a later run of this module to wait for it.")
            return self._requested(known)
        self._watch(known, finished=False, message=self._lost_message("the backup request whose answer was lost"))
        return self._watch(known, finished=True, message=self._timeout_message())

    def _after_refusal(self, err, known):
        """The service said no. If another backup is under way, wait for it."""
        other = self._new_backup(known, finished=False)
        busy = other is not None or bool(BUSY_WORDS.search(err.message or ""))
        if not busy or not self.params["wait"]:
            raise err
        self.warn("The backup request was refused (%s): another backup of the instance is under way; waiting for "
                  "it." % err)
        finished = self._watch(known, finished=True, message=self._lost_message(
            "the backup under way when this task asked for one (%s)" % err.message))
        if self.max_age is not None:
            self.result["reused"] = True
            return finished
        self.result["changed"] = True
        return self._make(self.catalog.backups(self.instance, MANUAL), second_try=True)

    def _requested(self, known):
        """With wait=false: what a later run needs to wait for this backup (RV(request))."""
        self.result["request"] = dict(
            kind=self.service.kind, instance_no=self.instance.number, known=sorted(list(i) for i in known),
            requested_at=utc_stamp())
        return None

    # --- looking at the list -----------------------------------------------------------------
    def _new_backup(self, known, finished):
        return self.catalog.new_backup(self.instance, known, finished)

    def _watch(self, known, finished, message):
        return wait_until(lambda: self._new_backup(known, finished), self.deadline, message, sleep=self.sleep)

    def _wait_finished(self, backup):
        def finished():
            for row in self.catalog.backups(self.instance, MANUAL):
                if row.identity == backup.identity and row.finished:
                    return row
            return None
        return wait_until(finished, self.deadline, self._timeout_message(
            "the manual backup %s already under way" % backup.file_name), sleep=self.sleep)

    # --- deleting ----------------------------------------------------------------------------
    def _delete_one(self, backups):
        name = self.params["file_name"]
        matches = [b for b in backups if b.file_name == name]
        if not matches:
            return self.result  # already gone: nothing to do
        if not matches[0].finished:
            raise NcpConfigError("manual backup %s of %s instance %s (%s) is still being made; delete it once it "
                                 "has finished" % (name, self.service.title, self.instance.number, self.instance.name))
        self.result.update(changed=self.module.check_mode, backup=matches[0].to_result())
        self.result["diff"]["after"] = _listing(f for f in self.result["diff"]["before"]["manual_backups"] if f != name)
        if not self.module.check_mode:
            gone = self._delete([matches[0]])
            if not gone:
                raise NcpError("the deletion of manual backup %s was answered, but the backup is still listed" % name)
        return self.result

    def _prune(self, current):
        """Delete the instance's manual backups that no retention rule keeps."""
        if not self.retention.active:
            return
        if self.module.check_mode and current is None:
            return
        backups = self.catalog.backups(self.instance, MANUAL)
        current = next((b for b in backups if b.identity == current.identity), current)
        if current.file_name == PLANNED:  # check mode: the backup this task would make counts as the newest
            backups = [current] + backups
        kept, pruned = self.retention.plan(backups, current, lambda b: b.age_seconds(), lambda b: b.sort_key())
        self.result["kept"] = [b.file_name for b in kept]
        self.result["diff"]["after"] = _listing(b.file_name for b in newest_first(kept))
        if not pruned:
            return
        if self.module.check_mode:
            self.result.update(changed=True, pruned=[b.to_result() for b in pruned])
            return
        for start in range(0, len(pruned), DELETE_BATCH):
            batch = pruned[start:start + DELETE_BATCH]
            gone = self._delete(batch)
            self.result["pruned"].extend(b.to_result() for b in batch if b.identity in gone)
            left = [b.file_name for b in batch if b.identity not in gone]
            if left:
                raise NcpError("pruning by %s deleted %d of %d backups; still listed: %s. Run the task again to "
                               "finish" % (self.retention.describe(), len(self.result["pruned"]), len(pruned),
                                           ", ".join(left)))

    def _delete(self, backups):
        """Delete these manual backups; return the identities that are gone, as far as this task saw.

        Asking again is harmless here: a backup already gone cannot be deleted twice and no other file
        is named. So after a lost answer the list is read, and what is still listed is asked for once more.
        """
        wanted = set(b.identity for b in backups)
        changed_before = self.result["changed"]
        self.wrote("The deletion of manual backup(s) %s was requested; list the instance's backups with %s to see "
                   "which are gone" % (", ".join(b.file_name for b in backups), self.service.module("backup_info")))
        try:
            self._send_delete(backups)
            return wanted
        except NcpApiError as err:
            if not err.ambiguous:
                self.result["changed"] = changed_before  # a definite no: nothing was deleted
                raise
            lost = err
        still = self._still_listed(backups)
        if still:
            self.warn("The answer to the deletion was lost (%s); %s still listed, asked for once more." % (
                lost, ", ".join(b.file_name for b in still)))
            try:
                self._send_delete(still)
                return wanted
            except NcpApiError:
                still = self._still_listed(backups)  # refused or lost again: the list says what is gone
        return wanted - set(b.identity for b in still)

    def _send_delete(self, backups):
        self.client.write(self.service.api_path, self.service.delete_manual_backup,
                          {self.service.instance_param: self.instance.number,
                           "fileNameList": [b.file_name for b in backups]})

    def _still_listed(self, backups):
        listed = set(b.identity for b in self.catalog.backups(self.instance, MANUAL))
        return [b for b in backups if b.identity in listed]

    def _nothing_written(self):
        self.result["changed"] = False
        self._after_write = None

    # --- messages ----------------------------------------------------------------------------
    def _may_exist_note(self):
        return ("A manual backup of %s instance %s (%s) was requested and may exist: list it with %s "
                "(instance_no %s), and run this task again with max_age set to reuse it" % (
                    self.service.title, self.instance.number, self.instance.name,
                    self.service.module("backup_info"), self.instance.number))

    def _timeout_message(self, what="the manual backup"):
        return ("%s of %s instance %s (%s) did not finish within wait_timeout=%s s; it may still finish" % (
            what, self.service.title, self.instance.number, self.instance.name, self.params["wait_timeout"]))

    def _lost_message(self, what):
        return ("no new manual backup of %s instance %s (%s) appeared within wait_timeout=%s s after %s" % (
            self.service.title, self.instance.number, self.instance.name, self.params["wait_timeout"], what))


def read_backup_request(request, service, option):
    """A backup module's RV(request) given in option, checked; None without one."""
    if request is None:
        return None
    problem = None
    if request.get("kind") != service.kind:
        problem = "it is a request of kind %r, not %r" % (request.get("kind"), service.kind)
    elif not request.get("instance_no") or not isinstance(request.get("known"), list):
        problem = "it lacks instance_no or the list of known backups"
    if problem:
        raise NcpConfigError("%s must be the request value returned by a run of the backup module with wait=false, "
                             "passed unchanged: %s" % (option, problem))
    return request


def _files(backups):
    return [b.file_name for b in backups]


def _listing(files):
    """One side of the diff: the instance's manual backups by file name, newest first. A mapping, which
    Ansible's diff display shows as text; a bare list breaks it ("Callback dispatch 'v2_on_file_diff' failed")."""
    return {"manual_backups": list(files)}


def _planned_backup():
    """In check mode, the backup a real run would make: finished now, so the newest."""
    now = utc_now().strftime("%Y-%m-%dT%H:%M:%S%z")
    return BackupFile({"fileName": PLANNED, "startTime": now, "endTime": now}, MANUAL)
