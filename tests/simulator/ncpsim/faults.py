# -*- coding: utf-8 -*-
"""Injected faults: the next N requests for an action (or any action) go wrong in a chosen way.

kinds:
  throttle    gateway 429 with errorCode 400 | 410 | 420 (code); the action does not run
  http_error  an HTML error page with HTTP status (status), as a proxy sends; the action does not run
  drop        the connection closes without an answer
  slow        the answer comes after delay seconds
  truncate    the answer is cut off halfway (Content-Length promises more)
apply (drop, slow, truncate): whether the action takes effect. For slow, apply=true runs it at
once and answers late; apply=false runs it only after the delay (i.e. after a client may have
given up), then answers.
"""

import threading

KINDS = ("throttle", "http_error", "drop", "slow", "truncate")
THROTTLE_CODES = ("400", "410", "420")


class FaultError(ValueError):
    """A fault request that makes no sense."""


def make_fault(data):
    """Validate one fault description from the control API and fill its defaults."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise FaultError("kind must be one of %s" % ", ".join(KINDS))
    fault = {"action": str(data.get("action") or "*"), "kind": kind, "count": int(data.get("count", 1)),
             "apply": bool(data.get("apply", False))}
    if fault["count"] < 1:
        raise FaultError("count must be at least 1")
    if kind == "throttle":
        fault["code"] = str(data.get("code", "420"))
        if fault["code"] not in THROTTLE_CODES:
            raise FaultError("throttle code must be one of %s" % ", ".join(THROTTLE_CODES))
    elif kind == "http_error":
        fault["status"] = int(data.get("status", 503))
    elif kind == "slow":
        fault["delay"] = float(data.get("delay", 3.0))
    return fault


class FaultBook(object):
    """Pending faults, consumed in the order they were added."""

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, data):
        fault = make_fault(data)
        with self._lock:
            self._faults.append(fault)
        return dict(fault)

    def clear(self):
        with self._lock:
            self._faults = []

    def pending(self):
        with self._lock:
            return [dict(f) for f in self._faults]

    def take(self, action):
        """The first fault matching this action, counted down (removed at zero); None if none."""
        with self._lock:
            for fault in self._faults:
                if fault["action"] in ("*", action):
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self._faults.remove(fault)
                    return dict(fault)
        return None
