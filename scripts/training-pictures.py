"""The README's pictures of training mode: the trainee's desk on the training database (marked
TRAINING) and a page of a trainee's session report, from the real code. Usage:
``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/training-pictures.py [FOLDER]``."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from spa_desk.access.users import add_user
from spa_desk.database import open_database
from spa_desk.domain import CurrentUser
from spa_desk.training.mode import make_training
from spa_desk.training.sample_calls import LIBRARY, load_sample_call
from spa_desk.training.scoring import GivenRoute, TraineeDecision, record_score
from spa_desk.training.session_report import session_report_pdf
from spa_desk.vocabulary import Role
from triage_rules import default_ruleset

PASSWORD = "practice makes perfect"


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    with tempfile.TemporaryDirectory() as work:
        # One throw-away home for this script and the desk it starts (one audit key for both).
        os.environ.update(HOME=work, QT_QPA_PLATFORM="offscreen")
        os.environ.update(XDG_DATA_HOME=f"{work}/data", XDG_CONFIG_HOME=f"{work}/config")
        os.environ.pop("SPA_DESK_DATABASE_URL", None)
        url = f"sqlite+pysqlite:///{work}/training.sqlite3"
        database = open_database(url)
        make_training(database)
        admin, _ = add_user(database, None, "admin", "Alex Admin", (Role.ADMINISTRATOR,),
                            password=PASSWORD)  # fmt: skip
        actor = CurrentUser(id=admin.id, username="admin", display_name="Alex Admin",
                            roles=(Role.ADMINISTRATOR,))  # fmt: skip
        tia, _ = add_user(database, actor, "tia", "Tia Trainee", (Role.CALL_HANDLER,),
                          password=PASSWORD)  # fmt: skip
        tess, _ = add_user(database, actor, "tess", "Tess Trainer", (Role.TRAINER,),
                           password=PASSWORD)  # fmt: skip
        trainee = CurrentUser(id=tia.id, username="tia", display_name="Tia Trainee",
                              roles=(Role.CALL_HANDLER,))  # fmt: skip
        trainer = CurrentUser(id=tess.id, username="tess", display_name="Tess Trainer",
                              roles=(Role.TRAINER,))  # fmt: skip
        rules = default_ruleset()
        for name, wrong in (("carer-breakdown-husband-with-dementia", True),
                            ("wrong-number-dentist", False)):  # fmt: skip
            call = load_sample_call(LIBRARY / f"{name}.yaml")
            routes = tuple(
                GivenRoute(route=r.route, urgency=r.urgency) for r in call.expected.routes
            )
            given = TraineeDecision(
                level1=call.expected.level1,
                stream=call.expected.stream,
                routes=routes[1:] if wrong else routes,
                resolved_at_first_contact=call.expected.resolvable_at_first_contact,
            )
            record_score(database, trainee, call, given, rules)
        fall = load_sample_call(LIBRARY / "fall-daughter-worried.yaml")  # handed off at level 2
        handed = TraineeDecision(level1="stream", stream=fall.expected.stream, routes=(),
                                 resolved_at_first_contact=False, handed_off=True)  # fmt: skip
        record_score(database, trainee, fall, handed, rules)
        pdf = Path(work) / "session.pdf"
        pdf.write_bytes(session_report_pdf(database, trainer, trainee.id))
        database.close()
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(folder / "training-session-report")],
            check=True,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "ui.shell.launcher", "--training", "--database", url,
             "--screenshot", str(folder / "training-desk.png"), "--user", "tia"],
            input=PASSWORD + "\n", text=True, check=True,
        )  # fmt: skip
    sys.stdout.write(f"{folder / 'training-desk.png'}\n{folder / 'training-session-report.png'}\n")


if __name__ == "__main__":
    main()
