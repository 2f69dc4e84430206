# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The cache APIs' export also needs the kind of backup (backupTypeMode SYSTEM or MANUAL).
    DOCUMENTATION = r"""
options:
  backup_type:
    description:
      - Which backups O(file_name) is looked up in, and the newest one taken from when it is not given.
      - V(manual) backups are the ones made with the backup modules; V(automatic) ones are the daily backups
        (the API's C(backupTypeMode) C(MANUAL) and C(SYSTEM)).
    type: str
    choices: [automatic, manual]
    default: manual
"""
