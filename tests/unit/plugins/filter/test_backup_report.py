# -*- coding: utf-8 -*-
"""The backup report's rules: one verdict per instance from its backups, exports and NCP settings."""

from __future__ import annotations

import html.parser

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.ncp.clouddb.plugins.filter.backup_report import (
    backup_report_html, backup_report_result, backup_report_results, backup_report_summary, readable_age,
    readable_size)

NOW = "2026-11-26T12:00:00Z"           # 21:00 KST
LIMITS = {"max_backup_age": "26h", "max_export_age": "50h"}
TARGET = {"kind": "postgresql", "instance_no": "3101", "name": "orders-db", "bucket": "pg-backups",
          "backup_enabled": True, "backup_time": "03:00", "retention_days": 7}


def backups(*end_times):
    return {"changed": False, "backups": [
        {"file_name": t[:10].replace("-", ""), "end_time": t, "backup_size": 1536 * 1024 * 1024, "backup_type": "automatic"}
        for t in end_times]}


def exports(*entries):
    """entries: (end_time, state, object size)."""
    return {"changed": False, "exports": [
        {"file_name": t[:10].replace("-", ""), "end_time": t, "key": "postgresql/3101/" + t[:10].replace("-", ""),
         "size": 100, "exported_at": "2026-11-26T01:00:00Z", "checked": True, "state": state,
         "object": None if state == "gone" else {"size": size}} for t, state, size in entries]}


FRESH = "2026-11-26T03:00:40+0900"     # 17 h 59 min before NOW
OLD = "2026-11-24T03:00:40+0900"       # 65 h 59 min before NOW


def verdict(steps, target=None, failure=None, limits=None):
    return backup_report_result(steps, dict(TARGET, **(target or {})), limits or LIMITS, failure=failure, now=NOW)


def test_backed_up_and_exported_recently_is_ok():
    record = verdict({"backups": backups(FRESH, OLD), "exports": exports((FRESH, "intact", 100))})
    assert (record["verdict"], record["ok"]) == ("ok", True)
    assert record["backup"]["age"] == "17 h 59 min" and record["backup"]["size"] == 1610612736
    assert record["export"]["key"] == "postgresql/3101/20261126" and record["export"]["state"] == "intact"
    assert record["summary"].startswith("ok           postgresql orders-db (3101): backup 20261126, 17 h 59 min ago, 1.5 GiB")


@pytest.mark.parametrize("steps, target, expected, words", [
    ({"backups": backups(OLD), "exports": exports((OLD, "intact", 100))}, {}, "backup stale", "over max_backup_age=26h"),
    ({"backups": backups(), "exports": exports()}, {}, "backup stale", "no finished backup"),
    ({"backups": backups(FRESH), "exports": exports((FRESH, "intact", 100))}, {"backup_enabled": False},
     "backups off", "switched off"),
    ({"backups": backups(FRESH), "exports": exports()}, {}, "no export", "no export recorded in bucket pg-backups"),
    ({"backups": backups(FRESH), "exports": exports((FRESH, "gone", None))}, {}, "no export", "is gone"),
    ({"backups": backups(FRESH), "exports": exports((FRESH, "truncated", 0), (OLD, "intact", 100))}, {}, "no export",
     "was truncated to 0 bytes of 100 bytes"),
    ({"backups": backups(FRESH), "exports": exports((FRESH, "replaced", 100))}, {}, "no export", "replaced"),
    ({"backups": backups(FRESH), "exports": exports(("2026-11-23T03:00:40+0900", "intact", 100))}, {}, "export stale",
     "over max_export_age=50h"),
])
def test_each_bad_verdict(steps, target, expected, words):
    record = verdict(steps, target)
    assert record["verdict"] == expected and not record["ok"]
    assert words in record["reason"] and words in record["summary"]


def test_a_failed_read_is_unreachable_and_outranks_everything():
    record = verdict({"backups": backups(FRESH)}, {"backup_enabled": False},
                     failure={"action": "ncp.clouddb.ncp_export_info", "msg": "Object Storage call failed"})
    assert record["verdict"] == "unreachable" and "could not read its exports: Object Storage call failed" in record["reason"]


def test_backups_off_outranks_a_stale_backup_and_stale_outranks_no_export():
    assert verdict({"backups": backups(OLD), "exports": exports()}, {"backup_enabled": False})["verdict"] == "backups off"
    assert verdict({"backups": backups(OLD), "exports": exports()})["verdict"] == "backup stale"


def test_without_a_bucket_exports_are_not_judged():
    record = verdict({"backups": backups(FRESH), "exports": {"skipped": True}}, {"bucket": None})
    assert record["verdict"] == "ok" and "exports not checked (no bucket)" in record["summary"]


def test_thresholds_are_per_call_so_per_host_or_kind():
    steps = {"backups": backups(OLD), "exports": exports((OLD, "intact", 100))}
    assert verdict(steps, limits={"max_backup_age": "3d", "max_export_age": "3d"})["verdict"] == "ok"
    assert verdict(steps, limits={"max_backup_age": "3d", "max_export_age": "2d"})["verdict"] == "export stale"


def test_a_threshold_that_is_no_duration_is_an_error():
    with pytest.raises(AnsibleFilterError, match="backup_report_max_backup_age='a day' is not a duration"):
        verdict({"backups": backups(FRESH)}, limits={"max_backup_age": "a day", "max_export_age": "1d"})


def test_readable_ages_and_sizes():
    assert [readable_age(s) for s in (5, 600, 3600, 7260, 86400, 97200, None)] == [
        "5 s", "10 min", "1 h", "2 h 1 min", "1 d", "1 d 3 h", None]
    assert [readable_size(s) for s in (0, 2048, 734003200, 3 * 2 ** 40, None)] == [
        "0 bytes", "2.0 KiB", "700 MiB", "3.0 TiB", None]


def records():
    return [verdict({"backups": backups(FRESH), "exports": exports((FRESH, "intact", 100))}, {"name": "a-ok"}),
            verdict({"backups": backups(OLD), "exports": exports()}, {"name": "b-stale", "instance_no": "3102"}),
            verdict({"backups": backups(FRESH), "exports": exports()}, {"name": "c-none", "instance_no": "3103"})]


def test_results_are_worst_first_and_a_host_without_a_record_is_unreachable():
    hostvars = dict(("h%d" % i, {"backup_report_result": r}) for i, r in enumerate(records()))
    hostvars["lost"] = {}
    results = backup_report_results(["h0", "h1", "h2", "lost"], hostvars)
    assert [(r["host"], r["verdict"]) for r in results] == [
        ("lost", "unreachable"), ("h1", "backup stale"), ("h2", "no export"), ("h0", "ok")]
    lines = backup_report_summary(results)
    assert lines[0] == "4 instance(s): 1 unreachable, 1 backup stale, 1 no export, 1 ok"
    assert lines[1:] == [r["summary"] for r in results]


class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.external = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("class") == "row":
            self.rows.append((attrs["data-instance-no"], attrs["data-verdict"]))
        if tag in ("script", "link", "img", "iframe") or attrs.get("src") or attrs.get("href"):
            self.external.append(tag)


def test_the_html_page_has_one_row_per_instance_worst_first_and_no_external_asset():
    page = backup_report_html(records() + [dict(records()[0], instance_name="<b>&x", instance_no="9")],
                              title="Fleet", generated_at=NOW)
    parser = Rows()
    parser.feed(page)
    assert parser.rows == [("3102", "backup stale"), ("3103", "no export"), ("9", "ok"), ("3101", "ok")]
    assert parser.external == []
    assert "&lt;b&gt;&amp;x" in page and "<b>&x" not in page
    assert ".v-backup-stale { background:" in page and "generated 2026-11-26 12:00 UTC" in page
