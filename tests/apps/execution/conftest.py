"""Fixtures of the execution tests: the shipped plan with its measures loaded, users of responsible units."""

from __future__ import annotations

import pytest


@pytest.fixture
def measures(shipped_plan_in_db):
    from lanbai.execution import services

    return services.execution_load()


@pytest.fixture
def member(measures, db):
    """member(username, unit_code): a user acting for a responsible unit (its member)."""
    from django.contrib.auth import get_user_model

    from lanbai.execution import selectors, services

    def _make(username: str, unit_code: str):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
        services.unit_member_add(None, unit=selectors.responsible_unit_get(unit_code), member=user)
        return user

    return _make


@pytest.fixture
def province(make_user, measures):
    return make_user("sheng", "province")


@pytest.fixture
def unit():
    from lanbai.execution import selectors

    return selectors.responsible_unit_get
