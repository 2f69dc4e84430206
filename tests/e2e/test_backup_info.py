# -*- coding: utf-8 -*-
"""The info modules: newest first, filters, read-only, and the PostgreSQL list followed across pages."""

from __future__ import annotations

import copy

import pytest


def test_cache_info_lists_manual_and_automatic_newest_first(ncp_sim, run_task, sim_instance):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_cache_backup_info", {"instance_name": "cache-prod-1"}, check=True)
    assert not run.failed and run.result["changed"] is False, run.output
    backups = run.result["backups"]
    instance = sim_instance("vcache", "1001")
    assert len(backups) == len(instance["manual_backups"]) + len(instance["automatic_backups"])
    assert {b["backup_type"] for b in backups} == {"manual", "automatic"}
    ends = [b["end_time"] for b in backups]
    assert ends == sorted(ends, reverse=True)
    assert ncp_sim.writes() == []


@pytest.mark.parametrize("module, number", [("ncp.clouddb.ncp_cache_backup_info", "1001"),
                                            ("ncp.clouddb.ncp_redis_backup_info", "2001")])
def test_type_and_age_filters(ncp_sim, run_task, module, number):
    manual = run_task(ncp_sim, module, {"instance_no": number, "backup_type": "manual"})
    assert manual.result["backups"] and {b["backup_type"] for b in manual.result["backups"]} == {"manual"}
    recent = run_task(ncp_sim, module, {"instance_no": number, "newer_than": "12h"})
    assert [b["backup_type"] for b in recent.result["backups"]] == ["automatic"]


def test_postgresql_info_returns_every_page(ncp_sim, run_task, sim_instance):
    many = copy.deepcopy(ncp_sim.scenario)
    (pg,) = [i for i in many["instances"] if i["instance_no"] == "3001"]
    pg["automatic_backup_series"] = {"count": 250, "every": "6h", "newest": "-1h"}
    ncp_sim.reset(many)
    run = run_task(ncp_sim, "ncp.clouddb.ncp_postgresql_backup_info", {"instance_name": "pg-prod-1"})
    assert not run.failed, run.output
    assert len(run.result["backups"]) == len(sim_instance("vpostgresql", "3001")["automatic_backups"]) == 250
    pages = [e["params"]["pageNo"] for e in ncp_sim.requests("getCloudPostgresqlBackupDetailList")]
    assert pages == ["0", "1", "2"]
    ends = [b["end_time"] for b in run.result["backups"]]
    assert ends == sorted(ends, reverse=True)


def test_info_works_on_a_stopped_instance_and_rejects_a_bad_duration(ncp_sim, run_task):
    run = run_task(ncp_sim, "ncp.clouddb.ncp_redis_backup_info", {"instance_name": "redis-stopped"})
    assert not run.failed and run.result["instance"]["status"] == "stopped"
    bad = run_task(ncp_sim, "ncp.clouddb.ncp_redis_backup_info", {"instance_name": "redis-stopped", "newer_than": "x"})
    assert bad.failed and "newer_than='x' is not a duration" in bad.msg
