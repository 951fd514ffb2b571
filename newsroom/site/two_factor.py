"""Two-step sign-in for staff: an authenticator app (TOTP) and recovery codes, through django-otp.

One page (`two-factor`) does what the staff member needs next:

- nothing set up: a QR code (an SVG we serve ourselves) and the key as
  text, and a field for the first code; a right code turns it on and shows
  ten recovery codes, once;
- set up, but this session has not given a code (signed in before it was
  set up, or before it became required): a field for a code;
- set up and given: how many recovery codes are left, new recovery codes,
  and removing the app (to set up a new phone).
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .auth import (
    WRONG_CODE_MESSAGE,
    count_failure,
    normalized_code,
    second_factor_required,
    verified_device,
)

RECOVERY_CODES = 10


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=32,
        error_messages={"required": _("Please write the code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


def staff_only(view):
    @never_cache
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _confirmed_app(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _pending_app(user):
    """The app being set up: one unconfirmed device, made on the first visit."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def _page(request, template, **context):
    context = {
        **admin.site.each_context(request),
        "title": _("Two-step sign-in"),
        "required": second_factor_required(request.user),
        **context,
    }
    return TemplateResponse(request, f"two_factor/{template}.html", context)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _grouped_key(device):
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def _new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes for `user`; those given before stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@staff_only
def two_factor(request):
    """Set up, confirm in this session, or manage two-step sign-in."""
    user = request.user
    app = _confirmed_app(user)
    if app is not None and user.is_verified():
        recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
        left = recovery.token_set.count() if recovery else 0
        return _page(request, "manage", recovery_left=left)

    form = CodeForm(request.POST or None)
    if app is not None:
        # Set up, but this session has not shown a code.
        if request.method == "POST" and form.is_valid():
            device = verified_device(user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            count_failure(request, user.get_username())
            form.add_error("code", WRONG_CODE_MESSAGE)
        return _page(request, "verify", form=form, next=_next_url(request))

    pending = _pending_app(user)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(normalized_code(form.cleaned_data["code"])):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=pending.pk).delete()
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, pending)
            return _page(request, "recovery_codes", codes=codes, next=_next_url(request))
        form.add_error("code", WRONG_CODE_MESSAGE)
    return _page(request, "setup", form=form, secret=_grouped_key(pending), next=_next_url(request))


@staff_only
def qr_code(request):
    """The QR code of the app being set up, as an SVG image; nothing once it is set up."""
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=False).first()
    if device is None:
        return HttpResponse(status=404)
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2
    )
    svg = io.BytesIO()
    image.save(svg)
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@staff_only
def recovery_codes(request):
    """New recovery codes, shown once; only in a session that gave a code."""
    if not request.user.is_verified():
        return redirect("two-factor")
    codes = _new_recovery_codes(request.user)
    return _page(request, "recovery_codes", codes=codes, next=reverse("two-factor"))


@require_POST
@staff_only
def remove(request):
    """Remove the app and the recovery codes, to set up a new phone; only after giving a code."""
    if not request.user.is_verified():
        return redirect("two-factor")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        StaticDevice.objects.filter(user=request.user).delete()
    return redirect("two-factor")
