# -*- coding: utf-8 -*-
"""ncp_export_info's core: an instance's recorded exports, newest first, and what became of their objects."""

from __future__ import annotations

from ansible_collections.ncp.clouddb.plugins.module_utils.export_info import ExportInfoModule
from ansible_collections.ncp.clouddb.plugins.module_utils.services import SERVICES
from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.fakes import FakeModule, FakeStore

ROOT = "postgresql/3101/"
RECORDS = ROOT + ".ncp-clouddb/exports/postgresql/3101/"


def record(store, file_name, end_time, body, kind="postgresql", number="3101", folder=RECORDS, key=None):
    """An export the export module would have left: the object, and the record naming its ETag and size."""
    key = key or ROOT + file_name
    store.put("pg", key, body)
    item = store.head("pg", key)
    store.put_json("pg", folder + file_name + ".json", {
        "kind": kind, "instance_no": number, "file_name": file_name, "start_time": end_time, "end_time": end_time,
        "bucket": "pg", "key": key, "etag": item["etag"], "size": item["size"], "exported_at": "2026-11-26T00:00:00Z"})


def run(store, check_mode=False, kind="postgresql", **params):
    params = dict(dict(kind=kind, instance_no="3101", bucket="pg", folder_path="postgresql/{instance_no}/"), **params)
    core = ExportInfoModule(FakeModule(ExportInfoModule, SERVICES[kind], check_mode=check_mode, **params),
                            SERVICES[kind], store=store)
    return core.outcome()


def test_lists_the_instance_exports_newest_first_and_checks_the_newest(fake_clock):
    store = FakeStore(fake_clock)
    record(store, "20261124", "2026-11-24T03:00:00+0900", "old backup bytes")
    record(store, "20261126", "2026-11-26T03:00:00+0900", "newest backup bytes")
    record(store, "20261125", "2026-11-25T03:00:00+0900", "middle backup bytes")
    record(store, "20261126", "2026-11-26T03:00:00+0900", "another instance", number="3102",
           folder=ROOT + ".ncp-clouddb/exports/postgresql/3102/", key=ROOT + "other")
    store.calls.clear()
    failed, result = run(store)
    assert not failed and result["changed"] is False
    assert [e["file_name"] for e in result["exports"]] == ["20261126", "20261125", "20261124"]
    assert [e["checked"] for e in result["exports"]] == [True, False, False]
    assert result["exports"][0]["state"] == "intact" and result["exports"][0]["size"] == len("newest backup bytes")
    assert [c for c in store.calls if c[0] == "head"] == [("head", ROOT + "20261126")]
    assert not [c for c in store.calls if c[0] in ("put", "delete")], "read-only"


def test_an_object_deleted_truncated_or_replaced_since_its_export_is_named_so(fake_clock):
    store = FakeStore(fake_clock)
    record(store, "20261124", "2026-11-24T03:00:00+0900", "a full backup")
    record(store, "20261125", "2026-11-25T03:00:00+0900", "a full backup")
    record(store, "20261126", "2026-11-26T03:00:00+0900", "a full backup")
    store.delete("pg", ROOT + "20261124")
    store.put("pg", ROOT + "20261125", "a full backup, other")
    store.put("pg", ROOT + "20261126", "")
    failed, result = run(store, limit=0)
    assert not failed
    assert [(e["file_name"], e["state"]) for e in result["exports"]] == [
        ("20261126", "truncated"), ("20261125", "replaced"), ("20261124", "gone")]
    assert result["exports"][0]["object"]["size"] == 0 and result["exports"][2]["object"] is None


def test_no_record_is_an_empty_list(fake_clock):
    failed, result = run(FakeStore(fake_clock), kind="cache", folder_path=None, object_prefix="x/")
    assert not failed and result["exports"] == []
    assert result["records_folder"] == "x/.ncp-clouddb/exports/cache/3101/"


def test_bad_options_fail_before_any_request(fake_clock):
    store = FakeStore(fake_clock)
    for params, words in (({"limit": -1}, "limit"), ({"folder_path": "pg/{name}/"}, "instance_name"),
                          ({"object_prefix": "x/"}, "mutually exclusive"), ({"folder_path": "/abs/"}, "must not start")):
        failed, result = run(store, **params)
        assert failed and words in result["msg"], result
    failed, result = run(store, kind="cache", folder_path="pg/")
    assert failed and "folder_path cannot be used with kind=cache" in result["msg"]
    assert store.calls == []
