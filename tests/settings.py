"""The project's settings for the test suite: the same environment-read
settings, with a signing key of its own so that tests run with DEBUG off,
as production does, without a SECRET_KEY in the environment."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from newsroom.site.settings import *  # noqa: E402, F403

# The suite runs with whole pages cached, as production does with Redis: a
# test that changes something and reads the page again checks invalidation.
PAGE_CACHE = True
# The tests run in one process: its memory cache is shared by every request.
CACHE_IS_SHARED = True
# E-mail is sent by the tests themselves (comments.outbox.send_due), never by
# a thread left running between tests.
COMMENT_MAIL_IN_PROCESS = False
SITE_URL = "http://testserver"
