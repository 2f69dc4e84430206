# -*- coding: utf-8 -*-
from __future__ import annotations

import pytest


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it; records the sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_clock():
    return FakeClock()


@pytest.fixture
def clock_factory():
    """FakeClock itself, for tests that need a fresh clock per call."""
    return FakeClock
