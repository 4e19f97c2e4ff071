"""What every command and the desk itself start from: the settings in force and the database
chosen, in the order SPEC 10 gives (``--database``, ``SPA_DESK_DATABASE_URL``, the settings file,
the embedded SQLite file)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spa_desk.settings import Settings


@dataclass(frozen=True)
class DeskOptions:
    """What every command needs: the settings in force and the database chosen.

    This module loads pydantic and the settings only when they are needed, so the desk can paint
    its first window before them.
    """

    settings: Settings
    database_url: str
    data_dir: Path
    training: bool = False
    """Practice on the training database (SPEC 7): marked TRAINING everywhere."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """``--database`` and ``--config``, shared by the desk and every command."""
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: $SPA_DESK_DATABASE_URL, else the settings file, "
        "else the embedded SQLite file in your data folder)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="settings file (JSON) to use instead of the default",
    )
    parser.add_argument(
        "--training",
        action="store_true",
        help="training mode: the training database (--database, else "
        "$SPA_DESK_TRAINING_DATABASE_URL, else training.sqlite3 in your data folder), marked "
        "TRAINING on every screen; live records are never opened",
    )


def desk_options(args: argparse.Namespace) -> DeskOptions:
    """Settings and database URL for these arguments (SPEC 10 order of choice)."""
    from spa_desk.settings import (
        default_config_dir,
        default_data_dir,
        load_settings,
        resolve_database_url,
    )

    config_path: Path = args.config or default_config_dir() / "settings.json"
    settings = load_settings(config_path)
    data_dir = default_data_dir()
    training = bool(getattr(args, "training", False))
    if training:
        from spa_desk.training.mode import training_database_url

        url = training_database_url(args.database, data_dir)
    else:
        url = resolve_database_url(args.database, settings, data_dir)
    return DeskOptions(settings=settings, database_url=url, data_dir=data_dir, training=training)
