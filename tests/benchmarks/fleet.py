#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Wall time of ncp.clouddb.backup_and_export for one target and for a fleet, against the simulator.

    source scripts/env.sh
    python tests/benchmarks/fleet.py [--backup-seconds 20] [--export-seconds 10] [--sizes 1,8,24]

Starts the NCP API simulator with tests/simulator/scenarios/fleet.yml (its backups and exports
taking --backup-seconds and --export-seconds, to stand for real durations), and for each size runs
the playbook by FQCN on a freshly reset simulator, so every run makes its backups and exports.
Prints one line per run and, for comparison, what running the targets one after another would
take (size x the one-target time). No assertions: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "run.py")
SCENARIO = os.path.join(ROOT, "tests", "simulator", "scenarios", "fleet.yml")
TARGETS = os.path.join(ROOT, "tests", "e2e", "playbooks", "vars", "fleet_targets.yml")
SOLO = {"kind": "cache", "instance_name": "fleet-cache-solo", "bucket": "fleet-cache-backups",
        "object_prefix": "vcache/5199/"}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--backup-seconds", type=float, default=20.0,
                        help="how long a manual backup takes in the simulator (default 20)")
    parser.add_argument("--export-seconds", type=float, default=10.0,
                        help="how long an export takes in the simulator (default 10)")
    parser.add_argument("--sizes", default="1,24", help="comma-separated target counts, at most 24 (default 1,24)")
    parser.add_argument("--poll-interval", type=int, default=2, help="backup_and_export_poll_interval (default 2)")
    return parser.parse_args(argv)


def start_simulator(work):
    ready = os.path.join(work, "ready.json")
    log = open(os.path.join(work, "simulator.log"), "w")
    process = subprocess.Popen([sys.executable, SIMULATOR, "--scenario", SCENARIO, "--port", "0",
                                "--ready-file", ready], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while not os.path.exists(ready):
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            raise SystemExit("the simulator did not start; see %s" % log.name)
        time.sleep(0.1)
    with open(ready) as handle:
        return process, json.load(handle)


def reset(api_url, scenario):
    request = urllib.request.Request(api_url + "/_sim/reset", data=json.dumps(scenario).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()


def run(work, env, targets, poll_interval):
    variables = os.path.join(work, "vars.json")
    with open(variables, "w") as handle:
        json.dump({"targets": targets, "backup_and_export_poll_interval": poll_interval}, handle)
    started = time.monotonic()
    proc = subprocess.run(["ansible-playbook", "-i", os.path.join(work, "hosts"), "ncp.clouddb.backup_and_export",
                           "-e", "@" + variables], env=env, cwd=work, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-2000:])
        raise SystemExit("the playbook failed (exit %d)" % proc.returncode)
    return seconds


def main(argv=None):
    args = parse_args(argv)
    with open(SCENARIO) as handle:
        scenario = yaml.safe_load(handle)
    scenario["settings"].update(backup_seconds=args.backup_seconds, export_seconds=args.export_seconds)
    with open(TARGETS) as handle:
        fleet = yaml.safe_load(handle)["targets"]
    sizes = [int(size) for size in args.sizes.split(",")]
    if max(sizes) > len(fleet):
        raise SystemExit("at most %d targets" % len(fleet))

    work = tempfile.mkdtemp(prefix="ncp-bench-")
    with open(os.path.join(work, "hosts"), "w") as handle:
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    process, urls = start_simulator(work)
    credential = scenario["credentials"][0]
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", NCLOUD_API_GW=urls["api_url"], NCLOUD_REGION="KR",
               NCLOUD_OBJECT_STORAGE_URL=urls["s3_url"], NCLOUD_ACCESS_KEY=credential["access_key"],
               NCLOUD_SECRET_KEY=credential["secret_key"])
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections"))
    print("backup_and_export against the simulator: backups take %.0f s, exports %.0f s; %d CPUs"
          % (args.backup_seconds, args.export_seconds, os.cpu_count() or 0))
    try:
        one = None
        for size in sizes:
            reset(urls["api_url"], scenario)
            targets = [SOLO] if size == 1 else fleet[:size]
            seconds = run(work, env, targets, args.poll_interval)
            kinds = ", ".join("%d %s" % (sum(t["kind"] == k for t in targets), k)
                              for k in ("cache", "redis", "postgresql") if any(t["kind"] == k for t in targets))
            line = "  %3d target(s) (%s): %6.1f s" % (size, kinds, seconds)
            if size == 1:
                one = seconds
            elif one:
                line += "   (one after another: ~%.0f s)" % (one * size)
            print(line)
            sys.stdout.flush()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
