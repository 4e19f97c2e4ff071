"""The name key: the one rule by which names are stored for search and typed words are read."""

from __future__ import annotations

import unicodedata

import pytest
from alembic.script import ScriptDirectory

from db.migrate import alembic_config
from db.models import NAME_KEY_LENGTH, name_key

NAMES = [
    ("Élodie", "elodie"),
    ("ELODIE", "elodie"),
    ("élodie", "elodie"),
    ("Zoë", "zoe"),
    (unicodedata.normalize("NFD", "Zoë"), "zoe"),
    ("Zoë Élodie-Ñúñez", "zoe elodie-nunez"),
    ("  Van  der\tBERG ", "van der berg"),
    ("O'Brien", "o'brien"),
    ("Smith-Barlow", "smith-barlow"),
    ("Strauß", "strauss"),
    ("Øyvind Åse", "øyvind ase"),  # Ø is a letter of its own, not O with a mark
    ("Ǆukić", "dzukic"),
    ("Ｚｏë", "zoe"),  # full-width letters
    ("Ĳsbrand", "ijsbrand"),
    ("İlkay", "ilkay"),
    ("Łucja", "łucja"),
]


@pytest.mark.parametrize(("name", "key"), NAMES)
def test_name_key_folds_case_and_drops_accents(name: str, key: str) -> None:
    assert name_key(name) == key
    assert name_key(key) == key  # typed words read through the same rule find the name


@pytest.mark.parametrize(("name", "key"), NAMES)
def test_the_start_of_a_name_as_typed_is_the_start_of_its_key(name: str, key: str) -> None:
    # Search reads a prefix of the key, so a name typed a letter at a time finds it throughout.
    for end in range(1, len(name) + 1):
        assert key.startswith(name_key(name[:end])), name[:end]


def test_a_key_fits_its_column() -> None:
    assert name_key("ß" * NAME_KEY_LENGTH) == "s" * NAME_KEY_LENGTH


def test_name_key_is_the_rule_the_newest_key_migration_stored() -> None:
    # If this fails, name_key changed: add a revision that computes the stored keys again.
    script = ScriptDirectory.from_config(alembic_config())
    frozen = script.get_revision("0004_name_keys").module._name_key
    for name, _ in NAMES:
        assert frozen(name) == name_key(name), name
    assert frozen("ß" * 90) == name_key("ß" * 90)
