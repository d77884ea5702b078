"""Traffic for bench/fleet/run.sh: Zipf questions round-robin over a set of sidecars (hit rate,
miss write throughput), and propagation delay through the shared store (p50/p99)."""
import argparse
import http.client
import json
import random
import statistics
import time
import urllib.parse


def ask(base, text, headers=None):
    url = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    body = json.dumps({"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": text}]})
    connection.request("POST", "/v1/chat/completions", body,
                       {"content-type": "application/json", "authorization": "Bearer sk-bench", **(headers or {})})
    response = connection.getresponse()
    response.read()
    outcome = response.getheader("x-semcache") or ""
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{base}: HTTP {response.status}")
    return outcome


def zipf_traffic(sidecars, requests, questions, seed):
    rng = random.Random(seed)
    weights = [1 / rank for rank in range(1, questions + 1)]
    picks = rng.choices(range(questions), weights=weights, k=requests)
    hits = misses = 0
    miss_seconds = 0.0
    for index, question in enumerate(picks):
        started = time.perf_counter()
        outcome = ask(sidecars[index % len(sidecars)], f"zipf question {seed} {question}")
        if outcome.startswith("hit"):
            hits += 1
        else:
            misses += 1
            miss_seconds += time.perf_counter() - started
    return hits / requests, misses, misses / miss_seconds if miss_seconds else 0.0


def propagation(sidecars, samples):
    """Store through one sidecar, then ask the next (no-store, so a miss changes nothing) until it hits."""
    delays = []
    for sample in range(samples):
        writer, reader = sidecars[sample % len(sidecars)], sidecars[(sample + 1) % len(sidecars)]
        text = f"propagation sample {sample} {random.random()}"
        ask(writer, text)
        stored = time.perf_counter()
        while ask(reader, text, {"cache-control": "no-store"}) != "hit-exact":
            if time.perf_counter() - stored > 10:
                raise RuntimeError("no propagation within 10 s")
            time.sleep(0.002)
        delays.append((time.perf_counter() - stored) * 1000)
    delays.sort()
    return statistics.median(delays), delays[int(len(delays) * 0.99) - 1], delays[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", required=True)
    parser.add_argument("--isolated", required=True)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=200)
    arguments = parser.parse_args()
    shared, isolated = arguments.shared.split(","), arguments.isolated.split(",")
    for name, sidecars in (("3 sidecars on one PostgreSQL", shared), ("3 isolated SQLite sidecars", isolated)):
        rate, misses, throughput = zipf_traffic(sidecars, arguments.requests, arguments.questions, seed=7)
        print(f"{name}: hit rate {rate:.1%} over {arguments.requests} Zipf requests round-robin "
              f"({arguments.questions} questions); {misses} misses stored, {throughput:.0f} misses/s (one client)")
    p50, p99, worst = propagation(shared, arguments.samples)
    print(f"propagation through PostgreSQL ({arguments.samples} samples): p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms")


if __name__ == "__main__":
    main()
