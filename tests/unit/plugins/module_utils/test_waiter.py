# -*- coding: utf-8 -*-
from __future__ import annotations

import pytest

from ansible_collections.ncp.clouddb.plugins.module_utils.backoff import Backoff, Deadline
from ansible_collections.ncp.clouddb.plugins.module_utils.errors import NcpWaitTimeout
from ansible_collections.ncp.clouddb.plugins.module_utils.waiter import wait_until


def test_returns_the_first_found_value_with_capped_growing_delays(fake_clock):
    clock = fake_clock
    answers = iter([None, None, None, None, "file"])
    found = wait_until(lambda: next(answers), Deadline(100, clock=clock), "x",
                       backoff=Backoff(base=1, factor=2, cap=3, jitter=False), sleep=clock.sleep)
    assert found == "file" and clock.sleeps == [1, 2, 3, 3]


def test_times_out_at_the_deadline_with_the_given_message_after_a_last_look(fake_clock):
    clock = fake_clock
    looks = []
    with pytest.raises(NcpWaitTimeout) as caught:
        wait_until(lambda: looks.append(clock.now), Deadline(10, clock=clock), "may still finish",
                   backoff=Backoff(base=4, factor=1, cap=4, jitter=False), sleep=clock.sleep)
    assert str(caught.value) == "may still finish"
    assert looks == [0, 4, 8, 10] and sum(clock.sleeps) == 10


def test_a_look_answered_after_the_deadline_is_followed_by_one_more(fake_clock):
    """A poll answered 25 s late describes the past: the backup may have finished meanwhile."""
    clock = fake_clock
    finished_at = 2.0

    def look():
        asked = clock.now
        clock.sleep(25.0 if asked == 0 else 0.1)   # the first answer comes 25 s late
        return "done" if asked >= finished_at else None

    assert wait_until(look, Deadline(20, clock=clock), "did not finish", sleep=clock.sleep) == "done"
    assert clock.now < 20 + 30


def test_a_look_that_started_after_the_deadline_is_the_last(fake_clock):
    clock = fake_clock
    looks = []

    def look():
        looks.append(clock.now)
        clock.sleep(25.0)

    with pytest.raises(NcpWaitTimeout):
        wait_until(look, Deadline(20, clock=clock), "did not finish", sleep=clock.sleep)
    assert looks == [0.0, 25.0]
