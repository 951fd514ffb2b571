"""An article's video: an MP4 file the browser plays itself, checked at upload.

Only MP4 is taken (every browser plays it in `<video>` without a player of
ours): the file's name ends in .mp4 and its first box is `ftyp`, which a
renamed file of another kind does not have. Anything else is refused beside
the field, in Persian.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from newsroom.text import persian

# The ISO base media file's first box: four bytes of length, then its type.
_FTYP_OFFSET = 4


def is_mp4(upload) -> bool:
    if not upload.name.lower().endswith((".mp4", ".m4v")):
        return False
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    return len(head) >= 12 and head[_FTYP_OFFSET : _FTYP_OFFSET + 4] == b"ftyp"


class Mp4FileField(forms.FileField):
    default_error_messages = {
        "not_mp4": _("This file is not an MP4 video; upload the video as an MP4 file."),
        "too_large": _("This video is larger than %(limit)s megabytes; make it smaller."),
    }

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return upload
        if not is_mp4(upload):
            raise ValidationError(self.error_messages["not_mp4"], code="not_mp4")
        if upload.size > settings.VIDEO_MAX_MEGABYTES * 1024 * 1024:
            raise ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"limit": persian.to_persian_digits(settings.VIDEO_MAX_MEGABYTES)},
            )
        return upload
