"""An article's picture as a page shows it, and the limits on what is decoded.

The resized copies are made when a picture is saved (`renditions`); here
a page learns their addresses and sizes from the picture's name and the
width and height kept on the model, without opening a file.

Decoding an image takes memory for every pixel, whatever the file's size: a
435 KB PNG of 12000×12000 pixels cost a worker more than a gigabyte. So an
upload with more than IMAGE_MAX_MEGAPIXELS is refused (`ArticleImageField`),
reading only the file's header, and an image stored before that limit is
served as it is, never decoded here.
"""

import logging
import mimetypes
import re
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from newsroom.articles import renditions
from newsroom.articles.pixels import max_pixels, pixel_count
from newsroom.text import persian

logger = logging.getLogger(__name__)

SIZES = renditions.SIZES
# EXIF orientations that turn the picture a quarter: its width is its height.
_QUARTER_TURNS = {5, 6, 7, 8}


def responsive(image, width=None, height=None):
    """What a `<picture>` needs: sources by type, src, sizes, width and height; None without one.

    `width` and `height` are the picture's own, kept when it was saved; a
    picture without them (stored before its copies were made, or too large
    to decode) is served as it is.
    """
    if not image:
        return None
    if not width or not height:
        return {
            "src": image.url,
            "sources": [],
            "srcset": "",
            "sizes": "",
            "width": None,
            "height": None,
        }
    shown = _widths(width)
    sources = []
    for image_format, mime_type in renditions.FORMATS:
        srcset = ", ".join(
            f"{renditions.url(renditions._id(f'w{target}', image_format), image)} {shown_width}w"
            for target, shown_width in shown
        )
        sources.append({"type": mime_type, "srcset": srcset})
    fallback = sources.pop()  # JPEG: the <img> itself
    # The src is the desktop column's size: what a browser without srcset shows best.
    target, src_width = next(((t, w) for t, w in shown if w >= renditions.WIDTHS[1]), shown[-1])
    return {
        "src": renditions.url(renditions._id(f"w{target}", "JPEG"), image),
        "sources": sources,
        "srcset": fallback["srcset"],
        "sizes": SIZES,
        "width": src_width,
        "height": round(height * src_width / width),
    }


def _widths(width):
    """(spec width, width of its copy) for each copy worth offering: no two of one width."""
    shown, seen = [], set()
    for target in renditions.WIDTHS:
        actual = min(target, width)
        if actual not in seen:
            seen.add(actual)
            shown.append((target, actual))
    return shown


def thumbnail(image, width=None):
    """The small picture beside a headline: sources, src and size; None without copies."""
    if not image or not width:
        return None
    sources = [
        {"type": mime_type, "srcset": renditions.url(renditions._id("thumb", image_format), image)}
        for image_format, mime_type in renditions.FORMATS
    ]
    fallback = sources.pop()
    thumb_width, thumb_height = renditions.THUMBNAIL
    return {
        "src": fallback["srcset"],
        "sources": sources,
        "width": thumb_width // 2,
        "height": thumb_height // 2,
    }


def share_images(image, width=None, height=None):
    """The 16:9, 4:3 and 1:1 copies for Open Graph and JSON-LD: url, width, height.

    1,200 pixels wide, or the widest the picture allows: a smaller one is
    never enlarged. Without copies, the picture itself, its size unknown.
    """
    if not image:
        return []
    if not width or not height:
        return [{"url": image.url, "width": None, "height": None}]
    shares = []
    for ratio in renditions.SHARE_RATIOS:
        crop_width, _crop_height = renditions.crop_size(width, height, ratio)
        share_width = min(renditions.SHARE_WIDTH, crop_width)
        shares.append(
            {
                "url": renditions.url(renditions._id(f"share{ratio[0]}x{ratio[1]}", "JPEG"), image),
                "width": share_width,
                "height": round(share_width * ratio[1] / ratio[0]),
            }
        )
    return shares


def enclosure(image, width=None):
    """(url, length in bytes, type) of the copy a feed carries; None when the file is gone.

    The desktop column's JPEG copy; a picture without copies is carried as it is.
    """
    if not image:
        return None
    if width:
        file = renditions.cache_file(renditions._id(f"w{renditions.WIDTHS[1]}", "JPEG"), image)
        name, storage, mime_type = file.name, file.storage, "image/jpeg"
    else:
        name, storage = image.name, image.storage
        mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        return storage.url(name), storage.size(name), mime_type
    except OSError:
        return None


def header_size(source):
    """(width, height) as the picture is shown (EXIF turns applied), from its header only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as picture:
                width, height = picture.size
                # A JPEG's EXIF is in its header; other formats' may need the pixels read.
                orientation = None
                if picture.format in ("JPEG", "MPO") and width * height <= max_pixels():
                    orientation = picture.getexif().get(0x0112)
        except Image.DecompressionBombError:
            return None
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return width, height


def decodable_size(file):
    """The picture's shown size when it may be decoded, else None (too many pixels, unreadable)."""
    try:
        file.open("rb")
        file.seek(0)
        size = header_size(file)
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        logger.warning("article image %s cannot be read", file.name)
        return None
    finally:
        try:
            file.seek(0)
        except (OSError, ValueError):
            pass
    if size is None or size[0] * size[1] > max_pixels():
        return None
    return size


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
