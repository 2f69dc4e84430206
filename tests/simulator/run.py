#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Run the NCP API simulator until SIGTERM/SIGINT.

    python tests/simulator/run.py --scenario tests/simulator/scenarios/default.yml \
        [--host 127.0.0.1] [--port 0] [--ready-file PATH]

When ready it prints NCPSIM_URL=... and NCPSIM_S3_URL=... (one line each) and writes
{"api_url", "s3_url", "pid"} to --ready-file. See docs/simulator.md.
"""

import argparse
import json
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ncpsim.server import Simulator  # noqa: E402  pylint: disable=wrong-import-position


def parse_args(argv):
    parser = argparse.ArgumentParser(description="NCP API simulator (Cloud DB for Cache/Redis/PostgreSQL)")
    parser.add_argument("--scenario", required=True, help="scenario YAML file, or a name in tests/simulator/scenarios")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback by default)")
    parser.add_argument("--port", type=int, default=0, help="API port; 0 picks a free one")
    parser.add_argument("--ready-file", help="write {api_url, s3_url, pid} as JSON here once ready")
    return parser.parse_args(argv)


def write_ready_file(path, data):
    """Write atomically, so a reader never sees half a file."""
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(temporary, path)


def main(argv=None):
    args = parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    sim = Simulator(args.scenario, host=args.host, port=args.port).start()
    sys.stdout.write("NCPSIM_URL=%s\nNCPSIM_S3_URL=%s\n" % (sim.api_url, sim.s3_url))
    sys.stdout.flush()
    if args.ready_file:
        write_ready_file(args.ready_file, {"api_url": sim.api_url, "s3_url": sim.s3_url, "pid": os.getpid()})
    while not stop.wait(0.5):
        pass
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
