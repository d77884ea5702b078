#!/usr/bin/env python3
"""Paraphrase classes from the duplicate labels of ../shared/eval/qqp_val.csv: union-find over the
pairs labelled duplicate; every other question is a class of its own. Writes JSON lines
{"text", "class"} (semcache-mock-upstream --classes) to stdout and a summary to stderr.

usage: bench/verify/classes.py [QQP_CSV] > classes.jsonl
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "quality"))
import evaldata  # noqa: E402


def classes(pairs):
    parent = {}

    def find(text):
        parent.setdefault(text, text)
        while parent[text] != text:
            parent[text] = parent[parent[text]]
            text = parent[text]
        return text

    for a, b, label in pairs:
        ra, rb = find(a.strip()), find(b.strip())
        if label == 1 and ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = {}
    return {text: roots.setdefault(find(text), len(roots)) for text in sorted(parent)}


def main():
    pairs = evaldata.read("qqp", sys.argv[1] if len(sys.argv) > 1 else None)
    by_text = classes((a, b, l) for a, b, l in pairs if a.strip() and b.strip())
    for text, cls in by_text.items():
        print(json.dumps({"text": text, "class": cls}, ensure_ascii=False))
    sizes = {}
    for cls in by_text.values():
        sizes[cls] = sizes.get(cls, 0) + 1
    multi = sum(1 for s in sizes.values() if s > 1)
    print(f"{len(by_text)} questions in {len(sizes)} classes ({multi} with paraphrases, largest {max(sizes.values())})", file=sys.stderr)


if __name__ == "__main__":
    main()
