# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the connection settings come from: the option, then the environment, then a file.

The environment variables are the ones NCP's own Go SDK and Terraform provider read, and the file
is the one the official CLI and Python SDK read (~/.ncloud/configure); docs/api-facts.md has the
sources.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from ansible_collections.ncp.clouddb.plugins.module_utils.client import DEFAULT_API_URL
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError

ENVIRONMENT = {
    "access_key": ("NCLOUD_ACCESS_KEY", "NCLOUD_ACCESS_KEY_ID"),
    "secret_key": ("NCLOUD_SECRET_KEY", "NCLOUD_SECRET_ACCESS_KEY"),
    "region": ("NCLOUD_REGION",),
    "api_url": ("NCLOUD_API_GW",),
    # Ours, not NCP's: NCP has no variable for the Object Storage endpoint.
    "object_storage_url": ("NCLOUD_OBJECT_STORAGE_URL",),
}
CONFIGURE_FILE_KEYS = {"access_key": "ncloud_access_key_id", "secret_key": "ncloud_secret_access_key"}
DEFAULT_REGION = "KR"
# Region codes NCP's guides name for the Cloud DB APIs (docs/api-facts.md, "Regions"); another code is
# sent as given, with a warning.
KNOWN_REGIONS = ("KR", "JPN", "SGN", "USWN", "DEN", "FKR")
URL_SETTINGS = ("api_url", "object_storage_url")
# The least value of each time option, in seconds: a request needs time; retries may be off (0).
TIMEOUT_MINIMUMS = (("timeout", 1), ("retry_timeout", 0), ("wait_timeout", 1))


def configure_file_path(home=None):
    return os.path.join(home or os.path.expanduser("~"), ".ncloud", "configure")


def read_configure_file(path):
    """key = value lines of the official tools' file; {} when there is none."""
    values = {}
    try:
        with open(path) as handle:
            lines = handle.readlines()
    except (IOError, OSError):
        return values
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _sep, value = line.partition("=")  # a secret key may itself contain "="
        values[key.strip()] = value.strip()
    return values


def resolve(params, environ=None, home=None):
    """The connection settings to use, from params (module options), environ and the file.

    Returns a dict with access_key, secret_key, region, api_url and object_storage_url; raises
    NcpConfigError, before any request, when the keys are not found anywhere.
    """
    environ = os.environ if environ is None else environ
    settings = {}
    for name, variables in ENVIRONMENT.items():
        value = params.get(name)
        for variable in variables:
            if value:
                break
            value = environ.get(variable)
        settings[name] = value or None
    if not (settings["access_key"] and settings["secret_key"]):
        from_file = read_configure_file(configure_file_path(home))
        for name, key in CONFIGURE_FILE_KEYS.items():
            settings[name] = settings[name] or from_file.get(key) or None
    missing = [name for name in ("access_key", "secret_key") if not settings[name]]
    if missing:
        raise NcpConfigError(
            "no NCP API %s found. Give it in one of three ways: the module options access_key and "
            "secret_key; the environment variables NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY (or "
            "NCLOUD_ACCESS_KEY_ID and NCLOUD_SECRET_ACCESS_KEY); or the file %s with the lines "
            "ncloud_access_key_id=... and ncloud_secret_access_key=..." % (
                " and ".join(missing), configure_file_path(home)))
    settings["region"] = (settings["region"] or DEFAULT_REGION).strip()
    settings["api_url"] = settings["api_url"] or DEFAULT_API_URL
    for name in URL_SETTINGS:
        check_url(name, settings[name])
    return settings


def check_url(name, value):
    """NcpConfigError unless value is an http(s) URL with a host (None passes: not set)."""
    if value is None:
        return
    try:
        parsed = urlparse(value)
        parsed.port  # pylint: disable=pointless-statement  # raises ValueError for a port that is no number
    except ValueError as exc:
        raise NcpConfigError("%s=%r is not a URL: %s" % (name, value, exc))
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise NcpConfigError("%s=%r is not a URL: give it with its scheme and host, such as "
                             "https://ncloud.apigw.ntruss.com" % (name, value))


def check_timeouts(values):
    """NcpConfigError naming a time option (timeout, retry_timeout, wait_timeout) below its least value.

    values: option name -> seconds; an option missing or None is not set and passes.
    """
    for name, minimum in TIMEOUT_MINIMUMS:
        value = values.get(name)
        if value is not None and value < minimum:
            raise NcpConfigError("%s=%s is not allowed: give %s number of seconds" % (
                name, value, "a positive" if minimum else "a zero or positive"))
