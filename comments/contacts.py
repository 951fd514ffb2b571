"""Contact details and outside links in a comment: what adverts and contact-sellers leave.

Phone numbers in any digit script and with any separators («۰۹۱۲ ۳۴۵ ۶۷ ۸۹»,
«+98 912-345-6789»), card numbers, e-mail addresses, @handles, messenger
addresses («t.me/…», «wa.me/…») and links to sites other than the
organisation's. The rules hold a comment with any of them for a moderator.
"""

import re
from dataclasses import dataclass

from newsroom.text import persian

# The organisation's own sites: a reader pointing to them is not advertising.
TRUSTED_DOMAINS = ("tamin.ir", "gov.ir")


@dataclass(frozen=True)
class Contact:
    kind: str  # "contact" | "link"
    written: str


_MESSENGERS = r"(?:t|telegram|wa|whatsapp|instagram|eitaa|rubika|bale|ble|splus)\.(?:me|com|ir|ai)"
_LINK_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:ir|com|org|net|info|me|io|co|app|ly|xyz|site|"
    r"online|shop|top|biz|link|click|ai|gov|edu)\b(?:/[^\s<>\"'«»]*)?",
    re.IGNORECASE,
)
_MESSENGER_RE = re.compile(rf"\b{_MESSENGERS}/\S+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE_RE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_][A-Za-z0-9_.]{2,}")
# Digits with the separators people put between them.
_NUMBER_RE = re.compile(r"\+?\d[\d\s\-.()]{7,}\d")


# Every contact has a digit, an @ or a dot: a text without any needs no closer look.
_MAY_HAVE_CONTACT_RE = re.compile(r"[\d@.]")


def find_contacts(text: str) -> list[Contact]:
    if not _MAY_HAVE_CONTACT_RE.search(text):
        return []
    text = persian.to_ascii_digits(text)
    found = []
    for match in _MESSENGER_RE.finditer(text):
        found.append(Contact("contact", match.group(0)))
    text = _MESSENGER_RE.sub(" ", text)
    for match in _EMAIL_RE.finditer(text):
        found.append(Contact("contact", match.group(0)))
    text = _EMAIL_RE.sub(" ", text)
    for match in _LINK_RE.finditer(text):
        if not _trusted(match.group(0)):
            found.append(Contact("link", match.group(0)))
    text = _LINK_RE.sub(" ", text)
    for match in _HANDLE_RE.finditer(text):
        found.append(Contact("contact", match.group(0)))
    for match in _NUMBER_RE.finditer(text):
        if _is_phone_or_card(match.group(0)):
            # A number is shown to the moderator in Persian digits, however it was typed.
            found.append(Contact("contact", persian.to_persian_digits(match.group(0).strip())))
    return found


def _trusted(link):
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", link.lower()).split("/")[0]
    return any(host == domain or host.endswith("." + domain) for domain in TRUSTED_DOMAINS)


def _is_phone_or_card(written):
    digits = re.sub(r"\D", "", written)
    if digits.startswith("0098"):
        digits = "0" + digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.startswith("9"):
        return True  # a mobile number without its 0
    if len(digits) == 11 and digits.startswith("0"):
        return True  # mobile («09…») or a landline with its area code
    return len(digits) == 16  # a bank card
