# -*- coding: utf-8 -*-
from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpWaitTimeout
from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until


def test_returns_the_first_found_value_with_capped_growing_delays(fake_clock):
    clock = fake_clock
    answers = iter([None, None, None, None, "file"])
    found = wait_until(lambda: next(answers), timeout=100, timeout_message="x",
                       backoff=Backoff(base=1, factor=2, cap=3, jitter=False), sleep=clock.sleep, clock=clock)
    assert found == "file" and clock.sleeps == [1, 2, 3, 3]


def test_times_out_at_the_deadline_with_the_given_message_after_a_last_look(fake_clock):
    clock = fake_clock
    looks = []
    with pytest.raises(NcpWaitTimeout) as caught:
        wait_until(lambda: looks.append(clock.now), timeout=10, timeout_message="may still finish",
                   backoff=Backoff(base=4, factor=1, cap=4, jitter=False), sleep=clock.sleep, clock=clock)
    assert str(caught.value) == "may still finish"
    assert looks == [0, 4, 8, 10] and sum(clock.sleeps) == 10
