import pytest

from newsroom.text.sanitize import body_text, clean_body


def test_allowed_markup_is_kept():
    body = (
        "<h2>عنوان</h2><p><strong>مهم</strong> و <em>تأکید</em></p>"
        "<ul><li>یک</li></ul><blockquote>نقل</blockquote>"
        '<figure><img src="/media/a.jpg" alt="عکس"><figcaption>شرح</figcaption></figure>'
        "<table><tr><th>ماه</th><td>مبلغ</td></tr></table>"
    )
    cleaned = clean_body(body)
    for fragment in (
        "<h2>عنوان</h2>",
        "<strong>مهم</strong>",
        "<em>تأکید</em>",
        "<li>یک</li>",
        "<blockquote>نقل</blockquote>",
        '<img src="/media/a.jpg" alt="عکس">',
        "<figcaption>شرح</figcaption>",
        "<th>ماه</th>",
    ):
        assert fragment in cleaned


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert('x')</script>",
        "<style>body{display:none}</style>",
        "<svg><circle r='5'></circle><script>alert(1)</script></svg>",
        "<math><mi>x</mi></math>",
        "<iframe src='https://example.com'>بیرون</iframe>",
    ],
)
def test_active_elements_are_removed_with_their_content(dangerous):
    cleaned = clean_body(f"<p>پیش</p>{dangerous}<p>پس</p>")
    assert cleaned == "<p>پیش</p><p>پس</p>"


def test_event_attributes_and_javascript_links_are_removed():
    cleaned = clean_body('<p onclick="steal()">متن <a href="javascript:alert(1)">پیوند</a></p>')
    assert "onclick" not in cleaned
    assert "javascript" not in cleaned
    assert "پیوند" in cleaned


def test_links_keep_safe_protocols_and_open_without_opener():
    cleaned = clean_body(
        '<a href="https://www.tamin.ir">سایت</a> <a href="mailto:info@tamin.ir">نامه</a>'
        ' <a href="ftp://x.ir/f">پرونده</a>'
    )
    assert '<a href="https://www.tamin.ir" rel="noopener">سایت</a>' in cleaned
    assert '<a href="mailto:info@tamin.ir" rel="noopener">نامه</a>' in cleaned
    assert "ftp:" not in cleaned


def test_unknown_tags_are_dropped_but_their_text_kept():
    assert clean_body("<div><span>متن</span></div>") == "متن"


def test_body_text_has_words_without_markup():
    assert body_text("<p>یک</p><p>دو &amp; سه</p><script>x()</script>") == "یک دو & سه"


def test_images_from_another_host_lose_their_source():
    cleaned = clean_body(
        '<img src="https://other.example/x.png" alt="بیرونی"><img src="/media/a.png">'
    )
    assert "other.example" not in cleaned
    assert '<img src="/media/a.png">' in cleaned
