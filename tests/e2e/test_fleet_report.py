# -*- coding: utf-8 -*-
"""The backup report end to end: ansible-playbook ncp.clouddb.backup_report (through ansible-runner, as AWX
runs it) over the inventory plugin's hosts, against the simulator's report scenario, with one instance for
each verdict. Verdicts are read from the artifact ncp_clouddb_backup_report and the JSON file; the HTML page
is opened in headless Chromium when one is installed.
"""

from __future__ import annotations

import html.parser
import json
import shutil
import subprocess
import sys

import pytest

MAIN_JOB = "ncp.clouddb.backup_and_export"
REPORT = "ncp.clouddb.backup_report"
GHOST = "ghost-cache"   # an instance deleted since the inventory was written: its backups cannot be read
EXPECTED = {
    "rpt-ok-cache": "ok",
    "rpt-ok-pg": "ok",
    "rpt-stale-pg": "backup stale",
    "rpt-off-redis": "backups off",
    "rpt-noexport-cache": "no export",
    "rpt-truncated-pg": "no export",
    "rpt-old-export-pg": "export stale",
    GHOST: "unreachable",
}
INVENTORY = ("localhost ansible_connection=local ansible_python_interpreter=%s\n"
             "[ncp_clouddb]\n%s ncp_clouddb_kind=cache ncp_clouddb_instance_no=\"5999\"\n") % (sys.executable, GHOST)
INVENTORY_FILES = {
    "report.ncp_clouddb.yml": {"plugin": "ncp.clouddb.ncp_clouddb"},
    "group_vars/ncp_clouddb_cache.yml": {"backup_and_export_bucket": "cache-backups"},
    "group_vars/ncp_clouddb_redis.yml": {"backup_and_export_bucket": "cache-backups"},
    "group_vars/ncp_clouddb_postgresql.yml": {"backup_and_export_bucket": "pg-backups"},
    # backed up every third day: its own thresholds (per host)
    "host_vars/rpt-old-export-pg.yml": {"backup_and_export_max_backup_age": "3d", "backup_report_max_backup_age": "3d"},
}


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def changed_hosts(run):
    return sorted(host for host, count in (run.stats.get("changed") or {}).items() if count)


def writes_of(ncp_sim):
    """API writes and S3 writes the simulator has seen so far."""
    s3 = [r for r in ncp_sim.s3_requests() if r.get("operation") in ("PutObject", "DeleteObject", "DeleteObjects")]
    return len(ncp_sim.writes()), len(s3)


class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("class") == "row":
            self.rows.append((attrs.get("data-instance-no"), attrs.get("data-verdict")))


@pytest.mark.slow
@pytest.mark.scenario("report")
def test_the_report_gives_each_instance_its_verdict_reads_only_and_its_page_opens_in_chromium(
        ncp_sim, play, sim_bucket, tmp_path):
    # What the nightly job leaves: every instance exported, except one never scheduled.
    main = play(ncp_sim, MAIN_JOB, inventory=INVENTORY, inventory_files=INVENTORY_FILES, forks=8,
                limit="all:!rpt-noexport-cache:!%s" % GHOST)
    assert main.failed_hosts() == ["rpt-stale-pg"], main
    truncated = main.result_for("5203")["object"]["key"]
    sim_bucket.put("pg-backups", truncated, b"")

    before = writes_of(ncp_sim)
    check = play(ncp_sim, REPORT, inventory=INVENTORY, inventory_files=INVENTORY_FILES, check=True, forks=8)
    assert dict((r["host"], r["verdict"]) for r in check.artifacts.get("ncp_clouddb_backup_report", [])) == EXPECTED, check
    assert writes_of(ncp_sim) == before and changed_hosts(check) == []

    json_file, html_file = tmp_path / "report.json", tmp_path / "report.html"
    extra = {"backup_report_json_file": str(json_file), "backup_report_html_file": str(html_file)}
    first = play(ncp_sim, REPORT, inventory=INVENTORY, inventory_files=INVENTORY_FILES, extravars=extra, forks=8)
    second = play(ncp_sim, REPORT, inventory=INVENTORY, inventory_files=INVENTORY_FILES, extravars=extra, forks=8)
    assert writes_of(ncp_sim) == before, "the report never writes to NCP or Object Storage"
    assert changed_hosts(first) == [] and changed_hosts(second) == []

    results = first.artifacts["ncp_clouddb_backup_report"]
    assert dict((r["host"], r["verdict"]) for r in results) == EXPECTED
    assert [r["rank"] for r in results] == sorted(r["rank"] for r in results), "worst first"
    assert json.loads(json_file.read_text()) == second.artifacts["ncp_clouddb_backup_report"], "the file: the last run's"
    assert first.failed_hosts() == sorted(h for h, v in EXPECTED.items() if v != "ok")
    assert first.rc != 0

    by_host = dict((r["host"], r) for r in results)
    assert "was truncated to 0 bytes" in by_host["rpt-truncated-pg"]["reason"]
    assert by_host["rpt-truncated-pg"]["export"]["object_size"] == 0 and by_host["rpt-truncated-pg"]["export"]["size"] > 0
    assert by_host["rpt-old-export-pg"]["thresholds"]["max_backup_age"] == "3d"
    ok = by_host["rpt-ok-pg"]
    assert ok["export"]["key"] == "postgresql/5201/%s" % ok["backup"]["file_name"] and ok["export"]["state"] == "intact"
    assert ok["backup"]["size"] and ok["settings"] == {"backup_enabled": True, "backup_time": "03:00", "retention_days": 7}
    assert "could not read its backups" in by_host[GHOST]["reason"]

    # The page: one row per instance, worst first, the verdicts of the JSON.
    expected_rows = [(r["instance_no"] or "", r["verdict"]) for r in second.artifacts["ncp_clouddb_backup_report"]]
    page = Rows()
    page.feed(html_file.read_text())
    assert page.rows == expected_rows
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium installed (apt-get install chromium): the page was checked by parsing only")
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=%s" % (tmp_path / "profile"),
         "--dump-dom", "file://%s" % html_file], capture_output=True, text=True, timeout=120, check=True).stdout
    opened = Rows()
    opened.feed(dom)
    assert opened.rows == expected_rows, "the page as Chromium renders it"
