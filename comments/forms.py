import time

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from newsroom.text import persian

from . import rules

_ISSUED_SALT = "comments.form-issued"


def question_text(challenge: str) -> str:
    """«8+2=» as a reader reads it: «۸ + ۲ =»."""
    spaced = "".join(f" {ch} " if ch in "+-×*=" else ch for ch in challenge)
    return persian.to_persian_digits(" ".join(spaced.split()))


def new_question() -> CaptchaStore:
    challenge, response = captcha_settings.get_challenge()()
    return CaptchaStore.objects.create(challenge=challenge, response=response)


class ArithmeticQuestionWidget(CaptchaTextInput):
    """The arithmetic question as text beside its answer field, not as an image."""

    template_name = "comments/widgets/arithmetic_question.html"

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        # One insert per form shown; the question is read from the row just
        # made instead of asking the database for it again.
        store = new_question()
        self._key = store.hashkey
        self._value = [store.hashkey, ""]
        self._question = question_text(store.challenge)
        self.id_ = self.build_attrs(attrs).get("id", None)

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
        if value and len(value) > 1:
            number = persian.parse_int(value[1])
            if number is not None:
                value = [value[0], str(number)]
        return super().clean(value)


def issue_token(article_code: int) -> str:
    """A signed record of when the form was shown, kept in the form itself."""
    return signing.dumps({"a": article_code, "t": time.time()}, salt=_ISSUED_SALT)


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

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)
        # The browser would cut a pasted text at maxlength without a word;
        # the server says how long it is instead, and keeps all of it.
        for name in ("name", "text"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        if not self.is_bound:
            self.initial.setdefault("issued", issue_token(article.code))

    # The posting rules run here too, so that a reader sees every reason at
    # once; submit_comment applies the same rules again before storing.
    def clean_name(self):
        name = persian.fold(self.cleaned_data["name"]).strip()
        if rules.find_blocked_term(name, rules.load_blocked_terms()):
            raise forms.ValidationError(rules.INSULT_MESSAGE, code="insult")
        return name

    def clean_text(self):
        verdict = rules.check_comment(self.cleaned_data["text"])
        if verdict.outcome == rules.REFUSE:
            raise forms.ValidationError(verdict.message, code=verdict.rule)
        return self.cleaned_data["text"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("This comment looks automated and was not accepted."), code="honeypot"
            )
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
        return [*self.non_field_errors(), *self.errors.get("issued", [])]

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
        return self.cleaned_data["issued"]

    def renewed(self):
        """The same form for showing again: what the reader typed, a new token and question."""
        data = self.data.copy()
        data["issued"] = issue_token(self.article.code)
        for key in [k for k in data if k.startswith("captcha")]:
            del data[key]
        return data
