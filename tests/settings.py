"""The portal's own settings, for the test suite: DEBUG stays off as in production, so the suite
brings a SECRET_KEY of its own (the portal refuses to start without one when DEBUG is off)."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-" + "x" * 40)

from ocp_portal.settings import *  # noqa: E402, F403
