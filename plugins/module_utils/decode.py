# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn a gateway answer, JSON or XML, into one and the same Python structure.

XML is the gateway's default format. In XML a list is an element named ``...List`` holding one
child per item, so a one-item list looks exactly like a single child: every ``...List`` element is
therefore decoded as a Python list, whatever its length, and matches what JSON gives.
"""

from __future__ import annotations

import json

try:
    import xmltodict
except ImportError:  # reported by the module through missing_required_lib
    xmltodict = None


class UndecodableBody(ValueError):
    """The body is neither JSON nor XML (an HTML page from a proxy, a truncated answer, nothing)."""


def decode_body(text):
    """Decode a JSON or XML document; raise UndecodableBody when it is neither."""
    stripped = (text or "").lstrip("\ufeff \t\r\n")
    try:
        if stripped.startswith("{"):
            return json.loads(stripped)
        if stripped.startswith("<") and not stripped[:15].lower().startswith(("<!doctype", "<html")):
            return _normalize(xmltodict.parse(stripped, xml_attribs=False))
    except (ValueError, TypeError) as exc:
        raise UndecodableBody("cannot decode the answer (%s)" % exc.__class__.__name__)
    except Exception as exc:  # xmltodict raises expat's ExpatError, which is not a ValueError
        if exc.__class__.__name__ == "ExpatError":
            raise UndecodableBody("cannot decode the answer (malformed XML)")
        raise
    raise UndecodableBody("the answer is not JSON or XML: %r" % _preview(stripped))


def _preview(text, limit=80):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def _normalize(value, key=""):
    if key.endswith("List"):
        return [_normalize(item) for item in _list_items(value)]
    if isinstance(value, dict):
        return dict((k, _normalize(v, k)) for k, v in value.items())
    return value


def _list_items(value):
    """The items of an XML ``...List`` element as xmltodict decoded it."""
    if value is None or value == "":
        return []
    if isinstance(value, list):  # a JSON-like list already
        return value
    if isinstance(value, dict) and len(value) == 1:
        (items,) = value.values()
        return items if isinstance(items, list) else [items]
    return [value]


def payload(action, document):
    """The body of a successful answer: the value under ``<action>Response``, or None."""
    if not isinstance(document, dict):
        return None
    body = document.get(action + "Response")
    return body if isinstance(body, dict) else None


def error_fields(document):
    """(code, message, details, request_id) from either error shape, or None when there is none.

    Gateway: {"error": {"errorCode", "message", "details"}}, or the newer top-level
    {"errorCode", "message", "detail"};
    service: {"responseError": {"returnCode", "returnMessage"}} (docs/api-facts.md, "Errors").
    """
    if not isinstance(document, dict):
        return None
    if "errorCode" in document and "message" in document:
        # The newer gateway format: {"errorCode", "message", "detail", "fieldErrors"} at the top level.
        return (document.get("errorCode"), document.get("message") or "error", document.get("detail"),
                document.get("requestId"))
    gateway = document.get("error")
    if isinstance(gateway, dict):
        return (gateway.get("errorCode"), gateway.get("message") or "error",
                gateway.get("details"), gateway.get("requestId"))
    service = document.get("responseError")
    if isinstance(service, dict):
        return (service.get("returnCode"), service.get("returnMessage") or "error",
                None, service.get("requestId"))
    return None
