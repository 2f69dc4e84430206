# -*- coding: utf-8 -*-
"""Response bodies in NCP's two formats.

JSON: {"<action>Response": {...}}. XML (the default): an XML declaration, root <actionResponse>,
one element per field; a list field "fooList" holds one <foo> element per item, so a one-element
list looks exactly like a single child and an empty list is an empty element. Field order follows
the guide's examples: JSON list answers put totalRows and the list first, XML puts requestId,
returnCode, returnMessage first (docs/api-facts.md).
"""

import json
import uuid
from xml.sax.saxutils import escape

JSON_TYPE = "application/json;charset=UTF-8"
XML_TYPE = "application/xml;charset=UTF-8"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def wants_json(params):
    """responseFormatType=json selects JSON; anything else, or nothing, means XML."""
    return str(params.get("responseFormatType", "")).lower() == "json"


def item_tag(list_key):
    """The element name of one item of a list field: the key minus its "List" suffix."""
    return list_key[:-4] if list_key.endswith("List") and len(list_key) > 4 else list_key


def _xml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape(str(value))


def to_xml(tag, value):
    """One element (and its children) as text."""
    if isinstance(value, dict):
        inner = "".join(to_xml(key, child) for key, child in value.items())
    elif isinstance(value, list):
        inner = "".join(to_xml(item_tag(tag), child) for child in value)
    else:
        inner = _xml_value(value)
    return "<%s>%s</%s>" % (tag, inner, tag)


def _encode(root, fields, as_json):
    if as_json:
        return json.dumps({root: fields}, ensure_ascii=False).encode("utf-8"), JSON_TYPE
    return (XML_DECLARATION + "\n" + to_xml(root, fields)).encode("utf-8"), XML_TYPE


def success(action, payload, as_json):
    """A success answer; payload is an ordered dict of the action's own fields (may be empty)."""
    envelope = [("requestId", str(uuid.uuid4())), ("returnCode", "0"), ("returnMessage", "success")]
    if as_json:
        fields = dict(list(payload.items()) + envelope)
    else:
        fields = dict(envelope + list(payload.items()))
    return _encode(action + "Response", fields, as_json)


def service_error(return_code, return_message, as_json):
    """The body of a service-level failure (HTTP 400)."""
    fields = {"returnCode": return_code, "returnMessage": return_message}
    return _encode("responseError", fields, as_json)


def gateway_error(error_code, message, details, as_json):
    """The body of a gateway refusal ({"error": {...}} or <error>...</error>)."""
    fields = {"errorCode": error_code, "message": message, "details": details}
    if details is None:
        del fields["details"]      # NCP's documented 210 body has none
    return _encode("error", fields, as_json)


PROXY_PAGE = ("<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
              "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
              "</body>\r\n</html>\r\n")


def proxy_error_page(status, reason):
    """An HTML error page such as a reverse proxy in front of the gateway sends."""
    return PROXY_PAGE.format(status=status, reason=reason).encode("utf-8"), "text/html"
