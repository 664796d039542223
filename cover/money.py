"""Amounts as the screens show them, in the reader's language: "1 234,50 €" in French,
"€1,234.50" in English. Documents (PDFs) stay French whatever the language: `cover.pdf.euros`."""

from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language

from cover import pdf

# Amounts are in euros and cents.
CENT = Decimal("0.01")


@lru_cache(maxsize=4096)
def _english(value: Decimal) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}€{abs(value):,.2f}"


def screen_euros(value: Decimal | None) -> str:
    """An amount for a page, in the active language's format."""
    if value is None:
        return ""
    if (get_language() or "fr").startswith("en"):
        return _english(Decimal(value))
    return pdf.euros(Decimal(value))
