"""How many pixels a picture has, read from its file's header without decoding it.

Decoding takes memory for every pixel, whatever the file's size, so the
upload limit (IMAGE_MAX_MEGAPIXELS) is judged from the header alone, both
when an editor uploads a picture (`images`) and before its copies are made
(`renditions`).
"""

import warnings

from django.conf import settings
from PIL import Image


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
