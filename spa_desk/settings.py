"""Settings: a pydantic model loaded from a JSON file whose path is injected.

The database is chosen by ``--database URL``, else ``SPA_DESK_DATABASE_URL``, else the settings
file's ``database_url``, else the embedded SQLite file in the user's data directory (SPEC 10).
The audit key lives beside the settings, never in the database (:mod:`spa_desk.governance.key`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import time
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from spa_desk.errors import KnownError
from spa_desk.vocabulary import Line

APP_NAME = "spa-desk"
DATABASE_ENV = "SPA_DESK_DATABASE_URL"
SQLITE_FILE_NAME = "spa-desk.sqlite3"
AUDIT_KEY_ENV = "SPA_DESK_AUDIT_KEY"
"""The audit key as hex, when a site keeps it in the environment rather than in a file."""
AUDIT_KEY_FILE_NAME = "audit.key"
"""The audit key's file in the settings folder, when the environment does not give the key."""


class ShiftDefinition(BaseModel):
    """A named shift: local start and end times; an end at or before the start means next day."""

    model_config = ConfigDict(frozen=True)

    name: str
    start: time
    end: time


DEFAULT_SHIFTS: tuple[ShiftDefinition, ...] = (
    ShiftDefinition(name="early", start=time(7), end=time(15)),
    ShiftDefinition(name="late", start=time(15), end=time(23)),
    ShiftDefinition(name="night", start=time(23), end=time(7)),
)


class TelephonySettings(BaseModel):
    """The desk's telephone (SPEC 12): a baresip softphone driven through its ctrl_tcp port,
    either one the desk starts for itself or one already running (beside a PBX's account)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    control: str = "127.0.0.1:4444"
    """baresip's ctrl_tcp address, host:port."""
    start_softphone: bool = False
    """Start the desk's own baresip (with ``account``) rather than connect to one running."""
    account: str | None = None
    """The SIP account line baresip registers, e.g.
    ``<sip:2001@pbx.example>;auth_pass=SECRET;answermode=manual`` (with ``start_softphone``)."""
    sip_listen: str = "127.0.0.1:5070"
    rtp_ports: str = "20000-20099"
    lines: dict[str, Line] = Field(default_factory=dict)
    """The number or account called, to the line it is (``{"01632960100": "mental_health"}``)."""
    default_line: Line = Line.GENERAL
    dial: str = "{number}"
    """How a call-back is dialled: ``{number}`` (the account's server routes it) or a SIP
    address such as ``sip:{number}@pbx.example``."""
    recording_days: int = Field(default=90, ge=1, le=3650)
    """Recordings older than this many days are deleted."""

    @field_validator("control", "sip_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"use host:port, such as 127.0.0.1:4444, not {value!r}")
        return value

    @field_validator("dial")
    @classmethod
    def _dial_format(cls, value: str) -> str:
        try:
            dialled = value.format(number="01632960000")
        except (KeyError, IndexError, ValueError):
            dialled = ""
        if "01632960000" not in dialled:
            raise ValueError(
                "use {number} where the number goes, such as sip:{number}@pbx.example, and "
                f"no other braces, not {value!r}"
            )
        return value

    @property
    def control_address(self) -> tuple[str, int]:
        """``control`` as (host, port)."""
        host, _, port = self.control.rpartition(":")
        return host, int(port)


class Settings(BaseModel):
    """What a site may configure. Window geometry is not here: that lives in QSettings."""

    model_config = ConfigDict(extra="forbid")

    database_url: str | None = None
    idle_lock_minutes: int = Field(default=5, ge=1, le=240)
    shifts: tuple[ShiftDefinition, ...] = DEFAULT_SHIFTS
    sustained_fcr_days: int = Field(default=7, ge=1, le=90)
    service_level_seconds: int = Field(default=20, ge=1, le=600)
    """A call answered within this many seconds counts toward the service level (SPEC 6)."""
    contact_list_refresh_seconds: int = Field(default=30, ge=5, le=3600)
    telephony: TelephonySettings = Field(default_factory=TelephonySettings)


def default_config_dir() -> Path:
    """The user's configuration folder for SPA Desk."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def audit_key_path() -> Path:
    """Where this desk keeps the audit key when SPA_DESK_AUDIT_KEY is not set."""
    return default_config_dir() / AUDIT_KEY_FILE_NAME


def default_data_dir() -> Path:
    """The user's data folder, where the embedded database lives."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def load_settings(path: Path) -> Settings:
    """Settings from ``path`` (defaults when it does not exist); a KnownError when it is bad."""
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Settings.model_validate(raw)
    except json.JSONDecodeError as error:
        raise KnownError(
            f"The settings file {path} is not valid JSON (line {error.lineno}: {error.msg})."
        ) from None
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise KnownError(
            f"The settings file {path} has a bad value for {field}: {first['msg']}."
        ) from None


def save_settings(settings: Settings, path: Path) -> None:
    """Write ``settings`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(settings.model_dump_json(indent=2), encoding="utf-8")
    temporary.replace(path)


def resolve_database_url(
    cli_url: str | None,
    settings: Settings,
    data_dir: Path,
    environ: Mapping[str, str] = os.environ,
) -> str:
    """The database to use, in the order SPEC 10 gives."""
    for candidate in (cli_url, environ.get(DATABASE_ENV), settings.database_url):
        if candidate:
            return candidate
    return f"sqlite+pysqlite:///{data_dir / SQLITE_FILE_NAME}"
