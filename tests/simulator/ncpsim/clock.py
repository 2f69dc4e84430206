# -*- coding: utf-8 -*-
"""The simulator's clock: real time plus an adjustable offset, shown in KST as NCP shows dates.

The offset moves "now" for the gateway's timestamp check, for dates in answers and for relative
scenario times; delays (backup_seconds, export_seconds) run on the real monotonic clock, so
shifting the clock never finishes or stalls a job.
"""

import datetime
import re
import threading
import time

KST = datetime.timezone(datetime.timedelta(hours=9))
NCP_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"     # 2024-07-02T11:58:45+0900
_RELATIVE = re.compile(r"^\s*([+-])\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Clock(object):
    """Thread-safe wall clock with an offset in seconds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._offset = 0.0

    @property
    def offset(self):
        with self._lock:
            return self._offset

    def set_offset(self, seconds):
        with self._lock:
            self._offset = float(seconds)

    def time(self):
        """Seconds since the epoch, as the simulator sees it."""
        return time.time() + self.offset

    def now_ms(self):
        return int(self.time() * 1000)

    def now(self):
        """An aware datetime in KST."""
        return datetime.datetime.fromtimestamp(self.time(), KST)

    def resolve(self, value):
        """A scenario time: "-2h", "+30m", "now", an ISO date or a datetime -> aware KST datetime."""
        if isinstance(value, datetime.datetime):
            moment = value
        elif value is None or str(value).strip() == "now":
            return self.now()
        else:
            match = _RELATIVE.match(str(value))
            if match:
                sign = -1 if match.group(1) == "-" else 1
                seconds = sign * float(match.group(2)) * _UNITS[match.group(3)]
                return self.now() + datetime.timedelta(seconds=seconds)
            moment = parse_date(str(value))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=KST)
        return moment.astimezone(KST)


def parse_date(text):
    """Parse 2024-07-02T11:58:45+0900 (NCP) or any ISO 8601 form."""
    try:
        return datetime.datetime.strptime(text, NCP_DATE_FORMAT)
    except ValueError:
        return datetime.datetime.fromisoformat(text)


def format_date(moment):
    """NCP's date format, always in KST."""
    return moment.astimezone(KST).strftime(NCP_DATE_FORMAT)
