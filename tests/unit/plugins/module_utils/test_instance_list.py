# -*- coding: utf-8 -*-
"""Instance lists read through every page (module_utils/instance_list.py), over a scripted client.

The inventory plugin's own tests (tests/unit/plugins/inventory) cover the same code through the
plugin on controller Pythons; these run on the oldest module Python too (scripts/test units).
"""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.instance_list import (
    instance_record, list_instances, to_bool)
from ansible_collections.ncp.clouddb.plugins.module_utils.pages import to_int
from ansible_collections.ncp.clouddb.plugins.module_utils.services import SERVICES


class PagedClient:
    """Answers one list action from rows, paged from pageNo 0; repeat=True ignores pageNo."""

    def __init__(self, list_key, rows, repeat=False, total=True):
        self.list_key = list_key
        self.rows = rows
        self.repeat = repeat
        self.total = total
        self.calls = []

    def read(self, prefix, action, params):
        self.calls.append((prefix, action, dict(params)))
        number = 0 if self.repeat else params["pageNo"]
        size = params["pageSize"]
        body = {"returnCode": "0", self.list_key: self.rows[number * size:(number + 1) * size]}
        if self.total:
            body["totalRows"] = str(len(self.rows))     # XML gives it as text
        return body


def pg_rows(count, status="running"):
    return [{"cloudPostgresqlInstanceNo": str(3000 + n), "cloudPostgresqlServiceName": "pg-%d" % n,
             "cloudPostgresqlInstanceStatusName": status} for n in range(count)]


def test_every_page_from_zero_until_total_rows():
    client = PagedClient("cloudPostgresqlInstanceList", pg_rows(250))
    listing = list_instances(client, SERVICES["postgresql"])
    assert [(c[0], c[1], c[2]["pageNo"], c[2]["pageSize"]) for c in client.calls] == [
        ("/vpostgresql/v2", "getCloudPostgresqlInstanceList", n, 100) for n in range(3)]
    assert len(listing.rows) == 250 and listing.complete and listing.pages == 3


def test_a_repeated_page_stops_the_listing_and_marks_it_incomplete():
    client = PagedClient("cloudPostgresqlInstanceList", pg_rows(5), repeat=True)
    listing = list_instances(client, SERVICES["postgresql"], page_size=2)
    assert len(client.calls) == 2
    assert (len(listing.rows), listing.total, listing.received, listing.complete) == (2, 5, 2, False)


def test_without_total_rows_a_short_page_ends_it():
    client = PagedClient("cloudPostgresqlInstanceList", pg_rows(4), total=False)
    listing = list_instances(client, SERVICES["postgresql"], page_size=3)
    assert len(client.calls) == 2 and len(listing.rows) == 4 and listing.complete


def test_deleted_instances_are_left_out_but_counted_as_received():
    rows = pg_rows(2) + pg_rows(1, status="Deleted")
    rows[2]["cloudPostgresqlInstanceNo"] = "3999"
    listing = list_instances(PagedClient("cloudPostgresqlInstanceList", rows), SERVICES["postgresql"])
    assert [row["cloudPostgresqlInstanceNo"] for row in listing.rows] == ["3000", "3001"]
    assert listing.complete


def test_cache_record_reads_dbms_code_licence_and_servers():
    row = {"cloudCacheInstanceNo": "1101", "cloudCacheServiceName": "shop", "cloudCacheInstanceStatusName": "Running",
           "cloudCacheDbmsCode": "valkey", "licence": {"code": "BSD", "codeName": "BSD"}, "isHa": "true",
           "shardCount": "3", "cloudCacheServerInstanceList": {
               "cloudCacheServerInstanceNo": "11011", "cloudCacheServerName": "shop-001",
               "cloudCacheServerRole": {"code": "M", "codeName": "Master"},
               "cloudCacheServerInstanceStatusName": "running", "zoneCode": "KR-2"}}
    record = instance_record(SERVICES["cache"], "KR", row)
    assert (record["status"], record["engine"], record["license"], record["ha"], record["shard_count"],
            record["zone"]) == ("running", "Valkey", "BSD", True, 3, "KR-2")
    assert record["servers"] == [{"instance_no": "11011", "name": "shop-001", "role": "M", "status": "running",
                                  "zone": "KR-2"}]


def test_postgresql_record_has_no_shard_count():
    record = instance_record(SERVICES["postgresql"], "JPN", pg_rows(1)[0])
    assert "shard_count" not in record and record["engine"] == "PostgreSQL" and record["region"] == "JPN"


def test_text_values_become_booleans_and_numbers_and_nothing_else_does():
    assert [to_bool(v) for v in (True, "TRUE", "false", "yes", 1, None)] == [True, True, False, None, None, None]
    assert [to_int(v) for v in (7, "7", " 14 ", "7.5", True, None)] == [7, 7, 14, None, None, None]
