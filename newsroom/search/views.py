"""The reader's search page and the archive by Jalali month."""

from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.articles.views import list_page_meta, paginate
from newsroom.models import Article
from newsroom.search.engine import search_page
from newsroom.search.query import MAX_QUERY_LENGTH
from newsroom.text import jalali, persian

# The words a reader may put before a news code: «کد خبر ۷۷۷۵۹».
_CODE_WORDS = persian.words("کد خبر")
_MAX_CODE = 2**31 - 1
MAX_SUGGESTED_WORDS = 4
# What narrows a search besides its words.
FILTERS = ("service", "tag", "date_from", "date_to")

DATE_MESSAGE = _("Type a date like 1405/09/08.")
RANGE_MESSAGE = _("The end of the range is before its start.")


class SearchForm(forms.Form):
    """What the reader typed; a value that is not understood is refused beside its field."""

    q = forms.CharField(required=False, strip=True)
    service = forms.CharField(required=False, label=_("Service"))
    tag = forms.CharField(required=False, label=_("Tag"), max_length=100)
    date_from = forms.CharField(required=False, label=_("From"), max_length=40)
    date_to = forms.CharField(required=False, label=_("To"), max_length=40)

    def clean_q(self):
        # A query pasted whole from somewhere is searched by its beginning, not refused.
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]

    def clean_date_from(self):
        return self._jalali("date_from")

    def clean_date_to(self):
        return self._jalali("date_to")

    def _jalali(self, name):
        text = self.cleaned_data[name]
        if not text:
            return None
        day = jalali.parse_date(text)
        if day is None:
            raise forms.ValidationError(DATE_MESSAGE, code="date")
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", forms.ValidationError(RANGE_MESSAGE, code="order"))
        return data

    @property
    def filters(self):
        data = self.cleaned_data
        return {name: data.get(name) or None for name in FILTERS}


def news_code(query: str) -> int | None:
    """The news code a query is, in any digits, with or without «کد خبر» before it."""
    words = persian.words(query)
    if not words or words[:-1] not in ([], _CODE_WORDS, _CODE_WORDS[:1]):
        return None
    code = persian.parse_int(words[-1], max_digits=10)
    return code if code and code <= _MAX_CODE else None


def suggestions(query: str, filters: dict) -> list[dict]:
    """Other searches to offer when nothing is found: without the filters, or word by word."""
    offered = []
    if query and any(filters.values()):
        offered.append(
            {
                "url": f"{reverse('newsroom:search')}?{urlencode({'q': query})}",
                "label": _("Search «%(query)s» in all the news") % {"query": query},
            }
        )
    words = query.split()
    if len(words) > 1:
        for word in words[:MAX_SUGGESTED_WORDS]:
            offered.append(
                {
                    "url": f"{reverse('newsroom:search')}?{urlencode({'q': word})}",
                    "label": _("Search only «%(word)s»") % {"word": word},
                }
            )
    return offered


def search(request):
    form = SearchForm(request.GET)
    results = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        code = news_code(query)
        if code is not None:
            article = Article.objects.published().filter(code=code).first()
            if article:
                return redirect(article.get_absolute_url())
        if query or any(form.filters.values()):
            results = search_page(query, page_number=request.GET.get("page"), **form.filters)
    else:
        query = (request.GET.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    title = (
        _("Search results for «%(query)s»") % {"query": query} if query else _("Search the news")
    )
    address = reverse("newsroom:search") + (f"?{urlencode({'q': query})}" if query else "")
    return render(
        request,
        "newsroom/search.html",
        {
            "form": form,
            **list_page_meta(request, address, title=title),
            "query": query,
            "results": results,
            "page": results.page if results else None,
            "suggestions": (
                suggestions(query, form.filters)
                if results and not results.page.paginator.count
                else []
            ),
            "unknown_words": "، ".join(f"«{word}»" for word in results.unknown) if results else "",
            "corrected_url": (
                f"{reverse('newsroom:search')}?{urlencode({'q': results.corrected})}"
                if results and results.corrected
                else ""
            ),
            "date_example": persian.jalali_date(timezone.localdate(), "%Y/%m/%d"),
            # The filters are folded away under a query of words alone, so
            # that on a phone the results come right after the search box.
            # One that is used (and so one that is refused) keeps them open.
            "filters_open": not query or any(request.GET.get(name) for name in FILTERS),
        },
    )


class ArchiveMonthForm(forms.Form):
    """The archive's month picker: a Jalali year and month, usable without JavaScript."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int)

    def __init__(self, *args, years, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years
        self.fields["month"].choices = months
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Choose one of the listed values.")
            field.error_messages["required"] = _("Choose one of the listed values.")


def _month_picker(data=None, *, initial=None):
    """The picker, from the month of the first published article to this one."""
    today = timezone.localdate()
    first = (
        Article.objects.published().order_by("published_at").values_list("published_at", flat=True)
    ).first()
    first_year = jalali.current_year(timezone.localtime(first).date()) if first else None
    this_year = jalali.current_year(today)
    years, months = jalali.month_choices(today, min(first_year or this_year, this_year))
    return ArchiveMonthForm(data, years=years, months=months, initial=initial)


def archive_index(request):
    """«آرشیو»: pick a Jalali month; a picked one is its own page (/archive/1405/09/)."""
    form = None
    if request.GET:
        form = _month_picker(request.GET)
        if form.is_valid():
            year, month = form.cleaned_data["year"], form.cleaned_data["month"]
            return redirect("newsroom:archive", year=year, month=f"{month:02d}")
    if form is None:
        year, month = jalali.current_month(timezone.localdate())
        form = _month_picker(initial={"year": year, "month": month})
    title = _("Archive")
    return render(
        request,
        "newsroom/archive_index.html",
        {
            "form": form,
            **list_page_meta(
                request,
                reverse("newsroom:archive-index"),
                title=title,
                trail=[(title, reverse("newsroom:archive-index"))],
            ),
        },
    )


def archive(request, year, month):
    """The articles of one Jalali month, newest first: /archive/1405/09/.

    A Gregorian year (/archive/2026/12/) is never read as a Jalali one: it
    is redirected to the Jalali month holding the middle of that month.
    """
    if year >= jalali.FIRST_GREGORIAN_YEAR:
        if not (1 <= month <= 12 and year <= jalali.LAST_GREGORIAN_YEAR):
            raise Http404("no such month")
        year, month = jalali.jalali_month_of_gregorian(year, month)
        return redirect("newsroom:archive", year=year, month=f"{month:02d}", permanent=True)
    try:
        start, end = jalali.month_bounds(year, month)
    except ValueError:
        raise Http404("no such month") from None
    articles = Article.objects.published().for_lists().filter(published_at__gte=start)
    page = paginate(request, articles.filter(published_at__lt=end))
    previous_month = (year, month - 1) if month > 1 else (year - 1, 12)
    next_month = (year, month + 1) if month < 12 else (year + 1, 1)
    month_name = persian.jalali_date(start.date(), "%B %Y")
    title = _("News of %(month)s") % {"month": month_name}
    address = reverse("newsroom:archive", kwargs={"year": year, "month": f"{month:02d}"})
    return render(
        request,
        "newsroom/archive.html",
        {
            "page": page,
            "month_name": month_name,
            "previous_month": previous_month if previous_month[0] >= 1 else None,
            "next_month": next_month if end <= timezone.now() else None,
            "picker": _month_picker(initial={"year": year, "month": month}),
            **list_page_meta(
                request,
                address,
                page,
                title=title,
                trail=[(_("Archive"), reverse("newsroom:archive-index")), (month_name, address)],
            ),
        },
    )
