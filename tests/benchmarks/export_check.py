#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""What one "already exported?" check costs as a bucket grows, against the simulator.

    .venv/bin/python tests/benchmarks/export_check.py [--sizes 1000,30000] [--cache-layout TEMPLATE]

Starts the NCP API simulator (tests/simulator, default scenario), and for each bucket size fills
the buckets with that many other objects (written straight into the store, as the simulator's
control API does), then runs the export module cores in this process, with the real client and
the real S3 client against the simulator (no Ansible start-up in the figures):

* PostgreSQL, folder_path, already exported: a re-run of an export that is there;
* cache, learned layout, already exported: a re-run of an export that is there;
* cache, new export at a learned layout: the export of another backup into the same bucket, which
  knows where cache exports land from the first one;
* cache, first export, nothing learned: the first export of this kind into the bucket, which must
  look at the whole bucket (before the export, to tell the new object from old ones, and to find it).

For each it prints the S3 requests the simulator's S3 front logged (ListObjects pages among them),
the API requests, and the seconds the module took. The goal (issue 8): flat cost for a known key.
No assertions: seconds depend on the machine; request counts do not.
"""

from __future__ import annotations

import argparse
import collections
import copy
import os
import sys
import tempfile
import time

import yaml

from benchsim import control, start_simulator

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIO = os.path.join(ROOT, "tests", "simulator", "scenarios", "default.yml")


def make_collection_importable():
    """<repo>/collections/ansible_collections/ncp/clouddb -> repo, on sys.path (as tests/conftest.py does)."""
    base = os.path.join(ROOT, "collections")
    link = os.path.join(base, "ansible_collections", "ncp", "clouddb")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if not os.path.lexists(link):
        os.symlink(ROOT, link)
    sys.path.insert(0, base)


make_collection_importable()

# pylint: disable=wrong-import-position
from ansible_collections.ncp.clouddb.plugins.module_utils.backup_export import ExportModule  # noqa: E402
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE, POSTGRESQL  # noqa: E402


class Module:
    """What a module core needs of an AnsibleModule: params with their defaults, check_mode, warn()."""

    def __init__(self, service, **params):
        spec = ExportModule.argument_spec(service)
        self.params = dict((name, option.get("default")) for name, option in spec.items())
        self.params.update(params)
        self.check_mode = False
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


class Simulator:
    """The simulator process and its control API, with the default scenario's credentials."""

    def __init__(self, work):
        self.process, ready = start_simulator(work, SCENARIO)
        self.api_url, self.s3_url = ready["api_url"], ready["s3_url"]

    def control(self, method, path, body=None):
        return control(self.api_url, method, path, body, timeout=120)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def measure(sim, credential, service, **params):
    """Run one export module core; (result, S3 requests by operation, API requests, seconds)."""
    s3_before = len(sim.control("GET", "s3/requests"))
    api_before = len(sim.control("GET", "requests"))
    module = Module(service, access_key=credential["access_key"], secret_key=credential["secret_key"],
                    region="KR", api_url=sim.api_url, object_storage_url=sim.s3_url, **params)
    started = time.monotonic()
    failed, result = ExportModule(module, service).outcome()
    seconds = time.monotonic() - started
    if failed:
        raise SystemExit("%s export failed: %s" % (service.kind, result.get("msg")))
    s3 = collections.Counter(entry["operation"] for entry in sim.control("GET", "s3/requests")[s3_before:])
    api = len(sim.control("GET", "requests")) - api_before
    return result, s3, api, seconds


def newest_manual(sim, number):
    (instance,) = [i for i in sim.control("GET", "state")["instances"] if i["instance_no"] == number]
    return [b["file_name"] for b in sorted(instance["manual_backups"], key=lambda b: b["end_time"], reverse=True)]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="1000,30000", help="other objects per bucket (default 1000,30000)")
    parser.add_argument("--cache-layout", default="{file_name}",
                        help="where the simulator puts cache exports (export_key_template; default the bucket "
                             "root, as NCP does as far as anyone knows; e.g. vcache/{instance_no}/{file_name} "
                             "makes the first export wait for a whole-bucket scan, at most every 30 s)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    with open(SCENARIO) as handle:
        scenario = yaml.safe_load(handle)
    scenario["settings"] = dict(scenario.get("settings") or {}, export_key_template=args.cache_layout)
    credential = scenario["credentials"][0]
    work = tempfile.mkdtemp(prefix="ncp-export-check-")
    sim = Simulator(work)
    rows = []
    try:
        for size in sizes:
            sim.control("POST", "reset", copy.deepcopy(scenario))
            for bucket, template in (("pg-backups", "pg/3001/archive/{n:06d}.dump"),
                                     ("cache-backups", "other/{n:06d}.rdb")):
                sim.control("POST", "buckets/%s/objects" % bucket, {"count": size, "key_template": template})
            pg = dict(instance_no="3001", bucket="pg-backups", folder_path="pg/{instance_no}/")
            measure(sim, credential, POSTGRESQL, **pg)
            rows.append((size, "PostgreSQL folder_path, already exported") + measure(sim, credential, POSTGRESQL,
                                                                                     **pg)[1:])
            newest, older = newest_manual(sim, "1001")[:2]
            cache = dict(instance_no="1001", bucket="cache-backups")
            rows.append((size, "cache, first export, nothing learned") + measure(
                sim, credential, CACHE, file_name=newest, **cache)[1:])
            rows.append((size, "cache, learned layout, already exported") + measure(
                sim, credential, CACHE, file_name=newest, **cache)[1:])
            rows.append((size, "cache, new export at a learned layout") + measure(
                sim, credential, CACHE, file_name=older, **cache)[1:])
    finally:
        sim.stop()

    print("One export check against the simulator (cache exports land at %s; %d CPUs)" % (
        args.cache_layout, os.cpu_count() or 0))
    print("%8s  %-42s %7s %6s %4s %8s" % ("objects", "case", "S3 req", "lists", "API", "seconds"))
    for size, case, s3, api, seconds in rows:
        print("%8d  %-42s %7d %6d %4d %8.2f" % (size, case, sum(s3.values()), s3["ListObjects"], api, seconds))
    print("(lists: ListObjects pages among the S3 requests; API: NCP API requests; seconds: the module's own run)")


if __name__ == "__main__":
    main()
