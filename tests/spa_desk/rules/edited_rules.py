"""Rule files made from the shipped one by a manager's kind of edit, for the rules tests."""

from __future__ import annotations

from triage_rules.loader import default_ruleset_path

SHIPPED_VERSION = b'version: "1.2.0"'


def shipped() -> bytes:
    """The shipped default rule file."""
    return default_ruleset_path().read_bytes()


def shipped_cases() -> bytes:
    """The shipped default rule file's cases."""
    path = default_ruleset_path()
    return path.with_name(path.name.replace(".yaml", ".cases.yaml")).read_bytes()


def _edit(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


def another_version(version: str = "9.0.0") -> bytes:
    """The shipped rules under another version number (the same decisions)."""
    return _edit(shipped(), SHIPPED_VERSION, f'version: "{version}"'.encode())


def isolation_soon() -> bytes:
    """Loneliness and money worries go to the voluntary sector soon, not routinely."""
    return _edit(
        another_version("9.1.0"),
        b"      routes: [{route: vcs, urgency: routine}]\n      reason: Loneliness",
        b"      routes: [{route: vcs, urgency: soon}]\n      reason: Loneliness",
    )


def with_chiropody() -> bytes:
    """A new fact, a new social care question and a new rule: feet go to the voluntary sector."""
    data = another_version("9.2.0")
    data = _edit(
        data,
        b"  - {name: isolation, type: bool, label: Lonely or isolated}\n",
        b"  - {name: isolation, type: bool, label: Lonely or isolated}\n"
        b"  - {name: chiropody_need, type: bool, label: Needs help with their feet}\n",
    )
    data = _edit(
        data,
        b'      - {id: sc-isolation, fact: isolation, text: "Are they lonely or cut off from '
        b'people?"}\n',
        b'      - {id: sc-isolation, fact: isolation, text: "Are they lonely or cut off from '
        b'people?"}\n'
        b'      - {id: sc-chiropody, fact: chiropody_need, text: "Do they need help with their '
        b'feet, such as cutting toenails?"}\n',
    )
    return _edit(
        data,
        b"    - id: row-10a-nhs-111\n",
        b"    - id: row-12-chiropody\n"
        b"      when: {fact: chiropody_need}\n"
        b"      routes: [{route: vcs, urgency: routine}]\n"
        b"      reason: Help with feet goes to the voluntary sector's foot care service.\n"
        b"    - id: row-10a-nhs-111\n",
    )


def with_unknown_route() -> bytes:
    """A route the desk has never heard of: podiatry."""
    data = another_version("9.3.0")
    data = _edit(data, b"routes: [adult_social_care,", b"routes: [podiatry, adult_social_care,")
    return _edit(
        data,
        b"      routes: [{route: vcs, urgency: routine}]\n      reason: Loneliness",
        b"      routes: [{route: podiatry, urgency: routine}]\n      reason: Loneliness",
    )
