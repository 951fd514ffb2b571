"""The editors' tools beside the article form: preview, ZWNJs, body images, compare.

Each function takes the articles' ModelAdmin and returns the view it adds
to the admin (`ArticleAdmin.get_urls`), so that permissions are the
ModelAdmin's own.
"""

import difflib

from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from newsroom.articles import body_images, services
from newsroom.models import Article
from newsroom.text import persian
from newsroom.text.sanitize import body_text, clean_body

# What the comparison of two versions shows, in the form's order.
COMPARED_FIELDS = (
    "surtitle",
    "title",
    "lead",
    "body",
    "image_caption",
    "service",
    "source",
    "status",
    "published_at",
    "comments_open",
)
TEXT_FIELDS = {"surtitle", "title", "lead", "body", "image_caption", "source"}


def _url(model_admin, name, *args):
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def _context(model_admin, request, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "app_label": model_admin.opts.app_label,
        **extra,
    }


# --- Preview of what is in the form, saved or not ---------------------------


def preview(model_admin):
    """The article as readers would see it, from the form as it is now, without saving."""

    @require_POST
    def view(request):
        article = None
        object_id = request.GET.get("of")
        if object_id:
            article = model_admin.get_object(request, unquote(object_id))
            if article is None:
                raise Http404
            allowed = model_admin.has_change_permission(request, article)
        else:
            allowed = model_admin.has_add_permission(request)
        if not allowed:
            raise PermissionDenied
        form_class = model_admin.get_form(request, article, change=article is not None)
        form = form_class(request.POST, request.FILES, instance=article or Article())
        valid = form.is_valid()
        shown = form.instance
        tags = []
        if valid:
            shown.body = clean_body(persian.fold(shown.body))
            tags = sorted(persian.fold(name).strip() for name in form.cleaned_data.get("tags", []))
        response = TemplateResponse(
            request,
            "admin/newsroom/article/preview.html",
            {
                "article": shown,
                "tags": tags,
                "form": form,
                "valid": valid,
                "title": _("Preview: %(title)s") % {"title": shown.title or _("untitled")},
            },
        )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response

    return view


# --- «اصلاح نیم‌فاصله»: the changes shown, then applied --------------------


def zwnj_redirect(model_admin, queryset):
    pks = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    return HttpResponseRedirect(f"{_url(model_admin, 'zwnj')}?ids={pks}")


def zwnj(model_admin):
    """The words that lost their ZWNJs in the chosen articles, each to accept or not."""

    def view(request):
        pks = [
            pk
            for pk in (persian.parse_int(part) for part in request.GET.get("ids", "").split(","))
            if pk is not None
        ][:100]
        articles = [
            article
            for article in Article.objects.filter(pk__in=pks).order_by("-published_at")
            if model_admin.has_change_permission(request, article)
        ]
        if not articles:
            raise PermissionDenied
        changelist = _url(model_admin, "changelist")
        if request.method == "POST":
            accepted = {
                article.pk: request.POST.getlist(f"words-{article.pk}") for article in articles
            }
            changed = services.restore_zwnj(
                articles=articles, accepted=accepted, editor=request.user
            )
            model_admin.message_user(
                request,
                ngettext(
                    "Zero-width non-joiners restored in %(count)s article.",
                    "Zero-width non-joiners restored in %(count)s articles.",
                    changed,
                )
                % {"count": persian.to_persian_digits(changed)},
            )
            if len(articles) == 1:
                return HttpResponseRedirect(_url(model_admin, "change", articles[0].pk))
            return HttpResponseRedirect(changelist)
        labels = {name: Article._meta.get_field(name).verbose_name for name in services.ZWNJ_FIELDS}
        found = [
            (
                article,
                [(labels[field], changes) for field, changes in services.zwnj_changes(article)],
            )
            for article in articles
        ]
        return TemplateResponse(
            request,
            "admin/newsroom/article/zwnj.html",
            _context(
                model_admin,
                request,
                title=_("Restore zero-width non-joiners"),
                found=found,
                anything=any(changes for _article, changes in found),
                changelist_url=changelist,
            ),
        )

    return view


# --- Images uploaded from inside the body editor ----------------------------


def body_image_upload(model_admin):
    @require_POST
    def view(request):
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            raise PermissionDenied
        try:
            url = body_images.store_body_image(upload=request.FILES.get("image"))
        except ValidationError as refused:
            return JsonResponse({"error": " ".join(refused.messages)}, status=400)
        return JsonResponse({"url": url})

    return view


# --- Two versions side by side ---------------------------------------------


def compare(model_admin):
    """What a version changed from the one before it, word by word."""

    def view(request, object_id, version_id):
        article = model_admin.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not model_admin.has_view_history_or_change_history_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(Article.history, id=article.pk, history_id=version_id)
        previous = version.prev_record
        rows = []
        for name in COMPARED_FIELDS:
            field = Article._meta.get_field(name)
            new = _shown(version, name)
            old = _shown(previous, name) if previous is not None else ""
            if previous is not None and old == new:
                continue
            rows.append(
                {
                    "label": field.verbose_name,
                    "parts": _word_diff(old, new) if name in TEXT_FIELDS else None,
                    "old": old,
                    "new": new,
                }
            )
        return TemplateResponse(
            request,
            "admin/newsroom/article/compare.html",
            _context(
                model_admin,
                request,
                title=_("Changes in this version"),
                original=article,
                version=version,
                previous=previous,
                rows=rows,
                history_url=_url(model_admin, "history", article.pk),
                revert_url=_url(model_admin, "simple_history", article.pk, version.history_id),
            ),
        )

    return view


def _shown(record, name):
    try:
        value = getattr(record, name)
    except ObjectDoesNotExist:  # a service deleted since: the version still shows
        return "-"
    if name == "body":
        return body_text(value or "")
    if name == "service":
        return str(value) if value else ""
    if name == "status":
        return str(Article.Status(value).label)
    if name == "published_at":
        return persian.jalali(value)
    if name == "comments_open":
        return _("yes") if value else _("no")
    return value or ""


def _word_diff(old, new):
    """[(kind, text), …] with kind 'same', 'removed' or 'added', word by word."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("same", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(("added", " ".join(new_words[j1:j2])))
    return parts
