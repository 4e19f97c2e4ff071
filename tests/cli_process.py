"""Running ``spa-desk`` as a real process, for tests of exit status and what it prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_spa_desk(
    *args: str, home: Path, stdin: str = "", timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    """Run ``spa-desk ARGS`` with its home in ``home`` and no display; never raises on failure."""
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("SPA_DESK_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "ui.shell.launcher", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
