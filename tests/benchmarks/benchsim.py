# -*- coding: utf-8 -*-
"""The NCP API simulator for the benchmarks: a process of its own (so its CPU is measured apart from
the controller's), started with tests/simulator/run.py, and its control API (/_sim/...)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SIMULATOR = os.path.join(os.path.dirname(HERE), "simulator", "run.py")


def start_simulator(work, scenario="default"):
    """(process, {"api_url", "s3_url", "pid"}) of a simulator started in work (its log: simulator.log)."""
    ready = os.path.join(work, "ready.json")
    log = open(os.path.join(work, "simulator.log"), "w")  # pylint: disable=consider-using-with
    process = subprocess.Popen([sys.executable, SIMULATOR, "--scenario", scenario, "--port", "0",  # pylint: disable=consider-using-with
                                "--ready-file", ready], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while not os.path.exists(ready):
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            raise SystemExit("the simulator did not start; see %s" % log.name)
        time.sleep(0.1)
    with open(ready) as handle:
        return process, json.load(handle)


def control(api_url, method, path, body=None, timeout=60):
    """Call the simulator's /_sim/<path>; the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(api_url + "/_sim/" + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read().decode())
