"""Images an editor uploads from inside the body editor.

They are kept beside the articles' own images and, like them, read with
Pillow before anything is stored: a file that is not a picture, is too
large or has too many pixels is refused with a message for the editor. The
picture is then written anew, so that whatever else the upload carried
(metadata, a payload after the image data) is not served.
"""

import posixpath
import secrets
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from newsroom.articles import images
from newsroom.text import persian

MAX_BYTES = 8 * 1024 * 1024
# Wider than the article column at twice the pixels is never shown.
MAX_WIDTH = 2400
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FOLDER = "articles/body/%Y/%m/"


def store_body_image(*, upload):
    """Check, rewrite and store an uploaded picture; return its public URL.

    Raises ValidationError with a Persian message when the file is refused.
    """
    if upload is None:
        raise ValidationError(_("Choose an image to upload."))
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)s megabytes.")
            % {"limit": persian.to_persian_digits(MAX_BYTES // (1024 * 1024))}
        )
    picture, image_format = _read(upload)
    picture = ImageOps.exif_transpose(picture)
    if picture.width > MAX_WIDTH:
        height = max(1, round(picture.height * MAX_WIDTH / picture.width))
        picture = picture.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    if image_format == "JPEG":
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        picture.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        picture.save(buffer, image_format, optimize=True)
    name = posixpath.join(
        timezone.localdate().strftime(FOLDER),
        f"{secrets.token_hex(8)}.{FORMATS[image_format]}",
    )
    stored = default_storage.save(name, ContentFile(buffer.getvalue()))
    return default_storage.url(stored)


def _read(upload):
    refused = ValidationError(_("This file is not a JPEG, PNG or WebP image."))
    try:
        # A 12000×12000 picture takes a gigabyte once decoded: its pixels are
        # counted from the header first, against the article images' limit.
        if images.pixel_count(upload) > images.max_pixels():
            raise ValidationError(
                _("The image has more than %(limit)s million pixels; make it smaller.")
                % {"limit": persian.to_persian_digits(settings.IMAGE_MAX_MEGAPIXELS)}
            )
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
        if image_format not in FORMATS:
            raise refused
        upload.seek(0)
        picture = Image.open(upload)
        picture.load()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        raise refused from None
    return picture, image_format
