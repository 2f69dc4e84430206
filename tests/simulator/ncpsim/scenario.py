# -*- coding: utf-8 -*-
"""Scenario files: what the simulated account holds at start (format in docs/simulator.md)."""

import copy
import datetime
import os

import yaml

from .catalogue import POSTGRESQL_ONLY_STATUSES, SERVICES, STATUS_NAMES, REINSTALLING_SERVICES

DEFAULT_SETTINGS = {
    "backup_seconds": 1.0,          # a manual backup appears in the detail list this long after create
    "export_seconds": 0.5,          # an exported object appears in the bucket this long after export
    "max_skew_seconds": 300,        # the gateway refuses timestamps further than this from its clock
    "default_region": "KR",         # regionCode when a request has none (the first region)
    "list_order": "oldest_first",   # detail list order: oldest_first | newest_first | shuffled
    "default_page_size": None,      # rows of a paged list when pageSize is absent (None: all)
    "gateway_error_format": "json",  # json: gateway errors always JSON; match: follow responseFormatType
    "backup_duration_seconds": 120,  # endTime - startTime of scenario backups that give no end_time
    "export_key_template": "{file_name}",  # object key of an export; {service}, {instance_no}, {file_name}
    # --- the S3 front (s3front.py); the first value of each is the default, the strict choice ---
    "objectstorage_list_objects_v2": "refuse",    # refuse | allow: ListObjectsV2 on NCP Object Storage
    "objectstorage_list_order": "shuffled",       # shuffled | sorted: Contents order of a ListObjects page
    "objectstorage_next_marker": "opaque",        # opaque | omit: NextMarker of a truncated ListObjects page
    "objectstorage_checksum_headers": "refuse",   # refuse | accept: x-amz-checksum-*, aws-chunked
    "ncloudstorage_path_style": "refuse",         # refuse | allow: https://kr.ncloudstorage.com/bucket/key
    "s3_list_parameters": "refuse",               # refuse | ignore: list query parameters a face does not document
    "storage_namespaces": "separate",             # separate | shared: Ncloud Storage's buckets apart from Object Storage's
    "s3_signatures": "verify",                    # verify | ignore: Signature Version 4 and its region name
    # --- the database APIs ---
    "unknown_parameters": "refuse",               # refuse | ignore: parameters an action's page does not list
    "postgresql_folder_path": "accept",           # accept | refuse | ignore: folderPath of the PostgreSQL export
    "list_running_backups": True,                 # a manual backup under way is a detail row without endTime
    "concurrent_manual_backups": "refuse",        # refuse | allow: a second manual backup while one runs
    "postgresql_backup_numbers": "number",        # number | string: numbers of getCloudPostgresqlBackupList rows
}
# Settings that take one of a few words; the first is the default.
CHOICES = {
    "list_order": ("oldest_first", "newest_first", "shuffled"),
    "gateway_error_format": ("json", "match"),
    "objectstorage_list_objects_v2": ("refuse", "allow"),
    "objectstorage_list_order": ("shuffled", "sorted"),
    "objectstorage_next_marker": ("opaque", "omit"),
    "objectstorage_checksum_headers": ("refuse", "accept"),
    "ncloudstorage_path_style": ("refuse", "allow"),
    "s3_list_parameters": ("refuse", "ignore"),
    "storage_namespaces": ("separate", "shared"),
    "s3_signatures": ("verify", "ignore"),
    "unknown_parameters": ("refuse", "ignore"),
    "postgresql_folder_path": ("accept", "refuse", "ignore"),
    "list_running_backups": (True, False),
    "concurrent_manual_backups": ("refuse", "allow"),
    "postgresql_backup_numbers": ("number", "string"),
}
SERVICE_NAMES = tuple(SERVICES)
INSTANCE_KEYS = {"service", "instance_no", "name", "status", "region", "dbms", "buckets", "server_instance_nos",
                 "ha", "shard_count", "backup_time", "retention_days", "is_backup", "manual_backups",
                 "automatic_backups", "automatic_backup_series", "engine_version", "zone"}


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with the reason."""


def scenario_dir():
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios")


def load(source):
    """A scenario from a dict, a file path, or a bare name of tests/simulator/scenarios/<name>.yml."""
    if isinstance(source, dict):
        data = copy.deepcopy(source)
    else:
        path = str(source)
        if not os.path.exists(path):
            candidate = os.path.join(scenario_dir(), path if path.endswith(".yml") else path + ".yml")
            if not os.path.exists(candidate):
                raise ScenarioError("no scenario file %s" % path)
            path = candidate
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    return validate(data)


def validate(data):
    """Check the shape and fill defaults; times stay as given (resolved at reset)."""
    if not isinstance(data, dict):
        raise ScenarioError("a scenario is a mapping")
    unknown = set(data) - {"credentials", "settings", "buckets", "ncloudstorage_buckets", "instances", "description"}
    if unknown:
        raise ScenarioError("unknown scenario keys: %s" % ", ".join(sorted(unknown)))
    settings = dict(DEFAULT_SETTINGS)
    given = data.get("settings") or {}
    unknown = set(given) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ScenarioError("unknown settings: %s" % ", ".join(sorted(unknown)))
    settings.update(given)
    for name, words in CHOICES.items():
        if settings[name] not in words:
            raise ScenarioError("setting %s must be one of %s" % (name, ", ".join(words)))
    credentials = data.get("credentials") or []
    for cred in credentials:
        if not cred.get("access_key") or not cred.get("secret_key"):
            raise ScenarioError("each credential needs access_key and secret_key")
        extra = set(cred) - {"access_key", "secret_key", "denied_actions"}
        if extra:
            raise ScenarioError("unknown credential keys: %s" % ", ".join(sorted(extra)))
        denied = cred.get("denied_actions") or []
        if not isinstance(denied, list) or not all(_known_action(name) for name in denied):
            raise ScenarioError("denied_actions is a list of action names of %s" % ", ".join(SERVICE_NAMES))
    seen = set()
    instances = []
    for spec in data.get("instances") or []:
        spec = dict(spec)
        extra = set(spec) - INSTANCE_KEYS
        if extra:
            raise ScenarioError("unknown instance keys: %s" % ", ".join(sorted(extra)))
        if spec.get("service") not in SERVICE_NAMES:
            raise ScenarioError("instance service must be one of %s" % ", ".join(SERVICE_NAMES))
        spec["instance_no"] = str(spec.get("instance_no", ""))
        if not spec["instance_no"]:
            raise ScenarioError("instance without instance_no")
        if (spec["service"], spec["instance_no"]) in seen:
            raise ScenarioError("duplicate instance %s/%s" % (spec["service"], spec["instance_no"]))
        seen.add((spec["service"], spec["instance_no"]))
        spec["status"] = status_name(spec.get("status", "running"), spec["service"])
        instances.append(spec)
    buckets = [str(b) for b in data.get("buckets") or []]
    ncloud_buckets = [str(b) for b in data.get("ncloudstorage_buckets") or []]
    if set(buckets) & set(ncloud_buckets):
        raise ScenarioError("a bucket name is unique across Object Storage and Ncloud Storage: %s"
                            % ", ".join(sorted(set(buckets) & set(ncloud_buckets))))
    if ncloud_buckets and settings["storage_namespaces"] == "shared":
        raise ScenarioError("ncloudstorage_buckets needs storage_namespaces: separate (shared: use buckets)")
    return {
        "description": data.get("description", ""),
        "credentials": [{"access_key": str(c["access_key"]), "secret_key": str(c["secret_key"]),
                         "denied_actions": [str(name) for name in c.get("denied_actions") or []]}
                        for c in credentials],
        "settings": settings,
        "buckets": buckets,
        "ncloudstorage_buckets": ncloud_buckets,
        "instances": instances,
    }


def _known_action(name):
    return any(name in spec["actions"] for spec in SERVICES.values())


def status_name(value, service):
    """NCP's spelling of an instance status ("settingup" -> "settingUp"); ScenarioError if unknown."""
    name = STATUS_NAMES.get(str(value).lower())
    if name is None or (name in POSTGRESQL_ONLY_STATUSES and service not in REINSTALLING_SERVICES):
        raise ScenarioError("unknown %s instance status %r (known: %s)" % (service, value, ", ".join(sorted(STATUS_NAMES.values()))))
    return name


def expand_series(series, clock):
    """automatic_backup_series {count, every, newest, backup_size} -> a list of backup specs."""
    count = int(series.get("count", 0))
    every = _seconds(series.get("every", "24h"))
    newest = clock.resolve(series.get("newest", "-1h"))
    specs = []
    for index in range(count):
        start = newest - datetime.timedelta(seconds=every * index)
        spec = {"start_time": start}
        if "backup_size" in series:
            spec["backup_size"] = series["backup_size"]
        specs.append(spec)
    specs.reverse()          # oldest first, like a history that grew over time
    return specs


def _seconds(text):
    text = str(text).strip()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if text and text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)
