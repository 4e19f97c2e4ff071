"""The GUI thread paints before the heavy libraries load: the desk's modules must not import them.

SQLAlchemy and the services load on the database thread; pydantic and the settings after the
first paint (see ui.shell.app.run_desk and ui.kit.backend).
"""

from __future__ import annotations

import subprocess
import sys


def test_opening_the_desk_does_not_import_sqlalchemy_on_the_gui_thread() -> None:
    probe = (
        "import sys, ui.shell.launcher, ui.shell.app; "
        "heavy = sorted(m for m in ('sqlalchemy', 'db.models', 'alembic', 'reportlab', "
        "'pydantic', 'argon2', 'spa_desk.settings') "
        "if m in sys.modules); print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
