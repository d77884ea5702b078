"""Pairwise and cache-style precision / recall / false-hit rate (definitions in ../shared/eval/README.md)."""
import numpy as np


def pairwise(labels, accepted):
    labels = np.asarray(labels, bool)
    accepted = np.asarray(accepted, bool)
    tp = int((accepted & labels).sum())
    fp = int((accepted & ~labels).sum())
    pos, neg = int(labels.sum()), int((~labels).sum())
    return {
        "hits": tp + fp, "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / pos if pos else float("nan"), "fhr": fp / neg if neg else float("nan"),
        "wrong": fp,
    }


class CacheStyle:
    """The first side of every pair goes into the cache; each second side is a query whose nearest
    cached entry is the candidate. A hit is right only if that entry is a labelled paraphrase of it."""

    def __init__(self, pairs, vectors):
        stored = list(dict.fromkeys(a for a, _, _ in pairs))
        index = {t: i for i, t in enumerate(stored)}
        matrix = np.stack([vectors[t] for t in stored])
        self.partners = {}
        for a, b, label in pairs:
            if label:
                self.partners.setdefault(b, set()).add(a)
        queries = list(dict.fromkeys(b for _, b, _ in pairs))
        qmat = np.stack([vectors[t] for t in queries])
        sims = qmat @ matrix.T
        best = sims.argmax(1)
        self.queries = queries
        self.candidates = [stored[i] for i in best]
        self.cosines = sims[np.arange(len(queries)), best]
        self.positives = sum(1 for q in queries if q in self.partners)
        self.index = index

    def score(self, accepted):
        right = wrong = 0
        for q, c, ok in zip(self.queries, self.candidates, accepted):
            if not ok:
                continue
            if c in self.partners.get(q, ()):
                right += 1
            else:
                wrong += 1
        n = len(self.queries)
        return {
            "hits": right + wrong, "precision": right / (right + wrong) if right + wrong else float("nan"),
            "recall": right / self.positives if self.positives else float("nan"),
            "fhr": wrong / n if n else float("nan"), "wrong": wrong,
        }
