# -*- coding: utf-8 -*-
"""The role's and playbook's logic: result records, summary lines, and targets turned into hosts."""

from __future__ import annotations

import os

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.ncp.clouddb.plugins.filter.backup_results import (
    TARGET_KEYS, backup_and_export_result, fleet_results, fleet_summary, not_exported_reason, targets_to_hosts)

CACHE = {"kind": "cache", "instance_no": "1101", "name": None, "bucket": "cache-backups"}
INSTANCE = {"instance_no": "1101", "name": "shop-cache", "kind": "cache", "status": "running"}
BACKUP = {"file_name": "20261126", "end_time": "2026-11-26T03:00:02+0900"}


def test_a_new_backup_exported():
    steps = {"asked": {"changed": True, "request": {}, "instance": INSTANCE},
             "export_asked": {"changed": True, "exported": True, "backup": BACKUP, "instance": INSTANCE},
             "export": {"changed": False, "object": {"key": "vcache/1101/20261126"}, "instance": INSTANCE}}
    record = backup_and_export_result(steps, CACHE)
    assert (record["backup_changed"], record["backup_reused"], record["exported"]) == (True, False, True)
    assert record["summary"] == ("ok     cache      shop-cache (1101): backup 20261126 (new) -> exported to "
                                 "cache-backups/vcache/1101/20261126")


def test_a_reused_backup_already_in_the_bucket_with_prunes():
    steps = {"asked": {"changed": False, "backup": BACKUP, "reused": True, "instance": INSTANCE},
             "export_asked": {"changed": False, "exported": False, "backup": BACKUP},
             "export": {"object": {"key": "20261126"}, "pruned": [{"key": "old", "outcome": "deleted"}]},
             "pruned": {"pruned": [{"file_name": "a"}, {"file_name": "b"}]}}
    record = backup_and_export_result(steps, CACHE)
    assert record["backup_reused"] and not record["exported"]
    assert record["summary"].endswith("backup 20261126 (reused, finished 2026-11-26T03:00:02+0900) -> already in "
                                      "cache-backups/20261126; pruned 2 backup(s) and 1 export(s)")


def test_check_mode_and_no_bucket():
    record = backup_and_export_result({"asked": {"changed": True}}, dict(CACHE, bucket=None), check_mode=True)
    assert record["summary"].endswith("a new backup would be made (check mode) -> not exported (no bucket)")


@pytest.mark.parametrize("failure, step", [
    ({"action": "ncp.clouddb.ncp_backup", "msg": "is stopped"}, "backup"),
    ({"action": "ncp.clouddb.ncp_export", "msg": "bucket 'x' is not one"}, "export"),
    ({"action": "ncp.clouddb.ncp_export", "msg": "the manual backup asked for (backup_request) did not finish"},
     "backup"),
])
def test_the_failed_step_is_named(failure, step):
    record = backup_and_export_result({}, CACHE, failure=failure)
    assert record["failed"] and record["failed_step"] == step
    assert record["summary"].startswith("FAILED cache      1101: %s FAILED: " % step)


def test_a_mysql_export_reads_like_a_postgresql_one():
    mysql = {"kind": "mysql", "instance_no": "4101", "name": "billing-mysql", "bucket": "mysql-backups"}
    steps = {"export_asked": {"changed": True, "exported": True, "backup": dict(BACKUP, backup_type="automatic")},
             "export": {"object": {"key": "mysql/4101/20261126"}}}
    record = backup_and_export_result(steps, mysql)
    assert not record["backup_changed"] and not record["backup_reused"] and not record["skipped"]
    assert record["summary"] == ("ok     mysql      billing-mysql (4101): backup 20261126 (automatic, finished "
                                 "2026-11-26T03:00:02+0900) -> exported to mysql-backups/mysql/4101/20261126")


@pytest.mark.parametrize("kind, missing", [("mongodb", "objectName"), ("mssql", "fullObjectName")])
def test_a_kind_that_cannot_be_exported_is_skipped_with_the_reason_never_failed(kind, missing):
    record = backup_and_export_result({}, {"kind": kind, "instance_no": "6101", "name": "x"})
    assert record["skipped"] and not record["failed"] and missing in record["skip_reason"]
    assert record["summary"].startswith("skipped %-10s x (6101): not backed up or exported: " % kind)
    headline = fleet_summary([record, backup_and_export_result({}, CACHE, failure={"msg": "boom"})])[0]
    assert headline == "2 instance(s): 0 ok, 1 failed, 1 skipped (a kind that cannot be exported)"
    assert [not_exported_reason(k) for k in ("cache", "redis", "postgresql", "mysql")] == [""] * 4


def test_a_mongodb_target_is_refused_before_any_request():
    with pytest.raises(AnsibleFilterError) as caught:
        targets_to_hosts([{"kind": "mongodb", "instance_no": "6101"}], "b")
    assert "kind must be one of cache, redis, postgresql, mysql, got 'mongodb' (mongodb instances are not backed up " \
           "or exported: its export" in str(caught.value) and "objectName" in str(caught.value)


def test_mysql_targets_take_the_postgresql_options_and_need_a_bucket():
    with pytest.raises(AnsibleFilterError) as caught:
        targets_to_hosts([{"kind": "mysql", "instance_no": "4101", "max_age": "1h"}])
    assert "max_age is for cache and redis targets only" in str(caught.value) and "no bucket" in str(caught.value)
    (host,) = targets_to_hosts([{"kind": "mysql", "instance_no": "4101", "folder_path": "db/{instance_no}/"}], "b")
    assert host["vars"]["backup_and_export_folder_path"] == "db/{instance_no}/"


def test_a_missing_instance_is_explained_in_role_terms():
    failure = {"action": "ncp.clouddb.ncp_backup", "msg": "one of the following is required: instance_no, instance_name"}
    assert "set ncp_clouddb_instance_no or ncp_clouddb_name" in backup_and_export_result({}, CACHE, failure)["error"]


def test_fleet_results_and_summary_name_every_host():
    hostvars = {"a": {"backup_and_export_result": {"failed": False, "summary": "ok a"}}, "b": {}}
    results = fleet_results(["a", "b"], hostvars)
    assert [r["host"] for r in results] == ["a", "b"] and results[1]["failed"]
    assert fleet_summary(results, check_mode=True)[0] == "2 instance(s): 1 ok, 1 failed (check mode: nothing was changed)"


def test_targets_become_hosts_with_the_inventory_variables():
    hosts = targets_to_hosts([{"kind": "cache", "instance_name": "shop-cache", "max_age": "1h"},
                              {"kind": "postgresql", "instance_no": "3101", "region": "JPN", "folder_path": ""}],
                             "default-bucket")
    assert hosts == [
        {"name": "shop-cache", "vars": {"ncp_clouddb_kind": "cache", "ncp_clouddb_name": "shop-cache",
                                        "backup_and_export_bucket": "default-bucket",
                                        "backup_and_export_max_age": "1h"}},
        {"name": "postgresql-3101", "vars": {"ncp_clouddb_kind": "postgresql", "ncp_clouddb_instance_no": "3101",
                                             "backup_and_export_bucket": "default-bucket", "ncp_clouddb_region": "JPN",
                                             "backup_and_export_folder_path": ""}}]


def test_every_problem_of_a_targets_list_is_named_at_once():
    with pytest.raises(AnsibleFilterError) as caught:
        targets_to_hosts([{"kind": "mysql"}, {"kind": "cache"}, {"kind": "postgresql", "instance_no": "1"}])
    text = str(caught.value)
    assert "target 1" in text and "target 2" in text and "target 3" in text and "no bucket" in text


def test_the_playbook_hands_every_target_variable_to_its_host():
    """playbooks/backup_and_export.yml copies each variable targets_to_hosts may set onto the host it adds
    (add_host names them one by one): a target key added to the filter but not there would be dropped."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__)))))
    with open(os.path.join(root, "playbooks", "backup_and_export.yml"), encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    (add_host,) = [task["ansible.builtin.add_host"] for play in plays for task in play.get("tasks", [])
                   if "ansible.builtin.add_host" in task and task["ansible.builtin.add_host"].get("groups") ==
                   "ncp_clouddb_targets"]
    handed = set(add_host) - {"name", "groups", "ansible_connection", "ansible_python_interpreter"}
    settable = set(TARGET_KEYS.values()) | {"ncp_clouddb_kind", "ncp_clouddb_instance_no", "ncp_clouddb_name"}
    assert handed == settable
    for variable in settable:
        assert "item.vars.%s" % variable in add_host[variable]
