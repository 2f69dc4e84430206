# -*- coding: utf-8 -*-
"""Service-level failures: HTTP 400 with a responseError body.

Only NO_INSTANCE (5001017) has been observed from NCP (see docs/api-facts.md). Every other code
here is a simulator assumption, chosen in the same 5001xxx style so that a client cannot tell
them from real ones and has to treat unknown codes generically.
"""

NO_INSTANCE = ("5001017", "The Cloud DB instance does not exist or has been deleted.")
MISSING_PARAMETER = ("5001001", "Required parameter is missing: %s")
INVALID_PARAMETER = ("5001002", "Invalid parameter value: %s")
UNKNOWN_PARAMETER = ("5001002", "Invalid parameter: %s is not a parameter of %s")
NOT_RUNNING = ("5001171", "The instance is not in a state that allows this operation (status: %s).")
BACKUP_IN_PROGRESS = ("5001172", "A backup of this instance is already in progress.")
NO_BACKUP_FILE = ("5001173", "The backup file does not exist: %s")
NO_BUCKET = ("5001174", "The Object Storage bucket does not exist: %s")
BUCKET_NOT_REACHABLE = ("5001175", "The Object Storage bucket cannot be used by this instance: %s")

ALL = {
    "NO_INSTANCE": NO_INSTANCE,
    "MISSING_PARAMETER": MISSING_PARAMETER,
    "INVALID_PARAMETER": INVALID_PARAMETER,
    "UNKNOWN_PARAMETER": UNKNOWN_PARAMETER,
    "NOT_RUNNING": NOT_RUNNING,
    "BACKUP_IN_PROGRESS": BACKUP_IN_PROGRESS,
    "NO_BACKUP_FILE": NO_BACKUP_FILE,
    "NO_BUCKET": NO_BUCKET,
    "BUCKET_NOT_REACHABLE": BUCKET_NOT_REACHABLE,
}


class ServiceError(Exception):
    """A responseError: returnCode and returnMessage, always HTTP 400."""

    status = 400

    def __init__(self, error, *args):
        code, template = error
        message = template % args if args else template
        super(ServiceError, self).__init__(message)
        self.return_code = code
        self.return_message = message
