"""The web font in two files: what Persian pages use, and the rest, fetched only when needed.

Run as `.venv/bin/python fonts/subset.py` after `pip install -e .[fonts]`.
It reads Vazirmatn as released (`fonts/Vazirmatn-wght.woff2`, every weight
in one variable font, 111 KB) and writes `static/fonts/Vazirmatn-wght-fa.woff2`
(Persian and Arabic letters and their presentation forms, ASCII, Latin-1,
the punctuation and signs the site writes) and
`static/fonts/Vazirmatn-wght-other.woff2` (every other character the font
has: Latin Extended, IPA, more signs). `static/css/site.css` gives each
file the `unicode-range` below, so a browser fetches the second only for a
page that shows one of its characters; every glyph and every OpenType
feature (Arabic shaping, marks, kerning) is kept.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "fonts" / "Vazirmatn-wght.woff2"
FONTS = ROOT / "static" / "fonts"

# As `unicode-range` writes them in static/css/site.css (tests/test_project.py compares).
PERSIAN = (
    "U+0000-00FF, U+0600-06FF, U+0750-077F, U+200C-200F, U+2010-2027, U+2030-205E, "
    "U+20AC, U+2122, U+2190-21FF, U+2212, U+25CC, U+FB50-FDFF, U+FE70-FEFF"
)
OTHER = (
    "U+0100-05FF, U+0700-074F, U+0780-1FFF, U+2000-200B, U+2028-202F, U+205F-20AB, "
    "U+20AD-2121, U+2123-218F, U+2200-2211, U+2213-25CB, U+25CD-FB4F, U+FE00-FE6F, U+FF00-FFFF"
)
FILES = {"Vazirmatn-wght-fa.woff2": PERSIAN, "Vazirmatn-wght-other.woff2": OTHER}


def code_points(ranges):
    """The code points of a `unicode-range` value."""
    points = set()
    for part in ranges.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def main():
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font_points = set(TTFont(SOURCE).getBestCmap())
    missing = font_points - code_points(PERSIAN) - code_points(OTHER)
    if missing:
        sys.exit(f"Characters of the font in neither file: {sorted(map(hex, missing))}")
    for name, ranges in FILES.items():
        options = subset.Options()
        options.layout_features = ["*"]
        options.flavor = "woff2"
        font = subset.load_font(str(SOURCE), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=code_points(ranges) & font_points)
        subsetter.subset(font)
        subset.save_font(font, str(FONTS / name), options)
        print(f"{name}: {(FONTS / name).stat().st_size:,} bytes")
    print(f"{SOURCE.name} (the source): {SOURCE.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
