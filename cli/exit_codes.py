"""The exit codes of `refconv` (README: Exit codes); small, as every run loads it."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    RECORDS_FAILED = 1  # some records failed (the rest were written), or --strict
    USAGE = 2  # bad arguments or unreadable input; or output failed before anything was written
    BROKEN_PIPE = 141  # 128 + SIGPIPE, as for any Unix filter whose reader went away
