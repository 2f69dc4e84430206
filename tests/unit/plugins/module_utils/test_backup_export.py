# -*- coding: utf-8 -*-
"""The export core against an in-memory API and bucket on a fake clock: records, landing keys,
folder_path, lost answers, wait=false and request, and retention of exports."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.ncp.clouddb.plugins.module_utils.backup_export import ExportModule, normalise_folder
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpConfigError
from ansible_collections.ncp.clouddb.plugins.module_utils.export_records import ExportRecords
from ansible_collections.ncp.clouddb.plugins.module_utils.object_storage import Endpoint, ObjectStorage
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE, MYSQL, POSTGRESQL
from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.fakes import FakeApi, FakeModule, FakeStore

EXPORT = "exportBackupToObjectStorage"
HOUR = 3600.0


def world(clock, service=POSTGRESQL, export_key="{file_name}", days=3, number="3101"):
    store = FakeStore(clock)
    api = FakeApi(clock, service, instance_no=number, name="db-%s" % number, store=store, export_key=export_key)
    store.api = api
    kind = "manual" if service.manual_backups else "automatic"
    for day in range(days, 0, -1):
        end = -day * 24 * HOUR + HOUR
        api.backups.append({"file_name": "2026112%d" % (6 - day), "start": end - 300, "end": end, "kind": kind})
    return api, store


def run(api, store, service=POSTGRESQL, check_mode=False, **params):
    params.setdefault("instance_no", api.number)
    params.setdefault("bucket", "backups")
    module = FakeModule(ExportModule, service, check_mode=check_mode, **params)
    core = ExportModule(module, service, store=store, client=api, sleep=api.clock.sleep, clock=api.clock)
    failed, result = core.outcome()
    result["warned"] = module.warnings
    return failed, result


def s3_calls(store, since):
    return list(store.calls[since:])


# --- folder_path (PostgreSQL) -------------------------------------------------------------------

def test_folder_path_puts_the_file_at_a_known_key_and_the_next_run_finds_it_in_two_requests(fake_clock):
    api, store = world(fake_clock)
    failed, first = run(api, store, folder_path="pg/3101")
    assert not failed, first
    assert first["changed"] and first["exported"] and first["object"]["key"] == "pg/3101/20261125"
    assert api.exports()[0][1]["folderPath"] == "pg/3101/"
    assert "pg/3101/.ncp-clouddb/exports/postgresql/3101/20261125.json" in store.keys("backups")

    for filler in (1000, 30000):
        for n in range(filler - len(store.keys("backups"))):
            store.put("backups", "other/%06d" % n, "x")
        since = len(store.calls)
        failed, again = run(api, store, folder_path="pg/3101/")
        assert not failed and not again["changed"] and again["object"]["key"] == "pg/3101/20261125"
        assert [c[0] for c in s3_calls(store, since)] == ["get", "head"], "flat cost with %d objects" % filler
    assert len(api.exports()) == 1


# --- MySQL: folderPath as PostgreSQL, no bucket list --------------------------------------------

def test_mysql_exports_its_newest_automatic_backup_into_its_folder_without_a_bucket_list(fake_clock):
    api, store = world(fake_clock, MYSQL, number="4101")
    failed, first = run(api, store, MYSQL, folder_path="mysql/{instance_no}/")
    assert not failed, first
    assert first["changed"] and first["object"]["key"] == "mysql/4101/20261125"
    assert first["backup"]["backup_type"] == "automatic" and first["instance"]["kind"] == "mysql"
    params = api.exports()[0][1]
    assert params == {"cloudMysqlInstanceNo": "4101", "fileName": "20261125", "bucketName": "backups",
                      "folderPath": "mysql/4101/"}
    assert not any(call[0].endswith("BucketList") for call in api.calls)
    assert "mysql/4101/.ncp-clouddb/exports/mysql/4101/20261125.json" in store.keys("backups")
    failed, again = run(api, store, MYSQL, folder_path="mysql/{instance_no}/")
    assert not failed and not again["changed"] and len(api.exports()) == 1


def test_mysql_check_mode_and_a_stale_backup_export_nothing(fake_clock):
    api, store = world(fake_clock, MYSQL, number="4101")
    failed, result = run(api, store, MYSQL, check_mode=True, folder_path="mysql/{instance_no}/")
    assert not failed and result["changed"] and api.exports() == [] and store.keys("backups") == []
    assert result["diff"]["after"] == {"bucket": "backups", "object": "mysql/4101/20261125"}
    failed, result = run(api, store, MYSQL, folder_path="mysql/", max_backup_age="1h")
    assert failed and "max_backup_age=1h" in result["msg"] and api.exports() == []


def test_mysql_takes_folder_path_and_no_backup_type():
    assert "backup_type" not in ExportModule.argument_spec(MYSQL)
    assert "folder_path" in ExportModule.argument_spec(MYSQL)


@pytest.mark.parametrize("given, expected", [
    ("pg/orders", "pg/orders/"), ("pg/orders/", "pg/orders/"), ("pg/orders///", "pg/orders/"), ("", None),
    (None, None), ("a", "a/"),
])
def test_folder_path_is_normalised_to_one_trailing_slash(given, expected):
    assert normalise_folder(given) == expected


@pytest.mark.parametrize("given", ["/pg/orders", "pg//orders", "pg/../x", "./pg"])
def test_folder_path_that_is_no_folder_is_refused(given):
    with pytest.raises(NcpConfigError, match="folder_path"):
        normalise_folder(given)


def test_a_refused_folder_path_names_the_option(fake_clock):
    from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpApiError
    api, store = world(fake_clock)
    api.faults[EXPORT] = [NcpApiError(EXPORT, "Invalid parameter: folderPath", status=400, code="5001002")]
    failed, result = run(api, store, folder_path="pg/3101/")
    assert failed and result["changed"] is False and not result["exported"]
    assert "folderPath=pg/3101/ was sent" in result["msg"] and "set folder_path to an empty string" in result["msg"]


def test_a_folder_path_ncp_ignored_ends_in_a_timeout_that_names_the_option(fake_clock):
    api, store = world(fake_clock)
    api.export_key = "{file_name}"

    def ignore_folder(params):  # a region without the field: the file lands at the root
        params = dict(params)
        params.pop("folderPath", None)
        return FakeApi._export(api, params)  # pylint: disable=protected-access
    api._export = ignore_folder  # pylint: disable=protected-access
    failed, result = run(api, store, folder_path="pg/3101/", wait_timeout=60)
    assert failed and result["changed"] is True
    assert "it was looked for at pg/3101/20261125" in result["msg"] and "folder_path" in result["msg"]


# --- where NCP does not say: learning the landing key ---------------------------------------------

def test_the_landing_key_is_learned_and_the_next_export_looks_there_first(fake_clock):
    api, store = world(fake_clock, CACHE, export_key="vcache/{instance_no}/{file_name}.rdb", number="1101")
    failed, first = run(api, store, CACHE, file_name="20261124")
    assert not failed, first
    assert first["object"]["key"] == "vcache/1101/20261124.rdb"
    assert store.get_json("backups", ".ncp-clouddb/layout/cache.json")["template"] == \
        "vcache/{instance_no}/{file_name}.rdb"

    since = len(store.calls)
    failed, second = run(api, store, CACHE, file_name="20261125")
    assert not failed and second["object"]["key"] == "vcache/1101/20261125.rdb"
    heads = [c[1] for c in s3_calls(store, since) if c[0] == "head"]
    assert "vcache/1101/20261125.rdb" in heads
    assert ("list", "") not in s3_calls(store, since), "with a learned layout the whole bucket is never listed"


def test_another_instances_new_object_is_never_taken_for_ours(fake_clock):
    api, store = world(fake_clock, CACHE, export_key="vcache/{instance_no}/{file_name}", number="1101")
    api.export_seconds = 20.0
    # another instance's export of the same file name lands first, in its own folder
    api.pending.append((5.0, lambda: store.put("backups", "vcache/1102/20261125", "theirs")))
    failed, result = run(api, store, CACHE, file_name="20261125")
    assert not failed and result["object"]["key"] == "vcache/1101/20261125"


def test_an_object_overwritten_since_its_export_is_exported_again(fake_clock):
    api, store = world(fake_clock, CACHE, number="1101")
    failed, first = run(api, store, CACHE, file_name="20261125")
    assert not failed and first["object"]["key"] == "cache/1101/20261125"
    store.put("backups", "cache/1101/20261125", "something else written over it")
    failed, again = run(api, store, CACHE, file_name="20261125")
    assert not failed and again["changed"] and again["exported"] and len(api.exports()) == 2


def test_a_deleted_export_is_exported_again(fake_clock):
    api, store = world(fake_clock)
    assert not run(api, store, folder_path="pg/")[0]
    store.delete("backups", "pg/20261125")
    failed, again = run(api, store, folder_path="pg/")
    assert not failed and again["exported"] and len(api.exports()) == 2


def test_force_exports_again_and_the_same_object_is_written_again(fake_clock):
    api, store = world(fake_clock)
    assert not run(api, store, folder_path="pg/")[0]
    keys = store.keys("backups")
    failed, forced = run(api, store, folder_path="pg/", force=True)
    assert not failed and forced["exported"] and forced["object"]["key"] == "pg/20261125"
    assert store.keys("backups") == keys and len(api.exports()) == 2


# --- lost answers and wait=false ------------------------------------------------------------------

def test_an_export_whose_answer_was_lost_is_asked_once_more_and_ends_with_one_object(fake_clock):
    api, store = world(fake_clock)
    api.faults[EXPORT] = ["lose"]
    failed, result = run(api, store, folder_path="pg/")
    assert not failed, result
    assert len(api.exports()) == 2 and result["object"]["key"] == "pg/20261125"
    assert [k for k in store.keys("backups") if not k.startswith("pg/.ncp")] == ["pg/20261125"]
    assert any("asked once more" in w for w in result["warned"])


def test_wait_false_returns_a_request_and_a_later_run_waits_and_records(fake_clock):
    api, store = world(fake_clock)
    failed, first = run(api, store, folder_path="pg/", wait=False)
    assert not failed and first["changed"] and first["exported"] and first["object"] == {}
    assert first["request"]["file_name"] == "20261125" and first["request"]["kind"] == "postgresql"
    failed, second = run(api, store, folder_path="pg/", request=first["request"])
    assert not failed and not second["changed"] and second["object"]["key"] == "pg/20261125"
    failed, third = run(api, store, folder_path="pg/")
    assert not failed and not third["changed"] and len(api.exports()) == 1


def test_check_mode_never_exports_even_with_force_and_no_wait(fake_clock):
    api, store = world(fake_clock)
    failed, result = run(api, store, check_mode=True, force=True, wait=False)
    assert not failed and result["changed"] and api.exports() == []


def test_an_unfinished_backup_is_never_exported(fake_clock):
    api, store = world(fake_clock, CACHE, number="1101")
    api.backups.append({"file_name": "running", "start": -10.0, "end": None, "kind": "manual"})
    failed, result = run(api, store, CACHE)
    assert not failed and result["backup"]["file_name"] == "20261125"
    failed, named = run(api, store, CACHE, file_name="running")
    assert failed and "no backup file 'running' among the finished" in named["msg"]


# --- retention of exports ----------------------------------------------------------------------------

def test_keep_last_prunes_only_exports_our_records_prove(fake_clock):
    api, store = world(fake_clock, days=4)
    for name in ("20261122", "20261123", "20261124"):
        assert not run(api, store, folder_path="pg/", file_name=name)[0]
    store.put("backups", "pg/20261121", "someone else's file with a backup-like name")
    store.put("backups", "pg/20261123", "replaced by hand since its export")
    failed, result = run(api, store, folder_path="pg/", keep_last=2)
    assert not failed, result
    outcomes = dict((p["file_name"], p["outcome"]) for p in result["pruned"])
    assert outcomes == {"20261122": "deleted", "20261123": "object replaced since its export, left alone"}
    keys = [k for k in store.keys("backups") if ".ncp-clouddb" not in k]
    assert keys == ["pg/20261121", "pg/20261123", "pg/20261124", "pg/20261125"]
    records = ExportRecords(store, "backups", "pg/").of_instance("postgresql", "3101")
    assert sorted(r["file_name"] for _k, r in records) == ["20261124", "20261125"]


def test_export_prune_in_check_mode_deletes_nothing(fake_clock):
    api, store = world(fake_clock, days=3)
    for name in ("20261123", "20261124", "20261125"):
        assert not run(api, store, folder_path="pg/", file_name=name)[0]
    keys = store.keys("backups")
    failed, result = run(api, store, check_mode=True, folder_path="pg/", keep_last=1)
    assert not failed and result["changed"]
    assert sorted(p["file_name"] for p in result["pruned"]) == ["20261123", "20261124"]
    assert store.keys("backups") == keys


def test_keep_within_on_exports_keeps_younger_backups(fake_clock):
    api, store = world(fake_clock, days=3)
    for name in ("20261123", "20261124", "20261125"):
        assert not run(api, store, folder_path="pg/", file_name=name)[0]
    failed, result = run(api, store, folder_path="pg/", keep_within="50h")  # ages 23 h, 47 h, 71 h
    assert not failed and [p["file_name"] for p in result["pruned"]] == ["20261123"]


def test_folder_path_placeholders_give_each_instance_its_own_folder(fake_clock):
    api, store = world(fake_clock, number="3107")
    failed, result = run(api, store, folder_path="postgresql/{instance_no}/")
    assert not failed and result["object"]["key"] == "postgresql/3107/20261125"
    failed, result = run(api, store, folder_path="{nope}/")
    assert failed and "only the placeholders {instance_no} and {name}" in result["msg"]


def test_backup_request_waits_for_the_backup_asked_for_and_exports_it(fake_clock):
    from ansible_collections.ncp.clouddb.plugins.module_utils.manual_backup import ManualBackupModule
    api, store = world(fake_clock, CACHE, number="1101", export_key="vcache/{instance_no}/{file_name}")
    module = FakeModule(ManualBackupModule, CACHE, instance_no="1101", wait=False)
    asked = ManualBackupModule(module, CACHE, client=api, sleep=api.clock.sleep, clock=api.clock).outcome()[1]
    failed, result = run(api, store, CACHE, backup_request=asked["request"], wait=False)
    assert not failed, result
    assert result["backup"]["file_name"] == "m003" and result["backup"]["end_time"]
    assert api.exports()[0][1]["fileName"] == "m003" and result["request"]["file_name"] == "m003"
    failed, done = run(api, store, CACHE, request=result["request"])
    assert not failed and done["object"]["key"] == "vcache/1101/m003"


@pytest.mark.parametrize("option", ["request", "backup_request"])
def test_a_request_made_for_another_instance_is_refused_before_any_write(fake_clock, option):
    api, store = world(fake_clock, CACHE, number="1101")
    given = {"kind": "cache", "instance_no": "9999", "known": []} if option == "backup_request" else {
        "kind": "cache", "instance_no": "9999", "bucket": "backups", "file_name": "20261125", "before": {}}
    failed, result = run(api, store, CACHE, **{option: given})
    assert failed and "%s is for instance 9999, but this task names instance 1101" % option in result["msg"], result
    assert api.exports() == [] and result["changed"] is False


def test_backup_request_cannot_be_mixed_with_another_way_of_naming_the_backup(fake_clock):
    api, store = world(fake_clock, CACHE, number="1101")
    request = {"kind": "cache", "instance_no": "1101", "known": []}
    for extra in (dict(file_name="x"), dict(backup_type="automatic")):
        failed, result = run(api, store, CACHE, backup_request=request, **extra)
        assert failed and "backup_request names the backup to export" in result["msg"] and api.calls == []


def test_a_storage_failure_before_the_export_request_reports_changed_false(fake_clock):
    """Nothing was asked of NCP yet: changed must not say otherwise (issue 9, changed tells the truth)."""
    api, store = world(fake_clock, CACHE, number="1101")

    def denied(bucket, prefix=""):
        raise RuntimeError("AccessDenied listing %s/%s" % (bucket, prefix))

    store.list = denied
    failed, result = run(api, store, CACHE)
    assert failed and "AccessDenied" in result["msg"]
    assert api.exports() == [] and (result["changed"], result["exported"]) == (False, False)
    assert "may arrive" not in result["msg"]


# --- promises pinned by issue 16 ------------------------------------------------------------------------

def test_a_record_proves_an_export_only_for_the_backup_with_the_same_start_time(fake_clock):
    """NCP may name two backups alike: a new backup that reuses an exported file name is exported, not reported done."""
    api, store = world(fake_clock, CACHE, number="1101")
    assert not run(api, store, CACHE, file_name="20261125")[0]
    reused = next(b for b in api.backups if b["file_name"] == "20261125")
    reused.update(start=reused["start"] + HOUR, end=reused["end"] + HOUR)    # a new backup, the same name
    failed, again = run(api, store, CACHE, file_name="20261125")
    assert not failed, again
    assert again["changed"] and again["exported"] and len(api.exports()) == 2


@pytest.mark.parametrize("params", [
    dict(folder_path="/pg"), dict(folder_path="pg//x"), dict(folder_path="pg/../x"), dict(folder_path="{nope}/"),
])
def test_a_bad_folder_path_is_refused_before_any_request(fake_clock, params):
    api, store = world(fake_clock)
    failed, result = run(api, store, **params)
    assert failed and "folder_path" in result["msg"] and result["changed"] is False
    assert api.calls == [] and store.calls == []


@pytest.mark.parametrize("params", [dict(api_url="http://"), dict(object_storage_url="https://"),
                                    dict(api_url="https://"), dict(object_storage_url="http://")])
def test_a_url_with_a_scheme_and_no_host_is_refused_before_any_request(fake_clock, params):
    api, store = world(fake_clock)
    failed, result = run(api, store, folder_path="pg/", **params)
    (name,) = params
    assert failed and "%s=%r is not a URL" % (name, params[name]) in result["msg"]
    assert api.calls == [] and store.calls == []


@pytest.mark.parametrize("retention", [dict(keep_last=1), dict(keep_within="30h")])
def test_force_without_wait_and_retention_returns_a_request_and_the_later_wait_prunes(fake_clock, retention):
    api, store = world(fake_clock, days=3)
    for name in ("20261123", "20261124"):
        assert not run(api, store, folder_path="pg/", file_name=name)[0]
    failed, first = run(api, store, folder_path="pg/", force=True, wait=False, **retention)
    assert not failed, first
    assert first["changed"] and first["request"]["file_name"] == "20261125"
    failed, second = run(api, store, folder_path="pg/", request=first["request"], **retention)
    assert not failed, second
    assert second["object"]["key"] == "pg/20261125"
    assert sorted(p["file_name"] for p in second["pruned"] if p["outcome"] == "deleted") == ["20261123", "20261124"]
    assert [k for k in store.keys("backups") if ".ncp-clouddb" not in k] == ["pg/20261125"]


class Always500(requests.Session):
    """Object Storage answering every request with 500 InternalError at once."""

    def __init__(self):
        super().__init__()
        self.sent = 0

    def request(self, method, url, **kwargs):  # pylint: disable=arguments-differ
        self.sent += 1
        answer = requests.Response()
        answer.status_code = 500
        answer._content = b"<Error><Code>InternalError</Code><Message>x</Message></Error>"  # pylint: disable=protected-access
        return answer


def test_the_export_hands_its_deadline_to_the_object_storage_client(fake_clock):
    """Object Storage answering 500 with wait_timeout 10 and retry_timeout 600: the task ends by about 10 s,
    naming wait_timeout, instead of retrying for ten minutes."""
    api, _store = world(fake_clock)
    session = Always500()
    storage = ObjectStorage(Endpoint("https://kr.object.ncloudstorage.com", "kr-standard"), "AK", "SK",
                            retry_timeout=600, sleep=fake_clock.sleep, clock=fake_clock, session=session)
    failed, result = run(api, storage, folder_path="pg/", wait_timeout=10, retry_timeout=600)
    assert failed and "wait_timeout" in result["msg"] and "HTTP 500" in result["msg"], result["msg"]
    assert fake_clock.now <= 10 and session.sent > 1
