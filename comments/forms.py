import functools
import hashlib
import re
import secrets
import time
import unicodedata

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.forms.fields import MultiValueField
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from newsroom.text import persian

from . import rules
from .services import name_verdict

_ISSUED_SALT = "comments.form-issued"

# ---------------------------------------------------------------------------
# Names and texts that deceive: invisible names, the office's own name,
# hidden tag characters and marks stacked on one letter.

INVISIBLE_NAME_MESSAGE = _("Please write your name with letters that can be seen.")
RESERVED_NAME_MESSAGE = _(
    "This name is kept for the answers of the Public Relations office; please write your own name."
)
HIDDEN_IN_NAME_MESSAGE = _(
    "The name had hidden characters or marks piled on one letter; they have been removed. "
    "Please check it and send again."
)
HIDDEN_IN_TEXT_MESSAGE = _(
    "The text had hidden characters or marks piled on one letter; they have been removed. "
    "Please check it and send again."
)

# Unicode's default-ignorable code points: nothing is drawn for them. ZWNJ and
# ZWJ among them are how Persian and emoji are written, and are kept.
_DEFAULT_IGNORABLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_INVISIBLE_RE = re.compile(f"[{_DEFAULT_IGNORABLE}]")
# Blank-looking characters that are not default-ignorable.
_BLANK = frozenset("\u2800\u3164\uffa0\u115f\u1160")
_UNSEEN_CATEGORIES = frozenset({"Mn", "Me", "Cc", "Cf", "Zs", "Zl", "Zp"})

# Tag characters (U+E0000–U+E007F) say nothing visible, except in the emoji
# flags of regions (🏴 followed by tag letters and a cancel tag).
_TAG_RE = re.compile("[\U000e0000-\U000e007f]")
_FLAG_TAG_SEQUENCE_RE = re.compile(
    "\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]+\U000e007f"
)
# Persian needs at most two marks on a letter (shadda and a vowel), emoji
# keycaps two; more are piled up to spill over the lines around them.
MAX_MARKS_ON_A_LETTER = 3


def without_invisible(text: str) -> str:
    """The text without the invisible characters a name has no use for."""
    return _INVISIBLE_RE.sub("", text)


def has_visible_character(text: str) -> bool:
    """Whether anything in the text would be seen: a name of fillers and spaces is nothing."""
    return any(
        ch not in _BLANK
        and not _INVISIBLE_RE.match(ch)
        and not ch.isspace()
        and unicodedata.category(ch) not in _UNSEEN_CATEGORIES
        for ch in text
    )


def without_hidden_marks(text: str) -> str:
    """The text without tag characters (outside emoji flags), at most three marks a letter."""
    if _TAG_RE.search(text):
        flags = _FLAG_TAG_SEQUENCE_RE.findall(text)
        pieces = _FLAG_TAG_SEQUENCE_RE.split(text)
        kept = [_TAG_RE.sub("", piece) for piece in pieces]
        text = "".join(k + (flags[i] if i < len(flags) else "") for i, k in enumerate(kept))
    if not any(unicodedata.combining(ch) for ch in text):
        return text
    result, marks = [], 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS_ON_A_LETTER:
                continue
        else:
            marks = 0
        result.append(ch)
    return "".join(result)


# Letters that are drawn (almost) alike, read as one: the office's name
# written with Arabic, Kurdish or Urdu letters, digits or Cyrillic is still
# the office's name.
_PERSIAN_LOOKALIKES = str.maketrans(
    {
        **dict.fromkeys("\u0671\u0672\u0673\u0675\u0627\u0661\u06f1|!l1Iı", "\u0627"),
        **dict.fromkeys("\u066e\u067b\u0680\u0750\u0751\u0752\u0628", "\u0628"),
        **dict.fromkeys("\u0695\u0691\u0692\u0693\u0694\u0696\u0697\u0699\u0631", "\u0631"),
        **dict.fromkeys(
            "\u06c4\u06c5\u06c6\u06c7\u06c8\u06c9\u06ca\u06cb\u06cf\u0676\u0648", "\u0648"
        ),
        **dict.fromkeys("\u069f\u0637", "\u0637"),
        **dict.fromkeys("\u06a0\u0639", "\u0639"),
        **dict.fromkeys("\u0765\u0766\u0645", "\u0645"),
        **dict.fromkeys(
            "\u06cd\u06ce\u06d0\u06d1\u063d\u063e\u063f\u0678\u0649\u064a\u06cc", "\u06cc"
        ),
        **dict.fromkeys("\u06d5\u06be\u06c1\u06c3\u0629\u0665\u06f5o0\u0647", "\u0647"),
        **dict.fromkeys("\u06b5\u06b6\u06b7\u06b8\u0644", "\u0644"),
    }
)
_LATIN_LOOKALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "і": "i", "ӏ": "l", "ս": "u",
        "ь": "b", "0": "o", "1": "l", "|": "l", "!": "i", "ı": "i", "5": "s", "$": "s",
    }
)  # fmt: skip


def _skeleton(text: str, lookalikes) -> str:
    """Only the letters, each look-alike as the letter it imitates, repeats as one."""
    text = persian.normalize(without_invisible(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(lookalikes)
    letters = [ch for ch in text if ch.isalpha()]
    return "".join(ch for i, ch in enumerate(letters) if i == 0 or letters[i - 1] != ch)


@functools.cache
def _reserved_skeletons():
    names = {"روابط عمومی", "public relations"}
    with override("fa"):
        names |= {gettext("Public Relations"), gettext("Public Relations reply")}
    persian_names = {_skeleton(name, _PERSIAN_LOOKALIKES) for name in names if not name.isascii()}
    latin_names = {_skeleton(name, _LATIN_LOOKALIKES) for name in names if name.isascii()}
    return persian_names, latin_names


def is_reserved_name(name: str) -> bool:
    """Whether a name passes itself off as the office: «پاسخ روابط عمومی» in any spelling."""
    persian_names, latin_names = _reserved_skeletons()
    persian_form = _skeleton(name, _PERSIAN_LOOKALIKES)
    latin_form = _skeleton(name, _LATIN_LOOKALIKES)
    return any(n and n in persian_form for n in persian_names) or any(
        n and n in latin_form for n in latin_names
    )


def question_text(challenge: str) -> str:
    """«8+2=» as a reader reads it: «۸ + ۲ =»."""
    spaced = "".join(f" {ch} " if ch in "+-×*=" else ch for ch in challenge)
    return persian.to_persian_digits(" ".join(spaced.split()))


NOTIFY_NEEDS_EMAIL_MESSAGE = _(
    "Please write your e-mail address, so that we can tell you when your comment is published "
    "or answered; or untick the box below."
)
TOO_MANY_QUESTIONS = _(
    "You have asked for many arithmetic questions in a short time; "
    "please wait a few minutes before asking for another."
)

# Expired questions are deleted by whichever request asks for a new one
# first in each such period, so that no operator has to run a command.
QUESTION_PURGE_SECONDS = 60


def new_question() -> CaptchaStore:
    purge_expired_questions()
    challenge, response = captcha_settings.get_challenge()()
    return CaptchaStore.objects.create(challenge=challenge, response=response)


def purge_expired_questions() -> int:
    """Delete the questions nobody answered in time, at most once a period across all workers."""
    if not cache.add("comments:questions-purged", True, QUESTION_PURGE_SECONDS):
        return 0
    deleted, _by_model = CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()
    return deleted


def answer_question(*, key: str, answer: str) -> bool:
    """Whether `answer` is right; the question is used up either way.

    One DELETE decides, so that of several requests sending the same
    solved question at once exactly one is right: the database deletes a
    row once and tells each statement how many rows it deleted.
    """
    now = timezone.now()
    right, _by_model = CaptchaStore.objects.filter(
        hashkey=key, response=answer, expiration__gt=now
    ).delete()
    if right:
        return True
    # A wrong answer uses the question up too: no second guess at it.
    CaptchaStore.objects.filter(hashkey=key).delete()
    return False


class ArithmeticQuestionWidget(CaptchaTextInput):
    """The arithmetic question as text beside its answer field, not as an image."""

    template_name = "comments/widgets/arithmetic_question.html"

    # False when this reader has been given as many questions as the limit
    # allows: the form is shown with the reason instead of a question.
    question_available = True

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        # One insert per form shown; the question is read from the row just
        # made instead of asking the database for it again.
        self.id_ = self.build_attrs(attrs).get("id", None)
        if not self.question_available:
            self._key, self._value, self._question = "", ["", ""], None
            return
        store = new_question()
        self._key = store.hashkey
        self._value = [store.hashkey, ""]
        self._question = question_text(store.challenge)

    def get_context(self, name, value, attrs):
        context = super(CaptchaTextInput, self).get_context(name, value, attrs)
        context["question"] = self._question
        key = context["widget"]["subwidgets"][0]["attrs"]
        # The key is a hidden input: attributes meant for the answer are invalid on it.
        for attr in [a for a in key if a != "id"]:
            del key[attr]
        answer = context["widget"]["subwidgets"][1]["attrs"]
        described_by = (
            f"{context['widget']['attrs']['id']}_question {answer.get('aria-describedby', '')}"
        )
        answer["aria-describedby"] = described_by.strip()
        return context


class ArithmeticQuestionField(CaptchaField):
    """The answer may be typed in Persian, Arabic-Indic or ASCII digits, with spaces."""

    def clean(self, value):
        # The required check of MultiValueField; django-simple-captcha's own
        # clean reads the question and deletes it in two statements, which
        # lets two requests sent at once both pass.
        MultiValueField.clean(self, value)
        key, typed = (value[0] or ""), (value[1] or "")
        number = persian.parse_int(typed)
        answer = str(number) if number is not None else typed.strip().lower()
        if not answer_question(key=key, answer=answer):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ",".join(value)


def issue_token(article_code: int) -> str:
    """A signed record of when the form was shown, kept in the form itself.

    Its nonce makes every token different, so that each can be used once.
    """
    payload = {"a": article_code, "t": time.time(), "n": secrets.token_urlsafe(9)}
    return signing.dumps(payload, salt=_ISSUED_SALT)


def use_token(token: str) -> bool:
    """Mark a form token as sent; False if it had been sent before.

    `add` is atomic on Redis: of concurrent requests with one token, one
    adds the key. The key lasts as long as the token could be accepted.
    """
    digest = hashlib.sha256(token.encode()).hexdigest()
    return cache.add(f"comments:issued:{digest}", True, settings.COMMENT_FORM_MAX_AGE + 60)


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        error_messages={
            "required": _("Please write your name."),
            "max_length": _("The name may be at most %(limit_value)d characters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional; never shown."),
        error_messages={"invalid": _("This e-mail address is not valid.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    notify = forms.BooleanField(
        label=_("E-mail me when my comment is published or answered"),
        required=False,
    )
    text = forms.CharField(
        label=_("Comment text"),
        max_length=settings.COMMENT_MAX_LENGTH,
        error_messages={
            "required": _("Please write your comment."),
            "max_length": _(
                "The comment may be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see; programs that fill every field fill it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput)
    captcha = ArithmeticQuestionField(
        label=_("Arithmetic question"),
        widget=ArithmeticQuestionWidget(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Please answer the arithmetic question."),
            "invalid": _("The answer to the arithmetic question was not right; here is a new one."),
        },
    )

    def __init__(self, *args, article, question_available=True, **kwargs):
        self.article = article
        self.rule_refusals = {}  # field → the posting rules' verdict that refused it
        # What cleaning removed from a field, to be shown back to the reader.
        self.tidied = {}
        super().__init__(*args, **kwargs)
        self.fields["captcha"].widget.question_available = question_available
        # The browser would cut a pasted text at maxlength without a word;
        # the server says how long it is instead, and keeps all of it.
        for name in ("name", "text"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        if not self.is_bound:
            self.initial.setdefault("issued", issue_token(article.code))

    # The posting rules run here too, so that a reader sees every reason at
    # once; submit_comment applies the same rules again before storing.
    def clean_name(self):
        typed = self.cleaned_data["name"]
        tidy = without_hidden_marks(typed)
        if tidy != typed:
            self.tidied["name"] = tidy
            raise forms.ValidationError(HIDDEN_IN_NAME_MESSAGE, code="hidden")
        name = persian.fold(without_invisible(typed)).strip()
        if not has_visible_character(name):
            raise forms.ValidationError(INVISIBLE_NAME_MESSAGE, code="invisible")
        if is_reserved_name(name):
            raise forms.ValidationError(RESERVED_NAME_MESSAGE, code="reserved")
        insult = rules.find_blocked_term(name, rules.load_blocked_terms())
        if insult:
            # Kept so that the view can record the refusal for the moderator.
            self.rule_refusals["name"] = name_verdict(insult)
            raise forms.ValidationError(rules.INSULT_MESSAGE, code="insult")
        return name

    def clean_text(self):
        typed = self.cleaned_data["text"]
        tidy = without_hidden_marks(typed)
        if tidy != typed:
            self.tidied["text"] = tidy
            raise forms.ValidationError(HIDDEN_IN_TEXT_MESSAGE, code="hidden")
        verdict = rules.check_comment(typed)
        if verdict.outcome == rules.REFUSE:
            self.rule_refusals["text"] = verdict
            raise forms.ValidationError(verdict.message, code=verdict.rule)
        return self.cleaned_data["text"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("This comment looks automated and was not accepted."), code="honeypot"
            )
        if cleaned.get("notify") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", NOTIFY_NEEDS_EMAIL_MESSAGE)
        return cleaned

    def full_clean(self):
        super().full_clean()
        # Tell assistive technology which fields were refused, and why.
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].html_name}-error"

    @property
    def form_errors(self):
        """Errors that belong to no visible field, shown at the top of the form."""
        errors = [*self.non_field_errors(), *self.errors.get("issued", [])]
        if not self.fields["captcha"].widget.question_available:
            errors.append(TOO_MANY_QUESTIONS)
        return errors

    def clean_issued(self):
        try:
            issued = signing.loads(
                self.cleaned_data["issued"],
                salt=_ISSUED_SALT,
                max_age=settings.COMMENT_FORM_MAX_AGE,
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("This form was open too long; please send your comment again."),
                code="expired",
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form could not be verified; please send your comment again."),
                code="bad_token",
            ) from None
        if issued.get("a") != self.article.code:
            raise forms.ValidationError(
                _("This form belongs to another article."), code="wrong_article"
            )
        if time.time() - issued.get("t", 0) < settings.COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was quicker than anyone can read; please wait a moment and send again."),
                code="too_fast",
            )
        if not use_token(self.cleaned_data["issued"]):
            raise forms.ValidationError(
                _("This form has already been sent once; please send your comment again."),
                code="used",
            )
        return self.cleaned_data["issued"]

    def renewed(self):
        """The same form for showing again: what the reader typed, a new token and question.

        What cleaning removed (hidden characters) is gone from the text shown back.
        """
        data = self.data.copy()
        for name, tidy in self.tidied.items():
            data[name] = tidy
        data["issued"] = issue_token(self.article.code)
        for key in [k for k in data if k.startswith("captcha")]:
            del data[key]
        return data
