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
  backup_request:
    description:
      - The RV(ncp.clouddb.ncp_cache_backup#module:request) returned by a run of the backup module with
        O(ncp.clouddb.ncp_cache_backup#module:wait=false), unchanged. The task then waits (within O(wait_timeout)) for
        the manual backup that run asked for to finish, and exports it. With O(wait=false) it returns as soon as the
        export is asked for, with its own RV(request).
      - A play can so ask for many backups first, then have each exported as soon as it is made.
      - Cannot be used with O(file_name), O(request) or O(backup_type=automatic).
    type: dict
"""
