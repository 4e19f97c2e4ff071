"""The ``spa-desk`` entry point: opens the desk, or runs a headless sub-command without Qt."""

from __future__ import annotations

import sys

from spa_desk.cli.main import build_parser, run


def main(argv: list[str] | None = None) -> int:
    """Parse the command line; a sub-command runs headless, no sub-command opens the desk."""
    args = build_parser().parse_args(argv)
    if args.command:
        return run(args)
    from ui.shell.app import run_desk

    return run_desk(args)


if __name__ == "__main__":
    sys.exit(main())
