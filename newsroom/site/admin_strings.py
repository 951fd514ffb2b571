"""Words of Django's admin that its own Persian catalogue leaves in English.

Listed here so that `make messages` keeps them in locale/fa, whose
translations come before Django's: «Breadcrumbs» and «Model name» are what
a screen reader announces on every admin page.
"""

from django.utils.translation import gettext_noop

ADMIN_STRINGS = [
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Please correct the error below."),
    gettext_noop("entry"),
    gettext_noop("In case you’ve forgotten, you are:"),
]
