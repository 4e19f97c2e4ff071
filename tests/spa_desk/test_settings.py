"""Settings: the database is chosen as SPEC 10 says, and a bad file is a message, not a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spa_desk.errors import KnownError
from spa_desk.settings import Settings, load_settings, resolve_database_url, save_settings


def test_database_choice_order(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite+pysqlite:////from/settings")
    env = {"SPA_DESK_DATABASE_URL": "postgresql+psycopg://env/db"}
    assert resolve_database_url("sqlite:///cli", settings, tmp_path, env) == "sqlite:///cli"
    assert resolve_database_url(None, settings, tmp_path, env) == "postgresql+psycopg://env/db"
    assert resolve_database_url(None, settings, tmp_path, {}) == "sqlite+pysqlite:////from/settings"
    embedded = resolve_database_url(None, Settings(), tmp_path, {})
    assert embedded == f"sqlite+pysqlite:///{tmp_path / 'spa-desk.sqlite3'}"


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.json"
    save_settings(Settings(idle_lock_minutes=9), path)
    assert load_settings(path).idle_lock_minutes == 9
    assert load_settings(tmp_path / "missing.json") == Settings()


def test_bad_settings_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"idle_lock_minutes": 0}')
    with pytest.raises(KnownError, match="idle_lock_minutes"):
        load_settings(path)
    path.write_text("{not json")
    with pytest.raises(KnownError, match="not valid JSON"):
        load_settings(path)


@pytest.mark.parametrize(
    "dial", ["sip:{numbr}@pbx.example", "sip:{number}@{pbx}", "{0}", "sip:pbx.example", "{number"]
)
def test_a_dial_format_that_could_not_dial_is_refused_at_load(tmp_path: Path, dial: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"telephony": {"dial": dial}}))
    with pytest.raises(KnownError, match=r"telephony.dial.*use \{number\} where the number goes"):
        load_settings(path)


@pytest.mark.parametrize("dial", ["{number}", "sip:{number}@pbx.example", "9{number}"])
def test_a_dial_format_with_the_number_in_it_loads(tmp_path: Path, dial: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"telephony": {"dial": dial}}))
    assert load_settings(path).telephony.dial.format(number="01632960123").count("01632960123")
