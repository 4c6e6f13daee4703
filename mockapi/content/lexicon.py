"""Words the mock's prompt understanding knows, kept as data: concepts that name a kind of tool,
capitalised words that are not names, and place and person names that may start a sentence."""

from __future__ import annotations

# A concept: the words a tool's name or description uses for it (``tool``), and the words a prompt
# uses when it asks for it (``prompt``, which include the tool words). Words are stems (see stem()).
CONCEPTS: dict[str, dict[str, frozenset[str]]] = {
    "weather": {
        "tool": frozenset("weather forecast temperature climate".split()),
        "prompt": frozenset("weather forecast temperature sunny sun rain raining rainy snow snowing umbrella hot cold "
                            "degree warm chilly windy wind humid humidity cloudy storm celsius fahrenheit jacket".split()),
    },
    "search": {
        "tool": frozenset("search lookup look find query retrieve".split()),
        "prompt": frozenset("search look lookup find google research".split()),
    },
    "email": {
        "tool": frozenset("email mail send message inbox".split()),
        "prompt": frozenset("email mail send inbox".split()),
    },
    "calendar": {
        "tool": frozenset("calendar schedule meeting event appointment".split()),
        "prompt": frozenset("calendar schedule meeting event appointment remind reminder".split()),
    },
    "stock": {
        "tool": frozenset("stock price quote ticker shares market".split()),
        "prompt": frozenset("stock price quote ticker market trading shares".split()),
    },
    "time": {
        "tool": frozenset("time timezone clock".split()),
        "prompt": frozenset("time timezone clock hour o'clock".split()),
    },
    "currency": {
        "tool": frozenset("currency exchange convert conversion rate".split()),
        "prompt": frozenset("currency exchange convert dollar euro pound yen".split()),
    },
    "math": {
        "tool": frozenset("calculate calculator compute math arithmetic".split()),
        "prompt": frozenset("calculate compute plus minus times multiply divide sum".split()),
    },
}

# Capitalised words that name nothing: question words, openers, and common nouns at sentence start.
NOT_NAMES = frozenset(
    "what what's whats how who where when which why can could would should will shall may might must please i i'm "
    "i'd i've tell give is are was were do does did let find get show compare call use hi hello hey thanks thank "
    "the a an and or but if then so also my your our their his her its this that these those there here yes no ok "
    "okay weather forecast temperature today tomorrow tonight yesterday now next last am pm utc gmt json api "
    "make create write send book schedule check look search list run plan help need want note summary answer "
    "it he she they we you me us them after before during in on at for from to of with by about".split()
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
RELATIVE_DAYS = ("today", "tomorrow", "tonight", "yesterday", "next week", "this weekend", "next month")

# Names that may start a sentence and still be names ("Paris is lovely", "Alice and Bob are...").
PLACES = frozenset(
    "london paris tokyo madrid seattle berlin rome new york boston chicago sydney dublin amsterdam lisbon vienna "
    "prague oslo stockholm helsinki copenhagen zurich geneva milan barcelona munich toronto vancouver montreal "
    "mexico city san francisco los angeles miami austin denver atlanta dallas houston beijing shanghai seoul "
    "singapore mumbai delhi bangkok dubai cairo nairobi lagos rio de janeiro buenos aires lima santiago bogota "
    "moscow istanbul athens warsaw budapest brussels edinburgh manchester kyoto osaka hong kong taipei jakarta "
    "manila hanoi auckland melbourne cape town johannesburg france germany spain italy japan china india brazil "
    "canada mexico england scotland ireland portugal australia usa uk".split()
)
PLACE_PHRASES = frozenset({"new york", "mexico city", "san francisco", "los angeles", "rio de janeiro", "buenos aires",
                           "hong kong", "cape town", "new delhi", "tel aviv"})
PEOPLE = frozenset(
    "alice bob carol charlie dave david eve frank grace heidi ivan judy mallory oscar peggy trent victor walter "
    "john jane mary james robert michael sarah emma olivia liam noah sophia mia lucas ethan anna maria tom sam "
    "alex chris pat kim lee max ben emily jack jason mike sara jessica jennifer daniel matthew andrew joseph thomas "
    "william richard steven steve kevin brian paul peter george edward henry oliver harry jacob benjamin joshua ryan "
    "nick nicole tim tony anthony kate katie lucy zoe chloe ella amelia isabella ava charlotte hannah rachel rebecca "
    "amy laura lisa linda susan karen nancy ashley megan julia julie sophie eric adam jeff greg kyle sean carlos juan "
    "jose luis pedro sofia lucia elena olga hans pierre marie priya raj ahmed ali fatima yuki".split()
)
# The people above that are also common words ("max tokens", "a frank talk"): names only when capitalised.
LOWER_CASE_PEOPLE = PEOPLE - frozenset("max pat eve jack frank grace carol victor oscar lee kim ben sam tom ali raj "
                                       "mike nick tim kate".split())

# Property-name hints: which stated value a schema property wants.
LOCATION_PROPS = ("location", "city", "place", "destination", "origin", "country", "region", "address", "where", "town")
PEOPLE_LIST_PROPS = ("participants", "attendees", "people", "names", "members", "guests", "invitees", "recipients",
                     "persons", "friends", "players", "authors")
PERSON_PROPS = ("person", "first_name", "full_name", "author", "recipient", "attendee", "user", "customer", "contact",
                "who", "owner", "assignee", "username", "employee", "patient", "student", "speaker")
DATE_PROPS = ("date", "day", "when", "deadline", "due", "start", "end", "time", "birthday", "schedule")
QUERY_PROPS = ("query", "q", "search", "term", "terms", "keywords", "keyword", "question", "prompt", "text", "topic")
LABEL_PROPS = ("name", "title", "event", "subject", "label", "activity", "item", "product")
EMAIL_PROPS = ("email", "mail", "to", "from", "cc", "address_email")
# Identifiers ("customer_id", "tracking_number", "sku"): they take a token with digits the prompt states ("ZX-123").
ID_PROPS = ("id", "ids", "identifier", "number", "code", "sku", "reference", "ref", "tracking")
