"""The head of the audit log, anchored outside the database (SPEC 8).

The chain shows an entry changed, deleted or inserted before the newest; it cannot show that the
newest entries were removed, or the whole tail re-written by someone holding the key. A head
written out (``spa-desk audit head --out FILE``) names the newest entry by position, id and hash;
checked later (``spa-desk audit verify --head FILE``), the entry must still be there, unchanged.
A log that only grew since passes.

The file is JSON: ``{"position": 1234, "id": "<uuid>", "hash": "<64 hex digits>",
"written_at": "2026-11-30T09:30:00Z"}``.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from spa_desk.errors import KnownError


class ChainEntry(BaseModel):
    """An entry of the chain as a head names it: where it is, which it is, and its hash."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    position: int = Field(ge=1)
    id: uuid.UUID
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class AuditHead(ChainEntry):
    """The newest entry of the log when the head was written, and when that was."""

    written_at: AwareDatetime

    @property
    def when(self) -> str:
        """When the head was written, in words for messages (UTC, to the minute)."""
        return f"{self.written_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


class HeadFileProblem(KnownError):
    """A head file that cannot be read or is not one ``spa-desk audit head`` wrote."""


def head_text(head: AuditHead) -> str:
    """The head file's text: one JSON object, times in UTC."""
    written_at = head.written_at.astimezone(UTC).isoformat(timespec="seconds")
    content = {
        "position": head.position,
        "id": str(head.id),
        "hash": head.hash,
        "written_at": written_at.replace("+00:00", "Z"),
    }
    return json.dumps(content, indent=2) + "\n"


def read_head(path: Path) -> AuditHead:
    """The head written to ``path``; HeadFileProblem naming the file and the reason otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not text"
        raise HeadFileProblem(f"The head file {path} cannot be read: {reason}.") from None
    try:
        return AuditHead.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(the whole file)"
        raise HeadFileProblem(
            f"The head file {path} is not a head that spa-desk audit head wrote: {field}: "
            f"{first['msg']}."
        ) from None
