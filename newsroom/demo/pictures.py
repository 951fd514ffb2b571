"""Pictures for the demo content, drawn with Pillow when it is loaded (nothing is downloaded).

Each is a simple scene (a sky, hills, a building with its windows) in its
own colours, 1,600 × 1,200 pixels: large enough for the 1,200-pixel copies
that Open Graph and JSON-LD ask for.
"""

import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 1200)

# (sky top, sky bottom, hills, building) of each scene.
PALETTES = [
    ((38, 92, 160), (176, 212, 240), (70, 120, 70), (214, 206, 190)),
    ((230, 120, 60), (250, 210, 150), (120, 100, 70), (180, 170, 160)),
    ((20, 30, 70), (90, 110, 170), (40, 60, 50), (150, 150, 170)),
    ((120, 170, 210), (225, 235, 245), (150, 150, 110), (230, 225, 215)),
    ((90, 60, 120), (230, 170, 160), (80, 90, 60), (200, 190, 200)),
]

# The articles that have a picture in the demo, with its caption.
CAPTIONS = {
    77759: "نشست مدیران روابط عمومی در ساختمان مرکزی سازمان",
    77794: "یکی از شعب سازمان در روز واریز مستمری",
    77760: "کارشناسان روابط عمومی استان‌ها در دوره آموزشی تولید محتوا",
    77764: "نمای یکی از دفاتر کارگزاری تازه‌گشایش در استان تهران",
    77766: "یکی از مراکز درمانی ملکی سازمان",
    77773: "ساختمان بیمارستان سازمان در تهران",
    77779: "دیدار مدیرعامل با نمایندگان کانون‌های بازنشستگان",
    77780: "درمانگاه تخصصی تازه در شمال خوزستان",
    77788: "مرکز ارتباط مردمی ۱۴۲۰",
}

# The demo's photo report: its news code, and each photo's caption.
PHOTO_REPORT_CODE = 77802
PHOTO_REPORT = {
    "title": "گزارش تصویری از افتتاح درمانگاه تخصصی تأمین اجتماعی در شمال خوزستان",
    "lead": "درمانگاه تخصصی تأمین اجتماعی با حضور مسئولان استانی و نمایندگان "
    "بیمه‌شدگان افتتاح شد؛ گزارش تصویری این مراسم را ببینید.",
    "photos": [
        "ورودی درمانگاه تازه در روز افتتاح",
        "مسئولان استانی پیش از آغاز مراسم",
        "بخش پذیرش و نوبت‌دهی درمانگاه",
        "یکی از اتاق‌های معاینه تخصصی",
        "بیمه‌شدگان در نخستین روز ارائه خدمات",
    ],
}


def _gradient(top, bottom, size):
    """A vertical blend from `top` to `bottom`."""
    width, height = size
    mask = Image.linear_gradient("L").resize((width, height))
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def scene(seed):
    """A JPEG of a made-up scene, the same for the same seed."""
    rng = random.Random(seed)
    sky_top, sky_bottom, hills, building = PALETTES[seed % len(PALETTES)]
    width, height = SIZE
    image = _gradient(sky_top, sky_bottom, SIZE)
    pen = ImageDraw.Draw(image)
    sun_x, sun_y = rng.randint(150, width - 150), rng.randint(120, 380)
    pen.ellipse((sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70), fill=(255, 236, 170))
    for layer in range(3):
        shade = tuple(max(0, c - 25 * layer) for c in hills)
        base = int(height * (0.55 + 0.1 * layer))
        points = [(0, height)]
        for x in range(0, width + 200, 200):
            points.append((x, base - rng.randint(0, 160)))
        points.append((width, height))
        pen.polygon(points, fill=shade)
    left = rng.randint(200, width - 900)
    top = int(height * 0.35)
    right, bottom = left + rng.randint(500, 700), int(height * 0.9)
    pen.rectangle((left, top, right, bottom), fill=building)
    for x in range(left + 40, right - 60, 90):
        for y in range(top + 40, bottom - 80, 110):
            lit = rng.random() < 0.4
            pen.rectangle((x, y, x + 50, y + 70), fill=(250, 220, 120) if lit else (70, 90, 120))
    pen.rectangle(
        ((left + right) // 2 - 60, bottom - 150, (left + right) // 2 + 60, bottom),
        fill=(90, 60, 40),
    )
    # A little softness, as a lens gives.
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
