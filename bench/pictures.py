"""What saving a large photo costs now that its copies are made then, and what they weigh.

Run as `.venv/bin/python bench/pictures.py [--megapixels 24] [--repeats 3]`.
No database: an unsaved article's picture is stored in a temporary
MEDIA_ROOT and its copies are made as a save makes them
(`renditions.make_all`, every spec of an article's picture). The photo is
drawn: the demo's scene enlarged to the size asked, with noise over it so
that it compresses about as a camera's photo does (a flat drawing would
flatter the encoders).

Prints the median time of reading the header (what a save does before the
copies), of making all the copies, and of the page's part (computing the
copies' addresses, which opens no file); the time of a photo report's
photo (its fewer copies) and how many of them one save can make before
gunicorn's 30 s timeout; then each copy's format, size and bytes against
the original's.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.site.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-pictures-")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from PIL import Image  # noqa: E402

from newsroom.articles import images, renditions  # noqa: E402
from newsroom.demo import pictures  # noqa: E402
from newsroom.models import Article  # noqa: E402


def photo(megapixels):
    width = round((megapixels * 1_000_000 * 3 / 2) ** 0.5)
    height = round(width * 2 / 3)
    with Image.open(BytesIO(pictures.scene(1))) as scene:
        big = scene.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    big = Image.blend(big, noise, 0.12)
    buffer = BytesIO()
    big.save(buffer, "JPEG", quality=90)
    return buffer.getvalue(), (width, height)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megapixels", type=float, default=24)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    data, size = photo(args.megapixels)
    print(f"photo: {size[0]}×{size[1]} JPEG, {len(data) / 1024:.0f} KB; AVIF: {renditions.AVIF}")
    headers, copies, pages, gallery = [], [], [], []
    for run in range(args.repeats):
        article = Article()
        article.image.save(f"bench-{run}.jpg", ContentFile(data), save=False)
        started = time.perf_counter()
        measured = images.decodable_size(article.image)
        headers.append(time.perf_counter() - started)
        started = time.perf_counter()
        renditions.make_all(article.image, renditions.ARTICLE_SPECS, force=True)
        copies.append(time.perf_counter() - started)
        started = time.perf_counter()
        images.responsive(article.image, *measured)
        images.thumbnail(article.image, measured[0])
        images.share_images(article.image, *measured)
        pages.append(time.perf_counter() - started)
        started = time.perf_counter()
        renditions.make_all(article.image, renditions.PICTURE_SPECS, force=True)
        gallery.append(time.perf_counter() - started)
    print(f"header read at save: {statistics.median(headers) * 1000:.1f} ms")
    print(f"all {len(renditions.ARTICLE_SPECS)} copies at save: {statistics.median(copies):.2f} s")
    print(f"a page's addresses of them: {statistics.median(pages) * 1000:.2f} ms, no file opened")
    # A photo report's photos are saved together, in one request that
    # gunicorn ends after its timeout (30 s unless GUNICORN_TIMEOUT says).
    each = statistics.median(gallery)
    print(
        f"a photo report's photo, its {len(renditions.PICTURE_SPECS)} copies: {each:.2f} s; "
        f"photos one save can make within 30 s: {int(30 // each)}"
    )
    print("copies (spec, format, size, KB):")
    for spec_id in renditions.ARTICLE_SPECS:
        file = renditions.cache_file(spec_id, article.image)
        with file.storage.open(file.name) as stored, Image.open(stored) as copy:
            kilobytes = file.storage.size(file.name) / 1024
            print(f"  {spec_id:28} {copy.format:5} {copy.width}×{copy.height} {kilobytes:6.1f}")


if __name__ == "__main__":
    main()
