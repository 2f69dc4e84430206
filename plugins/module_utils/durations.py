# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durations as users write them: 3600, "90s", "30m", "2h", "1d", "1h30m"."""

from __future__ import annotations

import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+)\s*([smhdw])")


def parse_duration(value, option="duration"):
    """Seconds in value; ValueError naming the option and the accepted forms when it is not one."""
    if isinstance(value, bool):
        raise ValueError("%s must be a duration, not a boolean" % option)
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("%s must not be negative" % option)
        return int(value)
    text = str(value).strip().lower()
    if text.isdigit():
        return int(text)
    if text and _PART.sub("", text).strip() == "":
        return sum(int(count) * _UNITS[unit] for count, unit in _PART.findall(text))
    raise ValueError("%s=%r is not a duration: give seconds (3600) or a number with a unit s, m, h, d "
                     "or w (90s, 30m, 2h, 1d, 1h30m)" % (option, value))
