"""Signing a shift report (SPEC 6): the manager's signature on the figures as they stood.

A signed report is the PDF and the CSV as produced at the signing, each stored with the SHA-256
of its bytes; the database refuses to change or delete it (revision 0009). Signing is audited in
the same transaction. Asked for a signed shift again, the desk and ``spa-desk report shift`` give
the signed files, byte for byte, and say so; contacts of the shift saved or changed after the
signing are listed beside them, never folded silently into the signed figures.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Contact, SignedReport, User
from spa_desk.database import Database
from spa_desk.domain import CurrentUser
from spa_desk.errors import KnownError
from spa_desk.governance.log import AuditAction, record
from spa_desk.permissions import Action, require
from spa_desk.reports.asking import may_read_reports
from spa_desk.reports.pdf.shift import shift_pdf
from spa_desk.reports.shift_report import Signature, shift_csv, shift_report
from spa_desk.reports.shifts import Shift
from spa_desk.settings import Settings
from spa_desk.vocabulary import ContactStatus

LISTED = 20
"""How many contacts changed after a signing are named one by one."""


class ChangedAfterSigning(BaseModel):
    """A contact of a signed shift saved or changed after the signature (ids only)."""

    model_config = ConfigDict(frozen=True)

    contact_id: uuid.UUID
    changed_at: datetime
    saved: bool
    """False for a call still not saved (a draft left open that someone has touched since)."""


class SignedShiftReport(BaseModel):
    """A shift report as signed: its files, their SHA-256, who signed and when."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    shift: Shift
    signature: Signature
    pdf: bytes
    pdf_sha256: str
    csv: bytes
    csv_sha256: str
    changed_after: tuple[ChangedAfterSigning, ...] = ()

    @property
    def intact(self) -> bool:
        """Whether the stored files still have the SHA-256 stored with them."""
        return (
            hashlib.sha256(self.pdf).hexdigest() == self.pdf_sha256
            and hashlib.sha256(self.csv).hexdigest() == self.csv_sha256
        )

    @property
    def words(self) -> str:
        """What a manager is told about this signed report."""
        said = (
            f"{self.shift.title} was signed by {self.signature.name} "
            f"({self.signature.username}) at {_local(self.signature.signed_at)}: "
            "this is the signed report, as signed."
        )
        if not self.intact:
            said += " WARNING: its files no longer match the SHA-256 stored when it was signed."
        if self.changed_after:
            said += (
                f" {len(self.changed_after)} contact(s) of this shift were saved or changed "
                "after the signing: its figures are the contacts as they stood when it was "
                "signed (one saved after it is not in them):"
            )
            for changed in self.changed_after[:LISTED]:
                state = "saved" if changed.saved else "still not saved"
                said += (
                    f"\n  contact {changed.contact_id} ({state}), changed "
                    f"{_local(changed.changed_at)}"
                )
            if len(self.changed_after) > LISTED:
                said += f"\n  and {len(self.changed_after) - LISTED} more"
        return said


def _local(moment: datetime) -> str:
    from spa_desk.local_time import LONDON

    return f"{moment.astimezone(LONDON):%d %b %Y %H:%M}"


def _shift_row(session: Session, shift: Shift) -> SignedReport | None:
    return session.scalars(
        select(SignedReport).where(
            SignedReport.shift_name == shift.name, SignedReport.shift_date == shift.date
        )
    ).first()


def _changed_after(
    session: Session, shift: Shift, signed_at: datetime
) -> list[ChangedAfterSigning]:
    rows = session.execute(
        select(Contact.id, Contact.updated_at, Contact.status)
        .where(
            Contact.started_at >= shift.start_utc,
            Contact.started_at < shift.end_utc,
            Contact.updated_at > signed_at,
        )
        .order_by(Contact.updated_at, Contact.id)
    )
    return [
        ChangedAfterSigning(
            contact_id=cid, changed_at=at, saved=status == ContactStatus.COMPLETE.value
        )
        for cid, at, status in rows
    ]


def _as_model(session: Session, row: SignedReport, shift: Shift) -> SignedShiftReport:
    signer = session.get(User, row.signed_by)
    return SignedShiftReport(
        id=row.id,
        shift=shift,
        signature=Signature(
            username=signer.username if signer else "?",
            name=signer.display_name if signer else "an account since removed",
            signed_at=row.signed_at,
        ),
        pdf=row.pdf,
        pdf_sha256=row.pdf_sha256,
        csv=row.csv,
        csv_sha256=row.csv_sha256,
        changed_after=tuple(_changed_after(session, shift, row.signed_at)),
    )


def signed_shift_report(
    database: Database, actor: CurrentUser | None, shift: Shift
) -> SignedShiftReport | None:
    """The signed report of ``shift``, with what changed since; None when it is not signed.
    ``actor`` None is the command line, run by whoever may read the database."""
    may_read_reports(actor)
    with database.sessions() as session:
        row = _shift_row(session, shift)
        return None if row is None else _as_model(session, row, shift)


def sign_shift_report(
    database: Database,
    actor: CurrentUser,
    shift: Shift,
    settings: Settings,
    *,
    now: datetime | None = None,
) -> SignedShiftReport:
    """Sign ``shift``'s report as it stands ``now``: store its PDF and CSV with their SHA-256,
    locked, and audit the signing. KnownError, in words, when it is signed already or the shift
    has not ended yet."""
    require(actor, Action.SIGN_REPORT)
    now = now or datetime.now(UTC)
    if now < shift.end_utc:
        raise KnownError(f"{shift.title} has not ended yet: sign it once it is over.")
    already = signed_shift_report(database, actor, shift)
    if already is not None:
        raise KnownError(
            f"{shift.title} is signed already, by {already.signature.name} at "
            f"{_local(already.signature.signed_at)}: a signed report cannot be signed again."
        )
    signature = Signature(username=actor.username, name=actor.display_name, signed_at=now)
    report = shift_report(database, actor, shift, settings, now=now).model_copy(
        update={"signature": signature}
    )
    pdf = shift_pdf(report)
    csv = shift_csv(report).encode("utf-8")
    try:
        with database.sessions.begin() as session:
            row = SignedReport(
                shift_name=shift.name,
                shift_date=shift.date,
                start_at=shift.start_utc,
                end_at=shift.end_utc,
                signed_by=actor.id,
                signed_at=now,
                pdf=pdf,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                csv=csv,
                csv_sha256=hashlib.sha256(csv).hexdigest(),
            )
            session.add(row)
            session.flush()
            record(
                session,
                action=AuditAction.REPORT_SIGNED,
                user_id=actor.id,
                entity_type="signed_report",
                entity_id=str(row.id),
                details={"shift": shift.name, "date": shift.date.isoformat()},
                at=now,
            )
            signed = _as_model(session, row, shift)
    except IntegrityError:  # another manager signed it a moment before
        raise KnownError(f"{shift.title} was signed by someone else a moment ago.") from None
    return signed
