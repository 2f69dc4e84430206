# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which old backups (or exported objects) to keep and which to prune: keep_last and keep_within.

The rules combine as restic's and borg's do: an item is kept when ANY rule keeps it.

* ``keep_last: N`` keeps the N newest (by the time the backup finished);
* ``keep_within: D`` keeps every one that finished less than D ago;
* the item this task made, reused or exported is always kept, and so is one not yet finished;
* with neither rule set, nothing is pruned.

Example: seven daily backups and a new one, ``keep_last: 2, keep_within: 3d``: kept are the new one
and yesterday's (the two newest), and the ones of the last three days; the four older ones go.
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.durations import parse_duration
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError

RETENTION_ARGUMENT_SPEC = dict(
    keep_last=dict(type="int"),
    keep_within=dict(type="str"),
)


class Retention:
    """keep_last / keep_within, checked when built (before any request)."""

    def __init__(self, keep_last=None, keep_within=None):
        if keep_last is not None and keep_last < 1:
            raise NcpConfigError("keep_last=%s is not allowed: give 1 or more (the backup this task made or reused "
                                 "is always kept), or leave keep_last unset to keep every backup" % keep_last)
        self.keep_last = keep_last
        try:
            self.keep_within = None if keep_within is None else parse_duration(keep_within, "keep_within")
        except ValueError as exc:
            raise NcpConfigError(str(exc))
        self.keep_within_text = keep_within

    @classmethod
    def from_params(cls, params):
        return cls(params.get("keep_last"), params.get("keep_within"))

    @property
    def active(self):
        return self.keep_last is not None or self.keep_within is not None

    def plan(self, items, current, age, finished_at):
        """(kept, pruned): the items split by the rules, each list newest first.

        items: everything of this instance the rules apply to; current: the item this task made or
        reused (kept always; None if there is none); age(item): seconds since it finished, None
        while it runs; finished_at(item): something that orders items by when they finished.
        """
        if not self.active:
            return list(items), []
        finished = sorted((item for item in items if age(item) is not None), key=finished_at, reverse=True)
        newest = set(id(item) for item in finished[:self.keep_last]) if self.keep_last is not None else set()
        kept, pruned = [], []
        for item in _newest_first(items, age, finished_at):
            keep = (item is current or age(item) is None or id(item) in newest or
                    (self.keep_within is not None and age(item) <= self.keep_within))
            (kept if keep else pruned).append(item)
        return kept, pruned

    def describe(self):
        rules = []
        if self.keep_last is not None:
            rules.append("keep_last=%d" % self.keep_last)
        if self.keep_within is not None:
            rules.append("keep_within=%s" % self.keep_within_text)
        return ", ".join(rules)


def _newest_first(items, age, finished_at):
    """Unfinished items first (they are the newest), then by finish time, newest first."""
    running = [item for item in items if age(item) is None]
    done = sorted((item for item in items if age(item) is not None), key=finished_at, reverse=True)
    return running + done
