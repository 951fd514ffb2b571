"""Staff sign-in: failed attempts limited per address and per account, and a second factor.

Failed sign-ins are counted three ways (newsroom/site/counters.py):

- per address (`ADMIN_LOGIN_RATE`, an IPv6 address by its /64): one place
  guessing at many accounts;
- per account (`ADMIN_LOGIN_ACCOUNT_RATE`), from every address together:
  many places guessing at one account;
- per known browser: a browser in which someone has signed in to an account
  before carries a signed cookie naming it. Its attempts at that account
  are counted against that cookie alone (`ADMIN_LOGIN_RATE`), so neither an
  attacker behind the office's address nor one guessing from a thousand
  addresses locks the staff out of the browsers they use every day.

A limit reached refuses the right password too, until its window ends. The
address is the client's, also behind nginx (newsroom/site/network.py).

The second factor is a TOTP app with recovery codes (django-otp; the pages
are newsroom/site/two_factor.py). Whoever has set it up must give a code at
each sign-in; with STAFF_TWO_FACTOR on, staff must set it up before doing
anything else.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device

from newsroom.site.counters import Limit, address_key
from newsroom.site.network import client_ip
from newsroom.text import persian

KNOWN_BROWSER_COOKIE = "staff_browser"
KNOWN_BROWSER_DAYS = 180
_KNOWN_BROWSER_SALT = "newsroom.staff-known-browser"

LOCKED_MESSAGE = _(
    "Too many failed sign-ins for this account or from this address; "
    "please try again in a few minutes."
)
CODE_NEEDED_MESSAGE = _(
    "This account signs in in two steps: write the code your authenticator app shows, "
    "or one of your recovery codes."
)
WRONG_CODE_MESSAGE = _("This code is not right, or has been used already.")


def _address_limit():
    return Limit("admin.login.address", settings.ADMIN_LOGIN_RATE)


def _account_limit():
    return Limit("admin.login.account", settings.ADMIN_LOGIN_ACCOUNT_RATE)


def _browser_limit():
    return Limit("admin.login.browser", settings.ADMIN_LOGIN_RATE)


def _known_browser(request, username) -> str | None:
    """The id of this browser if someone signed in to `username` in it before; else None."""
    token = request.COOKIES.get(KNOWN_BROWSER_COOKIE)
    if not token or not username:
        return None
    try:
        known = signing.loads(
            token, salt=_KNOWN_BROWSER_SALT, max_age=KNOWN_BROWSER_DAYS * 24 * 3600
        )
    except signing.BadSignature:
        return None
    if not isinstance(known, dict) or known.get("u") != username:
        return None
    return str(known.get("b", ""))


def sign_in_locked(request, username) -> bool:
    """Whether a sign-in to `username` from this request is refused for now, right or wrong."""
    browser = _known_browser(request, username)
    if browser:
        return _browser_limit().reached(browser)
    return _address_limit().reached(address_key(client_ip(request))) or _account_limit().reached(
        username or ""
    )


def count_failure(request, username) -> None:
    """One more failed sign-in (a wrong password or a wrong code) to `username` from here."""
    browser = _known_browser(request, username)
    if browser:
        _browser_limit().hit(browser)
        return
    _address_limit().hit(address_key(client_ip(request)))
    _account_limit().hit(username or "")


class LoginAttemptLimitBackend(ModelBackend):
    """Refuses every sign-in that a limit stops, right password or wrong."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and sign_in_locked(request, username):
            request.sign_in_locked = True
            # PermissionDenied stops Django from trying other backends.
            raise PermissionDenied("too many failed sign-ins")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failed_password(sender, credentials, request=None, **kwargs):
    if request is not None:
        count_failure(request, credentials.get("username"))


@receiver(user_logged_in)
def _remember_browser(sender, request, user, **kwargs):
    if request is not None:
        request.known_browser_for = user.get_username()


def normalized_code(typed: str) -> str:
    """A code as typed on any keyboard: Persian digits, spaces and dashes allowed."""
    return "".join(ch for ch in persian.to_ascii_digits(typed or "") if ch.isalnum()).lower()


def verified_device(user, code):
    """The device of `user` that accepts `code` (and uses it up), or None.

    The devices are locked while they are checked (select_for_update), so
    that a TOTP code or a recovery code sent twice at once is accepted once;
    django-otp also slows down a device after each wrong code.
    """
    code = normalized_code(code)
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(code):
                return device
    return None


class StaffSignInForm(AdminAuthenticationForm):
    """The admin's sign-in with a code from the authenticator app, for those who set one up."""

    code = forms.CharField(
        label=_("Code from the authenticator app"),
        required=False,
        max_length=32,
        help_text=_("Only if you have set up two-step sign-in; a recovery code works too."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "dir": "ltr", "spellcheck": "false"}
        ),
    )

    def clean(self):
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if getattr(self.request, "sign_in_locked", False):
                raise forms.ValidationError(LOCKED_MESSAGE, code="locked") from None
            raise
        user = self.get_user()
        if user is None or not user_has_device(user):
            return cleaned
        code = cleaned.get("code", "")
        if not normalized_code(code):
            self.add_error("code", forms.ValidationError(CODE_NEEDED_MESSAGE, code="code_needed"))
            return cleaned
        device = verified_device(user, code)
        if device is None:
            count_failure(self.request, user.get_username())
            self.add_error("code", forms.ValidationError(WRONG_CODE_MESSAGE, code="wrong_code"))
            return cleaned
        # django-otp marks the session as verified by this device when
        # Django's login() runs with it set.
        user.otp_device = device
        return cleaned


def second_factor_required(user) -> bool:
    return bool(settings.STAFF_TWO_FACTOR and user.is_authenticated and user.is_staff)


class StaffSignInMiddleware:
    """Staff who must use two-step sign-in and have not are sent to set it up.

    Also gives a browser that has just signed in its known-browser cookie.
    After django_otp.middleware.OTPMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._second_factor_missing(request) or self.get_response(request)
        username = getattr(request, "known_browser_for", None)
        if username:
            self._remember(response, username)
        return response

    def _second_factor_missing(self, request):
        if not settings.STAFF_TWO_FACTOR or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, no staff: the user is not even looked at, so that a
            # reader's page does not vary by cookie.
            return None
        user = getattr(request, "user", None)
        if user is None or not second_factor_required(user) or user.is_verified():
            return None
        admin = "/" + settings.ADMIN_PATH
        allowed = (
            reverse("two-factor"),
            admin + "login/",
            admin + "logout/",
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        if request.path.startswith(allowed):
            return None
        return redirect(f"{reverse('two-factor')}?{urlencode({'next': request.get_full_path()})}")

    def _remember(self, response, username):
        from django.utils.crypto import get_random_string

        token = signing.dumps({"u": username, "b": get_random_string(20)}, salt=_KNOWN_BROWSER_SALT)
        response.set_cookie(
            KNOWN_BROWSER_COOKIE,
            token,
            max_age=KNOWN_BROWSER_DAYS * 24 * 3600,
            path="/" + settings.ADMIN_PATH,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )
