from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.decorators.http import conditional_page

from newsroom.articles import feeds, sitemaps, views
from newsroom.articles.converters import AnyDigitsConverter, UnicodeSlugConverter
from newsroom.search import views as search_views
from newsroom.site import health, icons, two_factor
from newsroom.site.auth import StaffSignInForm

register_converter(UnicodeSlugConverter, "uslug")
register_converter(AnyDigitsConverter, "digits")


# Feeds answer If-Modified-Since and If-None-Match with 304 when nothing changed
# (Django's conditional_page: their Last-Modified is the newest article's, the
# ETag is the feed's own digest), so readers polling every few minutes fetch
# the whole feed only when there is something new.
newsroom_patterns = [
    path("", views.home, name="home"),
    path("news/<digits:code>/", views.article_by_code, name="article-by-code"),
    path("news/<digits:code>/<uslug:slug>/", views.article_detail, name="article"),
    path("views/<int:code>/", views.count_view, name="views"),
    path("service/<uslug:slug>/", views.service_articles, name="service"),
    path("tag/<uslug:slug>/", views.tag_articles, name="tag"),
    path("search/", search_views.search, name="search"),
    path("archive/", search_views.archive_index, name="archive-index"),
    path("archive/<digits:year>/<digits:month>/", search_views.archive, name="archive"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("about/", views.office_page, {"kind": "about"}, name="about"),
    path("contact/", views.office_page, {"kind": "contact"}, name="contact"),
    path("feed/", conditional_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", conditional_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path(
        "service/<uslug:slug>/feed/",
        conditional_page(feeds.ServiceArticlesFeed()),
        name="service-feed",
    ),
    path(
        "service/<uslug:slug>/feed/atom/",
        conditional_page(feeds.ServiceArticlesAtomFeed()),
        name="service-feed-atom",
    ),
    path("tag/<uslug:slug>/feed/", conditional_page(feeds.TagArticlesFeed()), name="tag-feed"),
    path(
        "tag/<uslug:slug>/feed/atom/",
        conditional_page(feeds.TagArticlesAtomFeed()),
        name="tag-feed-atom",
    ),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", icons.favicon_ico, name="favicon"),
    path("apple-touch-icon.png", icons.apple_touch_icon, name="apple-touch-icon"),
    path("healthz", health.healthz, name="healthz"),
]

# An unreachable database raised outside a view (a session being saved, a
# view count written from the page cache) gives the 503 page too.
handler500 = "newsroom.site.middleware.server_error"

# Staff sign in with a code from their authenticator app once they set one up
# (newsroom/site/auth.py); the pages that set it up live beside the admin.
admin.site.login_form = StaffSignInForm
two_factor_patterns = [
    path("", two_factor.two_factor, name="two-factor"),
    path("qr.svg", two_factor.qr_code, name="two-factor-qr"),
    path("recovery-codes/", two_factor.recovery_codes, name="two-factor-recovery-codes"),
    path("remove/", two_factor.remove, name="two-factor-remove"),
]

urlpatterns = [
    path("", include((newsroom_patterns, "newsroom"))),
    path("", include("comments.urls")),
    path(f"{settings.ADMIN_PATH}two-factor/", include(two_factor_patterns)),
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
