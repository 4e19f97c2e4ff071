"""``spa-desk users add|set-streams|disable|reset-password|list``: account administration from the
command line.

Every command but the very first ``users add`` (the first administrator of an empty database)
needs ``--as ADMIN``: an administrator's user name, with their password on standard input (or
asked for at the terminal). New and reset passwords are one-time passwords, printed once.
"""

from __future__ import annotations

import argparse
from typing import Any

from spa_desk.cli.arguments import EXIT_OK, read_password
from spa_desk.cli.options import DeskOptions
from spa_desk.vocabulary import Role, Stream


def add_commands(commands: Any) -> None:
    """Add ``users`` and its actions to the command-line parser."""
    users = commands.add_parser("users", help="user accounts (administrators)")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    roles = [role.value for role in Role]
    streams = [stream.value for stream in Stream]

    def with_admin(parser: argparse.ArgumentParser, required: bool = True) -> None:
        parser.add_argument(
            "--as",
            dest="admin",
            required=required,
            metavar="ADMIN",
            help="your administrator user name; your password is read from standard input",
        )

    listing = actions.add_parser("list", help="list every account")
    with_admin(listing)
    add = actions.add_parser("add", help="add an account and print its one-time password")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name shown for the user")
    add.add_argument("--role", dest="roles", action="append", required=True, choices=roles)
    add.add_argument(
        "--stream",
        dest="streams",
        action="append",
        choices=streams,
        help="a stream a practitioner works (repeat for more; every stream when none is given)",
    )
    with_admin(add, required=False)
    disable = actions.add_parser("disable", help="stop an account from logging in")
    disable.add_argument("username")
    with_admin(disable)
    set_streams = actions.add_parser("set-streams", help="the streams a practitioner works")
    set_streams.add_argument("username")
    set_streams.add_argument(
        "--stream", dest="streams", action="append", required=True, choices=streams
    )
    with_admin(set_streams)
    reset = actions.add_parser("reset-password", help="give an account a new one-time password")
    reset.add_argument("username")
    with_admin(reset)


def run(args: argparse.Namespace, options: DeskOptions) -> int:
    """Run one ``users`` action; problems raise KnownError (the caller prints them)."""
    from spa_desk.access.login import authenticate
    from spa_desk.access.users import (
        add_user,
        disable_user,
        list_users,
        reset_password,
        set_streams,
    )
    from spa_desk.database import open_database

    database = open_database(options.database_url)
    try:
        actor = None
        if args.admin:
            actor = authenticate(database, args.admin, read_password(args.admin))
        if args.users_command == "add":
            roles = tuple(Role(role) for role in dict.fromkeys(args.roles))
            chosen = tuple(Stream(stream) for stream in args.streams or ())
            account, password = add_user(
                database, actor, args.username, args.name, roles, streams=chosen
            )
            works = (
                f"; streams: {', '.join(s.label.lower() for s in account.streams)}"
                if account.streams
                else ""
            )
            print(
                f"Added {account.username!r} ({account.display_name}: "
                f"{', '.join(role.label for role in account.roles)}{works})."
            )
            print(f"One-time password: {password}")
            print("Give it to them in person; it is not shown again.")
            return EXIT_OK
        if actor is None:  # argparse requires --as for the other actions
            raise AssertionError("an administrator is required")
        if args.users_command == "list":
            for account in list_users(database, actor):
                state = "active" if account.active else "disabled"
                if account.locked_until is not None:
                    state += f", locked until {account.locked_until:%Y-%m-%d %H:%M} UTC"
                roles_text = ", ".join(role.value for role in account.roles)
                if account.streams:
                    roles_text += f" ({'+'.join(s.value for s in account.streams)})"
                print(f"{account.username:<20} {account.display_name:<28} {roles_text:<36} {state}")
            return EXIT_OK
        if args.users_command == "set-streams":
            chosen = tuple(Stream(stream) for stream in args.streams)
            account = set_streams(database, actor, args.username, chosen)
            print(
                f"{account.username!r} works: "
                f"{', '.join(s.label.lower() for s in account.streams)}."
            )
            return EXIT_OK
        if args.users_command == "disable":
            disabled = disable_user(database, actor, args.username)
            print(f"Disabled {disabled.username!r}: it can no longer log in.")
            return EXIT_OK
        password = reset_password(database, actor, args.username)
        print(f"New one-time password for {args.username!r}: {password}")
        print("Give it to them in person; it is not shown again.")
        return EXIT_OK
    finally:
        database.close()
