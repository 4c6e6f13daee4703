"""The regions a place's name may carry after a comma ("San Francisco, CA", "Paris, France", "Austin, Texas"),
kept as data with how wide each is, so a place and its region read as one place rather than a list of two."""

from __future__ import annotations

import re

from . import lexicon

CITY, STATE, COUNTRY = 0, 1, 2  # how wide a name reaches: a region joins a narrower name before its comma

# US state, district and territory codes, and Canadian province and territory codes.
CODES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA "
    "RI SC SD TN TX UT VT VA WA WV WI WY DC PR AB BC MB NB NL NS NT NU ON PE QC SK YT".split())
STATES = frozenset((
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois "
    "indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri "
    "montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington "
    "wisconsin wyoming ontario quebec alberta manitoba saskatchewan yukon nunavut england scotland wales bavaria "
    "catalonia queensland tasmania").split()) | {
    "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "rhode island",
    "south carolina", "south dakota", "west virginia", "british columbia", "nova scotia", "new brunswick",
    "prince edward island", "northwest territories", "newfoundland and labrador", "northern ireland",
    "new south wales", "western australia", "south australia"}
COUNTRIES = frozenset((
    "afghanistan albania algeria argentina armenia australia austria bangladesh belgium bolivia brazil bulgaria "
    "cambodia cameroon canada chile china colombia croatia cuba cyprus czechia denmark ecuador egypt estonia "
    "ethiopia finland france germany ghana greece hungary iceland india indonesia iran iraq ireland israel italy "
    "jamaica japan jordan kazakhstan kenya korea latvia lebanon lithuania malaysia mexico morocco nepal netherlands "
    "holland nigeria norway pakistan peru philippines poland portugal qatar romania russia senegal serbia slovakia "
    "slovenia spain sweden switzerland syria taiwan tanzania thailand tunisia turkey türkiye uganda ukraine uruguay "
    "venezuela vietnam zimbabwe uae uk usa").split()) | {
    "czech republic", "south korea", "north korea", "new zealand", "saudi arabia", "south africa", "sri lanka",
    "united arab emirates", "united kingdom", "united states", "costa rica", "dominican republic", "puerto rico"}
# Regions that are also cities: after a comma they may be the next city of a list ("San Francisco, New York
# and Boston"), so they join only a place that is not listed on with plain cities (see understanding._with_regions).
CITY_REGIONS = frozenset({"new york", "washington", "quebec"})
# A state code right after a comma: two capitals, or two with dots ("D.C."); a sentence's full stop stays out.
_CODE_AFTER = re.compile(r"\s*,\s*([A-Z]{2}|[A-Z]\.[A-Z]\.)(?![\w'-])")


def width(name: str) -> int:
    """How wide a stated name reaches: :data:`COUNTRY`, :data:`STATE` (a state code too) or :data:`CITY` (anything else)."""
    low = name.lower()
    if low in COUNTRIES:
        return COUNTRY
    return STATE if low in STATES or name.replace(".", "") in CODES else CITY


def code_after(prompt: str, end: int, before: str) -> re.Match[str] | None:
    """The state code (group 1) after a comma at ``end`` ("San Francisco, CA"), if one follows the name ``before``."""
    code = _CODE_AFTER.match(prompt, end)
    if code is None or (letters := code.group(1).replace(".", "")) not in CODES or before.replace(".", "") in CODES:
        return None  # no code, or a list of codes ("CA, NY and TX")
    if letters == "OK" and (before.lower() in lexicon.PLACES or before.lower() in lexicon.PLACE_PHRASES):
        return None  # "London, OK?" asks for agreement; Oklahoma's cities are not in the lexicon
    return code
