"""The member space's hand-built HTML: dates in each language's short format."""

import datetime

from django.utils import translation
from django.utils.formats import get_format

from requests_app.templatetags.member_space import date_formatter

DAY = datetime.datetime(2026, 3, 5, 14, 30)


def test_dates_follow_the_french_short_format():
    with translation.override("fr"):
        assert date_formatter(get_format("SHORT_DATE_FORMAT"))(DAY) == "05/03/2026"


def test_dates_follow_the_english_short_format():
    with translation.override("en"):
        assert date_formatter(get_format("SHORT_DATE_FORMAT"))(DAY) == "03/05/2026"


def test_a_format_strftime_cannot_say_falls_back_to_django():
    # "j F Y" has a month name and an unpadded day: Django's own formatter says it.
    with translation.override("fr"):
        assert date_formatter("j F Y")(DAY) == "5 mars 2026"
