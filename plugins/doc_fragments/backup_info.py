# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options and behaviour of the backup listing modules (module_utils/backup_info.py).
    DOCUMENTATION = r"""
options:
  newer_than:
    description:
      - List only backups that finished less than this long ago.
      - Seconds (V(3600)) or a number with a unit C(s), C(m), C(h), C(d) or C(w) (V(12h), V(7d)).
    type: str
notes:
  - Backups are listed newest first, by the time they finished; keys are the API's field names in snake_case, plus
    C(backup_type).
  - This module never changes anything and always reports C(changed=false).
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
"""
