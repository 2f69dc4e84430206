# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling written once: wait until a probe finds what it looks for, or time runs out."""

from __future__ import annotations

import time

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff, Deadline
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpWaitTimeout

# Backups take seconds to minutes: look again soon at first, then every 15 s at the most.
POLL_BACKOFF = Backoff(base=1.0, factor=1.5, cap=15.0, jitter=False)


def wait_until(probe, timeout, timeout_message, backoff=POLL_BACKOFF, sleep=time.sleep, clock=time.monotonic):
    """Call probe() until it returns something other than None, and return that.

    Raises NcpWaitTimeout(timeout_message) when timeout seconds have passed; the probe is always
    called at least once, and once more right at the deadline.
    """
    deadline = Deadline(timeout, clock=clock)
    attempt = 0
    while True:
        found = probe()
        if found is not None:
            return found
        if deadline.expired:
            raise NcpWaitTimeout(timeout_message)
        sleep(min(backoff.delay(attempt), deadline.remaining()))
        attempt += 1
