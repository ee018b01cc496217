"""The command's exit codes and its usage error (a one-line message, exit code 2)."""

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with how mieruka was called, reported in one line with exit code 2."""
