"""``spa-desk phone ...`` (SPEC 10, 12), the telephone's commands.

- ``phone simulate --to SIP_URI (--sample NAME | --wav FILE) [--from NUMBER]``: a real SIP call
  to a desk that plays a sample call's voices (or a WAV) as the caller, until the audio ends.
  Exit 0 when the call was answered, 1 when it was not, 2 with words for bad input.
- ``phone clean-recordings``: delete the recordings older than the settings' ``recording_days``
  from the SPA's recordings folder (the desk does the same when it starts its phone).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from spa_desk.cli.arguments import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, report_known_error
from spa_desk.cli.options import DeskOptions
from spa_desk.errors import InvalidInput, KnownError


def add_commands(commands: Any) -> None:
    """Add ``phone simulate`` and ``phone clean-recordings`` to the command-line parser."""
    group = commands.add_parser("phone", help="the desk's telephone")
    actions = group.add_subparsers(dest="phone_command", metavar="ACTION", required=True)
    simulate = actions.add_parser(
        "simulate", help="place a real SIP call that plays a sample call's audio as the caller"
    )
    simulate.add_argument("--to", required=True, metavar="SIP_URI", help="the desk to ring")
    audio = simulate.add_mutually_exclusive_group(required=True)
    audio.add_argument("--sample", metavar="NAME", help="a sample call of the library (its id)")
    audio.add_argument("--wav", type=Path, metavar="FILE", help="a WAV file to play")
    simulate.add_argument("--from", dest="from_number", metavar="NUMBER", help="caller's number")
    actions.add_parser(
        "clean-recordings", help="delete recordings older than the settings' recording_days"
    )


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Run one ``phone`` action."""
    if args.phone_command == "clean-recordings":
        from spa_desk.telephony.recordings import delete_old_recordings, recordings_folder

        days = options.settings.telephony.recording_days
        gone = delete_old_recordings(recordings_folder(options.data_dir), days)
        print(f"Deleted {gone} recording file{'s' if gone != 1 else ''} older than {days} days.")
        return EXIT_OK
    try:
        audio = _audio(args)
        from spa_desk.telephony.simulate import simulate_call

        done = asyncio.run(
            simulate_call(
                args.to,
                audio,
                from_number=args.from_number,
                say=lambda words: print(words, file=sys.stderr),
            )
        )
    except InvalidInput as problem:
        print(f"spa-desk: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KnownError as error:
        return report_known_error(error)
    return EXIT_OK if done.answered else EXIT_FAILED


def _audio(args: argparse.Namespace) -> Path:
    if args.wav is not None:
        if not args.wav.is_file():
            raise InvalidInput(f"--wav {args.wav}", "no such file.")
        path: Path = args.wav
        return path
    from spa_desk.training.sample_calls import LIBRARY, read_library
    from spa_desk.training.voices import call_audio

    calls, _problems = read_library(LIBRARY)
    wanted = str(args.sample).removesuffix(".yaml")
    found = [call for call in calls if call.id == wanted]
    if not found:
        known = ", ".join(sorted(call.id for call in calls)[:5])
        raise InvalidInput(
            f"--sample {args.sample}",
            f"no sample call has that id (such as {known}).",
        )
    return call_audio(found[0], LIBRARY).path
