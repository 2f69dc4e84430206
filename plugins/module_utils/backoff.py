# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Delays and deadlines, written once: the client's retries and the waiters' polling both use them."""

from __future__ import annotations

import random
import time


class Backoff:
    """Capped exponential delays: base * factor**attempt, never above cap.

    With jitter, each delay is drawn from [delay/2, delay] so that many clients throttled at the
    same moment (a fleet run) do not all come back at the same moment.
    """

    def __init__(self, base=1.0, factor=2.0, cap=20.0, jitter=True, rand=random.random):
        self.base = base
        self.factor = factor
        self.cap = cap
        self.jitter = jitter
        self._rand = rand

    def delay(self, attempt):
        """The delay before try number attempt + 1 (attempt counts from 0)."""
        delay = min(self.cap, self.base * (self.factor ** attempt))
        if self.jitter:
            delay = delay / 2.0 + self._rand() * delay / 2.0
        return delay


class Deadline:
    """A point in time, seconds from now, measured on a monotonic clock."""

    def __init__(self, seconds, clock=time.monotonic):
        self._clock = clock
        self.started = clock()
        self.seconds = seconds
        self.at = self.started + seconds

    def remaining(self):
        return max(0.0, self.at - self._clock())

    def elapsed(self):
        return self._clock() - self.started

    @property
    def expired(self):
        return self._clock() >= self.at

    def overrun_left(self, grace):
        """Seconds left of the grace period after the deadline (a request started late gets at most this)."""
        return self.at + grace - self._clock()
