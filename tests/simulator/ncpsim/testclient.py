# -*- coding: utf-8 -*-
"""A minimal signed NCP API client for the simulator's self-tests and demos.

Deliberately independent of the collection's own client (plugins/module_utils), so the two can
check each other.
"""

import time
from urllib.parse import urlencode

import boto3
import requests
from botocore.config import Config

from .catalogue import SERVICES
from .signing import make_signature


class Api(object):
    """Signed calls to the simulator, GET with a query string or POST with a form body."""

    def __init__(self, sim):
        self.sim = sim

    def headers(self, method, uri, timestamp=None, signature_header="x-ncp-apigw-signature-v2",
                access_key=None, secret_key=None):
        timestamp = str(timestamp if timestamp is not None else int(time.time() * 1000))
        access_key = access_key or self.sim.access_key
        secret = secret_key or self.sim.secret_key
        return {"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": access_key,
                signature_header: make_signature(secret, method, uri, timestamp, access_key)}

    def call(self, service, action, params=None, method="GET", fmt="json", timeout=30, **sign):
        """Returns the requests.Response; fmt=None sends no responseFormatType."""
        params = list((params or {}).items())
        if fmt:
            params.append(("responseFormatType", fmt))
        path = SERVICES[service]["prefix"] + "/" + action
        if method == "GET":
            query = urlencode(params)
            uri = path + ("?" + query if query else "")
            return requests.get(self.sim.api_url + uri, headers=self.headers("GET", uri, **sign), timeout=timeout)
        headers = self.headers("POST", path, **sign)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return requests.post(self.sim.api_url + path, data=urlencode(params), headers=headers, timeout=timeout)

    def json(self, service, action, params=None, **kwargs):
        """Call with JSON and return (HTTP status, decoded body)."""
        answer = self.call(service, action, params, **kwargs)
        return answer.status_code, answer.json()


def wait_until(predicate, timeout=5.0, step=0.05):
    """Poll predicate() until it is truthy; returns its last value."""
    deadline = time.time() + timeout
    value = predicate()
    while not value and time.time() < deadline:
        time.sleep(step)
        value = predicate()
    return value


# boto3 as NCP Object Storage wants it: no flexible-checksum headers (NCP documents none), Signature
# Version 4 with the documented region name.
NCP_S3_CONFIG = dict(request_checksum_calculation="when_required", response_checksum_validation="when_required",
                     retries={"total_max_attempts": 1})


def s3_client(sim, endpoint_url=None, region_name="kr-standard", **config):
    """A boto3 S3 client for the simulator's S3 front (NCP Object Storage face unless told otherwise)."""
    options = dict(NCP_S3_CONFIG)
    options.update(config)
    return boto3.client("s3", endpoint_url=endpoint_url or sim.s3_url, region_name=region_name,
                        aws_access_key_id=sim.access_key, aws_secret_access_key=sim.secret_key,
                        config=Config(**options))


def list_keys(client, bucket, prefix=""):
    """Every key of a bucket through ListObjects (V1), sorted. The next marker is the page's NextMarker as it
    came (the simulator's are opaque tokens by default), else the page's greatest key: pages come in any order."""
    keys, marker = [], ""
    while True:
        page = client.list_objects(Bucket=bucket, Prefix=prefix, Marker=marker)
        found = [item["Key"] for item in page.get("Contents", [])]
        keys.extend(found)
        if not page.get("IsTruncated") or not found:
            return sorted(keys)
        marker = page.get("NextMarker") or max(found)
