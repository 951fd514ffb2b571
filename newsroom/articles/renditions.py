"""The resized copies of an uploaded picture, made when it is saved.

django-imagekit describes each copy (a spec: width, crop, format) and makes
them all when the picture is saved (`SavedImagesOnly`, a strategy that acts
on its "source saved" signal), in the request that saves: an editor waits
a second or two once, and no reader ever waits. A page view only computes
the copies' names (a hash of the source's name and the spec), never opens
a file; what the page needs beyond that, the picture's width and height, is
read from the upload's header when it is saved and kept on the model.

The copies are:

- the article's or a photo's picture in a phone's, a desktop's and a
  desktop's-at-twice width, each in AVIF, WebP and JPEG (the fallback);
- a small thumbnail (4:3) beside a headline in a list, in the same formats;
- for Open Graph and JSON-LD, 1,200 pixels wide in 16:9, 4:3 and 1:1, JPEG
  (what every messenger and crawler reads). A picture narrower than that is
  cropped but never enlarged: the largest it allows is given, with its size.

AVIF needs a Pillow built with it (wheels from 11.2 on); without it the
AVIF copies are not made nor offered, and WebP and JPEG remain.
"""

import logging

from imagekit import ImageSpec, register
from imagekit.cachefiles import ImageCacheFile
from imagekit.cachefiles.strategies import Optimistic
from imagekit.registry import generator_registry
from imagekit.specs.sourcegroups import ImageFieldSourceGroup
from PIL import features
from pilkit.processors import ResizeToFill, ResizeToFit, Transpose

from newsroom.articles import pixels

logger = logging.getLogger(__name__)

# A phone, a desktop column (and a phone at twice the pixels), a desktop at twice.
WIDTHS = (480, 960, 1440)
# The column the picture sits in: the article's measure, or the screen less its margins.
SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"
# The thumbnail beside a headline, shown at half these pixels (a screen at twice).
THUMBNAIL = (240, 180)
# The aspect ratios Google lists for an article's image, at Open Graph's width.
SHARE_WIDTH = 1200
SHARE_RATIOS = ((16, 9), (4, 3), (1, 1))

AVIF = features.check("avif")
# Best first: a browser takes the first <source> whose type it knows.
FORMATS = (("AVIF", "image/avif"),) if AVIF else ()
FORMATS += (("WEBP", "image/webp"), ("JPEG", "image/jpeg"))
QUALITY = {"AVIF": 55, "WEBP": 78, "JPEG": 82}


class Draft:
    """Decode a JPEG at the smallest scale (½, ¼, ⅛) still larger than needed.

    Pillow then reads an eighth of a 24-megapixel photo's pixels for a
    480-pixel copy; other formats are decoded whole.
    """

    def __init__(self, size):
        self.size = size

    def process(self, image):
        if image.format == "JPEG":
            image.draft("RGB", (self.size, self.size))
        return image


class CropToRatio:
    """The largest centred part of the picture in the given aspect ratio."""

    def __init__(self, ratio_width, ratio_height):
        self.ratio = (ratio_width, ratio_height)

    def process(self, image):
        width, height = crop_size(image.width, image.height, self.ratio)
        left = (image.width - width) // 2
        top = (image.height - height) // 2
        return image.crop((left, top, left + width, top + height))


def crop_size(width, height, ratio):
    ratio_width, ratio_height = ratio
    if width * ratio_height > height * ratio_width:
        return round(height * ratio_width / ratio_height), height
    return width, round(width * ratio_height / ratio_width)


class SavedImagesOnly(Optimistic):
    """Make the copies when the picture is saved, if it may be decoded at all.

    A picture stored before IMAGE_MAX_MEGAPIXELS existed may have more; it
    is shown as it is and never decoded (see `images`).
    """

    def on_source_saved(self, file):
        source = file.generator.source
        try:
            if pixels.pixel_count(source) > pixels.max_pixels():
                return
        except OSError:
            return
        finally:
            if not source.closed:
                source.seek(0)
        try:
            file.generate()
        except OSError:
            logger.warning("rendition %s of %s could not be made", file.name, source.name)


def _spec(processors, image_format):
    options = {"quality": QUALITY[image_format]}
    if image_format == "JPEG":
        options.update(optimize=True, progressive=True)
    return type(
        "Spec",
        (ImageSpec,),
        {
            "processors": processors,
            "format": image_format,
            "options": options,
            "cachefile_strategy": "newsroom.articles.renditions.SavedImagesOnly",
        },
    )


def _id(kind, image_format):
    return f"newsroom:{kind}:{image_format.lower()}"


def _register():
    specs = {}
    for width in WIDTHS:
        for image_format, _type in FORMATS:
            specs[_id(f"w{width}", image_format)] = _spec(
                [Draft(width), Transpose(), ResizeToFit(width=width, upscale=False)], image_format
            )
    for image_format, _type in FORMATS:
        specs[_id("thumb", image_format)] = _spec(
            [Draft(THUMBNAIL[0]), Transpose(), ResizeToFill(*THUMBNAIL)], image_format
        )
    for ratio in SHARE_RATIOS:
        specs[_id(f"share{ratio[0]}x{ratio[1]}", "JPEG")] = _spec(
            [
                Draft(SHARE_WIDTH),
                Transpose(),
                CropToRatio(*ratio),
                ResizeToFit(width=SHARE_WIDTH, upscale=False),
            ],
            "JPEG",
        )
    for spec_id, spec in specs.items():
        register.generator(spec_id, spec)
    return specs


SPECS = _register()
PICTURE_SPECS = [i for i in SPECS if ":w" in i]
ARTICLE_SPECS = list(SPECS)


def connect(model, field_name, spec_ids):
    """Have these copies made whenever `model.field_name` is saved with a new picture."""
    for spec_id in spec_ids:
        register.source_group(spec_id, ImageFieldSourceGroup(model, field_name))


def cache_file(spec_id, source):
    return ImageCacheFile(generator_registry.get(spec_id, source=source))


def url(spec_id, source):
    """The copy's address: computed from names, no file is opened."""
    return cache_file(spec_id, source).url


def make_all(source, spec_ids, force=False):
    """Make the missing copies of a stored picture (with force, all again); how many were made."""
    made = 0
    for spec_id in spec_ids:
        file = cache_file(spec_id, source)
        # Asked of the storage itself: imagekit's own record may remember a deleted file.
        if force or not file.storage.exists(file.name):
            file.generate(force=True)
            made += 1
    return made
