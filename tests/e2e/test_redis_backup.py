# -*- coding: utf-8 -*-
"""ncp_redis_backup: the same behaviour as ncp_cache_backup over the v1 API's names."""

from __future__ import annotations

MODULE = "ncp.clouddb.ncp_redis_backup"


def test_create_reuse_and_check_mode_on_the_v1_api(ncp_sim, run_task):
    check = run_task(ncp_sim, MODULE, {"instance_name": "redis-prod-1", "max_age": "1h"}, check=True)
    assert check.result["changed"] and ncp_sim.writes() == []
    first = run_task(ncp_sim, MODULE, {"instance_name": "redis-prod-1", "max_age": "1h"})
    assert not first.failed and first.result["changed"], first.output
    (create,) = ncp_sim.writes()
    assert (create["path"], create["params"]["cloudRedisInstanceNo"]) == ("/vredis/v2/createCloudRedisManualBackup", "2001")
    assert first.result["instance"]["kind"] == "redis"
    second = run_task(ncp_sim, MODULE, {"instance_no": "2001", "max_age": "1h"})
    assert second.result["reused"] and second.result["backup"]["file_name"] == first.result["backup"]["file_name"]
    assert len(ncp_sim.writes()) == 1


def test_stopped_redis_instance_is_refused(ncp_sim, run_task):
    run = run_task(ncp_sim, MODULE, {"instance_name": "redis-stopped"})
    assert run.failed and "Cloud DB for Redis" in run.msg and "is stopped, not running" in run.msg
