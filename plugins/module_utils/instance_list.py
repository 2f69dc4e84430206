# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every instance of one NCP database API in one region, through all pages (pages.py), as plain records.

The inventory plugin ncp.clouddb.ncp_clouddb is made of this. What it relies on (docs/inventory.md,
"API facts", has the sources):

* Instance rows have no zone: zones are on the server rows (``<stem>ServerInstanceList``).
* CommonCode fields ({code, codeName}) are read by their code; XML answers give booleans and
  numbers as text, which are turned back into booleans and numbers here.
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.pages import PAGE_SIZE, as_list, read_all, to_int

DELETED = "deleted"
# cloudCacheDbmsCode is "Redis | Valkey"; spelled the way the guide spells them, whatever case comes.
ENGINE_NAMES = {"redis": "Redis", "valkey": "Valkey"}


def list_instances(client, service, page_size=PAGE_SIZE):
    """Every instance row of this kind in the client's region, all pages (deleted ones left out); a pages.Listing.

    Reads only (client.read, retried within the client's retry_timeout); raises NcpApiError.
    """
    fields = service.instance_fields
    listing = read_all(client, service.api_path, service.instances, {},
                       lambda row: str(row.get(fields["number"])), page_size)
    listing.rows = [row for row in listing.rows if (_text(row.get(fields["status"])) or "").lower() != DELETED]
    return listing


def instance_record(service, region, row):
    """The inventory's view of one instance row: plain values, no secrets, nothing the row lacks invented."""
    fields = service.instance_fields
    servers = [server_record(service, server) for server in as_list(row.get(service.field("ServerInstanceList")))]
    record = {
        "kind": service.kind,
        "instance_no": _text(row.get(fields["number"])),
        "name": _text(row.get(fields["name"])),
        "status": (_text(row.get(fields["status"])) or "").lower() or None,
        "region": region,
        "zone": instance_zone(row, servers),
        "engine": engine_name(service, row),
        "engine_version": _text(row.get("engineVersion")),
        "ha": to_bool(row.get("isHa")),
        "backup_enabled": to_bool(row.get("isBackup")),
        "backup_time": _text(row.get("backupTime")),
        "backup_retention_days": to_int(row.get("backupFileRetentionPeriod")),
        # The cache guide pages spell it licence (a CommonCode), PostgreSQL's and NCP's Go SDK license.
        "license": code_of(row["licence"] if row.get("licence") is not None else row.get("license")),
        "created": _text(row.get("createDate")),
        "servers": servers,
    }
    if service.has_shards:
        record["shard_count"] = to_int(row.get("shardCount"))
    return record


def server_record(service, server):
    return {
        "instance_no": _text(server.get(service.field("ServerInstanceNo"))),
        "name": _text(server.get(service.field("ServerName"))),
        "role": code_of(server.get(service.field("ServerRole"))),
        "status": (_text(server.get(service.field("ServerInstanceStatusName"))) or "").lower() or None,
        "zone": _text(server.get("zoneCode")),
    }


def instance_zone(row, servers):
    """Instance rows carry no zone; their servers do. The first server's zone, unless the row has one."""
    zone = _text(row.get("zoneCode"))
    if zone:
        return zone
    for server in servers:
        if server["zone"]:
            return server["zone"]
    return None


def engine_name(service, row):
    if service.engine:
        return service.engine
    code = code_of(row.get(service.engine_field))
    if code is None:
        return None
    return ENGINE_NAMES.get(code.lower(), code)


def code_of(value):
    """A CommonCode's code, or a plain value as text; None when empty."""
    if isinstance(value, dict):
        value = value.get("code")
    return _text(value)


def to_bool(value):
    """JSON booleans as they are; XML (and some SDKs) send text: true/false. None when unknown."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None


def _text(value):
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    return text if text != "" else None
