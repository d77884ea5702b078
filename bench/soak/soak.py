#!/usr/bin/env python3
"""Soak load for semcache: mixed traffic against the sidecar (in front of the mock upstream).

Standard library only. Every response is classified as `ok`, an `injected` fault behaving as
injected (the mock's 500/429, a dropped connection, a stream cut mid-way), or a `sidecar` error:
anything else (a wrong status, a broken connection on a request without a fault, a hit whose body
answers another question). Samples the sidecar's RSS every 10 s from /proc.
"""
import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict

QUESTIONS = [f"Soak question {i}: what is fact number {i} about {topic}?"
             for i, topic in enumerate(["otters", "rivers", "compilers", "bread", "comets", "violins", "glaciers", "tea"] * 40)]
PARAPHRASE = ("How do I reverse a list in Python?", "How can I reverse a list in Python?")


def chat(text, stream=False, temperature=0):
    return json.dumps({"model": "gpt-4o-mini", "temperature": temperature, "stream": stream,
                       "messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": text}]})


# scenario -> (weight, builder). A builder returns (method, path, body, headers, expectation).
# The templated questions differ only in a number, which the interim hit rule (a bare cosine
# threshold) cannot tell apart: unless --semantic-everywhere, they use X-Semcache-Mode: exact, and
# semantic lookup is exercised by the paraphrase scenario.
def scenarios(rng, unique, semantic_everywhere):
    hot = lambda: rng.choice(QUESTIONS[:200])
    exact = {} if semantic_everywhere else {"x-semcache-mode": "exact"}
    return [
        ("hit", 40, lambda: ("POST", "/v1/chat/completions", chat(hot()), exact, "answer")),
        ("stream-hit", 15, lambda: ("POST", "/v1/chat/completions", chat(hot(), stream=True), exact, "stream")),
        ("miss", 10, lambda: ("POST", "/v1/chat/completions", chat(f"unique {next(unique)} {rng.random()}"), exact, "answer")),
        ("stream-miss", 5, lambda: ("POST", "/v1/chat/completions", chat(f"unique stream {next(unique)}", stream=True), exact, "stream")),
        ("semantic", 5, lambda: ("POST", "/v1/chat/completions", chat(rng.choice(PARAPHRASE)), {}, "paraphrase")),
        ("embeddings", 5, lambda: ("POST", "/v1/embeddings", json.dumps({"model": "m", "input": hot()}), {}, "json")),
        ("nondeterministic", 3, lambda: ("POST", "/v1/chat/completions", chat(hot(), temperature=0.7), {}, "answer")),
        ("pass-through", 3, lambda: ("GET", "/v1/files/binary", None, {}, "status200")),
        ("fault-500", 4, lambda: ("POST", "/v1/chat/completions", chat(f"f500 {next(unique)}"), {"x-mock-fault": "500"}, "status500")),
        ("fault-429", 4, lambda: ("POST", "/v1/chat/completions", chat(f"f429 {next(unique)}"), {"x-mock-fault": "429"}, "status429")),
        ("fault-drop", 2, lambda: ("POST", "/v1/chat/completions", chat(f"drop {next(unique)}"), {"x-mock-fault": "drop"}, "status502")),
        ("fault-mid-stream", 2, lambda: ("POST", "/v1/chat/completions", chat(f"cut {next(unique)}", stream=True), {"x-mock-fault": "drop-mid-stream"}, "truncated")),
        ("slow", 2, lambda: ("POST", "/v1/chat/completions", chat(f"slow {next(unique)}"), dict(exact, **{"x-mock-latency-ms": "300"}), "answer")),
    ]


class Counterish:
    def __init__(self):
        self.lock = threading.Lock()
        self.value = 0

    def __iter__(self):
        return self

    def __next__(self):
        with self.lock:
            self.value += 1
            return self.value


def question_of(body):
    messages = json.loads(body)["messages"]
    return messages[-1]["content"]


def stream_text(data):
    """The text of an OpenAI chat stream: its content deltas joined."""
    parts = []
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("data: {"):
            for choice in json.loads(line[6:]).get("choices", []):
                parts.append(choice.get("delta", {}).get("content") or "")
    return "".join(parts)


def classify(expectation, body, status, data, error):
    """Returns ("ok" | "injected" | "sidecar", detail)."""
    if expectation == "truncated":
        if error is not None or (status == 200 and b"[DONE]" not in data):
            return "injected", "stream cut"
        return "sidecar", f"cut stream arrived whole (status {status})"
    if error is not None:
        return "sidecar", f"{type(error).__name__}: {error}"
    if expectation.startswith("status"):
        wanted = int(expectation[6:])
        if status == wanted:
            return ("ok" if wanted == 200 else "injected"), f"status {status}"
        return "sidecar", f"status {status}, wanted {wanted}"
    if status != 200:
        return "sidecar", f"status {status}"
    text = data.decode("utf-8", "replace")
    if expectation == "answer" and ("Mock answer to: " + question_of(body).rstrip("?")) not in text:
        return "sidecar", "answer to another question"
    if expectation == "stream" and (not text.rstrip().endswith("data: [DONE]") or question_of(body).rstrip("?") not in stream_text(data)):
        return "sidecar", "stream incomplete or for another question"
    if expectation == "paraphrase" and "reverse a list in Python" not in text:
        return "sidecar", "paraphrase answered with another question"
    return "ok", "ok"


def worker(host, port, deadline, seed, unique, results, lock, semantic_everywhere):
    rng = random.Random(seed)
    table = scenarios(rng, unique, semantic_everywhere)
    names = [s[0] for s in table]
    weights = [s[1] for s in table]
    builders = {s[0]: s[2] for s in table}
    connection = None
    while time.time() < deadline:
        name = rng.choices(names, weights)[0]
        method, path, body, headers, expectation = builders[name]()
        headers = dict(headers, **{"content-type": "application/json", "authorization": "Bearer sk-soak"})
        status, data, error, cache = 0, b"", None, ""
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, port, timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            status, cache = response.status, response.getheader("x-semcache", "")
            data = response.read()
            if response.will_close:
                connection.close()
                connection = None
        except Exception as exc:  # noqa: BLE001 - every failure is classified below
            error = exc
            if connection is not None:
                connection.close()
            connection = None
        elapsed = time.perf_counter() - started
        verdict, detail = classify(expectation, body, status, data, error)
        with lock:
            results["count"][name] += 1
            results["verdict"][verdict] += 1
            results["cache"][cache or "-"] += 1
            if verdict == "sidecar":
                results["sidecar_errors"][f"{name}: {detail}"] += 1
            if verdict == "ok":
                results["latency"][name].append(elapsed)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the sidecar's pid, for RSS samples")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=60, help="seconds before the RSS baseline")
    parser.add_argument("--json", required=True, help="where to write the raw summary")
    parser.add_argument("--semantic-everywhere", action="store_true",
                        help="let the templated questions use semantic lookup too (measures the hit rule's wrong hits)")
    args = parser.parse_args()

    results = {"count": Counter(), "verdict": Counter(), "cache": Counter(), "sidecar_errors": Counter(), "latency": defaultdict(list)}
    lock = threading.Lock()
    unique = Counterish()
    started = time.time()
    deadline = started + args.seconds
    threads = [threading.Thread(target=worker, args=("127.0.0.1", args.port, deadline, 1000 + i, unique, results, lock, args.semantic_everywhere), daemon=True)
               for i in range(args.workers)]
    for thread in threads:
        thread.start()
    samples = [(0.0, rss_kib(args.pid))]
    while time.time() < deadline:
        time.sleep(min(10, max(0.1, deadline - time.time())))
        samples.append((round(time.time() - started, 1), rss_kib(args.pid)))
        with lock:
            done = sum(results["count"].values())
        print(f"  t={samples[-1][0]:6.0f}s requests={done} rss={samples[-1][1] / 1024:.1f} MiB", file=sys.stderr, flush=True)
    for thread in threads:
        thread.join(timeout=60)

    elapsed = time.time() - started
    after_warmup = [kib for t, kib in samples if t >= args.warmup] or [samples[-1][1]]
    summary = {
        "seconds": round(elapsed, 1),
        "semantic_everywhere": args.semantic_everywhere,
        "workers": args.workers,
        "requests": sum(results["count"].values()),
        "requests_per_second": round(sum(results["count"].values()) / elapsed, 1),
        "by_scenario": dict(results["count"]),
        "verdicts": dict(results["verdict"]),
        "x_semcache": dict(results["cache"]),
        "sidecar_errors": dict(results["sidecar_errors"]),
        "latency_ms": {name: {"p50": round(percentile(v, 0.5) * 1000, 2), "p99": round(percentile(v, 0.99) * 1000, 2)}
                       for name, v in sorted(results["latency"].items())},
        "rss_samples_kib": samples,
        "rss_after_warmup_kib": {"first": after_warmup[0], "min": min(after_warmup), "max": max(after_warmup), "last": after_warmup[-1]},
    }
    with open(args.json, "w") as out:
        json.dump(summary, out, indent=1)
    print(json.dumps({k: summary[k] for k in ("requests", "requests_per_second", "verdicts", "sidecar_errors", "rss_after_warmup_kib")}, indent=1))
    return 0 if not results["sidecar_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
