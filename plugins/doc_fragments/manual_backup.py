# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options and behaviour of the manual backup modules (module_utils/manual_backup.py).
    DOCUMENTATION = r"""
notes:
  - Resolves the instance by number or name and fails clearly when it does not exist or is not running. Every option is
    checked before the first request.
  - With O(max_age), a manual backup of the instance that finished less than O(max_age) ago is reused and the task
    reports C(changed=false); without it, every run makes a new backup.
  - A manual backup already under way (another run's, or one started in the console) is waited for instead of asking
    for a second one; with O(max_age) it is then reused, without it this task's own backup follows it.
  - "At most one backup per task, under every fault: the backup is asked for once. If the answer is lost (timeout,
    broken connection, 5xx), the module never asks again; it watches the manual backup list until the new backup
    appears and finishes, or fails after O(wait_timeout) with C(changed=true) and a message saying the backup may
    exist and how to list it. Once a backup may have been requested, every failure reports C(changed=true)."
  - A refusal because another backup of the instance is under way (two runs at once) is not an error; the module waits
    for that backup and, with O(max_age), reuses it.
options:
  state:
    description:
      - V(present) makes or reuses a backup (and prunes old ones with O(keep_last) or O(keep_within)).
      - V(absent) deletes the manual backup named by O(file_name) (C(deleteCloudCacheManualBackup) or
        C(deleteCloudRedisManualBackup)); one that is already gone reports C(changed=false).
    type: str
    choices: [present, absent]
    default: present
  file_name:
    description:
      - The manual backup file to delete with O(state=absent), as the backup list names it.
    type: str
  wait:
    description:
      - Wait until the new backup has finished, and return it.
      - With V(false) the task returns as soon as the backup is requested, with an empty RV(backup) and a RV(request)
        that a later run passes in O(request) to wait for it.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds the whole task may take with O(wait), its requests and their retries included. Must be positive.
        No request waits for its answer past it (but every request gets at least 3 s, the time a healthy answer
        needs), and one more look follows a look that got no answer in time, so the task ends a few seconds after
        it at most.
      - A throttled request whose C(Retry-After) would pass it ends the task at once.
      - On timeout the task fails, says that the backup may still finish, and how to find it.
    type: int
    default: 1800
  max_age:
    description:
      - Reuse a manual backup of this instance that finished less than this long ago instead of making a new one.
      - Seconds (V(3600)) or a number with a unit C(s), C(m), C(h), C(d) or C(w) (V(30m), V(2h), V(1d), V(1h30m)).
      - Unset, every run makes a new backup.
    type: str
  request:
    description:
      - The RV(request) returned by an earlier run of this module with O(wait=false), unchanged.
      - The task then asks for no backup; it waits for the one that run requested, and returns it with
        C(changed=false) (the earlier run reported the change). This is how a play asks for many backups first and
        collects them afterwards.
    type: dict
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details: Reads the instance and its backups, and reports whether a backup would be made and which would be pruned.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details: Shows the instance's manual backup files before and after.
"""
