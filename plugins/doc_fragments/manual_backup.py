# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options and behaviour of the manual backup modules (module_utils/manual_backup.py).
    DOCUMENTATION = r"""
notes:
  - Resolves the instance by number or name and fails clearly when it does not exist or is not running.
  - With O(max_age), a manual backup of the instance that finished less than O(max_age) ago is reused and the
    task reports C(changed=false); without it, every run makes a new backup.
  - Otherwise asks for a manual backup and, with O(wait), waits until its file appears in the manual backup list.
  - If the answer to the backup request is lost (timeout, broken connection, 5xx), the module reads the backup list
    again before deciding anything, so a retry never makes a second backup.
options:
  wait:
    description:
      - Wait until the new backup file is listed, and return it.
      - With V(false) the task returns as soon as the backup is requested, with an empty RV(backup).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the new backup with O(wait).
      - On timeout the task fails, says that the backup may still finish, and how to find it.
    type: int
    default: 1800
  max_age:
    description:
      - Reuse a manual backup of this instance that finished less than this long ago instead of making a new one.
      - Seconds (V(3600)) or a number with a unit C(s), C(m), C(h), C(d) or C(w) (V(30m), V(2h), V(1d), V(1h30m)).
      - Unset, every run makes a new backup.
    type: str
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: Reads the instance and its backups, and reports whether a backup would be made, without making it.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details: Shows the instance's manual backup files before and after.
"""
