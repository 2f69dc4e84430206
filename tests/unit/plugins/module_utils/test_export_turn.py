# -*- coding: utf-8 -*-
"""Exports that could be mistaken for each other take turns; the others run at the same time.

Each export_turn opens its own lock files, so two turns in one process conflict exactly as two
async jobs on one host do (flock locks belong to the open file, not the process).
"""
from __future__ import annotations

import contextlib

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils import export_turn as turns
from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Deadline
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpWaitTimeout

ENDPOINT = "http://127.0.0.1:9000"


@pytest.fixture(autouse=True)
def private_lock_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(turns, "lock_folder", lambda: str(tmp_path / "locks"))


def turn(bucket="backups", file_name="20261121", prefix="", seconds=0.3):
    return turns.export_turn(ENDPOINT, bucket, file_name, prefix, Deadline(seconds), "not your turn")  # noqa


def second_turn_waits(first, second):
    """Whether `second` has to wait (and times out) while `first` is held."""
    with first:
        try:
            with second:
                return False
        except NcpWaitTimeout as exc:
            assert str(exc) == "not your turn"
            return True


@pytest.mark.parametrize("first, second", [
    (dict(), dict()),                                         # same name, whole bucket
    (dict(), dict(prefix="vcache/1101/")),                    # whole bucket overlaps any folder
    (dict(prefix="vcache/1101/"), dict()),
    (dict(prefix="vcache/1101/"), dict(prefix="vcache/1101/")),
])
def test_exports_that_could_take_each_others_object_wait(first, second):
    assert second_turn_waits(turn(**first), turn(**second))


@pytest.mark.parametrize("first, second", [
    (dict(prefix="vcache/1101/"), dict(prefix="vcache/1102/")),  # each target in its own folder
    (dict(file_name="20261121"), dict(file_name="20261122")),   # other file name: other objects
    (dict(bucket="a"), dict(bucket="b")),
])
def test_exports_that_cannot_be_confused_run_at_the_same_time(first, second):
    assert not second_turn_waits(turn(**first), turn(**second))


def test_the_turn_passes_on_when_the_holder_is_done_even_after_an_error():
    with contextlib.suppress(RuntimeError):
        with turn():
            raise RuntimeError("the export failed")
    granted = []
    with turn(seconds=0.05):          # would raise NcpWaitTimeout if the failed holder kept its lock
        granted.append(True)
    assert granted == [True]
