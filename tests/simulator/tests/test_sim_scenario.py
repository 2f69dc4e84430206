# -*- coding: utf-8 -*-
"""Scenario loading and relative times (in-process, no server)."""

import datetime

import pytest

from ncpsim import scenario
from ncpsim.clock import KST, Clock, format_date, parse_date
from ncpsim.world import new_file_name


def test_relative_and_absolute_times():
    clock = Clock()
    now = clock.now()
    assert abs((clock.resolve("-2h") - now).total_seconds() + 7200) < 2
    assert abs((clock.resolve("+1d") - now).total_seconds() - 86400) < 2
    moment = clock.resolve("2024-07-02T11:58:45+0900")
    assert format_date(moment) == "2024-07-02T11:58:45+0900"
    assert clock.resolve("2024-07-02T02:58:45+00:00") == moment
    assert parse_date("2024-07-02T11:58:45+0900").tzinfo is not None


def test_offset_moves_now():
    clock = Clock()
    before = clock.now()
    clock.set_offset(3600)
    assert 3590 < (clock.now() - before).total_seconds() < 3610


def test_bundled_scenarios_load():
    for name, services in (("default", {"vcache", "vredis", "vpostgresql"}),
                           ("demo", {"vcache", "vredis", "vpostgresql", "vmysql", "vmongodb", "vmssql"})):
        data = scenario.load(name)
        assert data["credentials"][0]["access_key"] == "NCPSIM-ACCESS-KEY"
        assert {i["service"] for i in data["instances"]} == services


@pytest.mark.parametrize("bad", [
    {"instances": [{"service": "voracle", "instance_no": "1"}]},
    {"instances": [{"service": "vcache"}]},
    {"instances": [{"service": "vcache", "instance_no": "1"}, {"service": "vcache", "instance_no": "1"}]},
    {"instances": [{"service": "vcache", "instance_no": "1", "colour": "red"}]},
    {"credentials": [{"access_key": "x"}]},
    {"surprise": True},
])
def test_bad_scenarios_are_refused(bad):
    with pytest.raises(scenario.ScenarioError):
        scenario.load(bad)


def test_series_and_file_names():
    specs = scenario.expand_series({"count": 3, "every": "24h", "newest": "-1h"}, Clock())
    assert len(specs) == 3 and specs[0]["start_time"] < specs[-1]["start_time"]
    start = datetime.datetime(2024, 7, 2, 11, 58, 45, tzinfo=KST)
    assert new_file_name(set(), start) == "20240702"
    assert new_file_name({"20240702"}, start) == "20240702_115845"
    assert new_file_name({"20240702", "20240702_115845"}, start) == "20240702_115845_2"


@pytest.mark.parametrize("bad", [
    {"settings": {"list_oder": "oldest_first"}},
    {"settings": {"postgresql_folder_path": "maybe"}},
    {"settings": {"objectstorage_list_objects_v2": "yes"}},
    {"instances": [{"service": "vcache", "instance_no": "1", "status": "asleep"}]},
    {"instances": [{"service": "vredis", "instance_no": "1", "status": "reinstalling"}]},
    {"buckets": ["same"], "ncloudstorage_buckets": ["same"]},
    {"settings": {"storage_namespaces": "shared"}, "ncloudstorage_buckets": ["ncs"]},
])
def test_bad_settings_and_statuses_are_refused(bad):
    with pytest.raises(scenario.ScenarioError):
        scenario.load(bad)


def test_status_spelling_follows_ncp():
    data = scenario.load({"instances": [{"service": "vpostgresql", "instance_no": "1", "status": "SettingUp"},
                                        {"service": "vpostgresql", "instance_no": "2", "status": "reinstalling"}]})
    assert [i["status"] for i in data["instances"]] == ["settingUp", "reinstalling"]
