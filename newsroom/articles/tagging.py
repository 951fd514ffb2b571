"""How editors type tags: separated by a Latin or a Persian comma."""

import re

_SEPARATOR_RE = re.compile("[,،؛;\n]+")


def parse_tags(text: str) -> list[str]:
    names = (name.strip().strip('"') for name in _SEPARATOR_RE.split(text or ""))
    return sorted({name for name in names if name})


def join_tags(tags) -> str:
    return "، ".join(sorted(tag.name for tag in tags))
