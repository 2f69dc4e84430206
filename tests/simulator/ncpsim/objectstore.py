# -*- coding: utf-8 -*-
"""A real S3-compatible store (moto's server, in this process) behind the S3 front (s3front.py).

Clients never see moto's own URL: every S3 request goes through the front, which refuses what NCP
does not document and forwards the rest here. The simulator itself (exports, the control API, the
state snapshot) talks to moto directly: through a boto3 client, or through moto's in-process
backend where that is much faster (filling a bucket with 30,000 objects, listing every key).
"""

import json
import logging
import threading
import urllib.request

import boto3
from botocore.config import Config
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.exceptions import MissingBucket
from moto.s3.models import s3_backends
from moto.server import ThreadedMotoServer

# moto keeps buckets per account and partition: an unknown access key means the default account,
# any region name that is not AWS's (kr-standard, kr, ...) the "aws" partition. NCP Object Storage
# lives in the default account; Ncloud Storage, a separate bucket namespace, in another one
# (setting storage_namespaces: separate); the S3 front tells moto which with x-moto-account-id.
_PARTITION = "aws"
OBJECT_STORAGE_ACCOUNT = DEFAULT_ACCOUNT_ID
NCLOUD_STORAGE_ACCOUNT = "222222222222"


def export_object_key(file_name, service="", instance_no="", template="{file_name}", folder_path=None):
    """Where an exported backup file lands in the bucket. The one place this rule lives.

    PostgreSQL (vpostgresql): exactly folderPath + fileName, or fileName at the bucket root without a
    folderPath (release note database-vpostgresql-releasenote: folderPath names "a folder path for
    Object Storage export"; the root without it is a simulator ASSUMPTION, as MySQL's page implies).
    Cache exports (vcache, vredis) document no folder: where they land is a simulator ASSUMPTION
    (docs/api-facts.md), the bucket root by default; the scenario setting export_key_template
    (placeholders {service}, {instance_no}, {file_name}) moves them, so tests can prove a client does
    not depend on the rule.
    """
    if service == "vpostgresql":
        return (folder_path or "") + file_name
    if folder_path:
        # MySQL: "the folder path the backup files are sent to" (database-vmysql-exportbackuptoobjectstorage);
        # that the key is exactly folderPath + fileName is an INFERENCE. Without one NCP does not say: the
        # template, as for the cache exports.
        return folder_path + file_name
    return template.format(file_name=file_name, service=service, instance_no=instance_no)


class ObjectStore(object):
    """moto's ThreadedMotoServer on a free loopback port, and a boto3 client for it."""

    def __init__(self, host="127.0.0.1", port=0):
        # self.url is moto's own address, for the front and the simulator only.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)   # moto's per-request lines
        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self._lock = threading.Lock()
        self._client = None
        self.url = None

    def start(self):
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = "http://%s:%d" % (host, port)
        self._client = boto3.client(
            "s3", endpoint_url=self.url, region_name="us-east-1",
            aws_access_key_id="ncpsim", aws_secret_access_key="ncpsim",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        return self.url

    def stop(self):
        self._server.stop()

    def reset(self, buckets, ncloud_buckets=()):
        """Forget every bucket and object, then create the given buckets (Object Storage, and
        Ncloud Storage's in their own account)."""
        request = urllib.request.Request(self.url + "/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
        with self._lock:
            for name in buckets:
                self._client.create_bucket(Bucket=name)
            for name in ncloud_buckets:
                self._backend(NCLOUD_STORAGE_ACCOUNT).create_bucket(name, "us-east-1")

    def bucket_names(self, account=OBJECT_STORAGE_ACCOUNT):
        """Names of the buckets of one namespace (Object Storage's by default)."""
        with self._lock:
            return sorted(self._backend(account).buckets)

    def bucket_exists(self, name):
        return name in self.bucket_names()

    def put(self, bucket, key, body, metadata):
        with self._lock:
            self._client.put_object(Bucket=bucket, Key=key, Body=body, Metadata=metadata)

    @staticmethod
    def _backend(account=OBJECT_STORAGE_ACCOUNT):
        return s3_backends[account][_PARTITION]

    def objects(self, bucket, account=OBJECT_STORAGE_ACCOUNT):
        """[{key, size}] of every object of one bucket, in key order (straight from moto's memory)."""
        with self._lock:
            found = self._backend(account).get_bucket(bucket).keys
            keys = sorted(found.keys())
            return [{"key": key, "size": found[key].size} for key in keys]

    def fill(self, bucket, keys, body=b"", metadata=None, account=OBJECT_STORAGE_ACCOUNT):
        """Write many objects at once, straight into moto's memory (30,000 take about a second).

        Returns how many were written. The bucket must exist in that namespace.
        """
        with self._lock:
            backend = self._backend(account)
            if bucket not in backend.buckets:
                raise MissingBucket(bucket)
            for key in keys:
                written = backend.put_object(bucket, key, body, disable_notification=True)
                if metadata:
                    written.set_metadata(dict(metadata))
        return len(keys)


def backup_object_body(service, instance_no, backup):
    """The bytes written for an exported backup: small, self-describing (the real size is metadata)."""
    return json.dumps({"simulated_backup": True, "service": service, "instance_no": instance_no,
                       "file_name": backup.file_name, "backup_size": backup.backup_size},
                      sort_keys=True).encode("utf-8") + b"\n"
