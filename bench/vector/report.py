"""Reads the JSON lines of semcache-bench-vector and baselines.py and prints one Markdown table."""
import json
import sys


def main() -> None:
    rows = [json.loads(line) for path in sys.argv[1:] for line in open(path) if line.startswith("{")]
    # Several rounds may measure the same thing (the machine is shared): keep each one's best p50 round.
    search = {}
    for r in rows:
        if "p50_ms" in r and "threads" in r and r["impl"] in ("semcache", "faiss", "sqlite-vec"):
            key = (r["impl"], r["size"], r["threads"])
            if key not in search or r["p50_ms"] < search[key]["p50_ms"]:
                search[key] = r
    sizes = sorted({size for impl, size, _ in search if impl == "semcache"})
    threads = sorted({t for impl, _, t in search if impl == "semcache"})

    print("| rows | threads | semcache p50 / p99 ms | FAISS flat p50 / p99 ms | sqlite-vec p50 / p99 ms "
          "| semcache ÷ FAISS (p50) | sqlite-vec ÷ semcache (p50) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        for t in threads:
            ours = search.get(("semcache", size, t))
            faiss = search.get(("faiss", size, t))
            vec = search.get(("sqlite-vec", size, 1))  # sqlite-vec runs a query on one thread
            if not ours:
                continue
            cell = lambda r: f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f}" if r else "–"
            vs_faiss = f"{ours['p50_ms'] / faiss['p50_ms']:.2f}×" if faiss else "–"
            vs_vec = f"{vec['p50_ms'] / ours['p50_ms']:.1f}×" if vec else "–"
            print(f"| {size:,} | {t} | {cell(ours)} | {cell(faiss)} | {cell(vec)} | {vs_faiss} | {vs_vec} |")

    extras = [r for r in rows if r["impl"] not in ("semcache", "faiss", "sqlite-vec")]
    if extras:
        print()
        for r in extras:
            print("- " + r["impl"] + ": " + ", ".join(f"{k}={fmt(v)}" for k, v in r.items() if k != "impl"))


def fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
