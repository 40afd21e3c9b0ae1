"""Fixtures for the pure collection core: the shipped forms."""

from __future__ import annotations

import pytest
from collection_helpers import ENT, ZONE

from lanbai.core.collection import default_forms_dir, load_forms


@pytest.fixture(scope="session")
def forms():
    return load_forms(default_forms_dir())


@pytest.fixture(scope="session")
def ent(forms):
    return forms[ENT]


@pytest.fixture(scope="session")
def zone(forms):
    return forms[ZONE]
