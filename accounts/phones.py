"""Phone numbers as French readers write them: "06 45 67 89 01", stored in E.164."""

import phonenumbers


def phone_display(value) -> str:
    """ "+33645678901" -> "06 45 67 89 01"; a foreign number in its international form."""
    text = str(value or "")
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return text
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
