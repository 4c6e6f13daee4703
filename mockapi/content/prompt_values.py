"""Schema instances that take the values a prompt states (a unit it names, a date, the people it lists)
before any filler: structured outputs and tool-call arguments alike.

Each property is matched to a stated value by its name, type and constraints; what the prompt does
not state comes from :func:`mockapi.core.instances.instance`. The result validates against the schema:
if a stated value would break it, the filler stands instead.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any

from mockapi.core.instances import instance
from mockapi.core.jsonutil import dumps, loads, right_sized

from . import lexicon
from .assigned import assigned, typed
from .item_counts import asked_count, sized
from .name_parts import name_part, part_of
from .said_words import said_for
from .understanding import Facts, enum_stated, facts, stems
from .words import identifier_words

_MISSING = object()
_MAX_NESTING = 3


def fill(schema: Any, facts: Facts, r: random.Random, *, focus: tuple[str, str] | None = None) -> Any:
    """An instance of ``schema`` using what ``facts`` states; ``focus`` = (property, value) pins one property."""
    if not isinstance(schema, dict) or not schema:
        return {}
    state = _State(schema, facts, focus, r)
    try:
        value = state.value(schema, None, 0)
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError):  # a malformed schema: plain filler
        value = _MISSING
    if value is not _MISSING and _valid(schema, value):
        return value
    return instance(schema, r, hints={focus[0]: focus[1]} if focus else None)


def _valid(schema: dict[str, Any], value: Any) -> bool:
    # jsonschema-rs says "valid" several times faster (as for request bodies: mockapi/core/contract.py); the pure
    # validator has the last word on anything else, so a schema it cannot compile or a "no" is judged as before.
    try:
        valid = _compiled(right_sized(dumps(schema))).is_valid(value)  # kept as the cache's key: no spare buffer
    except Exception:  # noqa: BLE001 - no wheel, a schema it cannot compile, a value it cannot read: the pure validator decides
        valid = False
    if valid:
        return True
    try:
        from jsonschema import (
            Draft202012Validator,  # imported on first use: start-up stays cheap
        )

        return Draft202012Validator(schema).is_valid(value)
    except Exception:  # noqa: BLE001 - a schema the validator cannot read (bad $ref...): trust the values
        return True


@lru_cache(maxsize=256)  # by the schema's JSON text: a client sends the same tools and formats again and again
def _compiled(schema_json: bytes) -> Any:
    """A jsonschema-rs validator for a schema (compiling one costs far more than asking it)."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(loads(schema_json))



# A flag saying the answer is finished ("ready", "is_done"): a model that has just written the answer says yes, and
# planners ask again until it does (CrewAI's reasoning step loops while its plan's `ready` is false, unbounded by
# default), so a seeded false, the same on every identical retry, would loop for ever.
_SETTLED = re.compile(r"(?:is_)?(?:ready|done|complete|completed|finished)\Z", re.I)


@lru_cache(maxsize=2048)  # (a property name, one of the lexicon's hint lists): several lists are asked of every property
def _hinted(name: str, hints: tuple[str, ...]) -> bool:
    low = name.lower()
    return low in hints or any(w in hints for w in identifier_words(name))


_PLACE_LIST_PROPS = (*(p + "s" for p in lexicon.LOCATION_PROPS), "cities", "countries")
_CITY_PROPS = ("city", "cities", "town", "towns")  # the city alone: "Austin" of "Austin, TX"
_REGION_PROPS = ("country", "countries", "region", "regions")  # each name alone: the country of "Paris, France" is one
_DESCRIPTION_PROPS = ("description", "desc", "bio", "about")
# A property that names a thing takes a name quoted after "named" or "called" ("customer_name", "title"); a part of a
# person's name ("first_name") does not take the whole.
_NAMING = frozenset(("name", "title", "label", "nickname", "username", "alias", "filename"))
_NAME_PARTS = frozenset(("first", "last", "middle", "given", "family"))


@lru_cache(maxsize=1024)
def _names_a_thing(name: str) -> bool:
    words = identifier_words(name)
    return bool(words) and words[-1] in _NAMING and _NAME_PARTS.isdisjoint(words)


def given_values(prop: str, facts: Facts) -> list[str]:
    """The values the prompt gives the string property ``prop`` in so many words, if it gives any.

    A value assigned to it by name ("customer_name: 'Acme'"), else, for a property that names a thing, the names the
    prompt quotes after "named" or "called" ("a customer named '你好啊集团'").
    """
    written = assigned(facts.prompt, prop)
    if written:
        return [written]
    return facts.quoted.names if _names_a_thing(prop) else []


def as_place(prop: str, place: str) -> str:
    """A stated place as the property ``prop`` takes it: a city's property the city alone ("Austin" of "Austin, TX")."""
    return place.partition(",")[0] if "," in place and _hinted(prop, _CITY_PROPS) else place


class _State:
    """One fill: the schema root (for ``$ref``) and which stated values are used up."""

    def __init__(self, root: dict[str, Any], facts: Facts, focus: tuple[str, str] | None, r: random.Random) -> None:
        self.root, self.facts, self.focus, self.r = root, facts, focus, r
        self.used: dict[str, int] = {}
        self.focused = focus[1] if focus else None  # the pinned value: no other property takes it from a pool
        self.nesting = 0  # records within records: recursive schemas stop at _MAX_NESTING

    def resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            node: Any = self.root
            for part in schema["$ref"].lstrip("#/").split("/"):
                if part:
                    node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
            schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        return schema

    def value(self, schema: Any, name: str | None, depth: int, siblings: tuple[str, ...] = ()) -> Any:
        if not isinstance(schema, dict):
            return self.filler(schema)
        if "$ref" in schema:
            schema = self.resolve(schema)
            if not isinstance(schema, dict):
                return self.filler(schema)
        options = schema.get("anyOf") or schema.get("oneOf")
        if options and depth < 30:
            real = [self.resolve(o) for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
            if len(real) == 1:
                return self.value({**{k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}, **real[0]}, name, depth + 1, siblings)
            return self.filler(schema)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object" or (kind is None and "properties" in schema):
            if depth > 12 or "properties" not in schema:
                return self.filler(schema)
            props = schema.get("properties") or {}
            siblings = tuple(props)
            out = {prop: self.value(sub, prop, depth + 1, siblings) for prop, sub in props.items()}
            for prop in schema.get("required", []):
                if prop not in out:
                    out[prop] = self.filler({"type": "string"})
            return out
        if not name:
            return self.filler(schema)
        stated = self.stated(schema, kind, name, siblings)
        return self.filler(schema) if stated is _MISSING else stated

    def filler(self, schema: Any) -> Any:
        """What the prompt does not state: a schema default or first enum option, else a seeded instance."""
        if isinstance(schema, dict):
            if "default" in schema:
                return schema["default"]
            if schema.get("enum"):
                return schema["enum"][0]
            if "$defs" in self.root and isinstance(schema, dict):
                schema = {**schema, "$defs": self.root["$defs"]}
            if "definitions" in self.root and isinstance(schema, dict):
                schema = {**schema, "definitions": self.root["definitions"]}
        return instance(schema, self.r)

    def take(self, kind: str, pool: list[Any]) -> Any:
        """The next value of ``kind`` not yet used (the first again once all are)."""
        if not pool:
            return _MISSING
        k = self.used.get(kind, 0)
        self.used[kind] = k + 1
        focused = self.focused
        if focused is not None and (focused in pool or "," in focused):
            # "Paris is the capital of France": the city pinned to Paris, the country takes France; so with "Paris, France"
            pool = [v for v in pool if v != focused and v != focused.partition(",")[0]] or pool
        return pool[k] if k < len(pool) else pool[0]

    def fresh(self, kind: str, pool: list[Any]) -> Any:
        """The next value of ``kind`` not yet used nor pinned, or missing once all are (no value goes round twice)."""
        pool = [v for v in pool if v != self.focused]
        k = self.used.get(kind, 0)
        if k >= len(pool):
            return _MISSING
        self.used[kind] = k + 1
        return pool[k]

    def places(self, prop: str) -> list[str]:
        """The places the location property ``prop`` takes, in prompt order.

        A country's or a region's: each stated name alone (the country of "Paris, France" is one of them); any other's:
        the places with their regions ("Austin, TX"), a city's the city alone ("Austin").
        """
        facts = self.facts
        if _hinted(prop, _REGION_PROPS):
            return facts.of_kind("place") or facts.of_kind("name")
        whole = facts.of_kind("place", with_regions=True) or facts.of_kind("name", with_regions=True)
        return list(dict.fromkeys(as_place(prop, place) for place in whole))

    def stated(self, schema: dict[str, Any], kind: Any, name: str, siblings: tuple[str, ...]) -> Any:
        facts = self.facts
        if self.focus and name == self.focus[0] and kind in ("string", None):
            pinned, part = self.focus[1], name_part(name)
            return _fits(schema, (part_of(pinned, part) if part is not None else None) or pinned)
        written = assigned(facts.prompt, name)
        if written is not None:  # "for sku='sku-42'": the prompt gives this very property its value
            value = typed(written, kind)
            if value is not None and (not schema.get("enum") or value in schema["enum"]):
                return _fits(schema, value) if isinstance(value, str) else value
        if kind in ("string", None) and _names_a_thing(name) and facts.quoted.names:
            named = _fits(schema, self.fresh("called", facts.quoted.names))  # "a customer named '你好啊集团'"
            if named is not _MISSING:
                return named
        if kind == "boolean" and name and _SETTLED.match(name):
            return True  # see _SETTLED
        if schema.get("enum"):
            found = enum_stated(list(schema["enum"]), facts.prompt)
            return _MISSING if found is None else found
        if kind in ("integer", "number"):
            return self.number(schema, kind == "integer", name)
        if kind == "array":
            return self.array(schema, name)
        if kind not in ("string", None):
            return _MISSING
        return _fits(schema, self.string(schema, name, siblings))

    def string(self, schema: dict[str, Any], name: str, siblings: tuple[str, ...]) -> Any:
        facts, fmt = self.facts, schema.get("format")
        said = said_for(name, siblings, facts.prompt) if fmt is None else None  # "Say the word `love`." (said_words.py)
        if said is not None:
            return said
        if fmt == "email" or "email" in name.lower() or (_hinted(name, lexicon.EMAIL_PROPS) and facts.emails):
            return self.take("email", facts.emails)
        if fmt == "time":  # "at 7pm" as a model writes a time in that format: 19:00:00
            return self.take("time", [clock for clock in map(_clock_time, facts.times) if clock])
        if fmt in ("date", "date-time"):
            iso = [d for d in facts.dates if re.match(r"\d{4}-\d{2}-\d{2}", d) and (fmt == "date-time") == ("T" in d or " " in d)]
            return self.take("iso", iso)
        if _hinted(name, lexicon.DATE_PROPS):
            if "time" in identifier_words(name) and facts.times:
                return self.take("time", facts.times)
            return self.take("date", facts.dates)
        if _hinted(name, lexicon.ID_PROPS) and facts.identifiers:  # before people: "customer_id" wants "customer_42"
            return self.take("identifier", facts.identifiers)
        if _hinted(name, lexicon.LOCATION_PROPS):
            return self.take("place", self.places(name))
        if _hinted(name, _DESCRIPTION_PROPS) and facts.quoted.description:
            return facts.quoted.description
        part, focus = name_part(name), self.focus
        if part is not None:  # the person this call is about (the focus, when the prompt lists several), split
            people = [focus[1]] if focus and name_part(focus[0]) is not None else facts.of_kind("person") or facts.of_kind("name")
            return (part_of(people[0], part) if people else None) or _MISSING
        if _hinted(name, lexicon.PERSON_PROPS):
            return self.take("person", facts.of_kind("person") or facts.of_kind("name"))
        if name.lower() == "name" and not any(_hinted(s, lexicon.PEOPLE_LIST_PROPS) for s in siblings):
            stated = facts.of_kind("person") or facts.of_kind("name") or facts.of_kind("place")
            return self.take("person", stated) if stated else (facts.label or _MISSING)
        if _hinted(name, lexicon.LABEL_PROPS):
            return facts.label or _MISSING
        if _hinted(name, lexicon.QUERY_PROPS):
            return re.sub(r"\s+", " ", facts.prompt).strip().rstrip("?.!") or _MISSING
        return _MISSING

    def number(self, schema: dict[str, Any], integer: bool, name: str) -> Any:
        wanted = stems(name + " " + str(schema.get("description") or ""))
        candidates = [(v, unit) for v, unit in self.facts.numbers if not integer or v == int(v)]
        chosen: Any = next((v for v, unit in candidates if unit and stems(unit) & wanted), None)
        if chosen is None and candidates:
            chosen = self.take("number", [v for v, _ in candidates])
        if chosen is None or chosen is _MISSING:
            return _MISSING
        value: int | float = int(chosen) if integer or chosen == int(chosen) else chosen
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            return _MISSING
        if schema.get("exclusiveMinimum") is not None and value <= schema["exclusiveMinimum"]:
            return _MISSING
        if schema.get("exclusiveMaximum") is not None and value >= schema["exclusiveMaximum"]:
            return _MISSING
        return value

    def array(self, schema: dict[str, Any], name: str) -> Any:
        items = self.resolve(schema.get("items") or {})
        if not isinstance(items, dict):
            return _MISSING
        facts = self.facts
        if items.get("enum"):
            low = facts.prompt.lower()
            values = [o for o in items["enum"] if isinstance(o, str) and re.search(rf"\b{re.escape(o.lower())}\b", low)]
        elif items.get("type") in ("string", None) and "properties" not in items:
            if _hinted(name, lexicon.PEOPLE_LIST_PROPS):
                values = facts.of_kind("person") or facts.of_kind("name")
            elif _hinted(name, _PLACE_LIST_PROPS):
                values = self.places(name)
            elif _hinted(name, ("dates", "days")):
                values = list(facts.dates)
            else:
                values = []
            values = [v for v in values if _fits(items, v) is not _MISSING]
        elif "properties" in items:
            values = _records(self, items)
        else:
            return _MISSING
        count = asked_count(facts.prompt, name, schema, items)  # "three users" (item_counts.py)
        values = sized(values, count, lambda: self.filler(items), items.get("enum"))
        low_n, high_n = int(schema.get("minItems", 0)), schema.get("maxItems")
        values = values[: int(high_n)] if high_n is not None else values
        return values if values and len(values) >= low_n else _MISSING


def _record_key(props: dict[str, Any]) -> tuple[str | None, str]:
    """The property of a record that names it, and which kind of name that is."""
    for prop in props:
        if _hinted(prop, lexicon.PERSON_PROPS) or prop.lower() == "name":
            return prop, "person"
    for prop in props:
        if _hinted(prop, lexicon.LOCATION_PROPS):
            return prop, "place"
    return None, ""


def _records(state: _State, items: dict[str, Any]) -> list[Any]:
    """One record per stated name ("Alice is 30 and Bob is 25"), each read from its own stretch of the prompt."""
    key, kind = _record_key(items.get("properties") or {})
    if key is None or state.nesting >= _MAX_NESTING:
        return []
    stated = state.facts.places  # "Austin, TX and Boston, MA": two records
    named = [n for n in stated if n.kind == kind] or [n for n in stated if n.kind == "name"]
    out = []
    for k, name in enumerate(named):
        stretch = state.facts.prompt[name.start: named[k + 1].start if k + 1 < len(named) else None]
        record = _State(state.root, facts(stretch), (key, as_place(key, name.text)), state.r)
        record.nesting = state.nesting + 1
        out.append(record.value(items, None, 1))
    return out


# The string formats Structured Outputs supports whose shape a stated value may miss ("7pm" for a time): a model
# writes them in that shape, so a value that is not in it is left to the filler (mockapi/core/instances.py), which is.
_FORMAT_SHAPES = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "date-time": re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?"),
    "time": re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?"),
    "email": re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"),
    "uuid": re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
}


_SPOKEN_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", re.I)


def _clock_time(spoken: str) -> str | None:
    """A time as the prompt says it ("7pm", "7:30 am", "19:05") in the ``time`` format's shape, or None if it is none."""
    match = _SPOKEN_TIME.fullmatch(spoken.strip())
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}:00"


def _fits(schema: dict[str, Any], value: Any) -> Any:
    """``value`` if it meets the string schema's length, pattern and format, else missing."""
    if value is _MISSING or not isinstance(value, str):
        return _MISSING
    shape = _FORMAT_SHAPES.get(str(schema.get("format")))  # None, or a format not listed: no shape to meet
    if shape is not None and not shape.fullmatch(value):
        return _MISSING
    if len(value) < int(schema.get("minLength", 0)) or (schema.get("maxLength") is not None and len(value) > schema["maxLength"]):
        return _MISSING
    pattern = schema.get("pattern")
    if pattern:
        try:
            if not re.search(pattern, value):
                return _MISSING
        except re.error:
            return _MISSING
    return value

