# -*- coding: utf-8 -*-
"""Recognising this collection's exports in a bucket: records, landing keys, and whose object is whose."""

from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.export_records import (
    Landing, is_backup_object, template_of)
from ansible_collections.ncp.clouddb.tests.unit.plugins.module_utils.fakes import FakeStore


@pytest.mark.parametrize("key", [
    "20261121", "pg-prod-1/20261121", "exports/3001/20261121", "pg-prod-1/20261121.tar.gz", "a/b/20261121.gz",
])
def test_keys_that_may_be_the_backup(key):
    assert is_backup_object(key, "20261121")


@pytest.mark.parametrize("key", [
    "202611211", "pg-prod-1/x20261121", "20261121/other", "pg/20261121-old", "pg/2026112",
    ".ncp-clouddb/exports/cache/1101/20261121", "pg/.ncp-clouddb/layout/20261121",
])
def test_keys_that_are_not(key):
    assert not is_backup_object(key, "20261121")


@pytest.mark.parametrize("key, template", [
    ("20261126", "{file_name}"),
    ("vcache/1101/20261126", "vcache/{instance_no}/{file_name}"),
    ("exports/1101/x/20261126.rdb.gz", "exports/{instance_no}/x/{file_name}.rdb.gz"),
    ("odd{name}/20261126", "odd{{name}}/{file_name}"),
])
def test_the_layout_a_key_shows(key, template):
    assert template_of(key, "1101", "20261126") == template
    assert template.format(instance_no="1101", file_name="20261126") == key


def landing(store, **kwargs):
    return Landing(store, "b", "", "1101", "20261126", **kwargs)


def test_a_landing_is_specific_only_when_its_key_tells_instances_apart(fake_clock):
    store = FakeStore(fake_clock)
    assert landing(store, exact="pg/20261126").specific
    assert landing(store, template="vcache/{instance_no}/{file_name}").specific
    assert not landing(store, template="{file_name}").specific
    assert not landing(store).specific and landing(store).wide


def test_new_objects_are_attributed_by_the_instance_number_in_their_key(fake_clock):
    store = FakeStore(fake_clock)
    here = landing(store)
    before = here.snapshot()
    store.put("b", "vcache/1102/20261126", "theirs")
    assert here.arrived(before, holding_turn=True) is None, "another instance's folder is never ours"
    store.put("b", "vcache/1101/20261126", "ours")
    item, attributable = here.arrived(before, holding_turn=False)
    assert item["key"] == "vcache/1101/20261126" and attributable


def test_a_shared_key_is_ours_only_while_this_host_holds_the_turn(fake_clock):
    store = FakeStore(fake_clock)
    here = landing(store)
    before = here.snapshot()
    store.put("b", "20261126", "whose?")
    assert here.arrived(before, holding_turn=True)[1] is True
    assert here.arrived(before, holding_turn=False)[1] is False


def test_an_object_written_again_counts_as_arrived(fake_clock):
    store = FakeStore(fake_clock)
    store.put("b", "20261126", "same bytes")
    here = landing(store, template="{file_name}")
    before = here.snapshot()
    assert here.arrived(before, holding_turn=True) is None
    fake_clock.sleep(1)
    store.put("b", "20261126", "same bytes")
    assert here.arrived(before, holding_turn=True)[0]["key"] == "20261126"


def test_with_a_learned_layout_the_root_is_never_scanned(fake_clock):
    store = FakeStore(fake_clock)
    here = landing(store, template="vcache/{instance_no}/{file_name}")
    here.snapshot()
    here.arrived({}, holding_turn=False)
    assert ("list", "") not in store.calls
    assert ("head", "vcache/1101/20261126") in store.calls
