# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exports that could be mistaken for each other take turns on this host.

Where NCP does not say where an export lands and the key does not tell instances apart
(export_records.Landing.specific is false), an export is recognised in the bucket only as "an
object with this file name that was not there, or not in this version, before we asked". Two
exports of the same file name into the same bucket at the same time (forks, a user's own loop)
would each take whichever object arrived first for their own, and vouch for the wrong one. So each
such export holds a lock from its look at the bucket until its record is written:

* the lock is per (Object Storage endpoint, bucket, file name): exports of other files run freely;
* an export without object_prefix looks at the whole bucket and takes the lock exclusively; one
  with an object_prefix takes it shared, plus an exclusive lock of its own prefix, so targets with
  their own folders (the roles' recommended setup) still run at the same time. Prefixes that
  contain one another (``a/`` and ``a/b/``) are not told apart: give each target its own folder.

The locks are flock(2) locks on files in a private folder of the temporary directory; the kernel
releases them when the process ends, however it ends. They order exports started from one host;
exports started at the same moment from two hosts are not covered (docs/design.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff
from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until

# Look again soon: the holder may be done in a second (the simulator) or in minutes (NCP).
TURN_BACKOFF = Backoff(base=0.2, factor=1.5, cap=5.0, jitter=True)


def lock_folder():
    return os.path.join(tempfile.gettempdir(), "ncp-clouddb-locks-%d" % os.getuid())


class _FileLock:
    def __init__(self, *key):
        digest = hashlib.sha256("\0".join(key).encode("utf-8")).hexdigest()[:40]
        self.path = os.path.join(lock_folder(), digest + ".lock")
        self._handle = None

    def try_acquire(self, exclusive):
        """True when the lock is now held; None (for wait_until) when someone else holds it."""
        if self._handle is None:
            os.makedirs(lock_folder(), mode=0o700, exist_ok=True)
            self._handle = open(self.path, "a")  # pylint: disable=consider-using-with
        try:
            fcntl.flock(self._handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        return True

    def release(self):
        if self._handle is not None:
            self._handle.close()  # closing the file drops the flock
            self._handle = None


@contextlib.contextmanager
def export_turn(endpoint, bucket, file_name, object_prefix, deadline, timeout_message):
    """Hold this export's turn for the duration of the with block.

    Waits until the task's deadline (a backoff.Deadline) for the turn, then raises NcpWaitTimeout
    with timeout_message.
    """
    locks = [(_FileLock(endpoint, bucket, file_name), not object_prefix)]
    if object_prefix:
        locks.append((_FileLock(endpoint, bucket, file_name, object_prefix), True))
    try:
        for lock, exclusive in locks:
            wait_until(lambda: lock.try_acquire(exclusive),  # pylint: disable=cell-var-from-loop
                       deadline, timeout_message, backoff=TURN_BACKOFF)
        yield
    finally:
        for lock, _exclusive in reversed(locks):
            lock.release()
