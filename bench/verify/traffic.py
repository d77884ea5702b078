#!/usr/bin/env python3
"""Zipf traffic over paraphrase classes, sent to two sidecars at once (the same request sequence):
one with verification, one with the default rule. The mock upstream answers every prompt of a class
with that class's answer, so a semantic hit that served another class's answer is a wrong hit.

Prints, every --every requests, each sidecar's hit rate, semantic hits and wrong semantic hits in
that stretch; at the end the second half's figures and the upstream calls each sidecar made.

usage: traffic.py CLASSES_JSONL VERIFIED_URL DEFAULT_URL [--requests N] [--zipf S] [--seed N]
"""
import argparse
import http.client
import json
import random
import threading
import urllib.parse


def load(path):
    by_class = {}
    for line in open(path):
        item = json.loads(line)
        by_class.setdefault(str(item["class"]), []).append(item["text"])
    return by_class


def sequence(by_class, count, zipf, seed):
    rng = random.Random(seed)
    classes = sorted(by_class)
    rng.shuffle(classes)
    weights = [1 / (rank + 1) ** zipf for rank in range(len(classes))]
    picked = rng.choices(classes, weights=weights, k=count)
    return [(cls, rng.choice(by_class[cls])) for cls in picked]


class Sidecar:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.outcomes = []  # (x-semcache, wrong)
        self.similarities = []  # (similarity, wrong) of semantic hits

    def ask(self, cls, text):
        body = json.dumps({"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": text}]})
        self.connection.request("POST", "/v1/chat/completions", body=body,
                                headers={"content-type": "application/json", "authorization": "Bearer sk-bench"})
        response = self.connection.getresponse()
        data = json.loads(response.read())
        outcome = response.getheader("x-semcache", "")
        answer = data["choices"][0]["message"]["content"]
        wrong = f"question class {cls}:" not in answer
        self.outcomes.append((outcome, wrong))
        if outcome == "hit-semantic":
            self.similarities.append((float(response.getheader("x-semcache-similarity", "0")), wrong))

    def run(self, requests):
        for cls, text in requests:
            self.ask(cls, text)

    def stats(self):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection.request("GET", "/_semcache/stats?since=1h")
        return json.loads(connection.getresponse().read())


def summary(outcomes):
    hits = sum(1 for o, _ in outcomes if o.startswith("hit"))
    semantic = [wrong for o, wrong in outcomes if o == "hit-semantic"]
    return {"requests": len(outcomes), "hit_rate": hits / max(1, len(outcomes)), "semantic": len(semantic), "wrong": sum(semantic)}


def row(label, s):
    per_thousand = 1000 * s["wrong"] / max(1, s["requests"])
    share = s["wrong"] / s["semantic"] if s["semantic"] else 0
    return (f"{label:>9}: hit rate {100 * s['hit_rate']:5.1f}%  semantic hits {s['semantic']:4d}  "
            f"wrong {s['wrong']:3d} ({100 * share:4.1f}% of semantic, {per_thousand:4.1f} per 1,000 requests)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("classes")
    parser.add_argument("verified")
    parser.add_argument("default")
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--zipf", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--every", type=int, default=1000)
    args = parser.parse_args()
    requests = sequence(load(args.classes), args.requests, args.zipf, args.seed)
    print(f"{args.requests} requests, Zipf s={args.zipf} over classes, seed {args.seed}", flush=True)
    verified, default = Sidecar(args.verified), Sidecar(args.default)
    for start in range(0, len(requests), args.every):
        stretch = requests[start:start + args.every]
        threads = [threading.Thread(target=s.run, args=(stretch,)) for s in (verified, default)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        thresholds = verified.stats()["verification"].get("thresholds") or []
        learnt = "none yet" if not thresholds else "none served" if thresholds[0]["threshold"] is None else f"{thresholds[0]['threshold']:.2f}"
        print(f"requests {start + 1}-{start + len(stretch)} (verified: learnt threshold {learnt})", flush=True)
        print(row("verified", summary(verified.outcomes[start:])), flush=True)
        print(row("default", summary(default.outcomes[start:])), flush=True)
    half = len(requests) // 2
    print("second half:")
    for label, sidecar in (("verified", verified), ("default", default)):
        print(row(label, summary(sidecar.outcomes[half:])))
    print("default rule's semantic hits by cosine similarity:")
    bands = [(0.83, 0.90), (0.90, 0.95), (0.95, 0.98), (0.98, 1.01)]
    print("  " + " · ".join(
        f"{low:.2f}–{min(high, 1):.2f}: {sum(w for x, w in default.similarities if low <= x < high)} wrong of "
        f"{sum(1 for x, _ in default.similarities if low <= x < high)}" for low, high in bands))
    print("whole run:")
    for label, sidecar in (("verified", verified), ("default", default)):
        stats = sidecar.stats()
        v = stats["verification"]
        calls = stats["requests"]["miss"] + v["upstream_calls"]
        print(row(label, summary(sidecar.outcomes)))
        print(f"{'':>9}  upstream calls {calls} ({stats['requests']['miss']} misses + {v['upstream_calls']} verification calls, "
              f"{v['over_budget']} over budget); verdicts: {v['semantic_hits']['checked']} hits ({v['semantic_hits']['wrong']} wrong), "
              f"{v['near_misses']['checked']} near misses ({v['near_misses']['wrong']} wrong)")


if __name__ == "__main__":
    main()
