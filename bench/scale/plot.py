#!/usr/bin/env python3
"""Plots bench/results/scale.tsv (entries, seconds until the port answers, RSS KiB, db bytes,
lookup p50/p99 ms, outcome, seconds until the index is loaded) as cost against entries: memory,
start-up time and lookup time, on a log axis of entries."""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main():
    source, target, mode = sys.argv[1:4]
    rows = [line.split("\t") for line in open(source) if line.strip()]
    rows = [r for r in rows if int(r[0]) > 0]
    entries = [int(r[0]) for r in rows]
    figure, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    panels = [
        ("memory, MiB", "resident after start-up", [int(r[2]) / 1024 for r in rows], [int(r[3]) / 2**20 for r in rows], "SQLite file"),
        ("start-up, s", "index loaded", [float(r[7]) for r in rows], [float(r[1]) for r in rows], "port answers"),
        (f"{mode}, ms", "p50", [float(r[4]) for r in rows], [float(r[5]) for r in rows], "p99"),
    ]
    for axis, (title, label, values, second, second_label) in zip(axes, panels):
        axis.plot(entries, values, marker="o", label=label)
        if second:
            axis.plot(entries, second, marker="s", linestyle="--", label=second_label)
            axis.legend(fontsize=8)
        axis.set_xscale("log")
        axis.set_xlabel("entries")
        axis.set_title(title, fontsize=10)
        axis.grid(True, which="both", alpha=0.3)
    figure.suptitle("semcache: cost against stored entries (bench/scale/run.sh)", fontsize=11)
    figure.tight_layout()
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    main()
