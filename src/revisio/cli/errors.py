"""How the CLI reports bad input: one line on stderr and exit code 2."""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """The user gave input the command cannot use; the message says what to fix."""
