# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""List the backup files of one instance, newest first: the core of the three *_backup_info modules."""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.backups import BackupCatalog, newest_first
from ansible_collections.ncp.clouddb.plugins.module_utils.base import INSTANCE_ARGUMENT_SPEC, NcpModule

ALL = "all"


def backup_types(service):
    return [BackupCatalog.AUTOMATIC] + ([BackupCatalog.MANUAL] if service.manual_backups else [])


class BackupInfoModule(NcpModule):

    @classmethod
    def options(cls, service):
        return dict(
            INSTANCE_ARGUMENT_SPEC,
            backup_type=dict(type="str", default=ALL, choices=[ALL] + backup_types(service)),
            newer_than=dict(type="str"),
        )

    def validate(self):
        super().validate()
        self.newer_than = self.duration("newer_than")

    def execute(self):
        catalog = BackupCatalog(self.client, self.service)
        instance = catalog.find_instance(self.params["instance_no"], self.params["instance_name"])
        kinds = backup_types(self.service) if self.params["backup_type"] == ALL else [self.params["backup_type"]]
        backups = newest_first(b for kind in kinds for b in catalog.backups(instance, kind))
        if self.newer_than is not None:
            backups = [b for b in backups if b.finished and b.age_seconds() <= self.newer_than]
        return dict(changed=False, backups=[b.to_result() for b in backups], instance=instance.to_result())
