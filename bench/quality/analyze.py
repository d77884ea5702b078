"""Feature table for every eval pair, cached in .cache/features.pkl; helpers for fit.py.

Each pair lands in the fit split or the held-out split by a hash of its texts (half each),
so the split is stable across runs and independent of file order; the hand-written probe set is its
own split, "probe". (a, b) is (stored, query).
"""
import os
import pickle

import numpy as np

import embed
import evaldata
import hitrule

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "features.pkl")


def split_of(stored, query):
    """FNV-1a 64 over UTF-8(stored) + 0 + UTF-8(query): even -> fit, odd -> held (PairSplit.swift)."""
    h = 0xcbf29ce484222325
    for byte in stored.encode() + b"\x00" + query.encode():
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "fit" if h % 2 == 0 else "held"


def build():
    inputs = [hitrule.__file__, embed.CACHE if os.path.exists(embed.CACHE) else embed.BIN]
    if os.path.exists(CACHE) and all(os.path.getmtime(CACHE) > os.path.getmtime(p) for p in inputs):
        return pickle.load(open(CACHE, "rb"))
    vectors = embed.load()
    table = {}
    for fmt in evaldata.FILES:
        rows = []
        for a, b, label in evaldata.read(fmt):
            if a not in vectors or b not in vectors:
                continue  # embed.py has not reached this pair yet
            cos = float(np.dot(vectors[a], vectors[b]))
            rows.append({"a": a, "b": b, "label": label, "cos": cos, "split": "probe" if fmt == "probe" else split_of(a, b),
                         "f": hitrule.features(b, a)})
        table[fmt] = rows
    pickle.dump(table, open(CACHE, "wb"))
    return table


if __name__ == "__main__":
    t = build()
    for fmt, rows in t.items():
        print(fmt, len(rows))
