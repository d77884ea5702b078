"""Fits the hit rule's soft penalties on the fit half of the eval pairs and reports every file,
pairwise and cache-style, on the fit half and the held-out half.

    bench/.venv/bin/python bench/quality/fit.py [--report-only]

The rule (hitrule.py / HitRule.swift):
  1. hard vetoes (never a hit): follow-up query, numbers differ, negation differs, antonym swap;
  2. score = cosine - sum(penalty_i * feature_i)   (a cosine corrected for what cosine misses);
  3. hit iff score >= threshold.
The penalties come from a logistic regression on pairs that pass the vetoes and have
cosine >= GATE: logit = w0 + w_cos*cos + sum(w_i f_i), so penalty_i = -w_i / w_cos and the
threshold t corresponds to the probability sigmoid(w0 + w_cos*t).
"""
import argparse
import math

import numpy as np

import analyze
import hitrule
import metrics

GATE = 0.70
SOFT = ["unmatched", "rare_sub"]
FIT_FILES = ["llm", "qqp"]  # prompts labelled as same/different question; gptcache (statements, all paraphrases) and paws (Wikipedia sentences) would confound the fit


def soft_vector(f):
    return [f[k] for k in SOFT]


def fit_logistic(X, y, w, l2=1e-3, iters=50):
    """Weighted logistic regression by Newton's method (IRLS); X has a leading column of ones."""
    beta = np.zeros(X.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X @ beta))
        g = X.T @ (w * (y - p)) - l2 * beta
        H = (X * (w * p * (1 - p))[:, None]).T @ X + l2 * np.eye(X.shape[1])
        step = np.linalg.solve(H, g)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def fit(table):
    rows, ys, ws = [], [], []
    for fmt in FIT_FILES:
        sel = [r for r in table[fmt] if r["split"] == "fit" and r["cos"] >= GATE and not hitrule.vetoed(r["f"])]
        if not sel:
            continue
        for r in sel:
            rows.append([1.0, r["cos"]] + soft_vector(r["f"]))
            ys.append(r["label"])
            ws.append(1.0 / len(sel))  # every file weighs the same, however many pairs it has
    X, y, w = np.array(rows), np.array(ys, float), np.array(ws)
    w *= len(w) / w.sum()
    beta = fit_logistic(X, y, w)
    w0, wc = beta[0], beta[1]
    penalties = {k: -beta[2 + i] / wc for i, k in enumerate(SOFT)}
    return w0, wc, penalties


def veto_table(table, floor=0.80):
    """How often each veto fires on pairs with cosine >= floor: on paraphrases (lost recall) and
    on non-paraphrases (wrong hits avoided)."""
    print(f"vetoes on pairs with cosine >= {floor}: fired on paraphrases / non-paraphrases")
    for fmt, rows in table.items():
        counts = {}
        for r in rows:
            if r["cos"] >= floor:
                v = hitrule.vetoed(r["f"])
                key = v.split(":")[0] if v else "none"
                c = counts.setdefault(key, [0, 0])
                c[0 if r["label"] else 1] += 1
        print(f"  {fmt:9}", "  ".join(f"{k}: {p}/{n}" for k, (p, n) in sorted(counts.items())))


def probability(w0, wc, t):
    return 1 / (1 + math.exp(-(w0 + wc * t)))


def report(table, rule, vectors, splits=("fit", "held")):
    bare = [0.80, 0.85, 0.90, 0.95]
    print(f"{'file':9} {'split':5} {'rule':12} | {'pairwise: prec':>14} {'recall':>6} {'fhr':>6} {'hits':>5} |"
          f" {'cache: prec':>11} {'recall':>6} {'fhr':>6} {'hits':>5}")
    for fmt, rows in table.items():
        for split in splits:
            sel = [r for r in rows if r["split"] == split]
            pairs = [(r["a"], r["b"], r["label"]) for r in sel]
            if not pairs:
                continue
            cs = metrics.CacheStyle(pairs, vectors)
            rules = [("hit rule", lambda q, c, cos, f=None: rule(q, c, cos, f))] + \
                    [(f"cos>={t:.2f}", (lambda t: lambda q, c, cos, f=None: cos >= t)(t)) for t in bare]
            for name, fn in rules:
                pw = metrics.pairwise([r["label"] for r in sel], [fn(r["b"], r["a"], r["cos"], r["f"]) for r in sel])
                cm = cs.score([fn(q, c, cos) for q, c, cos in zip(cs.queries, cs.candidates, cs.cosines)])
                print(f"{fmt:9} {split:5} {name:12} | {pw['precision']:14.3f} {pw['recall']:6.3f} {pw['fhr']:6.3f}"
                      f" {pw['hits']:5d} | {cm['precision']:11.3f} {cm['recall']:6.3f} {cm['fhr']:6.3f} {cm['hits']:5d}")
        print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()
    table = analyze.build()
    veto_table(table)
    w0, wc, penalties = fit(table)
    print(f"logit = {w0:.3f} + {wc:.3f}*cos " + " ".join(f"- {wc * p:.3f}*{k}" for k, p in penalties.items()))
    print("penalties (cosine units):", {k: round(v, 4) for k, v in penalties.items()})
    print("shipped penalties:       ", hitrule.PENALTIES, "threshold", hitrule.THRESHOLD)
    for t in [0.80, 0.82, 0.84, 0.86, 0.88, 0.90]:
        print(f"  threshold {t:.2f} <-> P(right | features) = {probability(w0, wc, t):.3f}")
    t = args.threshold or hitrule.THRESHOLD
    vectors = analyze.embed.load()
    report(table, lambda q, c, cos, f=None: hitrule.decide(q, c, cos, t, f)[0], vectors)


if __name__ == "__main__":
    main()
