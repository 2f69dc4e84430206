# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is this backup already in the bucket? Asked of NCP Object Storage through its S3-compatible API.

NCP does not document the object key an exported backup gets (none of the three export actions
takes a key or folder; docs/api-facts.md, "Where an exported file lands"), and backup file names
repeat across instances (date-like names such as 20261121). A file name in the bucket therefore
proves nothing about *which* instance's backup it is. So:

* a candidate is an object whose key ends with the backup's file name, optionally followed by an
  extension (".gz", ".tar", ...), anywhere in the bucket or below object_prefix;
* after an export it made and saw arrive, the module writes a small marker object beside it,
  ``<key>.ncp-clouddb.json``, naming the instance and backup and the exact object version
  (ETag and Last-Modified) it vouches for;
* a backup counts as already exported only when a candidate carries a marker for this instance and
  backup that still matches the object's current version. An object overwritten since (by another
  instance's export with the same file name) or exported by other means is exported again: a
  needless export costs time, a wrongly skipped one would lose a backup.
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

try:
    import boto3
    from botocore.config import Config as BotoConfig
    HAS_BOTO3 = True
except ImportError:
    boto3 = None
    BotoConfig = None
    HAS_BOTO3 = False

# Public endpoints and SigV4 region names of NCP Object Storage, per NCP region code
# (docs/api-facts.md: API guide "storage-objectstorage").
_ENDPOINTS = {
    "KR": ("https://kr.object.ncloudstorage.com", "kr-standard"),
    "USWN": ("https://us.object.ncloudstorage.com", "us-standard"),
    "SGN": ("https://sg.object.ncloudstorage.com", "sg-standard"),
    "JPN": ("https://jp.object.ncpstorage.com", "jp-standard"),
    "DEN": ("https://de.object.ncloudstorage.com", "de-standard"),
}
_GOV_ENDPOINT = ("https://kr.object.gov-ncloudstorage.com", "kr-standard")
_FIN_ENDPOINT = ("https://kr.object.fin-ncloudstorage.com", "kr-standard")


def endpoint_for(region, api_url, override=None):
    """(endpoint URL, SigV4 region name) of the Object Storage that goes with this gateway and region."""
    if override:
        return override.rstrip("/"), "kr-standard"
    host = urlparse(api_url).hostname or ""
    if "gov-ntruss" in host:
        return _GOV_ENDPOINT
    if "fin-ntruss" in host:
        return _FIN_ENDPOINT
    if region not in _ENDPOINTS:
        raise ValueError("no known Object Storage endpoint for region %s: set object_storage_url" % region)
    return _ENDPOINTS[region]


MARKER_SUFFIX = ".ncp-clouddb.json"


def is_backup_object(key, file_name):
    """Whether the object key names this backup file (see the module docstring)."""
    if key.endswith(MARKER_SUFFIX):
        return False
    base = key.rsplit("/", 1)[-1]
    return base == file_name or base.startswith(file_name + ".")


def version_of(item):
    """What changes whenever an object is written again: (ETag, Last-Modified)."""
    return (item["etag"], item["last_modified"])


class ObjectStorage:
    """The few S3 calls the export modules need."""

    def __init__(self, endpoint, region_name, access_key, secret_key, validate_certs=True, timeout=30):
        self._s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name=region_name, aws_access_key_id=access_key,
            aws_secret_access_key=secret_key, verify=validate_certs,
            config=BotoConfig(connect_timeout=timeout, read_timeout=timeout,
                              retries={"max_attempts": 5, "mode": "standard"}))
        self.endpoint = endpoint

    def candidates(self, bucket, file_name, prefix=""):
        """Objects that may be this backup file, newest first, as {key, size, etag, last_modified}."""
        found = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix or ""):
            found.extend({"key": item["Key"], "size": item["Size"], "etag": item["ETag"].strip('"'),
                          "last_modified": item["LastModified"].isoformat()}
                         for item in page.get("Contents", []) if is_backup_object(item["Key"], file_name))
        return sorted(found, key=lambda item: item["last_modified"], reverse=True)

    def read_marker(self, bucket, key):
        """The marker beside the object, or None when there is none (or it is not ours)."""
        try:
            body = self._s3.get_object(Bucket=bucket, Key=key + MARKER_SUFFIX)["Body"].read()
            marker = json.loads(body.decode("utf-8"))
        except self._s3.exceptions.NoSuchKey:
            return None
        except ValueError:
            return None
        return marker if isinstance(marker, dict) else None

    def write_marker(self, bucket, item, backup_identity):
        """Record that the object, in its current version, is this backup."""
        marker = {"backup": backup_identity, "etag": item["etag"], "last_modified": item["last_modified"],
                  "written_by": "ncp.clouddb export modules"}
        self._s3.put_object(Bucket=bucket, Key=item["key"] + MARKER_SUFFIX, ContentType="application/json",
                            Body=json.dumps(marker, sort_keys=True).encode("utf-8"))

    def exported(self, bucket, file_name, backup_identity, prefix=""):
        """The candidate whose marker says it is this backup, in its current version; or None."""
        for item in self.candidates(bucket, file_name, prefix):
            marker = self.read_marker(bucket, item["key"])
            if marker and marker.get("backup") == backup_identity and \
                    (marker.get("etag"), marker.get("last_modified")) == version_of(item):
                return item
        return None
