import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates find static files without a collectstatic run before the tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache and no views waiting: nothing leaks between tests."""
    from django.core.cache import cache

    from newsroom.articles import reading

    cache.clear()
    reading._pending.clear()
    yield
    cache.clear()
    reading._pending.clear()
