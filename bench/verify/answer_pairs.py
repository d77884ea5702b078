#!/usr/bin/env python3
"""Generates labelled answer pairs for measuring the answer comparator (AnswerComparator): two
answers to one request and whether they say the same thing. Deterministic; writes TSV
`kind<TAB>label<TAB>served<TAB>fresh` (label 1: they agree) to stdout. Answers are plain text;
tool calls are written as `tool:NAME ARGUMENTS_JSON`.

usage: bench/verify/answer_pairs.py > bench/verify/answer_pairs.tsv
"""
import json
import random

# (subject, attribute, value, another value of the same kind)
FACTS = [
    ("Mount Everest", "height", "8,849 metres", "8,611 metres"),
    ("the Eiffel Tower", "height", "330 metres", "324 metres"),
    ("Python", "creator", "Guido van Rossum", "James Gosling"),
    ("Java", "creator", "James Gosling", "Bjarne Stroustrup"),
    ("the Moon", "average distance from Earth", "384,400 km", "356,500 km"),
    ("water", "boiling point at sea level", "100 degrees Celsius", "90 degrees Celsius"),
    ("the Great Wall of China", "length", "21,196 km", "8,850 km"),
    ("Australia", "capital", "Canberra", "Sydney"),
    ("Canada", "capital", "Ottawa", "Toronto"),
    ("Brazil", "official language", "Portuguese", "Spanish"),
    ("the speed of light", "value in vacuum", "299,792 km per second", "199,792 km per second"),
    ("HTTP/2", "default port over TLS", "443", "8443"),
    ("PostgreSQL", "default port", "5432", "3306"),
    ("the Linux kernel", "original author", "Linus Torvalds", "Richard Stallman"),
    ("Pride and Prejudice", "author", "Jane Austen", "Charlotte Bronte"),
    ("the Pacific Ocean", "average depth", "4,280 metres", "3,650 metres"),
    ("a marathon", "distance", "42.195 km", "21.1 km"),
    ("Swift", "first release year", "2014", "2010"),
    ("the human heart", "number of chambers", "4", "3"),
    ("Mars", "number of moons", "2", "1"),
    ("SQLite", "licence", "public domain", "GPL"),
    ("Rust", "package manager", "Cargo", "npm"),
    ("the list method that sorts in place", "name", "list.sort()", "sorted()"),
    ("the function that reverses a list in place", "name", "list.reverse()", "reversed()"),
    ("Japan", "currency", "yen", "won"),
    ("Kenya", "capital", "Nairobi", "Mombasa"),
]

PHRASINGS = [
    "The {attr} of {subj} is {value}.",
    "{Subj}'s {attr} is {value}.",
    "{Value} is the {attr} of {subj}.",
    "It is {value}: that is the {attr} of {subj}.",
]

NEGATED = "The {attr} of {subj} is not {value}."
HEDGED = "As far as I know, the {attr} of {subj} is {value}, according to most sources."

TOOLS = [
    ("get_weather", {"city": "Paris", "unit": "celsius"}, {"city": "Rome", "unit": "celsius"}),
    ("search_flights", {"from": "CDG", "to": "FCO", "date": "2025-05-01"}, {"from": "FCO", "to": "CDG", "date": "2025-05-01"}),
    ("convert_currency", {"amount": 100, "from": "EUR", "to": "USD"}, {"amount": 10, "from": "EUR", "to": "USD"}),
    ("lookup_order", {"order_id": "A-1042"}, {"order_id": "A-1043"}),
]


def say(template, subj, attr, value):
    text = template.format(subj=subj, attr=attr, value=value, Subj=subj[:1].upper() + subj[1:], Value=value[:1].upper() + value[1:])
    return text


def tool(name, arguments, shuffled=False):
    items = list(arguments.items())
    if shuffled:
        items.reverse()
    return f"tool:{name} " + json.dumps(dict(items), separators=(", ", ": ") if shuffled else (",", ":"))


def pairs(rng):
    for subj, attr, value, other in FACTS:
        a, b = rng.sample(PHRASINGS, 2)
        yield "same text", 1, say(a, subj, attr, value), say(a, subj, attr, value)
        yield "same text, other spacing", 1, say(a, subj, attr, value), "  " + say(a, subj, attr, value).replace(" ", "  ") + "  "
        yield "reworded", 1, say(a, subj, attr, value), say(b, subj, attr, value)
        yield "hedged", 1, say(a, subj, attr, value), say(HEDGED, subj, attr, value)
        yield "other value", 0, say(a, subj, attr, value), say(a, subj, attr, other)
        yield "other value, reworded", 0, say(a, subj, attr, value), say(b, subj, attr, other)
        yield "negated", 0, say(a, subj, attr, value), say(NEGATED, subj, attr, value)
        s2, attr2, value2, _ = rng.choice([f for f in FACTS if f[0] != subj])
        yield "other question", 0, say(a, subj, attr, value), say(a, s2, attr2, value2)
    for name, arguments, other in TOOLS:
        yield "tool call, arguments reordered", 1, tool(name, arguments), tool(name, arguments, shuffled=True)
        yield "tool call, other arguments", 0, tool(name, arguments), tool(name, other)
        yield "tool call, other tool", 0, tool(name, arguments), tool("web_search", arguments)


def main():
    rng = random.Random(16)
    for kind, label, served, fresh in pairs(rng):
        print(f"{kind}\t{label}\t{served}\t{fresh}")


if __name__ == "__main__":
    main()
