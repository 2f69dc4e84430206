# -*- coding: utf-8 -*-
"""Injected faults: the next N requests for an action (or any action) go wrong in a chosen way.

Actions are API action names (getCloudCacheInstanceList, ...; "*" is any API action) or S3
operations of the S3 front, "s3:<Operation>" (s3:DeleteObject, s3:ListObjects, ...; "s3:*" is any).
match: {"param": "value", ...} limits a fault to requests whose parameters have these values (S3:
bucket, key and the query parameters). skip: N lets the first N matching requests through first
(so a fault can hit the Nth request only).

kinds:
  throttle    gateway 429 with errorCode 400 | 410 | 420 (code); the action does not run; retry_after
              (seconds) adds a Retry-After header
  http_error  an HTML error page with HTTP status (status), as a proxy sends; the action does not run.
              For S3 operations: an S3 XML error with that status and code (default by status:
              503 SlowDown, 500 InternalError, ...)
  drop        the connection closes without an answer
  slow        the answer comes after delay seconds
  truncate    the answer is cut off halfway (Content-Length promises more)
apply (drop, slow, truncate): whether the action takes effect. For slow, apply=true runs it at
once and answers late; apply=false runs it only after the delay (i.e. after a client may have
given up), then answers.
"""

import threading
import time

KINDS = ("throttle", "http_error", "drop", "slow", "truncate")
S3_KINDS = ("http_error", "drop", "slow", "truncate")
S3_PREFIX = "s3:"
THROTTLE_CODES = ("400", "410", "420")


class FaultError(ValueError):
    """A fault request that makes no sense."""


def make_fault(data):
    """Validate one fault description from the control API and fill its defaults."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise FaultError("kind must be one of %s" % ", ".join(KINDS))
    unknown = set(data) - {"action", "kind", "count", "apply", "code", "status", "delay", "match", "skip",
                           "retry_after"}
    if unknown:
        raise FaultError("unknown fault fields: %s" % ", ".join(sorted(unknown)))
    fault = {"action": str(data.get("action") or "*"), "kind": kind, "count": int(data.get("count", 1)),
             "apply": bool(data.get("apply", False)), "skip": int(data.get("skip", 0))}
    if fault["count"] < 1:
        raise FaultError("count must be at least 1")
    if fault["skip"] < 0:
        raise FaultError("skip must be 0 or more")
    match = data.get("match")
    if match is not None:
        if not isinstance(match, dict) or not match:
            raise FaultError("match must be a non-empty mapping of parameter names to values")
        fault["match"] = dict((str(k), str(v)) for k, v in match.items())
    if fault["action"].startswith(S3_PREFIX):
        if kind not in S3_KINDS:
            raise FaultError("S3 faults are one of %s" % ", ".join(S3_KINDS))
        if kind == "http_error" and data.get("code") is not None:
            fault["code"] = str(data["code"])
    if kind == "throttle":
        fault["code"] = str(data.get("code", "420"))
        if fault["code"] not in THROTTLE_CODES:
            raise FaultError("throttle code must be one of %s" % ", ".join(THROTTLE_CODES))
        if data.get("retry_after") is not None:
            fault["retry_after"] = int(data["retry_after"])
            if fault["retry_after"] < 0:
                raise FaultError("retry_after must be 0 or more seconds")
    elif data.get("retry_after") is not None:
        raise FaultError("retry_after is a field of throttle faults only")
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

    def take(self, action, params=None):
        """The first fault matching this request, counted down (removed at zero); None if none.

        A fault still skipping lets the request through (its skip counts down) and the next
        pending fault is considered.
        """
        with self._lock:
            for fault in list(self._faults):
                if not _matches(fault, action, params or {}):
                    continue
                if fault["skip"] > 0:
                    fault["skip"] -= 1
                    continue
                fault["count"] -= 1
                if fault["count"] <= 0:
                    self._faults.remove(fault)
                return dict(fault)
        return None


def _matches(fault, action, params):
    wanted = fault["action"]
    is_s3 = action.startswith(S3_PREFIX)
    if wanted == "*":
        found = not is_s3                   # "*" is every API action, never an S3 operation
    elif wanted == S3_PREFIX + "*":
        found = is_s3
    else:
        found = wanted == action
    return found and all(str(params.get(k)) == v for k, v in (fault.get("match") or {}).items())


class FaultReplies(object):
    """drop, slow and truncate as both fronts play them (server.NcpHandler, s3front.S3Handler).

    The handler has _answer(*answer, cut=False); perform() applies the request and returns its
    answer; unapplied() is the answer a truncated reply cuts when the request is not applied.
    """

    def _reply_drop(self, fault, entry, perform):
        if fault["apply"]:
            perform()
        entry.update(status=0, outcome="fault:drop")
        self.close_connection = True     # no answer at all: the socket just closes

    def _reply_slow(self, fault, entry, perform):
        if fault["apply"]:
            answer = perform()
            time.sleep(fault["delay"])
        else:
            time.sleep(fault["delay"])
            answer = perform()
        entry["outcome"] = "fault:slow"
        self._answer(*answer)

    def _reply_truncate(self, fault, entry, perform, unapplied):
        if fault["apply"]:
            answer = perform()
        else:
            answer = unapplied()
            entry["status"] = 200
        entry["outcome"] = "fault:truncate"
        self._answer(*answer, cut=True)
