"""Fixtures for the person search tests: a few fictional people to find."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from spa_desk.database import Database
from tests.factories import add_person
from tests.spa_desk.people.helpers import valid_nhs


@pytest.fixture
def people(database: Database) -> dict[str, uuid.UUID]:
    """A few fictional people to find."""
    return {
        "Ada": add_person(
            database,
            nhs_number="9990000026",
            given_name="Ada",
            family_name="Testperson",
            date_of_birth=date(1941, 3, 12),
            postcode="ZY1 1AA",
            phone_primary="07700900123",
        ),
        "Bert": add_person(
            database,
            nhs_number=valid_nhs(1234),
            given_name="Bert",
            family_name="testperson",
            date_of_birth=date(1950, 7, 4),
            postcode="ZY1 2BD",
            phone_primary="07700900456",
        ),
        "Cora": add_person(
            database,
            nhs_number=valid_nhs(500000),
            given_name="Cora",
            family_name="McExample",
            date_of_birth=date(1941, 3, 12),
            postcode="ZY12 3CE",
            phone_primary="01632960001",
        ),
        "Dan": add_person(
            database,
            nhs_number=None,
            given_name="Dan",
            family_name="Testington",
            date_of_birth=None,
            postcode=None,
            phone_primary=None,
        ),
    }
