# -*- coding: utf-8 -*-
"""Instance lookup and backup listing over a scripted client: paging, ordering, exact names."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.backups import (
    BackupCatalog, BackupFile, InstanceNotFound, InstanceNotReady)
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE, MYSQL, POSTGRESQL


class PagedClient:
    """Answers list actions from rows, paging like the API when asked for pageNo/pageSize."""

    region = "KR"

    def __init__(self, rows_by_action):
        self.rows = rows_by_action
        self.calls = []

    def read(self, prefix, action, params):
        self.calls.append((action, dict(params)))
        rows = self.rows[action]
        key = {"getCloudPostgresqlBackupDetailList": "cloudPostgresqlBackupDetailList",
               "getCloudMysqlBackupDetailList": "cloudMysqlBackupDetailList",
               "getCloudCacheInstanceList": "cloudCacheInstanceList",
               "getCloudCacheManualBackupDetailList": "cloudCacheBackupDetailList"}[action]
        if "pageNo" in params:
            start = params["pageNo"] * params["pageSize"]
            page = rows[start:start + params["pageSize"]]
        else:
            page = rows
        return {"returnCode": "0", "totalRows": len(rows), key: page}


def pg_row(day, hour=3):
    moment = datetime.datetime(2026, 11, day, hour, 0, 0)
    return {"fileName": "%s" % moment.strftime("%Y%m%d%H%M"), "startTime": moment.strftime("%Y-%m-%dT%H:%M:%S+0900"),
            "endTime": moment.strftime("%Y-%m-%dT%H:%M:%S+0900"), "backupSize": str(day * 100)}


def test_postgresql_backups_follow_every_page_and_come_newest_first():
    rows = [pg_row(day) for day in range(1, 23)] * 10  # 220 rows, more than two pages of 100
    rows = [dict(row, fileName="%s-%d" % (row["fileName"], i)) for i, row in enumerate(rows)]
    rows.reverse()  # the API's own order must not matter
    client = PagedClient({"getCloudPostgresqlBackupDetailList": rows})
    catalog = BackupCatalog(client, POSTGRESQL)
    backups = catalog.backups(_instance(catalog, POSTGRESQL), BackupCatalog.AUTOMATIC)
    assert len(backups) == 220
    assert [c[1]["pageNo"] for c in client.calls] == [0, 1, 2]
    ends = [b.end_time for b in backups]
    assert ends == sorted(ends, reverse=True) and backups[0].end_time.day == 22
    assert backups[0].to_result()["backup_size"] == 2200  # XML text sizes become numbers


def test_mysql_backups_follow_every_page_by_total_rows_and_come_newest_first():
    rows = [dict(pg_row(day % 28 + 1, hour=day % 24), fileName="f%03d" % day) for day in range(205)]
    client = PagedClient({"getCloudMysqlBackupDetailList": rows})
    catalog = BackupCatalog(client, MYSQL)
    backups = catalog.backups(_instance(catalog, MYSQL), BackupCatalog.AUTOMATIC)
    assert len(backups) == 205
    assert [c[0] for c in client.calls] == ["getCloudMysqlBackupDetailList"] * 3
    assert [(c[1]["pageNo"], c[1]["pageSize"], c[1]["cloudMysqlInstanceNo"]) for c in client.calls] == [
        (0, 100, "3001"), (1, 100, "3001"), (2, 100, "3001")]
    ends = [b.end_time for b in backups]
    assert ends == sorted(ends, reverse=True)


def _instance(catalog, service):
    from ansible_collections.ncp.clouddb.plugins.module_utils.backups import Instance
    return Instance(service, {service.instance_fields["number"]: "3001", service.instance_fields["name"]: "pg",
                              service.instance_fields["status"]: "running"})


def cache_row(number, name, status="running"):
    return {"cloudCacheInstanceNo": number, "cloudCacheServiceName": name, "cloudCacheInstanceStatusName": status}


def test_find_instance_by_exact_name_only():
    client = PagedClient({"getCloudCacheInstanceList": [cache_row("1", "cache-prod-10"), cache_row("2", "cache-prod-1")]})
    instance = BackupCatalog(client, CACHE).find_instance(name="cache-prod-1")
    assert instance.number == "2"
    assert client.calls[0][1] == {"cloudCacheServiceName": "cache-prod-1", "pageNo": 0, "pageSize": 100}


def test_find_instance_by_number_uses_the_number_list_filter():
    client = PagedClient({"getCloudCacheInstanceList": [cache_row("7", "x")]})
    instance = BackupCatalog(client, CACHE).find_instance(instance_no="7")
    assert instance.name == "x"
    assert client.calls[0][1] == {"cloudCacheInstanceNoList": ["7"], "pageNo": 0, "pageSize": 100}


def test_missing_and_ambiguous_names_are_clear_errors():
    client = PagedClient({"getCloudCacheInstanceList": [cache_row("1", "dup"), cache_row("2", "dup")]})
    catalog = BackupCatalog(client, CACHE)
    with pytest.raises(InstanceNotFound, match="no Cloud DB for Cache instance with name 'nope' in region KR"):
        catalog.find_instance(name="nope")
    with pytest.raises(InstanceNotFound, match="2 Cloud DB for Cache instances are named 'dup' .1, 2.: give instance_no"):
        catalog.find_instance(name="dup")


def test_a_stopped_instance_is_refused_with_its_status():
    client = PagedClient({"getCloudCacheInstanceList": [cache_row("1", "c", "stopped")]})
    catalog = BackupCatalog(client, CACHE)
    with pytest.raises(InstanceNotReady, match="instance 1 .c. is stopped, not running"):
        catalog.require_running(catalog.find_instance(instance_no="1"), "make a manual backup")


def test_unfinished_backup_has_no_age():
    running = BackupFile({"fileName": "f", "startTime": "2026-11-22T10:00:00+0900", "endTime": ""}, "manual")
    assert not running.finished and running.age_seconds() is None
