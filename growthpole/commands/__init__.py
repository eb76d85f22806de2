"""Subcommands of ``growthpole``: one module per command (or group), each exposing
``register(subparsers)`` which adds its parser and sets ``handler`` (a function of the parsed
arguments returning an exit status). :mod:`growthpole.cli` discovers the modules here; a
module whose name starts with ``_`` is a helper of several commands (no ``register``)."""
