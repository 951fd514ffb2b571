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
    """Each test starts with an empty cache (no page, version or pending view): nothing leaks."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
