# -*- coding: utf-8 -*-
"""Exports into a shared landing key (the bucket root, date file names shared by every instance) take
turns through claims in the bucket and end at their instance's own key: the queue's order, expiry,
wait=false and request, lost answers to the copy and the delete, a file that never arrives."""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils import export_move
from ansible_collections.ncp.clouddb.plugins.module_utils.backup_export import ExportModule
from ansible_collections.ncp.clouddb.plugins.module_utils.export_claims import Claims
from ansible_collections.ncp.clouddb.plugins.module_utils.services import CACHE, REDIS
from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.fakes import FakeApi, FakeModule, FakeStore

EPOCH = 1_800_000_000.0
HOUR = 3600.0
FILE = "20261125"
CLAIMS = ".ncp-clouddb/claims/%s/" % FILE


class Fleet:
    """Several instances exporting into one bucket, each backup named by the same date."""

    def __init__(self, clock, numbers, service=CACHE):
        self.clock = clock
        self.store = FakeStore(clock)
        self.store.api = self
        self.apis = {}
        for number in numbers:
            api = FakeApi(clock, service, instance_no=number, name="c-%s" % number, store=self.store)
            api.backups.append({"file_name": FILE, "start": -2 * HOUR, "end": -HOUR, "kind": "manual"})
            self.apis[number] = api
        self.service = service

    def _tick(self):
        for api in self.apis.values():
            api._tick()  # pylint: disable=protected-access

    def wall(self):
        return EPOCH + self.clock.now

    def run(self, number, check_mode=False, **params):
        params.setdefault("instance_no", number)
        params.setdefault("bucket", "backups")
        params.setdefault("file_name", FILE)
        module = FakeModule(ExportModule, self.service, check_mode=check_mode, **params)
        core = ExportModule(module, self.service, store=self.store, client=self.apis[number], sleep=self.clock.sleep,
                            clock=self.clock, wall=self.wall)
        failed, result = core.outcome()
        result["warned"] = module.warnings
        return failed, result

    def exports(self):
        return sum(len(api.exports()) for api in self.apis.values())

    def claims(self):
        return [k for k in self.store.keys("backups") if k.startswith(CLAIMS)]

    def body(self, key):
        return self.store.objects[("backups", key)]["body"]


NUMBERS = ["11%02d" % n for n in range(1, 11)]


def test_same_named_exports_asked_together_each_end_at_their_own_key_with_their_own_content(fake_clock):
    fleet = Fleet(fake_clock, NUMBERS)
    asked = {}
    for number in NUMBERS:  # the role's ask step: every instance at once, wait=false
        failed, result = fleet.run(number, wait=False)
        assert not failed, result
        assert result["changed"] and result["exported"]
        asked[number] = result
    assert fleet.exports() == 1, "only the first claim's export is asked for; the rest are queued"
    assert sum(bool(r.get("queued")) for r in asked.values()) == 9
    assert len(fleet.claims()) == 10

    for number in NUMBERS:  # the role's wait step
        failed, result = fleet.run(number, request=asked[number]["request"])
        assert not failed, result
        assert result["object"]["key"] == "cache/%s/%s" % (number, FILE)
        assert result["landed_key"] == FILE

    assert fleet.exports() == 10
    keys = fleet.store.keys("backups")
    assert FILE not in keys and fleet.claims() == []
    for number in NUMBERS:
        assert fleet.body("cache/%s/%s" % (number, FILE)).startswith(number + "/"), "its own content"

    for number in NUMBERS:  # the second run exports nothing
        failed, result = fleet.run(number)
        assert not failed and not result["changed"] and result["object"]["key"] == "cache/%s/%s" % (number, FILE)
    assert fleet.exports() == 10


def test_a_wait_true_export_moves_its_file_and_leaves_no_claim_and_redis_uses_its_kind(fake_clock):
    fleet = Fleet(fake_clock, ["2101"], service=REDIS)
    failed, result = fleet.run("2101")
    assert not failed, result
    assert result["object"]["key"] == "redis/2101/%s" % FILE
    assert fleet.claims() == [] and FILE not in fleet.store.keys("backups")
    assert [c[0] for c in fleet.store.calls].count("copy") == 1


def test_the_queue_order_is_created_then_instance_and_expired_claims_are_passed_over(fake_clock):
    store = FakeStore(fake_clock)
    now = [EPOCH]
    claims = Claims(store, "backups", "", FILE, lambda: now[0])
    later = claims.write("cache", "1102", ttl=100)
    now[0] += 5
    mine = claims.write("cache", "1101", ttl=100, created=later.created - 1)  # made earlier, by another host's clock
    assert claims.first(mine) is True and claims.first(later) is None
    assert claims.last_ahead.instance_no == "1101"
    same_moment = claims.write("cache", "1100", ttl=100, created=mine.created)
    assert claims.first(same_moment) is True and claims.first(mine) is None, "ties go by instance number"
    now[0] += 200  # all three expired: the next claim never waits for them
    newest = claims.write("redis", "2101", ttl=100)
    assert claims.first(newest) is True
    assert claims.renew(mine, 100) is None, "an expired claim is never revived"


def test_a_claim_not_listed_yet_never_counts_as_first(fake_clock):
    store = FakeStore(fake_clock)
    claims = Claims(store, "backups", "", FILE, lambda: EPOCH)
    mine = claims.write("cache", "1101", ttl=100)
    store.objects.pop(("backups", mine.key))  # a listing that lags behind the write
    assert claims.first(mine) is None


def test_a_claim_left_by_a_killed_run_is_passed_over_after_it_expires(fake_clock):
    fleet = Fleet(fake_clock, ["1101", "1102"])
    Claims(fleet.store, "backups", "", FILE, fleet.wall).write("cache", "1102", ttl=300)  # its run was killed
    fake_clock.sleep(1)
    failed, result = fleet.run("1101", wait_timeout=1800)
    assert not failed, result
    assert result["object"]["key"] == "cache/1101/" + FILE
    assert fake_clock.now >= 300, "it waited for the dead run's claim to expire"
    assert fleet.claims() == [k for k in fleet.claims() if "-1102-" in k], "only the dead claim is left"


def test_waiting_for_the_turn_counts_against_wait_timeout_and_names_whose_claim(fake_clock):
    fleet = Fleet(fake_clock, ["1101", "1102"])
    Claims(fleet.store, "backups", "", FILE, fleet.wall).write("cache", "1102", ttl=3000)
    fake_clock.sleep(1)
    failed, result = fleet.run("1101", wait_timeout=120)
    assert failed and not result["changed"] and not result["exported"]
    assert "cache instance 1102" in result["msg"] and "wait_timeout=120" in result["msg"]
    assert fleet.exports() == 0 and [k for k in fleet.claims() if "-1101-" in k] == []


def test_a_lost_answer_to_the_copy_is_settled_by_looking(fake_clock):
    fleet = Fleet(fake_clock, ["1101"])
    fleet.store.faults["copy"] = ["lose"]
    failed, result = fleet.run("1101")
    assert not failed, result
    assert result["object"]["key"] == "cache/1101/" + FILE and FILE not in fleet.store.keys("backups")


def test_a_copy_that_never_happened_fails_records_nothing_and_the_next_run_exports_again(fake_clock):
    fleet = Fleet(fake_clock, ["1101"])
    fleet.store.faults["copy"] = ["drop"]
    failed, result = fleet.run("1101")
    assert failed and result["changed"] and "the copy is not there" in result["msg"]
    assert FILE in fleet.store.keys("backups") and fleet.claims() == []
    failed, again = fleet.run("1101")
    assert not failed and again["exported"] and again["object"]["key"] == "cache/1101/" + FILE
    assert fleet.exports() == 2


def test_a_lost_answer_to_the_delete_is_settled_by_looking(fake_clock):
    fleet = Fleet(fake_clock, ["1101"])
    fleet.store.faults["delete"] = ["lose"]
    failed, result = fleet.run("1101")
    assert not failed and result["warned"] == [], result
    assert FILE not in fleet.store.keys("backups")


def test_a_delete_that_failed_leaves_the_shared_key_with_a_warning_and_the_copy_recorded(fake_clock):
    fleet = Fleet(fake_clock, ["1101"])
    fleet.store.faults["delete"] = ["drop"]
    failed, result = fleet.run("1101")
    assert not failed and result["object"]["key"] == "cache/1101/" + FILE
    assert any("deleting the shared key" in w for w in result["warned"])
    failed, again = fleet.run("1101")
    assert not failed and not again["changed"], "recorded at the instance's key"


def test_a_file_that_never_arrives_fails_and_removes_the_claim(fake_clock):
    fleet = Fleet(fake_clock, ["1101", "1102"])
    fleet.apis["1101"].export_seconds = 10 * HOUR
    failed, result = fleet.run("1101", wait_timeout=300)
    assert failed and result["changed"] and "not in the bucket within" in result["msg"]
    assert fleet.claims() == []
    failed, other = fleet.run("1102")
    assert not failed and other["object"]["key"] == "cache/1102/" + FILE, "the next export is not held up"


def test_check_mode_writes_no_claim(fake_clock):
    fleet = Fleet(fake_clock, ["1101"])
    failed, result = fleet.run("1101", check_mode=True)
    assert not failed and result["changed"]
    assert fleet.store.keys("backups") == [] and not any(c[0] in ("put", "copy") for c in fleet.store.calls)


def test_claims_never_count_as_exports_in_retention_or_landing(fake_clock):
    fleet = Fleet(fake_clock, ["1101", "1102"])
    api = fleet.apis["1101"]
    api.backups.insert(0, {"file_name": "20261124", "start": -26 * HOUR, "end": -25 * HOUR, "kind": "manual"})
    assert not fleet.run("1101", file_name="20261124")[0]
    assert not fleet.run("1101")[0]
    queued = fleet.run("1102", wait=False)[1]
    other = Claims(fleet.store, "backups", "", FILE, fleet.wall).write("cache", "1101", ttl=10)
    fake_clock.sleep(20)  # that claim expired; 1102's did not
    failed, result = fleet.run("1101", keep_last=1)
    assert not failed, result
    assert result["object"]["key"] == "cache/1101/" + FILE
    assert [p["key"] for p in result["pruned"]] == ["cache/1101/20261124"]
    assert result["kept"] == ["cache/1101/" + FILE]
    assert other.key in fleet.store.keys("backups") and queued["request"]["claim"]["key"] in fleet.store.keys("backups")


def test_move_to_instance_key_false_leaves_the_file_and_warns(fake_clock):
    fleet = Fleet(fake_clock, ["1101"])
    failed, result = fleet.run("1101", move_to_instance_key=False)
    assert not failed and result["object"]["key"] == FILE
    assert any("replaces it" in w for w in result["warned"])
    assert fleet.claims() == []


def test_a_file_too_big_for_one_copy_fails_clearly(fake_clock, monkeypatch):
    monkeypatch.setattr(export_move, "SINGLE_COPY_LIMIT", 3)
    fleet = Fleet(fake_clock, ["1101"])
    failed, result = fleet.run("1101")
    assert failed and "UploadPartCopy" in result["msg"] and "move_to_instance_key: false" in result["msg"]
    assert FILE in fleet.store.keys("backups") and fleet.claims() == []


@pytest.mark.parametrize("layout", ["vcache/{instance_no}/{file_name}"])
def test_a_landing_that_names_the_instance_takes_no_turn_and_is_not_moved(fake_clock, layout):
    fleet = Fleet(fake_clock, ["1101"])
    fleet.apis["1101"].export_key = layout
    failed, result = fleet.run("1101")  # the first export into the bucket: nothing learned yet
    assert not failed and result["object"]["key"] == "vcache/1101/" + FILE
    fleet.store.calls.clear()
    failed, result = fleet.run("1101", force=True)
    assert not failed and result["exported"] and result["object"]["key"] == "vcache/1101/" + FILE
    assert not any(c[1].startswith(".ncp-clouddb/claims/") for c in fleet.store.calls)
    assert "copy" not in [c[0] for c in fleet.store.calls]


def test_a_queued_export_stops_waiting_once_a_layout_naming_the_instance_is_learned(fake_clock):
    """The first exports into a bucket know nothing of the layout and queue; once one has landed at a key
    with its instance number in it, the others need no turn."""
    fleet = Fleet(fake_clock, ["1101", "1102"])
    for api in fleet.apis.values():
        api.export_key = "vcache/{instance_no}/{file_name}"
    first = fleet.run("1101", wait=False)[1]
    fake_clock.sleep(1)
    Claims(fleet.store, "backups", "", FILE, fleet.wall).write("cache", "1100", ttl=3000)  # a dead run's, in between
    fake_clock.sleep(1)
    queued = fleet.run("1102", wait=False)[1]
    assert queued["queued"] and fleet.exports() == 1
    assert not fleet.run("1101", request=first["request"])[0]
    started = fake_clock.now
    failed, result = fleet.run("1102", request=queued["request"], wait_timeout=600)
    assert not failed, result
    assert result["object"]["key"] == "vcache/1102/" + FILE and "landed_key" not in result
    assert fake_clock.now - started < 60, "it did not wait for the dead run's claim"
    assert [k for k in fleet.claims() if "-1100-" not in k] == []


def test_a_refused_copy_fails_and_names_the_way_out(fake_clock):
    from ansible_collections.ncp.clouddb.plugins.module_utils.s3 import S3Error
    fleet = Fleet(fake_clock, ["1101"])
    fleet.store.faults["copy"] = [S3Error("CopyObject", 501, "NotImplemented", "not documented", "https://x")]
    failed, result = fleet.run("1101")
    assert failed and "was refused" in result["msg"] and "move_to_instance_key: false" in result["msg"]
    assert FILE in fleet.store.keys("backups") and fleet.claims() == []
