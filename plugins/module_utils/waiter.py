# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling written once: wait until a probe finds what it looks for, or the task's deadline passes."""

from __future__ import annotations

import time

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError, NcpWaitTimeout

# Backups take seconds to minutes: look again soon at first, then every 15 s at the most.
POLL_BACKOFF = Backoff(base=1.0, factor=1.5, cap=15.0, jitter=False)


def wait_until(probe, deadline, timeout_message, backoff=POLL_BACKOFF, sleep=time.sleep):
    """Call probe() until it returns something other than None, and return that.

    deadline is a backoff.Deadline (the task's). The probe is always called at least once, once
    more right at the deadline, and once more after it when the look before it started in time but
    was answered only after the deadline (a slow answer describes the past: what it did not see
    may have happened meanwhile), or was cut off at the deadline without an answer (the client waits
    for no answer past the deadline: a look that could not finish in time, then, is not the last).
    Then NcpWaitTimeout(timeout_message) is raised.
    """
    attempt = 0
    while True:
        started_late = deadline.expired
        try:
            found = probe()
        except NcpApiError as err:
            if started_late or not err.retryable or not deadline.expired:
                raise
            continue        # no answer before the deadline: one more look, with the client's floor of time
        if found is not None:
            return found
        if deadline.expired:
            if started_late:
                raise NcpWaitTimeout(timeout_message)
            continue
        sleep(min(backoff.delay(attempt), deadline.remaining()))
        attempt += 1
