"""How editors type tags: separated by a Latin or a Persian comma."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.text import persian

_SEPARATOR_RE = re.compile("[,،؛;\n]+")

BLANK_TAG_MESSAGE = _(
    "A tag between two commas shows nothing; type at least one letter, digit or sign, or remove it."
)


def parse_tags(text: str) -> list[str]:
    names = [name.strip().strip('"') for name in _SEPARATOR_RE.split(text or "")]
    # An empty place between commas is a slip and is dropped; a name made of
    # invisible characters would be a tag nobody can see or click.
    if any(name and persian.is_blank(name) for name in names):
        raise ValidationError(BLANK_TAG_MESSAGE, code="blank")
    return sorted({name for name in names if name})


def join_tags(tags) -> str:
    return "، ".join(sorted(tag.name for tag in tags))
