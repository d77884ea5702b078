"""Readers for the labelled pair files in ../shared/eval (see its README.md).

Every reader returns a list of (stored, query, label): `stored` is the text in the cache, `query`
the text sent (the first and second text of the file), label 1 when they ask the same thing (a
semantic hit would be right) and 0 when they do not. Same conventions as EvalFormat.swift.
"""
import csv
import json
import os

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EVAL_DIR = os.path.abspath(os.path.join(REPO, "..", "shared", "eval"))

FILES = {
    "llm": "llm_queries_pairs.csv",
    "qqp": "qqp_val.csv",
    "paws": "paws_dev.tsv",
    "gptcache": "gptcache_mock_pairs.json",
    "followup": "followup_queries.json",
    "stsb": "stsb_dev.tsv",
    "probe": os.path.join(REPO, "bench", "quality", "probe_pairs.tsv"),  # hand-written, never fitted on
}


def read(fmt, path=None):
    path = path or os.path.join(EVAL_DIR, FILES[fmt])
    if fmt == "llm":
        with open(path, newline="") as f:
            return [(r["sentence1"], r["sentence2"], int(r["label"])) for r in csv.DictReader(f)]
    if fmt == "qqp":
        with open(path, newline="") as f:
            return [(r["question1"], r["question2"], int(r["is_duplicate"])) for r in csv.DictReader(f)]
    if fmt == "paws":
        out = []
        with open(path) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) >= 4 and p[3] in ("0", "1"):
                    out.append((p[1], p[2], int(p[3])))
        return out
    if fmt == "probe":
        # category, label, stored, query; lines starting with # are its header.
        rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip() and not line.startswith("#")]
        return [(r[2], r[3], int(r[1])) for r in rows]
    if fmt == "gptcache":
        return [(d["origin"], d["similar"], 1) for d in json.load(open(path))]
    if fmt == "followup":
        # The main query is in the cache; the follow-up arrives as a new single-turn prompt: never a hit.
        return [(d["Main Query"], d["Follow-Up Query"], 0) for d in json.load(open(path))]
    if fmt == "stsb":
        out = []
        with open(path) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) >= 7:
                    # score >= 4: "mostly equivalent" on the STS scale; <= 2: clearly different.
                    s = float(p[4])
                    out.append((p[5], p[6], 1 if s >= 4.0 else 0, s))
        return [(a, b, l) for a, b, l, s in out]
    raise ValueError(fmt)
