from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from . import search_views, views
from .converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")


newsroom_patterns = [
    path("", views.home, name="home"),
    path("news/<int:code>/", views.article_by_code, name="article-by-code"),
    path("news/<int:code>/<uslug:slug>/", views.article_detail, name="article"),
    path("service/<uslug:slug>/", views.service_articles, name="service"),
    path("tag/<uslug:slug>/", views.tag_articles, name="tag"),
    path("search/", search_views.search, name="search"),
    path("archive/<int:year>/<int:month>/", search_views.archive, name="archive"),
]

urlpatterns = [
    path("", include((newsroom_patterns, "newsroom"))),
    path("", include("comments.urls")),
    path("captcha/", include("captcha.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Uploaded images, for a laptop; production serves them from the web server.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
