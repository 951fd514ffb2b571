import os

import pytest

from tests.support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the browser tests of a run."""
    # Playwright's synchronous API runs an event loop in this thread; the
    # tests' own database calls are still plain synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
