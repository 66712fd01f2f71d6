"""Running the ``revisio`` command in-process, as the CLI tests do."""

from __future__ import annotations

import pytest

from revisio.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The exit code, stdout and stderr of ``revisio ARGV``."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse exits on usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
