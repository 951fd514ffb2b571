"""Tools shown to staff on public pages, without touching the page readers share.

The article page is one page for every anonymous reader, kept whole in the
cache. `{% staff_edit_link article %}` asks who the reader is only when the
request carries a session cookie: an anonymous reader's page never reads
the session (which would add `Vary: Cookie` and split the shared page) and
never carries the link. Staff pages are rendered for them alone and never
stored.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_edit_link(context, article):
    """«ویرایش», to the article's admin page, for a signed-in editor who may change it."""
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("newsroom.change_article")):
        return ""
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    return format_html(
        '<p class="staff-tools"><a class="staff-tools__edit" href="{}">{}</a></p>',
        url,
        _("Edit"),
    )
