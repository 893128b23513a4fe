"""The ``strideload`` executable: the command line, then an exit without Python's teardown.

Once a command has finished (its store closed, its output written), Python's own shutdown
takes another 50-70 ms tearing down the modules of polars and numpy - a third of what a
quick command such as ``strideload advise`` costs in all. When no other thread is still
working, :func:`run` runs the exit functions (log handlers, temporary folders, worker pools),
flushes the output and ends the process at once; otherwise it exits as Python does.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

from dashboard.cli import main


def run() -> None:
    """Run the command line of the arguments given, then exit (module docstring)."""
    try:
        main.main(prog_name="strideload")
    except SystemExit as done:
        code = done.code
    else:  # click's standalone mode always ends in SystemExit; returning is an exit of 0
        code = 0
    if not isinstance(code, int | None) or _others_running():
        sys.exit(code)  # a message to print, or threads to wait for: Python's own way
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
            pass
    os._exit(code or 0)


def _others_running() -> bool:
    """Whether a thread Python would wait for at exit (not a daemon) is still running."""
    return any(thread is not threading.main_thread() and thread.is_alive() and not thread.daemon
               for thread in threading.enumerate())
