"""Whose address a request is counted under, tried as an attacker tries it.

The security test sent comments and passwords straight to an app server with
a new X-Forwarded-For each time. Here the test client plays both that
attacker (a peer that is not a proxy) and a reader behind the operator's
nginx (a peer in TRUSTED_PROXIES), with REMOTE_ADDR set to the peer's
address as gunicorn sets it.
"""

import ipaddress
import os
import re
import subprocess
import sys

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments.models import Comment
from newsroom.site.network import client_ip, parse_address
from tests.factories import ArticleFactory

NGINX = "10.0.0.2"
ATTACKER = "203.0.113.50"
COMMENT = "از اطلاع‌رسانی سریع درباره افزایش مستمری بازنشستگان سپاسگزارم."


@pytest.fixture
def behind_nginx(settings):
    # TRUST_X_FORWARDED_FOR is on as it was in the attacked deployment; only
    # the proxy's own address may now vouch for the header.
    settings.TRUST_X_FORWARDED_FOR = True
    settings.TRUSTED_PROXIES = [NGINX]
    settings.COMMENT_MIN_SECONDS = 0
    return settings


def address_of(remote_addr, forwarded=None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


# Which address is the reader's ---------------------------------------------------


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    settings.TRUST_X_FORWARDED_FOR = False
    assert address_of("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_the_older_switch_alone_trusts_only_this_machine(settings):
    settings.TRUSTED_PROXIES = []
    settings.TRUST_X_FORWARDED_FOR = True
    assert address_of("127.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert address_of("::1", "203.0.113.9") == "203.0.113.9"
    assert address_of(ATTACKER, "203.0.113.9") == ATTACKER


def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address(behind_nginx):
    assert address_of(ATTACKER, "198.51.100.1") == ATTACKER
    assert address_of(ATTACKER, f"198.51.100.1, {NGINX}") == ATTACKER


def test_the_reader_is_the_right_most_address_that_is_not_a_proxy(behind_nginx):
    # nginx appends the address it saw; what the reader wrote before it is theirs.
    assert address_of(NGINX, "203.0.113.9") == "203.0.113.9"
    assert address_of(NGINX, "1.2.3.4, 5.6.7.8, 203.0.113.9") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_to_the_reader(behind_nginx):
    # A CDN (its network) in front of nginx: both are proxies, the reader is before them.
    behind_nginx.TRUSTED_PROXIES = [NGINX, "198.51.100.0/24", "2001:db8:cafe::/48"]
    assert address_of(NGINX, "1.2.3.4, 203.0.113.9, 198.51.100.20") == "203.0.113.9"
    assert address_of(NGINX, "2001:db8::7, 2001:db8:cafe::1") == "2001:db8::7"
    # Nothing but proxies: the farthest one is all there is to count.
    assert address_of(NGINX, f"198.51.100.20, {NGINX}") == "198.51.100.20"


@pytest.mark.parametrize(
    "forwarded",
    [
        "not-an-address",
        "",
        " , ",
        "203.0.113.9:443",
        "[2001:db8::1]",
        "203.0.113.9 extra",
        "999.1.1.1",
        "203.000.113.009",
        "x" * 5000,
        "\u06f2\u06f0\u06f3.0.113.9",  # Persian digits are not an address either
    ],
)
def test_a_malformed_entry_is_not_believed_and_the_proxy_is_counted(behind_nginx, forwarded):
    assert address_of(NGINX, forwarded) == NGINX
    # A good address left of the junk was written by the reader: still not believed.
    assert address_of(NGINX, f"203.0.113.9, {forwarded}") == NGINX


def test_one_reader_has_one_spelling(behind_nginx):
    assert address_of(NGINX, "::ffff:203.0.113.9") == "203.0.113.9"
    assert address_of(NGINX, " 2001:DB8:0:0::7 ") == "2001:db8::7"
    assert address_of("::ffff:10.0.0.2", "203.0.113.9") == "203.0.113.9"


def test_no_peer_address_is_no_address(behind_nginx):
    assert address_of("", "203.0.113.9") is None


@hypothesis_settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(
        st.one_of(
            st.ip_addresses().map(str),
            st.sampled_from(["", " ", "unknown", "::", "0", "[::1]", "1.2.3.4:5", "%", "\x00"]),
            st.text(max_size=12),
        ),
        max_size=6,
    ).map(",".join)
)
def test_any_header_gives_an_address_the_proxy_or_one_it_wrote(forwarded):
    with override_settings(TRUSTED_PROXIES=[NGINX]):
        reader = address_of(NGINX, forwarded)
    written = {str(parse_address(entry)) for entry in forwarded.split(",") if parse_address(entry)}
    assert reader == NGINX or reader in written
    ipaddress.ip_address(reader)


def test_a_trusted_proxies_entry_that_is_not_an_address_stops_the_site(tmp_path):
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
        "TRUSTED_PROXIES": "10.0.0.2,nginx.internal",
        "ENV_FILE": str(tmp_path / "no.env"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx.internal' is not an IP address or network" in result.stderr


# The attack, replayed ---------------------------------------------------------------


def _hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def post_comment(client, article, **meta):
    """Fetch the comment form and send it, both from the same peer and with the same headers."""
    fields = _hidden_fields(client.get(f"/comments/{article.code}/", **meta).content.decode())
    answer = CaptchaStore.objects.get(hashkey=fields["captcha_0"]).response
    data = {**fields, "name": "رضا", "email": "", "text": COMMENT, "captcha_1": answer}
    return client.post(f"/comments/{article.code}/", data, **meta)


@pytest.mark.django_db
def test_a_new_forwarded_address_per_comment_does_not_pass_the_limit(client, behind_nginx):
    behind_nginx.COMMENT_RATE = "5/10m"
    article = ArticleFactory()
    statuses = [
        post_comment(
            client, article, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}"
        ).status_code
        for number in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@pytest.mark.django_db
def test_behind_nginx_each_reader_has_their_own_limit_whatever_they_prepend(client, behind_nginx):
    behind_nginx.COMMENT_RATE = "2/10m"
    article = ArticleFactory()
    statuses = [
        post_comment(
            client,
            article,
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.9",
        ).status_code
        for number in range(3)
    ]
    assert statuses == [302, 302, 429]
    other_reader = post_comment(
        client, article, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.10"
    )
    assert other_reader.status_code == 302
    assert sorted(Comment.objects.values_list("ip_address", flat=True)) == [
        "203.0.113.10",
        "203.0.113.9",
        "203.0.113.9",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["not-an-address", "203.0.113.9, <script>", "1.2.3.4:80"])
def test_a_comment_behind_nginx_with_a_malformed_header_is_kept_under_the_proxys_address(
    client, behind_nginx, forwarded
):
    article = ArticleFactory()
    response = post_comment(client, article, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 302
    assert Comment.objects.get().ip_address == NGINX


def staff_accounts():
    # The guesses go to one account and the right password to another, so
    # that what stops the attacker is their address, not the account's limit.
    users = get_user_model().objects
    users.create_user("reza", password="rezas-own-password-7", is_staff=True)
    users.create_user("editor", password="the-right-password-9", is_staff=True)
    return {"username": "editor", "password": "the-right-password-9"}


def signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


@pytest.mark.django_db
def test_a_new_forwarded_address_per_password_still_meets_the_lockout(behind_nginx):
    behind_nginx.ADMIN_LOGIN_RATE = "3/15m"
    right = staff_accounts()
    attacker = Client()
    for number in range(30):
        attacker.post(
            "/admin/login/",
            {"username": "reza", "password": f"guess-{number}"},
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    locked = attacker.post(
        "/admin/login/", right, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="198.51.100.200"
    )
    assert not signed_in(locked)
    assert locked.status_code == 200  # the form again, refused


@pytest.mark.django_db
def test_behind_nginx_the_lockout_counts_the_reader_not_what_they_prepend(behind_nginx):
    behind_nginx.ADMIN_LOGIN_RATE = "3/15m"
    right = staff_accounts()
    guesser = Client()
    for number in range(3):
        guesser.post(
            "/admin/login/",
            {"username": "reza", "password": "wrong"},
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.66",
        )
    again = guesser.post(
        "/admin/login/", right, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.66"
    )
    assert not signed_in(again)
    # The editor at another address, through the same nginx, is not locked out.
    editor = Client().post(
        "/admin/login/", right, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="203.0.113.77"
    )
    assert signed_in(editor)


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["not-an-address", "", "::ffff:999.1.1.1"])
def test_a_malformed_header_never_gives_a_server_error(behind_nginx, forwarded):
    article = ArticleFactory()
    reader = Client(raise_request_exception=False)
    for peer in (NGINX, ATTACKER):
        meta = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded}
        assert reader.get(article.get_absolute_url(), **meta).status_code == 200
        assert reader.get(f"/comments/{article.code}/", **meta).status_code == 200
        login = reader.post("/admin/login/", {"username": "x", "password": "y"}, **meta)
        assert login.status_code == 200


# Which requests are secure ------------------------------------------------------


@pytest.fixture
def https_behind_nginx(behind_nginx):
    behind_nginx.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_nginx.SECURE_SSL_REDIRECT = True
    return behind_nginx


def test_a_client_that_is_not_a_proxy_cannot_say_its_request_is_secure(https_behind_nginx):
    response = Client(REMOTE_ADDR=ATTACKER).get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_the_proxy_says_which_requests_came_over_https(https_behind_nginx):
    # Taken for secure: not redirected to HTTPS.
    secure = Client(REMOTE_ADDR=NGINX).get("/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    plain = Client(REMOTE_ADDR=NGINX).get("/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301


@pytest.mark.django_db
def test_without_trusted_proxies_nginx_on_this_machine_says_it(https_behind_nginx):
    https_behind_nginx.TRUSTED_PROXIES = []
    https_behind_nginx.TRUST_X_FORWARDED_FOR = False
    local = Client(REMOTE_ADDR="127.0.0.1").get("/", HTTP_X_FORWARDED_PROTO="https")
    assert local.status_code == 200
    remote = Client(REMOTE_ADDR=ATTACKER).get("/", HTTP_X_FORWARDED_PROTO="https")
    assert remote.status_code == 301
