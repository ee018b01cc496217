"""Named fault points, so crash-safety tests can kill a build at an exact step instead of at a guessed moment.

`fault_point(name)` does nothing unless the environment variable MIERUKA_FAULT holds that name. Then the
build's whole process group (the build, its forkserver and its workers) is killed with SIGKILL right
there, as a power cut or the out-of-memory killer would end it: no handler, no `finally`, no flush.
Start a build under test in a session of its own (`start_new_session=True`) so nothing else dies.
"""

import os
import signal

ENV = "MIERUKA_FAULT"

# Every point the build and publishing pass through, in the order a build reaches them.
BUILD_POINTS = ("build:body-started", "build:body-written", "build:bodies-done", "build:combined-written",
                "build:run-json-written")
PUBLISH_POINTS = ("publish:previous-cleared", "publish:journal-written",
                  "publish:parked-datapackages", "publish:swapped-datapackages",
                  "publish:parked-output", "publish:swapped-output",
                  "publish:journal-removed", "publish:done")
RECOVER_POINTS = ("recover:restored-datapackages", "recover:restored-output")
POINTS = BUILD_POINTS + PUBLISH_POINTS + RECOVER_POINTS


def fault_point(name: str) -> None:
    """Kill this process group here when MIERUKA_FAULT names this point (a test hook: inert when unset)."""
    if os.environ.get(ENV) == name:
        os.killpg(os.getpgrp(), signal.SIGKILL)
