"""What search engines, news apps and messengers read from our pages."""

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.dateparse import parse_datetime
from PIL import Image

from tests.factories import ArticleFactory, CommentFactory, ServiceFactory
from tests.support import html_errors, needs_vnu

pytestmark = pytest.mark.django_db

SHARE_HOSTS = {"t.me", "wa.me", "eitaa.com", "ble.ir", "rubika.ir", "splus.ir", "x.com"}
PAGE_BUDGET = 100 * 1024


class PageParser(HTMLParser):
    """The parts of a page that matter here: meta, links, scripts and what the browser loads."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.meta_all = []
        self.links = []
        self.anchors = []
        self.scripts = []
        self.loaded = []
        self.json_ld = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
                self.meta_all.append((key, attrs.get("content")))
        elif tag == "link":
            self.links.append(attrs)
            rel = set((attrs.get("rel") or "").split())
            if rel & {"stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest"}:
                self.loaded.append(attrs["href"])
        elif tag == "a":
            self.anchors.append(attrs)
        elif tag == "script":
            if attrs.get("type") == "application/ld+json":
                self._in_json_ld = True
                self.json_ld.append("")
            elif attrs.get("src"):
                self.scripts.append(attrs["src"])
                self.loaded.append(attrs["src"])
        if tag in {"img", "source", "iframe", "video", "audio", "embed", "track", "input"}:
            if attrs.get("src"):
                self.loaded.append(attrs["src"])
            for candidate in (attrs.get("srcset") or "").split(","):
                if candidate.strip():
                    self.loaded.append(candidate.split()[0])
        if tag == "object" and attrs.get("data"):
            self.loaded.append(attrs["data"])
        if "style" in attrs:
            self.loaded.append("inline-style")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def parsed(response):
    assert response.status_code in (200, 404)
    page = PageParser()
    page.feed(response.content.decode())
    return page


def jpeg(width=1600, height=900):
    buffer = BytesIO()
    Image.new("RGB", (width, height), "#0b4f8a").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def article(media):
    service = ServiceFactory(name="اخبار")
    return ArticleFactory(
        code=77759,
        service=service,
        title="ضرورت بازتعریف فعالیت‌ها و نحوه مواجهه با افکار عمومی",
        lead="روابط عمومی در سازمانی که حدود ۵۰ میلیون ذینفع دارد با رویکرد سنتی پیش نمی‌رود.",
        published_at=datetime(2026, 11, 28, 11, 0, tzinfo=UTC),
        image=jpeg(),
        image_caption="نشست روابط عمومی",
        tags=["تأمین اجتماعی", "روابط عمومی"],
    )


def test_canonical_and_short_links(client, article):
    page = parsed(client.get(article.get_absolute_url()))
    rels = {link["rel"]: link["href"] for link in page.links}
    assert rels["canonical"] == "http://testserver" + article.get_absolute_url()
    assert rels["shortlink"] == "http://testserver/news/77759/"


def test_meta_description_is_the_lead(client, article):
    page = parsed(client.get(article.get_absolute_url()))
    assert page.meta["description"] == article.lead


def test_open_graph_and_twitter_card(client, article):
    page = parsed(client.get(article.get_absolute_url()))
    meta = page.meta
    assert meta["og:type"] == "article"
    assert meta["og:title"] == article.title
    assert meta["og:description"] == article.lead
    assert meta["og:url"] == "http://testserver" + article.get_absolute_url()
    assert meta["og:locale"] == "fa_IR"
    assert meta["og:image"].startswith("http://testserver/media/")
    assert meta["og:image:alt"] == "نشست روابط عمومی"
    assert parse_datetime(meta["article:published_time"]) == article.published_at
    assert {content for key, content in page.meta_all if key == "article:tag"} == {
        "تأمین اجتماعی",
        "روابط عمومی",
    }
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == article.title
    assert meta["twitter:image"] == meta["og:image"]


def test_an_article_without_image_has_a_small_card(client, media):
    article = ArticleFactory()
    meta = parsed(client.get(article.get_absolute_url())).meta
    assert meta["twitter:card"] == "summary"
    assert "og:image" not in meta


def test_json_ld_is_a_news_article(client, article):
    page = parsed(client.get(article.get_absolute_url()))
    news, breadcrumbs = (json.loads(block) for block in page.json_ld)
    assert breadcrumbs["@type"] == "BreadcrumbList"
    data = news
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == article.lead
    assert data["inLanguage"] == "fa"
    assert data["keywords"] == ["تأمین اجتماعی", "روابط عمومی"]
    assert data["url"] == data["mainEntityOfPage"]["@id"] == page.meta["og:url"]
    assert data["datePublished"] == "2026-11-28T14:30:00+03:30"
    assert parse_datetime(data["dateModified"]) >= article.published_at
    assert data["image"][0] == page.meta["og:image"]
    assert len(data["image"]) == 3  # 16:9, 4:3 and 1:1
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"]
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/")
    assert data["articleSection"] == "اخبار"


def test_json_ld_cannot_close_its_script_element(client, media):
    article = ArticleFactory(title="عنوان </script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block
    assert json.loads(block)["headline"] == article.title


def test_long_titles_are_shortened_in_the_headline(client, media):
    article = ArticleFactory(title=" ".join(["واژه‌ای"] * 30))
    data = json.loads(parsed(client.get(article.get_absolute_url())).json_ld[0])
    assert len(data["headline"]) <= 110
    assert data["headline"].endswith("…")


def test_short_link_is_shown_and_leads_to_the_article(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="short-link" type="url" value="http://testserver/news/77759/" readonly' in html
    response = client.get("/news/77759/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_share_links_are_plain_links_to_the_messengers(client, article):
    page = parsed(client.get(article.get_absolute_url()))
    shares = [a for a in page.anchors if "share__link" in (a.get("class") or "")]
    assert {urlsplit(a["href"]).hostname for a in shares} == SHARE_HOSTS
    for anchor in shares:
        query = parse_qs(urlsplit(anchor["href"]).query)
        carried = " ".join(query.get("url", []) + query.get("text", []))
        assert "http://testserver/news/77759/" in carried
        assert "nofollow" in anchor["rel"]


def loaded_urls(client, url):
    return parsed(client.get(url)).loaded


@pytest.fixture
def every_page(article):
    CommentFactory(article=article)
    ArticleFactory(service=article.service, view_count=5, tags=["بیمه"])
    return [
        "/",
        article.get_absolute_url(),
        article.service.get_absolute_url(),
        "/tag/بیمه/",
        "/search/?q=بیمه",
        "/news/1/",
    ]


def test_no_page_loads_anything_from_another_host(client, every_page):
    for url in every_page:
        for loaded in loaded_urls(client, url):
            assert loaded != "inline-style", f"{url} has a style attribute"
            host = urlsplit(loaded).hostname
            assert host in (None, "testserver"), f"{url} loads {loaded}"


def test_stylesheets_load_nothing_from_another_host():
    css = Path(finders.find("css/site.css")).read_text()
    for reference in re.findall(r"url\(([^)]+)\)", css):
        assert "//" not in reference.strip("\"'")


def asset_bytes(url):
    path = finders.find(unquote(urlsplit(url).path).removeprefix(settings.STATIC_URL))
    assert path, url
    return Path(path).stat().st_size


def test_article_page_html_css_and_javascript_weigh_under_100_kb(client, media):
    service = ServiceFactory(name="اخبار")
    body = "".join(
        f"<h2>بخش {n}</h2><p>{' '.join(['متن خبر درباره بیمه‌شدگان و بازنشستگان'] * 25)}</p>"
        for n in range(8)
    )
    article = ArticleFactory(
        service=service,
        surtitle="روتیتر",
        body=body,
        image=jpeg(),
        tags=[f"برچسب {n}" for n in range(10)],
    )
    for number in range(6):
        ArticleFactory(service=service, tags=["برچسب 1"], view_count=number + 1)
    for number in range(30):
        parent = CommentFactory(article=article, text="نظری نسبتاً بلند درباره این خبر. " * 4)
        if number % 3 == 0:
            CommentFactory(article=article, parent=parent, thread=parent)

    response = client.get(article.get_absolute_url())
    page = parsed(response)
    stylesheets = [link["href"] for link in page.links if link.get("rel") == "stylesheet"]
    weight = len(response.content)
    weight += sum(asset_bytes(url) for url in stylesheets + page.scripts)
    assert stylesheets and page.scripts
    assert weight < PAGE_BUDGET, f"the article page weighs {weight} bytes"


@needs_vnu
def test_pages_with_every_box_are_valid_html(client, every_page, article, tmp_path):
    ArticleFactory(service=article.service, published_at=datetime(2026, 11, 27, tzinfo=UTC))
    files = []
    for number, url in enumerate(every_page[:2]):
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    html = Path(files[1]).read_text()
    assert 'rel="prev"' in html and 'class="popular"' in html and "srcset=" in html
    assert html_errors(files) == []
