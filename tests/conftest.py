# -*- coding: utf-8 -*-
"""Shared pytest fixtures: the collection on sys.path, and the NCP API simulator.

ncp_sim (function scope) gives each test a freshly reset simulator; mark a test with
@pytest.mark.scenario("name-or-dict") to reset it to another scenario (a file name in
tests/simulator/scenarios, a path, or a dict). Everything goes through the simulator's HTTP
control API (docs/simulator.md); the simulator itself runs once per session in a subprocess.
"""

import collections
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATOR_DIR = os.path.join(REPO, "tests", "simulator")
SCENARIO_DIR = os.path.join(SIMULATOR_DIR, "scenarios")
DEFAULT_SCENARIO = os.path.join(SCENARIO_DIR, "default.yml")
START_TIMEOUT = 30.0


def _make_collection_importable():
    """Put <repo>/collections on sys.path with ansible_collections/ncp/clouddb -> repo, if needed."""
    try:
        import ansible_collections.ncp.clouddb  # noqa: F401  pylint: disable=unused-import,import-outside-toplevel
        return
    except ImportError:
        pass
    collections = os.path.join(REPO, "collections")
    link = os.path.join(collections, "ansible_collections", "ncp", "clouddb")
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if not os.path.lexists(link):
        os.symlink(REPO, link)
    if collections not in sys.path:
        sys.path.insert(0, collections)
    for name in [n for n in sys.modules if n == "ansible_collections" or n.startswith("ansible_collections.")]:
        del sys.modules[name]       # a failed import may have cached a namespace without our path


_make_collection_importable()


def pytest_configure(config):
    config.addinivalue_line("markers", "scenario(name_or_dict): reset the NCP simulator to this scenario")


def pytest_collection_modifyitems(config, items):
    """Slow tests first: with pytest-xdist (pytest.ini: -n 2) the longest test then starts at once
    instead of running alone at the end. Order inside each group is kept."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def load_scenario(source):
    """A scenario as a dict, from a dict, a path or a name in tests/simulator/scenarios."""
    if isinstance(source, dict):
        return dict(source)
    path = source if os.path.exists(source) else os.path.join(
        SCENARIO_DIR, source if source.endswith(".yml") else source + ".yml")
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


class NcpSim(object):
    """What a test sees of the simulator: URLs, credentials and the control API."""

    def __init__(self, api_url, s3_url, scenario):
        self.api_url = api_url
        self.s3_url = s3_url
        self.scenario = scenario
        credential = scenario["credentials"][0]
        self.access_key = credential["access_key"]
        self.secret_key = credential["secret_key"]

    def control(self, method, path, body=None):
        """Call /_sim/<path>; returns the decoded JSON answer, raises AssertionError on failure."""
        data = None if body is None else json.dumps(body, default=str).encode("utf-8")
        request = urllib.request.Request(self.api_url + "/_sim/" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise AssertionError("simulator control %s %s failed: %s %s"
                                 % (method, path, error.code, error.read().decode("utf-8", "replace")))

    def reset(self, scenario=None):
        if scenario is not None:
            self.scenario = scenario
        return self.control("POST", "reset", self.scenario)

    def requests(self, action=None):
        """The request log (optionally of one action), oldest first."""
        query = "?" + urllib.parse.urlencode({"action": action}) if action else ""
        return self.control("GET", "requests" + query)

    def writes(self):
        """Log entries of actions that change something (create, export, delete)."""
        return [entry for entry in self.requests() if entry.get("write")]

    def applied_writes(self):
        """Counter of (action, instance number) for every create, export or delete that took effect."""
        counts = collections.Counter()
        for entry in self.writes():
            if entry.get("applied"):
                params = entry.get("params") or {}
                number = next((value for key, value in params.items() if key.endswith("InstanceNo")), None)
                counts[(entry["action"], str(number))] += 1
        return counts

    def s3_requests(self, operation=None, face=None):
        """The S3 front's request log (optionally of one operation, e.g. "ListObjects", or one face,
        "objectstorage" or "ncloudstorage"), oldest first: count S3 calls of a module run with it."""
        query = dict((k, v) for k, v in (("operation", operation), ("face", face)) if v)
        return self.control("GET", "s3/requests" + ("?" + urllib.parse.urlencode(query) if query else ""))

    def fill_bucket(self, bucket, count=None, key_template=None, keys=None, body=None, start=None, face=None):
        """Put many objects into a bucket at once (not logged as S3 requests); returns {"written", ...}.
        face="ncloudstorage" fills a bucket of Ncloud Storage's namespace."""
        spec = dict((k, v) for k, v in (("count", count), ("key_template", key_template), ("keys", keys),
                                        ("body", body), ("start", start), ("face", face)) if v is not None)
        return self.control("POST", "buckets/%s/objects" % bucket, spec)

    def inject(self, action, kind, **kwargs):
        """Make the next request(s) for action ("*" for any API action, "s3:<Operation>" or "s3:*" for
        the S3 front) fail; match={...} and skip=N narrow it; see docs/simulator.md."""
        return self.control("POST", "faults", dict(kwargs, action=action, kind=kind))

    def clear_faults(self):
        return self.control("DELETE", "faults")

    def set_clock_offset(self, seconds):
        return self.control("POST", "clock", {"offset_seconds": seconds})

    def set_instance(self, service, instance_no, **fields):
        return self.control("POST", "instances/%s/%s" % (service, instance_no), fields)

    def state(self):
        return self.control("GET", "state")

    def env(self):
        """Environment variables a module run needs to talk to the simulator."""
        return {
            "NCLOUD_ACCESS_KEY": self.access_key,
            "NCLOUD_SECRET_KEY": self.secret_key,
            "NCLOUD_API_GW": self.api_url,
            "NCLOUD_REGION": "KR",
            "NCLOUD_OBJECT_STORAGE_URL": self.s3_url,
        }

    def proxy_env(self):
        """Variables that send plain-http S3 requests for NCP hosts (kr.ncloudstorage.com, ...) through
        the simulator's S3 front as a forward proxy, but not the API calls to the simulator itself."""
        return {"HTTP_PROXY": self.s3_url, "http_proxy": self.s3_url,
                "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


def _start_simulator(tmp_dir):
    ready = os.path.join(tmp_dir, "ready.json")
    stderr_path = os.path.join(tmp_dir, "stderr.log")
    stderr = open(stderr_path, "w", encoding="utf-8")  # pylint: disable=consider-using-with
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, os.path.join(SIMULATOR_DIR, "run.py"), "--scenario", DEFAULT_SCENARIO,
         "--host", "127.0.0.1", "--port", "0", "--ready-file", ready],
        stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.time() + START_TIMEOUT
    while not os.path.exists(ready):
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            stderr.close()
            with open(stderr_path, encoding="utf-8") as handle:
                pytest.fail("NCP simulator did not start (exit %s):\n%s" % (process.poll(), handle.read()))
        time.sleep(0.05)
    with open(ready, encoding="utf-8") as handle:
        return process, stderr, json.load(handle)


@pytest.fixture(scope="session", name="ncp_simulator")
def ncp_simulator_fixture():
    """One simulator subprocess for the whole session: {"api_url", "s3_url", "pid"}."""
    tmp_dir = tempfile.mkdtemp(prefix="ncpsim-")
    process, stderr, info = _start_simulator(tmp_dir)
    try:
        yield info
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stderr.close()


@pytest.fixture
def ncp_sim(request, ncp_simulator):
    """The session simulator, reset for this test (to @pytest.mark.scenario(...) if given)."""
    marker = request.node.get_closest_marker("scenario")
    scenario = load_scenario(marker.args[0] if marker else DEFAULT_SCENARIO)
    if not scenario.get("credentials"):
        scenario["credentials"] = load_scenario(DEFAULT_SCENARIO)["credentials"]
    sim = NcpSim(ncp_simulator["api_url"], ncp_simulator["s3_url"], scenario)
    sim.reset()
    return sim
