# -*- coding: utf-8 -*-
"""keep_last and keep_within: an item is kept when any rule keeps it."""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError
from ansible_collections.ncp.clouddb.plugins.module_utils.retention import Retention

DAY = 86400


def plan(retention, ages, current=None):
    """ages: hours since each item finished (None: still running); returns (kept, pruned) as ages."""
    items = [{"age": None if a is None else a * 3600.0, "n": i} for i, a in enumerate(ages)]
    chosen = items[current] if current is not None else None
    kept, pruned = retention.plan(items, chosen, lambda i: i["age"], lambda i: -i["age"])
    return [i["n"] for i in kept], [i["n"] for i in pruned]


def test_no_rule_keeps_everything():
    assert plan(Retention(), [1, 100, 1000]) == ([0, 1, 2], [])


def test_keep_last_keeps_the_newest_n():
    assert plan(Retention(keep_last=2), [5, 1, 30, 2]) == ([1, 3], [0, 2])


def test_keep_within_keeps_those_younger():
    assert plan(Retention(keep_within="1d"), [23, 25, 1, 48]) == ([2, 0], [1, 3])


def test_the_rules_combine_as_a_union():
    # keep_last=1 keeps item 2 (1 h); keep_within=30h keeps items 0 and 2; 1 and 3 go.
    assert plan(Retention(keep_last=1, keep_within="30h"), [23, 40, 1, 48]) == ([2, 0], [1, 3])


def test_the_current_item_and_running_ones_are_always_kept():
    assert plan(Retention(keep_last=1), [100, None, 1, 200], current=3) == ([1, 2, 3], [0])


@pytest.mark.parametrize("kwargs, message", [
    (dict(keep_last=0), "keep_last=0 is not allowed"),
    (dict(keep_last=-2), "keep_last=-2 is not allowed"),
    (dict(keep_within="a week"), "keep_within='a week' is not a duration"),
])
def test_nonsense_is_refused(kwargs, message):
    with pytest.raises(NcpConfigError, match=message):
        Retention(**kwargs)
