# -*- coding: utf-8 -*-
from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.durations import parse_duration


@pytest.mark.parametrize("value, seconds", [
    (3600, 3600), ("3600", 3600), ("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400),
    ("1h30m", 5400), ("1w", 604800), (" 2H ", 7200), (0, 0),
])
def test_accepted_forms(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["", "abc", "10x", "-5", "1.5h", "h", True, -1])
def test_rejected_forms_name_the_option_and_the_accepted_forms(value):
    with pytest.raises(ValueError) as caught:
        parse_duration(value, "max_age")
    assert "max_age" in str(caught.value)
