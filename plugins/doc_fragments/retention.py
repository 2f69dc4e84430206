# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # keep_last / keep_within of the backup and export modules (module_utils/retention.py).
    DOCUMENTATION = r"""
options:
  keep_last:
    description:
      - After the backup is made, reused or exported, keep only the newest this many (by the time the backup
        finished) and delete the others, unless O(keep_within) keeps them. At least V(1).
      - Unset, with O(keep_within) unset too, nothing is deleted.
    type: int
  keep_within:
    description:
      - After the backup is made, reused or exported, keep those that finished less than this long ago and delete the
        others, unless O(keep_last) keeps them.
      - Seconds or a number with a unit C(s), C(m), C(h), C(d) or C(w) (V(7d), V(36h)).
    type: str
notes:
  - "Retention: an item is kept when any rule keeps it (O(keep_last) or O(keep_within)); the one this task made, reused
    or exported is always kept, and so is one not yet finished. Example: with O(keep_last=2) and O(keep_within=3d), the
    two newest and every one of the last three days are kept. Check mode lists what would be deleted (RV(pruned)) and
    deletes nothing; diff mode shows the list before and after."
  - A prune interrupted by a fault reports only what it saw deleted, with C(changed=true); running the task again
    finishes it.
"""
