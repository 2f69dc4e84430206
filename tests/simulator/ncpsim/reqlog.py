# -*- coding: utf-8 -*-
"""The request log the tests read through /_sim/requests.

It records what a test needs to assert on (action, parameters, outcome, which signature header
was used) and never a secret: no secret key, no signature value, no other header.
"""

import threading
import time


class RequestLog(object):

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def clear(self):
        with self._lock:
            self._entries = []
            self._seq = 0

    def add(self, **entry):
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            entry.setdefault("time", time.time())
            self._entries.append(entry)
            return entry

    def entries(self, action=None):
        with self._lock:
            return [dict(e) for e in self._entries if action is None or e.get("action") == action]
