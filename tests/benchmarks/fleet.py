#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""The main job at fleet scale, run as users run it: ansible-playbook ncp.clouddb.backup_and_export by FQCN
over the inventory plugin's hosts, against the simulator.

    source scripts/env.sh
    python tests/benchmarks/fleet.py [--sizes 1,50,200] [--forks 5] [--backup-seconds 30] [--export-seconds 15]
        [--modules-in-worker | --module-processes] [--kinds mixed|cache] [--layout instance|shared] [--first-night]

For each size it builds a scenario of that many instances (half Cloud DB for Cache, a quarter Redis
on API v1, a quarter PostgreSQL; backups take --backup-seconds and exports --export-seconds, to stand
for real durations), resets the simulator to it, and runs the playbook once per forks value. It
prints, per run: wall time, the ratio to one instance's time with the same forks, the controller's
CPU seconds (ansible-playbook and everything it started) in all and per instance, the largest single process's peak memory
and the peak of the sum over the whole process tree, the simulator's own CPU seconds (it shares the
machine; NCP would not), the S3 requests per instance, and checks the run did each instance exactly once.

--layout says where the simulator lands a cache export: ``instance`` at ``{service}/{instance_no}/{file_name}``
(a key that names the instance: no turns), ``shared`` at ``{file_name}`` in the bucket root, the simulator's
default, where every instance's date-named file meets (turns through claims, then a move to
``<kind>/<instance_no>/<file_name>``). --kinds cache makes every instance a Cloud DB for Cache one. No assertions on time:
the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

from benchsim import control, start_simulator

CREDENTIAL = {"access_key": "NCPSIM-ACCESS-KEY", "secret_key": "ncpsim-secret-do-not-log"}
KINDS = (("vcache", "cache"), ("vcache", "cache"), ("vredis", "redis"), ("vpostgresql", "postgresql"))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", default="1,50,200", help="instance counts (default 1,50,200)")
    parser.add_argument("--forks", default="5", help="forks values to run each size with (default 5: "
                        "Ansible's default, enough per docs/roles.md)")
    parser.add_argument("--backup-seconds", type=float, default=30.0, help="a manual backup's duration (default 30)")
    parser.add_argument("--export-seconds", type=float, default=15.0, help="an export's duration (default 15)")
    parser.add_argument("--kinds", choices=("mixed", "cache"), default="mixed",
                        help="mixed: half cache, a quarter redis, a quarter PostgreSQL (default); cache: cache only")
    parser.add_argument("--layout", choices=("instance", "shared"), default="instance",
                        help="where cache exports land: a key naming the instance (default), or the shared root")
    parser.add_argument("--first-night", action="store_true",
                        help="a bucket no export has been made into: the cache exports take turns until the first one "
                        "shows where exports land (default: a later night, the layout learned by an earlier run)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--modules-in-worker", dest="in_worker", action="store_true", default=True,
                       help="modules run in Ansible's worker process (the default on the controller)")
    where.add_argument("--module-processes", dest="in_worker", action="store_false",
                       help="each module call is its own Python process (ncp_clouddb_module_in_worker: false)")
    return parser.parse_args(argv)


def scenario(size, backup_seconds, export_seconds, kinds="mixed", layout="instance"):
    instances = []
    for index in range(size):
        service, kind = KINDS[index % len(KINDS)] if kinds == "mixed" else KINDS[0]
        number = str(7000 + index)
        instances.append({"service": service, "instance_no": number, "name": "bench-%s-%03d" % (kind, index),
                          "buckets": ["bench-backups"],
                          "automatic_backup_series": {"count": 2, "every": "24h", "newest": "-2h"}})
    return {"description": "benchmark fleet of %d" % size, "credentials": [CREDENTIAL],
            "settings": {"backup_seconds": backup_seconds, "export_seconds": export_seconds,
                         "export_key_template": "{file_name}" if layout == "shared" else
                         "{service}/{instance_no}/{file_name}"},
            "buckets": ["bench-backups"], "instances": instances}


def learn_layouts(ready, layout):
    """What the first night leaves in the bucket for every later one: where cache and redis exports land
    (the hint the export modules write, export_records.learn_layout), as an earlier run would have learned it."""
    import boto3  # pylint: disable=import-outside-toplevel
    from botocore.config import Config  # pylint: disable=import-outside-toplevel

    client = boto3.client("s3", endpoint_url=ready["s3_url"], region_name="kr-standard",
                          aws_access_key_id=CREDENTIAL["access_key"], aws_secret_access_key=CREDENTIAL["secret_key"],
                          config=Config(request_checksum_calculation="when_required",
                                        response_checksum_validation="when_required"))
    for kind, service in (("cache", "vcache"), ("redis", "vredis")):
        template = "{file_name}" if layout == "shared" else service + "/{instance_no}/{file_name}"
        hint = {"kind": kind, "template": template, "learned_at": "2026-12-06T00:00:00Z",
                "written_by": "ncp.clouddb export modules"}
        client.put_object(Bucket="bench-backups", Key=".ncp-clouddb/layout/%s.json" % kind, Body=json.dumps(hint))


def tree_rss(root_pid):
    """Sum of the resident memory (bytes) of a process and all its descendants, from /proc."""
    children = {}
    rss = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def process_cpu(pid):
    """CPU seconds a process has used so far (user + system), from /proc."""
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))


def run_playbook(work, env, forks, in_worker=True):
    """(wall seconds, CPU seconds, largest process peak MiB, tree peak MiB, results) of one run."""
    results_file = os.path.join(work, "results.json")
    if os.path.exists(results_file):
        os.remove(results_file)
    command = ["ansible-playbook", "-i", os.path.join(work, "inventory"), "ncp.clouddb.backup_and_export",
               "--forks", str(forks), "-e", "ncp_clouddb_results_file=" + results_file,
               "-e", "ncp_clouddb_module_in_worker=%s" % in_worker]
    peak = [0]
    started = time.monotonic()
    with open(os.path.join(work, "play-%d.log" % forks), "w") as log:
        process = subprocess.Popen(command, env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
        done = threading.Event()

        def sample():
            while not done.wait(0.5):
                peak[0] = max(peak[0], tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit("the playbook failed (exit %d); see %s" % (process.returncode, log.name))
    with open(results_file) as handle:
        results = json.load(handle)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, peak[0] / 1048576.0, results


def check_once(api_url, size):
    """Each instance got exactly one export, and each cache one backup: the figures are of a correct run."""
    counts = {}
    for entry in control(api_url, "GET", "requests"):
        if entry.get("write") and entry.get("applied"):
            key = (entry["action"], next(v for k, v in entry["params"].items() if k.endswith("InstanceNo")))
            counts[key] = counts.get(key, 0) + 1
    exports = sum(1 for (action, _n), c in counts.items() if action == "exportBackupToObjectStorage" and c == 1)
    if exports != size or any(c != 1 for c in counts.values()):
        raise SystemExit("the run did not do each instance exactly once: %s" % counts)


def main(argv=None):
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    forks_values = [int(f) for f in args.forks.split(",")]
    work = tempfile.mkdtemp(prefix="ncp-fleet-bench-")
    process, ready = start_simulator(work)
    os.makedirs(os.path.join(work, "inventory", "group_vars"))
    with open(os.path.join(work, "inventory", "bench.ncp_clouddb.yml"), "w") as handle:
        handle.write("plugin: ncp.clouddb.ncp_clouddb\n")
    with open(os.path.join(work, "inventory", "group_vars", "ncp_clouddb.yml"), "w") as handle:
        handle.write("backup_and_export_bucket: bench-backups\n")
    env = dict(os.environ, NCLOUD_API_GW=ready["api_url"], NCLOUD_OBJECT_STORAGE_URL=ready["s3_url"],
               NCLOUD_REGION="KR", NCLOUD_ACCESS_KEY=CREDENTIAL["access_key"],
               NCLOUD_SECRET_KEY=CREDENTIAL["secret_key"], ANSIBLE_RETRY_FILES_ENABLED="0")
    print("ncp.clouddb.backup_and_export over the inventory plugin: backups %.0f s, exports %.0f s, %d cores, "
          "modules %s, kinds %s, layout %s, %s" % (
              args.backup_seconds, args.export_seconds, os.cpu_count(), "in the worker" if args.in_worker else
              "as processes", args.kinds, args.layout, "first night" if args.first_night else "layout learned"))
    columns = ("instances", "forks", "wall s", "x one", "CPU s", "CPU s/inst", "largest MiB", "tree MiB", "sim CPU s",
               "S3/inst")
    print("%9s %6s %9s %9s %9s %10s %12s %12s %9s %9s" % columns)
    one = {}
    try:
        for size in sizes:
            for forks in forks_values:
                control(ready["api_url"], "POST", "reset", scenario(size, args.backup_seconds, args.export_seconds,
                                                                    args.kinds, args.layout))
                if not args.first_night:
                    learn_layouts(ready, args.layout)
                s3_before = len(control(ready["api_url"], "GET", "s3/requests"))
                simulator_before = process_cpu(process.pid)
                wall, cpu, largest, tree, results = run_playbook(work, env, forks, args.in_worker)
                simulator_cpu = process_cpu(process.pid) - simulator_before
                if len(results) != size or any(r["failed"] for r in results):
                    raise SystemExit("not every instance succeeded: %s" % [r["summary"] for r in results])
                check_once(ready["api_url"], size)
                if len(set(r["object"].get("key") for r in results)) != size:
                    raise SystemExit("two instances ended at one object key: %s" % [r["summary"] for r in results])
                s3_calls = len(control(ready["api_url"], "GET", "s3/requests")) - s3_before
                one.setdefault(forks, wall if size == 1 else None)
                ratio = "%.2f" % (wall / one[forks]) if one.get(forks) else "-"
                figures = (size, forks, wall, ratio, cpu, cpu / size, largest, tree, simulator_cpu,
                           s3_calls / float(size))
                print("%9d %6d %9.1f %9s %9.1f %10.2f %12.0f %12.0f %9.1f %9.1f" % figures)
                sys.stdout.flush()
    finally:
        process.terminate()
        process.wait()


if __name__ == "__main__":
    main()
