# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The errors every ncp.clouddb module can raise, and how each is reported to the user.

None of them ever holds a request's headers: the signature and the secret key stay out of every
message, result and log line.
"""

from __future__ import annotations

# Gateway errorCodes that mean "slow down and try again" (429 Throttle Limited / Rate Limited).
# 400 "Quota Exceeded" is also HTTP 429 but does not pass by waiting, so it is never retried.
THROTTLE_CODES = frozenset(("410", "420"))


class NcpError(Exception):
    """Base of every error a module reports with fail_json."""

    def to_result(self):
        """Extra keys for fail_json, beside msg."""
        return {}


class NcpConfigError(NcpError):
    """Bad or missing settings, found before any request is sent."""


class NcpApiError(NcpError):
    """A call that did not succeed: gateway or service error, bad answer, or no answer at all.

    reached_service is False when the request surely never reached the service (connection
    refused, throttled by the gateway), True when the service answered, None when nobody can tell
    (timeout or reset after sending, 5xx from a proxy): a create call may have taken effect then.
    """

    def __init__(self, action, message, status=None, code=None, request_id=None, details=None,
                 retryable=False, reached_service=True):
        super().__init__(message)
        self.action = action
        self.message = message
        self.status = status
        self.code = None if code is None else str(code)
        self.request_id = request_id
        self.details = details
        self.retryable = retryable
        self.reached_service = reached_service
        self.retry_after = None  # seconds, from a Retry-After header
        self.attempts = 1
        self.gave_up_after = None  # seconds spent retrying, when a time budget ran out
        self.budget = None         # which option's budget ran out: retry_timeout or wait_timeout

    def gave_up(self, seconds, budget):
        """Record that retrying stopped after this many seconds because the named budget ran out."""
        self.gave_up_after = seconds
        self.budget = budget

    @property
    def throttled(self):
        return self.status == 429 and self.code in THROTTLE_CODES

    @property
    def permission_denied(self):
        """The gateway refused a valid credential this action (HTTP 401, errorCode 210 Permission Denied)."""
        return self.status == 401 and self.code == "210"

    @property
    def ambiguous(self):
        """True when a write may or may not have happened."""
        return self.reached_service is None

    def __str__(self):
        parts = ["%s failed" % self.action]
        if self.status is not None:
            parts.append("HTTP %s" % self.status)
        if self.code:
            parts.append("code %s" % self.code)
        text = "%s: %s" % (", ".join(parts), self.message)
        if self.details and self.details not in self.message:
            text += " (%s)" % self.details
        if self.request_id:
            text += " [requestId %s]" % self.request_id
        if self.permission_denied:
            text += (". The key is valid, but its account may not call %s: a sub-account needs a policy that allows it"
                     % self.action)
        elif self.status == 401:
            text += (". Check access_key and secret_key, and that this machine's clock is within 5 minutes of "
                     "the gateway's (signed requests expire)")
        if self.gave_up_after is not None:
            text += (". Gave up after %d attempts in %.0f s: the next retry would pass %s; raise it to keep "
                     "trying longer" % (self.attempts, self.gave_up_after, self.budget))
        return text

    def to_result(self):
        return {"error": {
            "action": self.action,
            "http_status": self.status,
            "code": self.code,
            "message": self.message,
            "details": self.details,
            "request_id": self.request_id,
            "attempts": self.attempts,
        }}


class NcpWaitTimeout(NcpError):
    """A wait ran out of time; the message says what may still happen and how to look."""


class NcpDeadlineError(NcpWaitTimeout):
    """The task's time budget (wait_timeout) ran out before a request could be sent."""

    def __init__(self, action, seconds):
        super().__init__("wait_timeout=%s s ran out before %s could be sent" % (_number(seconds), action))
        self.action = action


def _number(seconds):
    return int(seconds) if float(seconds).is_integer() else seconds
