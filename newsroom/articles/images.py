"""An article's image in the widths a phone and a desktop need.

Renditions are made from the uploaded image the first time the article is
shown (or ahead of time by `prepare`), stored beside the uploads, and
remembered in the cache so that a page view costs no file access.

Decoding an image takes memory for every pixel, whatever the file's size: a
435 KB PNG of 12000×12000 pixels cost a worker more than a gigabyte. So an
upload with more than IMAGE_MAX_MEGAPIXELS is refused (`ArticleImageField`),
reading only the file's header, and an image stored before that limit is
served as it is, never decoded here.
"""

import logging
import posixpath
import re
import warnings
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from newsroom.text import persian

logger = logging.getLogger(__name__)

# A phone, a desktop column (and a phone at twice the pixels), a desktop at twice.
WIDTHS = (480, 960, 1440)
# The column the image sits in: the article's measure, or the screen less its margins.
SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CACHE_SECONDS = 24 * 3600
FAILED_CACHE_SECONDS = 300


def _cache_key(name):
    return f"article-image:{name}"


def responsive(image):
    """What the `<img>` needs: src, srcset, sizes, width and height; None without an image."""
    if not image:
        return None
    info = cache.get(_cache_key(image.name))
    if info is None:
        info = prepare(image)
    return info


def max_pixels():
    return settings.IMAGE_MAX_MEGAPIXELS * 1_000_000


def pixel_count(source):
    """Width × height from an image file's header, without decoding it.

    More than Pillow's own bomb limit counts as too many (it refuses to
    open those); a file that is not an image is left to the caller.
    """
    with warnings.catch_warnings():
        # Pillow warns past its own limit; ours is lower and decides here.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as picture:
                width, height = picture.size
        except Image.DecompressionBombError:
            return float("inf")
    return width * height


def prepare(image):
    """Make the missing renditions of an image and remember what the page needs."""
    storage = image.storage
    try:
        with storage.open(image.name, "rb") as source:
            if pixel_count(source) > max_pixels():
                raise ValueError("more pixels than IMAGE_MAX_MEGAPIXELS")
            source.seek(0)
            picture = Image.open(source)
            picture.load()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        logger.warning("article image %s cannot be read or is too large to decode", image.name)
        info = {"src": image.url, "srcset": "", "sizes": "", "width": None, "height": None}
        cache.set(_cache_key(image.name), info, FAILED_CACHE_SECONDS)
        return info

    image_format = picture.format
    picture = ImageOps.exif_transpose(picture)
    width, height = picture.size
    candidates = []
    if image_format in FORMATS:
        for target in WIDTHS:
            if target >= width:
                break
            name = _rendition(storage, image.name, picture, image_format, target)
            candidates.append((storage.url(name), target, round(height * target / width)))
    candidates.append((image.url, width, height))
    # The src is the desktop column's size: what a browser without srcset shows best.
    src, src_width, src_height = next((c for c in candidates if c[1] >= WIDTHS[1]), candidates[-1])
    info = {
        "src": src,
        "srcset": ", ".join(f"{url} {w}w" for url, w, _h in candidates)
        if len(candidates) > 1
        else "",
        "sizes": SIZES if len(candidates) > 1 else "",
        "width": src_width,
        "height": src_height,
    }
    cache.set(_cache_key(image.name), info, CACHE_SECONDS)
    return info


def rendition_name(name, width):
    stem, extension = posixpath.splitext(name)
    return f"renditions/{stem}-{width}w{extension.lower()}"


def _rendition(storage, name, picture, image_format, width):
    target = rendition_name(name, width)
    if storage.exists(target):
        return target
    height = max(1, round(picture.height * width / picture.width))
    resized = picture.resize((width, height), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    if image_format == "JPEG":
        if resized.mode not in ("RGB", "L"):
            resized = resized.convert("RGB")
        resized.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        resized.save(buffer, image_format, optimize=True)
    # Another process may have written it meanwhile; the name storage gives is the one to use.
    return storage.save(target, ContentFile(buffer.getvalue()))


_IMG_TAG_RE = re.compile(r"<img\b(?![^>]*\bloading=)", re.IGNORECASE)


def lazy_body_images(body_html):
    """The body with its images loaded only as the reader scrolls to them."""
    return _IMG_TAG_RE.sub('<img loading="lazy" decoding="async"', body_html or "")


class ArticleImageField(forms.ImageField):
    """Django's image field, refusing images with more than IMAGE_MAX_MEGAPIXELS first.

    Django opens the upload with Pillow to verify it; past Pillow's own
    limit that fails with "not a valid image", which would tell an editor
    nothing. The pixels are counted from the header before that.
    """

    default_error_messages = {
        "too_many_pixels": _(
            "This image has more than %(limit)s megapixels; make it smaller and upload it again."
        ),
    }

    def to_python(self, data):
        if data not in self.empty_values and _over_the_limit(data):
            raise ValidationError(
                self.error_messages["too_many_pixels"],
                code="too_many_pixels",
                params={"limit": persian.to_persian_digits(settings.IMAGE_MAX_MEGAPIXELS)},
            )
        return super().to_python(data)


def _over_the_limit(upload) -> bool:
    if hasattr(upload, "temporary_file_path"):
        source = upload.temporary_file_path()
    elif hasattr(upload, "read"):
        source = upload
    else:
        return False
    try:
        return pixel_count(source) > max_pixels()
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        # Not an image Pillow can read: Django's own check says so.
        return False
    finally:
        if hasattr(upload, "seek"):
            upload.seek(0)
