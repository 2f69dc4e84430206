# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Manual backups of a cache instance: reuse a recent one, or make one and wait for its file.

Shared by ncp_cache_backup and ncp_redis_backup, which differ only in their Service (services.py).
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.backups import BackupCatalog
from ansible_collections.ncp.clouddb.plugins.module_utils.base import NcpModule
from ansible_collections.ncp.clouddb.plugins.module_utils.durations import parse_duration
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpConfigError
from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until

INSTANCE_ARGUMENT_SPEC = dict(
    instance_no=dict(type="str"),
    instance_name=dict(type="str"),
)
INSTANCE_MODULE_KWARGS = dict(
    mutually_exclusive=[("instance_no", "instance_name")],
    required_one_of=[("instance_no", "instance_name")],
)


class ManualBackupModule(NcpModule):
    argument_spec = dict(
        INSTANCE_ARGUMENT_SPEC,
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
        max_age=dict(type="str"),
    )
    module_kwargs = INSTANCE_MODULE_KWARGS

    def __init__(self, service):
        self.service = service
        super().__init__()

    def execute(self):
        max_age = self._max_age()
        catalog = BackupCatalog(self.client, self.service)
        instance = catalog.find_instance(self.params["instance_no"], self.params["instance_name"])
        existing = catalog.backups(instance, BackupCatalog.MANUAL)
        result = dict(changed=False, reused=False, backup={}, instance=instance.to_result(),
                      diff=dict(before=_diff_state(existing), after=_diff_state(existing)))

        if max_age is not None:
            recent = next((b for b in existing if b.finished and b.age_seconds() <= max_age), None)
            if recent is not None:
                result.update(reused=True, backup=recent.to_result())
                return result

        catalog.require_running(instance, "make a manual backup")
        result.update(changed=True)
        result["diff"]["after"] = dict(backups=result["diff"]["before"]["backups"] + ["(new manual backup)"])
        if self.module.check_mode:
            return result

        known = set(b.identity for b in existing)
        self._request_backup(catalog, instance, known, result)
        if not self.params["wait"]:
            return result
        backup = wait_until(
            lambda: self._new_backup(catalog, instance, known),
            timeout=self.params["wait_timeout"],
            timeout_message=self._timeout_message(instance))
        result["backup"] = backup.to_result()
        result["diff"]["after"] = _diff_state([backup] + existing)
        return result

    def _max_age(self):
        if self.params["max_age"] is None:
            return None
        try:
            return parse_duration(self.params["max_age"], "max_age")
        except ValueError as exc:
            raise NcpConfigError(str(exc))

    def _request_backup(self, catalog, instance, known, result):
        """Ask for one backup; after a lost answer, find out whether it arrived before asking again.

        A retried create could make a second backup, so after an ambiguous failure (timeout, broken
        connection, 5xx) the backup list is read again: a new file means the request arrived. If
        none is there yet, asking once more is safe, because the service refuses a backup while
        another one of the same instance runs: a refusal then means the first request is running.
        """
        params = {self.service.instance_param: instance.number}
        try:
            self.client.write(self.service.prefix, self.service.create_manual_backup, params)
            return
        except NcpApiError as err:
            if not err.ambiguous:
                raise
            first_error = err
        if self._new_backup(catalog, instance, known) is not None:
            return
        try:
            self.client.write(self.service.prefix, self.service.create_manual_backup, params)
        except NcpApiError as err:
            if err.ambiguous or err.status != 400:
                raise NcpApiError(err.action, "the backup request failed twice, and may or may not have been "
                                  "made (first: %s; then: %s). Look with ncp.clouddb.%s_backup_info before "
                                  "running again" % (first_error.message, err.message, self.service.module_prefix),
                                  err.status, err.code, err.request_id, reached_service=None)
            result.setdefault("warnings", []).append(
                "The answer to the backup request was lost (%s) and the service then refused a second one "
                "(%s); this is taken to mean that the first request is running." % (first_error, err.message))

    def _new_backup(self, catalog, instance, known):
        """The finished backup file that was not there before, or None."""
        for backup in catalog.backups(instance, BackupCatalog.MANUAL):
            if backup.identity not in known and backup.finished:
                return backup
        return None

    def _timeout_message(self, instance):
        return ("the manual backup of %s instance %s (%s) did not finish within wait_timeout=%s s. It was "
                "requested and may still finish: list it with ncp.clouddb.%s_backup_info (instance_no %s), or "
                "run this task again with max_age set to reuse it once it is there" % (
                    self.service.title, instance.number, instance.name, self.params["wait_timeout"],
                    self.service.module_prefix, instance.number))


def _diff_state(backups):
    return dict(backups=[b.file_name for b in backups])
