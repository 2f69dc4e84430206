# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""List the backup files of one instance, newest first: the core of the three *_backup_info modules."""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.backups import BackupCatalog, newest_first
from ansible_collections.ncp.clouddb.plugins.module_utils.base import NcpModule
from ansible_collections.ncp.clouddb.plugins.module_utils.durations import parse_duration
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError
from ansible_collections.ncp.clouddb.plugins.module_utils.manual_backup import (
    INSTANCE_ARGUMENT_SPEC, INSTANCE_MODULE_KWARGS)

ALL = "all"


class BackupInfoModule(NcpModule):
    module_kwargs = INSTANCE_MODULE_KWARGS

    def __init__(self, service):
        self.service = service
        types = [BackupCatalog.AUTOMATIC] + ([BackupCatalog.MANUAL] if service.manual_backups else [])
        self.backup_types = types
        self.argument_spec = dict(
            INSTANCE_ARGUMENT_SPEC,
            backup_type=dict(type="str", default=ALL, choices=[ALL] + types),
            newer_than=dict(type="str"),
        )
        super().__init__()

    def execute(self):
        newer_than = None
        if self.params["newer_than"] is not None:
            try:
                newer_than = parse_duration(self.params["newer_than"], "newer_than")
            except ValueError as exc:
                raise NcpConfigError(str(exc))
        catalog = BackupCatalog(self.client, self.service)
        instance = catalog.find_instance(self.params["instance_no"], self.params["instance_name"])
        wanted = self.backup_types if self.params["backup_type"] == ALL else [self.params["backup_type"]]
        backups = newest_first(b for kind in wanted for b in catalog.backups(instance, kind))
        if newer_than is not None:
            backups = [b for b in backups if b.finished and b.age_seconds() <= newer_than]
        return dict(changed=False, backups=[b.to_result() for b in backups], instance=instance.to_result())
