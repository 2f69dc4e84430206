# -*- coding: utf-8 -*-
"""Fixtures of the simulator's self-tests (the simulator itself comes from tests/conftest.py)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ncpsim.testclient import Api  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture
def api(ncp_sim):
    """Signed calls to the session simulator as the scenario's first credential."""
    return Api(ncp_sim)
