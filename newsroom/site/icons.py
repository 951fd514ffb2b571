"""The site's mark as PNG and ICO files, drawn from the same shapes as favicon.svg.

`manage.py make_icons` writes them into static/img/; they are kept in the
repository. The logo is what structured data names as the publisher's (a
PNG of at least 112 pixels square); `/favicon.ico` is for browsers and
readers that ask for it at the site's root; the touch icon is for a phone's
home screen.
"""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw

BRAND = "#0b4f8a"
# favicon.svg's letter, in its 32-unit square.
LETTER = [
    (8, 22),
    (8, 10),
    (12, 10),
    (20, 18),
    (20, 10),
    (24, 10),
    (24, 22),
    (20, 22),
    (12, 14),
    (12, 22),
]
CORNER = 6
FILES = {
    "img/logo.png": 512,
    "img/apple-touch-icon.png": 180,
}
ICO = "img/favicon.ico"
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]
# A month: the icon's address has no version in it, and it almost never changes.
ICON_MAX_AGE = 30 * 24 * 3600


def draw(size, rounded=True):
    """The mark, `size` pixels square: drawn four times larger, then reduced smoothly."""
    scale = size * 4 / 32
    canvas = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    pen = ImageDraw.Draw(canvas)
    box = (0, 0, size * 4 - 1, size * 4 - 1)
    if rounded:
        pen.rounded_rectangle(box, radius=CORNER * scale, fill=BRAND)
    else:
        pen.rectangle(box, fill=BRAND)
    pen.polygon([(x * scale, y * scale) for x, y in LETTER], fill="#ffffff")
    return canvas.resize((size, size), Image.Resampling.LANCZOS)


def write_all(directory):
    """Write the PNGs and the ICO under `directory` (static/); the paths written."""
    written = []
    for name, size in FILES.items():
        # A phone rounds the touch icon's corners itself.
        image = draw(size, rounded=name != "img/apple-touch-icon.png")
        path = directory / name
        image.save(path, "PNG", optimize=True)
        written.append(path)
    path = directory / ICO
    draw(48).save(path, "ICO", sizes=ICO_SIZES)
    written.append(path)
    return written


_served = {}


def _file(name):
    if name not in _served:
        with open(finders.find(name), "rb") as source:
            _served[name] = source.read()
    return _served[name]


def _icon(name, content_type):
    @require_safe
    def view(request):
        response = HttpResponse(_file(name), content_type=content_type)
        response["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
        return response

    return view


favicon_ico = _icon(ICO, "image/x-icon")
apple_touch_icon = _icon("img/apple-touch-icon.png", "image/png")
