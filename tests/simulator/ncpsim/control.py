# -*- coding: utf-8 -*-
"""The test-only control API under /_sim/: unsigned, JSON in and out, never logged.

  POST   /_sim/reset                       body: a scenario (JSON) or empty for the start scenario
  GET    /_sim/state
  GET    /_sim/requests[?action=NAME]
  GET    /_sim/faults   POST /_sim/faults   DELETE /_sim/faults
  POST   /_sim/clock                       {"offset_seconds": 600}
  POST   /_sim/instances/<service>/<no>    {"status": "stopped", ...}
  GET    /_sim/s3/requests[?operation=NAME&face=FACE]   the S3 front's request log
  POST   /_sim/buckets/<bucket>/objects    {"count": 30000, "key_template": "other/{n:06d}.bin"} or {"keys": [...]}
"""

import json
import time
from urllib.parse import parse_qs

from moto.s3.exceptions import MissingBucket

from .faults import FaultError
from .scenario import ScenarioError


class ControlError(Exception):
    """A bad control request: HTTP status and message."""

    def __init__(self, status, message):
        super(ControlError, self).__init__(message)
        self.status = status


def _json_body(body):
    if not body.strip():
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError as error:
        raise ControlError(400, "body is not JSON: %s" % error)


def handle(sim, method, path, query, body):
    """Return (HTTP status, JSON-able answer) for one control request."""
    parts = [p for p in path.split("/") if p][1:]       # drop "_sim"
    route = (method, parts[0] if parts else "")
    try:
        if route == ("POST", "reset"):
            sim.reset(_json_body(body))
            return 200, {"reset": True, "api_url": sim.api_url, "s3_url": sim.s3_url}
        if route == ("GET", "state"):
            return 200, sim.world.snapshot()
        if route == ("GET", "requests"):
            action = parse_qs(query).get("action", [None])[0]
            return 200, sim.log.entries(action)
        if route == ("GET", "faults"):
            return 200, sim.faults.pending()
        if route == ("POST", "faults"):
            return 200, sim.faults.add(_json_body(body) or {})
        if route == ("DELETE", "faults"):
            sim.faults.clear()
            return 200, {"cleared": True}
        if route == ("POST", "clock"):
            offset = float((_json_body(body) or {}).get("offset_seconds", 0))
            sim.clock.set_offset(offset)
            return 200, {"offset_seconds": offset}
        if route == ("POST", "instances") and len(parts) == 3:
            return 200, sim.world.set_instance(parts[1], parts[2], _json_body(body) or {})
        if route == ("GET", "s3") and parts[1:] == ["requests"]:
            wanted = dict((k, v[0]) for k, v in parse_qs(query).items() if k in ("operation", "face"))
            return 200, [e for e in sim.s3log.entries() if all(e.get(k) == v for k, v in wanted.items())]
        if route == ("POST", "buckets") and len(parts) == 3 and parts[2] == "objects":
            return 200, fill_bucket(sim, parts[1], _json_body(body) or {})
    except (ScenarioError, FaultError, ValueError) as error:
        return 400, {"error": str(error)}
    except KeyError as error:
        return 404, {"error": "no such instance: %s" % error}
    except MissingBucket:
        return 404, {"error": "no such bucket: %s" % parts[1]}
    except ControlError as error:
        return error.status, {"error": str(error)}
    except Exception as error:  # pylint: disable=broad-except
        # Whatever else went wrong (e.g. S3 refused a bucket name) goes back to the test, not to stderr.
        return 500, {"error": "%s: %s" % (type(error).__name__, error)}
    return 404, {"error": "no control route %s /%s" % (method, "/".join(["_sim"] + parts))}


FILL_LIMIT = 200000


def fill_bucket(sim, bucket, spec):
    """Put many small objects into a bucket at once: {"keys": [...]} or {"count": N, "key_template":
    "other/{n:06d}.bin", "start": 0}, optional "body" (text, default empty) and "face" (objectstorage,
    the default, or ncloudstorage). Not logged as S3 requests."""
    unknown = set(spec) - {"keys", "count", "key_template", "start", "body", "face"}
    if unknown:
        raise ControlError(400, "unknown fields: %s" % ", ".join(sorted(unknown)))
    if "keys" in spec:
        keys = [str(k) for k in spec["keys"]]
    else:
        count, start = int(spec.get("count", 0)), int(spec.get("start", 0))
        template = str(spec.get("key_template", "object-{n:06d}"))
        keys = [template.format(n=n) for n in range(start, start + count)]
    if not keys or len(keys) > FILL_LIMIT or any(not k for k in keys):
        raise ControlError(400, "give 1 to %d non-empty keys (keys, or count with key_template)" % FILL_LIMIT)
    started = time.time()
    face = spec.get("face", "objectstorage")
    if face not in ("objectstorage", "ncloudstorage"):
        raise ControlError(400, "face is objectstorage or ncloudstorage")
    written = sim.store.fill(bucket, keys, str(spec.get("body", "")).encode("utf-8"), account=sim.front.account(face))
    return {"bucket": bucket, "written": written, "seconds": round(time.time() - started, 3)}
