"""Readers' comments for the demo site, written as readers on a phone write them.

Each article's comments are posted through the posting rules
(`services.submit_comment`), as a reader's would be, then published,
answered or left for the moderator as `load_demo_comments` says. `hours`
is how long ago the comment was posted; `reply_to` is the index, in the
same list, of the comment it answers.
"""

PUBLISHED, PENDING = "published", "pending"

COMMENTS = {
    77759: [
        {
            "name": "نسرین",
            "text": "خیلی خوبه که روابط عمومی به فکر پاسخگویی سریع افتاده. "
            "امیدوارم تو شعبه‌ها هم همینطور باشه و مردم برای یه سوال ساده "
            "مجبور نشن چند بار حضوری برن.",
            "hours": 20,
            "state": PUBLISHED,
            "answer": "با سپاس از همراهی شما. پاسخگویی در شعبه‌ها هم در برنامهٔ "
            "امسال اداره‌کل روابط عمومی است و از ماه آینده پرسش‌های پرتکرار هر "
            "شعبه در همین پایگاه پاسخ داده می‌شود.",
        },
        {
            "name": "محمدرضا",
            "text": "سه هفته‌ست منتظر جواب پیامم تو سامانه هستم. لطفا یه راه "
            "مستقیم برای پیگیری اعلام کنید.",
            "hours": 14,
            "state": PUBLISHED,
        },
        {
            "name": "زهرا",
            "text": "منم همین مشکل رو داشتم، با ۱۴۲۰ تماس گرفتم و همون روز پیگیری کردن.",
            "hours": 9,
            "state": PUBLISHED,
            "reply_to": 1,
        },
        {
            "name": "حسین",
            "text": "کاش اطلاعیه‌های بیمه بیکاری هم تو همین سایت منتشر بشه که "
            "لازم نباشه دنبالش بگردیم.",
            "hours": 3,
            "state": PENDING,
        },
        {
            "name": "علی",
            "text": "برای پیگیری پرونده‌ام به شماره ۰۹۱۲۳۴۵۶۷۸۹ زنگ بزنید لطفا، "
            "چند بار پیام دادم کسی جواب نداد.",
            "hours": 1,
            "state": PENDING,
        },
    ],
    77794: [
        {
            "name": "بازنشسته فرهنگی",
            "text": "مستمری این ماه با افزایش جدید پرداخت میشه یا ماه بعد اعمال میشه؟",
            "hours": 30,
            "state": PUBLISHED,
            "answer": "افزایش مستمری از همین ماه اعمال شده است و مابه‌التفاوت "
            "ماه‌های گذشته همراه مستمری ماه آینده پرداخت می‌شود.",
        },
        {
            "name": "مریم",
            "text": "ممنون از اطلاع رسانی به موقع. لطفا ساعت واریز رو هم اعلام کنید.",
            "hours": 26,
            "state": PUBLISHED,
        },
        {
            "name": "رضا",
            "text": "پدرم هنوز حکم جدیدش رو نگرفته، باید به شعبه مراجعه کنه؟",
            "hours": 2,
            "state": PENDING,
        },
    ],
    77790: [
        {
            "name": "سارا",
            "text": "برای کمک هزینه ازدواج چند سال سابقه بیمه لازمه؟ تو متن خبر ننوشته.",
            "hours": 40,
            "state": PUBLISHED,
        },
        {
            "name": "امیر",
            "text": "ما پارسال ازدواج کردیم، هنوز میشه درخواست داد یا مهلتش تموم شده؟",
            "hours": 5,
            "state": PENDING,
        },
    ],
}
