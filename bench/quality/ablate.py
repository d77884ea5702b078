"""What each part of the hit rule contributes, on the fit half, the held-out half and the probe set.

    bench/.venv/bin/python bench/quality/ablate.py [--threshold T]

For every veto and penalty, the rule is run once with that part switched off; the table shows, per
file and split, how many wrong hits the part prevents (per 100 non-paraphrase pairs: false-hit rate
points) and how many right hits it costs (per 100 paraphrase pairs: recall points). A part whose
benefit on the fit half does not carry over to the held-out half and the probe set was fitted to
the data it was built from. Vectors as in fit.py (.cache/embeddings.bin from `semcache-quality
--save-embeddings`).
"""
import argparse

import analyze
import hitrule
import metrics

# Each part of the rule and how to switch it off in a feature dict.
PARTS = {
    "followup": lambda f: f.update(followup=False),
    "numbers": lambda f: f.update(numbers=None),
    "negation": lambda f: f.update(negation=False),
    "answer_types": lambda f: f.update(answer_types=None),
    "literals": lambda f: f.update(literals=None),
    "swap": lambda f: f.update(swap=None),
    "reordered": lambda f: f.update(order_breaks=0),
    "contrast": lambda f: f.update(contrast=None),
    "rare_sub": lambda f: f.update(rare_sub=0.0),
    "added": lambda f: f.update(added=0.0),
}
FILES = ["llm", "qqp", "paws", "gptcache", "followup", "stsb", "probe"]
SPLITS = ["fit", "held", "probe"]


def decisions(rows, threshold, off=None):
    out = []
    for r in rows:
        f = dict(r["f"])
        if off:
            PARTS[off](f)
        out.append(hitrule.decide(r["b"], r["a"], r["cos"], threshold, f)[0])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=hitrule.THRESHOLD)
    args = ap.parse_args()
    table = analyze.build()
    print(f"threshold {args.threshold}; each cell: false-hit rate points prevented / recall points lost "
          "(x 100) by the part, against the rule without it\n")
    groups = [(fmt, split) for fmt in FILES for split in SPLITS if any(r["split"] == split for r in table.get(fmt, []))]
    print(f"{'part':13}" + "".join(f"{fmt + ' ' + split:>17}" for fmt, split in groups))
    full = {}
    for fmt, split in groups:
        rows = [r for r in table[fmt] if r["split"] == split]
        full[(fmt, split)] = (rows, metrics.pairwise([r["label"] for r in rows], decisions(rows, args.threshold)))
    print(f"{'rule: fhr/rec':13}" + "".join(
        f"{100 * m['fhr']:8.1f}/{100 * m['recall']:<8.1f}" for _, m in full.values()))
    for part in PARTS:
        cells = []
        for key in groups:
            rows, m = full[key]
            w = metrics.pairwise([r["label"] for r in rows], decisions(rows, args.threshold, part))
            cells.append(f"{100 * (w['fhr'] - m['fhr']):8.1f}/{100 * (w['recall'] - m['recall']):<8.1f}")
        print(f"{part:13}" + "".join(cells))


if __name__ == "__main__":
    main()
