"""The policyholder of the sign-up tests, as the insurer imported him, and the card typed at
"Créer mon espace" that matches his record."""

import datetime


def card_form(**overrides) -> dict:
    """The sign-up form filled as on the card (each field may be overridden)."""
    return {
        "member_number": "200001",
        "last_name": "Léger",
        "first_name": "Zoé",
        "birth_date": "17/05/1980",
        "email": "zoe@example.net",
        **overrides,
    }


def card_holder_record():
    """The imported record, with no web space yet."""
    from tests.factories import MemberFactory

    return MemberFactory(
        member_number="200001",
        last_name="LÉGER",
        first_name="Zoé",
        birth_date=datetime.date(1980, 5, 17),
        email="affiliation@example.org",
        mobile_phone="+33698765432",
    )
