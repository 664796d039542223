"""Text as people search and sort it: without case or accents."""

import unicodedata


def folded(text: str) -> str:
    """Lower case, no accents, "œ"/"æ" spelled out, spaces collapsed: "  Joséphine  CŒUR" ->
    "josephine coeur". What searches compare, on every database alike."""
    text = (text or "").casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
