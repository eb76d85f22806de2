"""The ``growthpole`` command line (also ``python -m growthpole``).

Each subcommand lives in its own module of :mod:`growthpole.commands`. Every user error is a
:class:`~growthpole.errors.GrowthpoleError`: printed as one line ``growthpole: error: ...``
with exit status 2 and no traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import threading
import traceback
from typing import NoReturn

from growthpole import __version__, commands
from growthpole.errors import GrowthpoleError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2 (argparse's own convention)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="growthpole",
        description=(
            "Agent-based model of Shaoxing's 融杭联甬接沪 strategy: when, and how likely, does "
            "Shaoxing return to China's top 30 cities by GDP?"
        ),
    )
    parser.add_argument("--version", action="version", version=f"growthpole {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"growthpole.commands.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    _describe(subparsers)
    return parser


def _describe(subparsers: argparse._SubParsersAction) -> None:
    """A subcommand registered without a description shows its one-line help as the
    description of its own ``--help`` (nested subcommands too)."""
    helps = {action.dest: action.help for action in subparsers._choices_actions}
    for name, sub in subparsers.choices.items():
        if not sub.description and helps.get(name):
            text = str(helps[name])
            sub.description = text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                _describe(action)


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C so that temporary files are removed."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # --debug is accepted anywhere on the line, not only before the subcommand
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    parser = build_parser()
    args = parser.parse_args(argv)
    args.debug = debug
    if not args.command:
        parser.print_help()
        return 2
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return int(args.handler(args) or 0)
    except GrowthpoleError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"growthpole: error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_status
    except BrokenPipeError:  # stdout closed early (`growthpole ... | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # the file system refused (full disk, permissions, read-only)
        if args.debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        reason = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
        print(
            f"growthpole: error: {where}{reason}; completed outputs are intact, "
            f"partial ones were not written",
            file=sys.stderr,
        )
        return 2
    except (KeyboardInterrupt, Terminated) as exc:
        print(
            f"growthpole: {'terminated' if isinstance(exc, Terminated) else 'interrupted'}; "
            f"completed outputs are intact, partial ones were not written",
            file=sys.stderr,
        )
        return 143 if isinstance(exc, Terminated) else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
