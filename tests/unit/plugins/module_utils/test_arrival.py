# -*- coding: utf-8 -*-
"""An export is called done only when its object is really there: not vanished, not empty."""

from __future__ import annotations

from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.fakes import FakeStore
from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.test_backup_export import run, world

RECORD = "pg/3101/.ncp-clouddb/exports/postgresql/3101/20261125.json"


class EmptyExports(FakeStore):
    """Every exported backup file lands with 0 bytes."""

    def put(self, bucket, key, body):
        super().put(bucket, key, "" if isinstance(body, str) and key.startswith("pg/") else body)


class VanishingExports(FakeStore):
    """An exported backup file is deleted right after it is first seen (a lifecycle rule, another tool)."""

    def __init__(self, clock):
        super().__init__(clock)
        self.seen = set()

    def head(self, bucket, key):
        found = super().head(bucket, key)
        if found is not None and key.startswith("pg/") and ".ncp-clouddb" not in key:
            if key in self.seen:
                self.objects.pop((bucket, key))
                return None
            self.seen.add(key)
        return found


def exported_into(store_class, clock):
    api, _store = world(clock)
    store = store_class(clock)
    store.api, api.store = api, store
    return api, store


def test_an_empty_object_is_not_an_export(fake_clock):
    api, store = exported_into(EmptyExports, fake_clock)
    failed, result = run(api, store, folder_path="pg/3101/")
    assert failed and "with 0 bytes" in result["msg"] and "next run exports it again" in result["msg"]
    assert result["changed"] is True, "the export was asked for"
    assert RECORD not in store.keys("backups"), "not recorded: the next run exports again"


def test_an_object_that_vanishes_before_it_is_recorded_is_not_an_export(fake_clock):
    api, store = exported_into(VanishingExports, fake_clock)
    failed, result = run(api, store, folder_path="pg/3101/")
    assert failed and "vanished before it was recorded" in result["msg"]
    assert RECORD not in store.keys("backups")


def test_a_whole_object_is_recorded_with_its_size_beside_the_backup_size(fake_clock):
    api, store = world(fake_clock)
    failed, result = run(api, store, folder_path="pg/3101/")
    assert not failed and result["object"]["size"] > 0
    assert store.get_json("backups", RECORD)["size"] == result["object"]["size"]
