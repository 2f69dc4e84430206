# -*- coding: utf-8 -*-
# Copyright: ncp.clouddb contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every instance of one NCP database API in one region, through all pages, as plain records.

The inventory plugin ncp.clouddb.ncp_clouddb is made of this. What it relies on (docs/inventory.md,
"API facts", has the sources):

* ``get<Stem>InstanceList`` takes ``pageNo`` (minimum 0) and ``pageSize`` (minimum 1, required with
  ``pageNo``) and answers ``totalRows``, "for paging requests, the total number". No maximum page
  size and no default are documented, and no page says whether pageNo 0 and 1 are the same page.
  So every request asks for an explicit page, and the pages are followed until ``totalRows`` rows
  are in. A page that repeats rows already seen ends the listing rather than looping, and the
  caller is told when fewer rows than ``totalRows`` arrived.
* Instance rows have no zone: zones are on the server rows (``<stem>ServerInstanceList``).
* CommonCode fields ({code, codeName}) are read by their code; XML answers give booleans and
  numbers as text, which are turned back into booleans and numbers here.
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE, POSTGRESQL, REDIS

FIRST_PAGE = 0          # pageNo "0 (minimum)"
PAGE_SIZE = 100         # what NCP's own Terraform provider asks its Cloud DB lists for
MAX_PAGE_SIZE = 1000    # the largest page size any of these APIs documents (backup detail lists)
DELETED = "deleted"


class Kind:
    """One kind of database the inventory lists: its API (a Service) and what the rows do not say."""

    def __init__(self, name, service, engine=None, engine_field=None, has_shards=False):
        self.name = name                    # cache | redis | postgresql
        self.service = service
        self.engine = engine                # fixed engine name, or None when engine_field tells
        self.engine_field = engine_field
        self.has_shards = has_shards
        self.stem = service.instance_param[:-len("InstanceNo")]   # cloudCache, cloudRedis, cloudPostgresql

    def field(self, suffix):
        return self.stem + suffix

    def __repr__(self):
        return "Kind(%s)" % self.name


KINDS = {
    "cache": Kind("cache", CACHE, engine_field="cloudCacheDbmsCode", has_shards=True),
    "redis": Kind("redis", REDIS, engine="Redis", has_shards=True),
    "postgresql": Kind("postgresql", POSTGRESQL, engine="PostgreSQL"),
}
KIND_NAMES = ("cache", "redis", "postgresql")
# cloudCacheDbmsCode is "Redis | Valkey"; spelled the way the guide spells them, whatever case comes.
ENGINE_NAMES = {"redis": "Redis", "valkey": "Valkey"}


class Listing:
    """One instance list: rows (deleted instances left out), totalRows as answered, rows received, pages read."""

    def __init__(self, rows, total, received, pages):
        self.rows = rows
        self.total = total
        self.received = received
        self.pages = pages

    @property
    def complete(self):
        """False when the API said there are more rows (totalRows) than its pages gave."""
        return self.total is None or self.received >= self.total


def list_instances(client, kind, page_size=PAGE_SIZE):
    """Every instance row of this kind in the client's region, all pages; a Listing.

    Reads only (client.read, retried within the client's retry_timeout); raises NcpApiError.
    """
    action = kind.service.instances
    number_field = kind.service.instance_fields["number"]
    status_field = kind.service.instance_fields["status"]
    seen = set()
    rows = []
    total = None
    page = FIRST_PAGE
    pages = 0
    while True:
        body = client.read(kind.service.prefix, action.name, {"pageNo": page, "pageSize": page_size})
        pages += 1
        chunk = _as_list(body.get(action.list_key))
        total = to_int(body.get("totalRows"))
        fresh = 0
        for row in chunk:
            number = str(row.get(number_field))
            if number in seen:
                continue
            seen.add(number)
            fresh += 1
            rows.append(row)
        if not chunk or not fresh:
            break           # the end, or a page that repeats what came before: never loop
        if total is None:
            if len(chunk) < page_size:
                break       # no totalRows: a short page is the last one
        elif len(seen) >= total:
            break
        page += 1
    kept = [row for row in rows if (_text(row.get(status_field)) or "").lower() != DELETED]
    return Listing(kept, total, len(seen), pages)


def instance_record(kind, region, row):
    """The inventory's view of one instance row: plain values, no secrets, nothing the row lacks invented."""
    fields = kind.service.instance_fields
    servers = [server_record(kind, server) for server in _as_list(row.get(kind.field("ServerInstanceList")))]
    record = {
        "kind": kind.name,
        "instance_no": _text(row.get(fields["number"])),
        "name": _text(row.get(fields["name"])),
        "status": (_text(row.get(fields["status"])) or "").lower() or None,
        "region": region,
        "zone": instance_zone(row, servers),
        "engine": engine_name(kind, row),
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
    if kind.has_shards:
        record["shard_count"] = to_int(row.get("shardCount"))
    return record


def server_record(kind, server):
    return {
        "instance_no": _text(server.get(kind.field("ServerInstanceNo"))),
        "name": _text(server.get(kind.field("ServerName"))),
        "role": code_of(server.get(kind.field("ServerRole"))),
        "status": (_text(server.get(kind.field("ServerInstanceStatusName"))) or "").lower() or None,
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


def engine_name(kind, row):
    if kind.engine:
        return kind.engine
    code = code_of(row.get(kind.engine_field))
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


def to_int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text(value):
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    return text if text != "" else None


def _as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    return [value]
