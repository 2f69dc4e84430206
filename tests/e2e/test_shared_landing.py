# -*- coding: utf-8 -*-
"""Cache and Redis exports on the simulator's default layout: NCP lands every export at the bucket root
under its file name, and the file names are dates shared by every instance. The playbook over the
fleet (its cache and redis instances, all exporting into one bucket) must end with every instance's own
export at its own key, holding its own content; and two AWX slices running at once must not undo that.

The claims' order, expiry, lost answers and check mode are unit tests
(tests/unit/plugins/module_utils/test_export_claims.py); here only the fleet and the slices.
"""

from __future__ import annotations

import concurrent.futures
import copy
import json

import pytest

from ansible_collections.ncp.clouddb.tests.conftest import load_scenario
from ansible_collections.ncp.clouddb.tests.e2e.test_awx_runner import awx_environment
from ansible_collections.ncp.clouddb.tests.e2e.test_roles import BROKEN, EXPORT, PLAYBOOK, fleet_inventory, kind_of

BUCKET = "fleet-cache-backups"


def shared_fleet():
    """The fleet scenario with the simulator's default layout (exports land at <file_name>), cache and redis only."""
    scenario = copy.deepcopy(load_scenario("fleet"))
    scenario["settings"].pop("export_key_template", None)
    scenario["instances"] = [i for i in scenario["instances"] if i["service"] in ("vcache", "vredis")]
    return scenario


def healthy(ncp_sim):
    return [i for i in ncp_sim.scenario["instances"] if i["name"] not in BROKEN]


def inventory():
    return fleet_inventory(exclude=BROKEN)


def assert_each_export_is_its_own(ncp_sim, sim_bucket, results):
    """Every instance: one export asked for, its object at <kind>/<number>/<file>, holding its own backup;
    nothing left at a shared key and no claim left behind."""
    writes = ncp_sim.applied_writes()
    keys = sim_bucket.keys(BUCKET)
    for instance in healthy(ncp_sim):
        number, kind = str(instance["instance_no"]), kind_of(instance)
        result = [r for r in results if str(r["instance_no"]) == number]
        assert len(result) == 1 and not result[0]["failed"], result
        file_name = result[0]["backup"]["file_name"]
        assert writes[(EXPORT, number)] == 1, "instance %s exported %d times" % (number, writes[(EXPORT, number)])
        key = "%s/%s/%s" % (kind, number, file_name)
        assert result[0]["object"]["key"] == key
        body = json.loads(sim_bucket.get(BUCKET, key)[0])
        assert (body["service"], body["instance_no"], body["file_name"]) == (instance["service"], number, file_name)
        assert [k for k in keys if k.startswith("%s/%s/" % (kind, number))] == [key], "one object per instance"
    assert not [k for k in keys if "/" not in k], "nothing left at the shared root key"
    assert not [k for k in keys if ".ncp-clouddb/claims/" in k], "no claim left behind"


@pytest.mark.slow
@pytest.mark.scenario(shared_fleet())
def test_a_fleet_sharing_one_root_key_ends_with_every_export_at_its_own_key(ncp_sim, play, sim_bucket):
    instances = healthy(ncp_sim)
    assert len(instances) >= 10
    first = play(ncp_sim, PLAYBOOK, inventory_files=inventory())
    assert first.rc == 0, first.failures()
    names = set(r["backup"]["file_name"] for r in first.results)
    assert len(names) < len(instances), "the instances share file names (the point of the test)"
    assert_each_export_is_its_own(ncp_sim, sim_bucket, first.results)

    writes = ncp_sim.applied_writes()
    second = play(ncp_sim, PLAYBOOK, inventory_files=inventory())
    assert second.rc == 0, second.failures()
    assert ncp_sim.applied_writes() == writes, "the second run exported (or backed up) again"
    assert not any(r["exported"] for r in second.results)


@pytest.mark.slow
@pytest.mark.scenario(shared_fleet())
def test_two_job_slices_at_once_with_their_own_temp_folders_export_each_instance_once(
        ncp_sim, play, sim_bucket, tmp_path):
    """Two AWX execution nodes: separate processes and temp folders, nothing shared but the bucket."""
    names = sorted(i["name"] for i in healthy(ncp_sim))
    slices = [names[0::2], names[1::2]]

    def run(index):
        temp = tmp_path / ("node%d" % index)
        temp.mkdir()
        env = dict(awx_environment(ncp_sim), TMPDIR=str(temp), ANSIBLE_LOCAL_TEMP=str(temp / "local"),
                   ANSIBLE_REMOTE_TEMP=str(temp / "remote"))
        return play(ncp_sim, PLAYBOOK, sim_env=False, env=env, inventory_files=inventory(),
                    limit=":".join(slices[index]))

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(run, range(2)))
    for one in runs:
        assert (one.status, one.rc) == ("successful", 0), one.failures()
    assert_each_export_is_its_own(ncp_sim, sim_bucket, runs[0].results + runs[1].results)
