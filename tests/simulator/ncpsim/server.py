# -*- coding: utf-8 -*-
"""The HTTP front: routes NCP API requests through gateway checks, faults and the action handlers."""

import json
import sys
import threading
import time
import traceback
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import actions, control, errors, render
from .catalogue import SERVICES, service_for_path
from .clock import Clock
from .faults import FaultBook, FaultReplies
from .gateway import NOT_FOUND, GatewayError, authenticate, authorize, signature_header
from .objectstore import ObjectStore
from .reqlog import RequestLog
from .s3front import S3Front
from .scenario import load
from .scheduler import Scheduler
from .world import World

FORM_TYPE = "application/x-www-form-urlencoded"


class Simulator(object):
    """The NCP API (stdlib HTTP server) and Object Storage (the S3 front before moto) for one scenario."""

    def __init__(self, scenario, host="127.0.0.1", port=0):
        self.scenario = load(scenario)
        self.clock = Clock()
        self.store = ObjectStore(host)
        self.scheduler = Scheduler(on_error=lambda e: sys.stderr.write("ncpsim job failed: %r\n" % e))
        self.world = World(self.clock, self.store, self.scheduler)
        self.faults = FaultBook()
        self.log = RequestLog()
        self.s3log = RequestLog()
        self.httpd = ThreadingHTTPServer((host, port), make_handler(self))
        self.httpd.daemon_threads = True
        self.api_url = "http://%s:%d" % self.httpd.server_address[:2]
        self.front = S3Front(self, host)
        self.s3_url = self.front.url           # what clients get; moto's own URL stays inside
        self._thread = None

    def start(self):
        self.store.start()
        self.front.start()
        self.scheduler.start()
        self.reset()
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="ncpsim-http", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.front.stop()
        self.scheduler.stop()
        self.store.stop()

    def reset(self, scenario=None):
        """Back to the start scenario (or a new one): state, faults, logs, clock offset, buckets."""
        if scenario is not None:
            scenario = load(scenario)
        self.faults.clear()
        self.log.clear()
        self.s3log.clear()
        self.clock.set_offset(0)
        self.world.reset(scenario or self.scenario)


def make_handler(sim):
    """A request handler class bound to one simulator."""

    class Handler(NcpHandler):
        simulator = sim

    return Handler


class NcpHandler(FaultReplies, BaseHTTPRequestHandler):
    simulator = None
    protocol_version = "HTTP/1.1"
    server_version = "ncpsim"
    sys_version = ""

    # --- plumbing -----------------------------------------------------------------------------
    def log_message(self, *_args):      # quiet: the request log is the record
        return

    def date_time_string(self, timestamp=None):
        """The Date header follows the simulator clock, so clients can detect skew from it."""
        return formatdate(self.simulator.clock.time() if timestamp is None else timestamp, usegmt=True)

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _log(self):
        """Add this request's log entry, once, before the client can see an answer."""
        entry, self._entry = getattr(self, "_entry", None), None
        if entry is not None:
            self.simulator.log.add(**entry)

    def _send(self, status, body, content_type, cut=False, headers=None):
        """Write one answer; cut=True sends half the body under the full Content-Length."""
        self._log()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2] if cut else body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass                        # the client gave up (e.g. timed out on a slow answer)
        if cut:
            self.close_connection = True

    # --- routing ------------------------------------------------------------------------------
    def _dispatch(self):
        started = time.time()
        split = urlsplit(self.path)
        body = self._read_body()
        if split.path.startswith("/_sim/") or split.path == "/_sim":
            status, answer = control.handle(self.simulator, self.command, split.path, split.query, body)
            self._send(status, json.dumps(answer, default=str).encode("utf-8"), render.JSON_TYPE)
            return
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        if self.command == "POST" and FORM_TYPE in (self.headers.get("Content-Type") or ""):
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        service, action = service_for_path(split.path)
        entry = self._entry = {
            "time": started, "method": self.command, "path": split.path, "service": service, "action": action,
            "params": params, "signature_header": signature_header(self.headers)[0],
            "write": bool(service and SERVICES[service]["actions"][action].get("write")), "applied": False}
        self._api(service, action, params, entry)
        self._log()

    def _api(self, service, action, params, entry):
        sim = self.simulator
        as_json = render.wants_json(params)
        try:
            if service is None or self.command not in ("GET", "POST"):
                raise GatewayError("300", NOT_FOUND)
            caller = authenticate(self.headers, self.command, self.path, sim.world.secrets, sim.clock.now_ms(),
                                  float(sim.world.settings["max_skew_seconds"]) * 1000)
            authorize(caller, action, sim.world.denied)
        except GatewayError as error:
            self._gateway_error(error.error_code, error.details, as_json, entry)
            return
        fault = sim.faults.take(action, params)
        if fault is None:
            self._answer(*self._execute(service, action, params, as_json, entry))
            return
        entry["outcome"] = "fault:%s" % fault["kind"]
        entry["fault"] = fault
        getattr(self, "_fault_" + fault["kind"])(fault, service, action, params, as_json, entry)

    def _answer(self, status, body, content_type, cut=False):
        self._send(status, body, content_type, cut)

    def _gateway_error(self, code, details, as_json, entry, outcome=None, headers=None):
        error = GatewayError(code, details)
        fmt_json = as_json or self.simulator.world.settings.get("gateway_error_format") != "match"
        body, content_type = render.gateway_error(code, error.message, details, fmt_json)
        entry.update(status=error.status, outcome=outcome or "gateway_error:%s" % code)
        self._send(error.status, body, content_type, headers=headers)

    def _execute(self, service, action, params, as_json, entry):
        """Run the action; returns (status, body, content type) and notes the outcome."""
        try:
            payload = actions.run(self.simulator.world, service, action, params)
        except errors.ServiceError as error:
            entry.update(status=400, outcome="service_error:%s" % error.return_code)
            return (400,) + render.service_error(error.return_code, error.return_message, as_json)
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc()
            error = GatewayError("900", "Unexpected error in the simulator.")
            entry.update(status=error.status, outcome="gateway_error:900")
            return (error.status,) + render.gateway_error("900", error.message, error.details, True)
        entry.update(status=200, outcome="ok", applied=True)
        return (200,) + render.success(action, payload, as_json)

    # --- faults -------------------------------------------------------------------------------
    def _fault_throttle(self, fault, _service, _action, _params, as_json, entry):
        # The log entry is written as the answer goes out: its outcome must be the fault's by then.
        headers = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else None
        self._gateway_error(fault["code"], "Too many requests.", as_json, entry, outcome=entry["outcome"],
                            headers=headers)

    def _fault_http_error(self, fault, _service, _action, _params, _as_json, entry):
        status = fault["status"]
        reason = self.responses.get(status, ("Error",))[0]
        entry["status"] = status
        self._send(status, *render.proxy_error_page(status, reason))

    def _fault_drop(self, fault, service, action, params, as_json, entry):
        self._reply_drop(fault, entry, lambda: self._execute(service, action, params, as_json, entry))

    def _fault_slow(self, fault, service, action, params, as_json, entry):
        self._reply_slow(fault, entry, lambda: self._execute(service, action, params, as_json, entry))

    def _fault_truncate(self, fault, service, action, params, as_json, entry):
        self._reply_truncate(fault, entry, lambda: self._execute(service, action, params, as_json, entry),
                             lambda: (200,) + render.success(action, {}, as_json))
