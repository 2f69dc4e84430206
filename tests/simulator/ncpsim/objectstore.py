# -*- coding: utf-8 -*-
"""A real S3-compatible endpoint (moto's server, in this process) standing in for Object Storage.

NCP Object Storage speaks the S3 API with the same API keys; moto does not check signatures, so
the client can use the NCP keys and any region name (kr-standard) against it.
"""

import json
import logging
import threading
import urllib.request

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer


def export_object_key(file_name, service="", instance_no="", template="{file_name}"):
    """Where an exported backup file lands in the bucket. The one place this rule lives.

    Simulator ASSUMPTION (docs/api-facts.md): no NCP page says where exportBackupToObjectStorage
    writes; none of the three export actions takes a folder or key parameter (the MySQL one has an
    optional folderPath, whose default is the root), so by default the file lands at the bucket
    root under its fileName. The scenario setting export_key_template (placeholders {service},
    {instance_no}, {file_name}) moves it, so tests can prove a client does not depend on the rule.
    """
    return template.format(file_name=file_name, service=service, instance_no=instance_no)


class ObjectStore(object):
    """moto's ThreadedMotoServer on a free loopback port, and a boto3 client for it."""

    def __init__(self, host="127.0.0.1", port=0):
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

    def reset(self, buckets):
        """Forget every bucket and object, then create the given buckets."""
        request = urllib.request.Request(self.url + "/moto-api/reset", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
        with self._lock:
            for name in buckets:
                self._client.create_bucket(Bucket=name)

    def bucket_names(self):
        with self._lock:
            return [b["Name"] for b in self._client.list_buckets().get("Buckets", [])]

    def bucket_exists(self, name):
        return name in self.bucket_names()

    def put(self, bucket, key, body, metadata):
        with self._lock:
            self._client.put_object(Bucket=bucket, Key=key, Body=body, Metadata=metadata)

    def objects(self, bucket):
        """[{key, size}] of one bucket (first 1000 keys: plenty for tests)."""
        with self._lock:
            answer = self._client.list_objects_v2(Bucket=bucket)
        return [{"key": o["Key"], "size": o["Size"]} for o in answer.get("Contents", [])]


def backup_object_body(service, instance_no, backup):
    """The bytes written for an exported backup: small, self-describing (the real size is metadata)."""
    return json.dumps({"simulated_backup": True, "service": service, "instance_no": instance_no,
                       "file_name": backup.file_name, "backup_size": backup.backup_size},
                      sort_keys=True).encode("utf-8") + b"\n"
