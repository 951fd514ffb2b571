import importlib
import os

import pytest
from django.apps import apps as django_apps

from tests.support import CHROMIUM, CHROMIUM_ARGS, DESK, PHONE, close_quietly, watched_context


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


@pytest.fixture
def phone_context(browser):
    """A reader's phone: its pages are closed once they have stopped loading."""
    context = browser.new_context(**PHONE)
    yield context
    close_quietly(context)


@pytest.fixture
def phone_page(phone_context):
    return phone_context.new_page()


@pytest.fixture
def staff_page(browser):
    """A page at an editor's desk that notes what the Content Security Policy blocked."""
    context = watched_context(browser, **DESK)
    page = context.new_page()
    page.policy_violations = context.policy_violations
    yield page
    close_quietly(context)


@pytest.fixture
def staff_roles():
    """A transactional test starts from an empty database: the staff roles made again.

    The migrations' functions are given the project's own app registry here,
    and they mark each app as having no models module once its permissions
    are made (as a migration's historical apps have none). Left so, `migrate`
    would send no app its post_migrate signal for the rest of the run.
    """
    models_modules = {config: config.models_module for config in django_apps.get_app_configs()}
    try:
        importlib.import_module("comments.migrations.0003_staff_roles").create_roles(
            django_apps, None
        )
        importlib.import_module("comments.migrations.0005_answering_roles").grant(django_apps, None)
    finally:
        for config, module in models_modules.items():
            config.models_module = module
