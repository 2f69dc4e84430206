# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is a backup file already in a bucket? Asked of NCP Object Storage through its S3-compatible API.

NCP does not document the object key an exported backup gets (none of the three export actions
takes a key or folder; docs/api-facts.md, "Where an exported file lands"). So the lookup does not
guess a layout: an object counts as the exported backup when the last part of its key is the
backup's file name, optionally followed by an extension (".gz", ".tar", ...), anywhere in the
bucket or below object_prefix when the user knows where exports land.
"""

from __future__ import annotations

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


def is_backup_object(key, file_name):
    """Whether the object key names this backup file (see the module docstring)."""
    base = key.rsplit("/", 1)[-1]
    return base == file_name or base.startswith(file_name + ".")


class ObjectStorage:
    """The few S3 calls the export modules need."""

    def __init__(self, endpoint, region_name, access_key, secret_key, validate_certs=True, timeout=30):
        self._s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name=region_name, aws_access_key_id=access_key,
            aws_secret_access_key=secret_key, verify=validate_certs,
            config=BotoConfig(connect_timeout=timeout, read_timeout=timeout,
                              retries={"max_attempts": 5, "mode": "standard"}))
        self.endpoint = endpoint

    def find_backup(self, bucket, file_name, prefix=""):
        """The newest object that is this backup file, as {key, size, last_modified}, or None."""
        found = []
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix or ""):
            found.extend(item for item in page.get("Contents", []) if is_backup_object(item["Key"], file_name))
        if not found:
            return None
        newest = max(found, key=lambda item: item["LastModified"])
        return {"key": newest["Key"], "size": newest["Size"], "last_modified": newest["LastModified"].isoformat()}
