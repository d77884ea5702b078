#!/usr/bin/env python3
"""Turns the result rows (TSV: section, metric, ours, baseline, ratio, target, result) into the
Markdown report: date, machine, command, one table, notes. Prints it and writes it to --out."""
import argparse
import datetime
import os
import platform
import subprocess


def machine():
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        total_kb = int(f.readline().split()[1])
    cores = os.cpu_count()
    load = os.getloadavg()
    return (f"{cores} cores (`nproc`), {cpu}, {total_kb / 1024 / 1024:.1f} GiB RAM, {platform.system()} {platform.release()}; "
            f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)")


def revision():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def number(text):
    try:
        value = float(text)
    except ValueError:
        return text
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rows")
    parser.add_argument("--out", required=True)
    parser.add_argument("--command", default="make bench")
    parser.add_argument("--notes", help="a Markdown file appended under the table")
    args = parser.parse_args()

    lines = [
        "# semcache benchmarks",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, commit {revision()}",
        f"- machine: {machine()}",
        f"- command: `{args.command}`",
        "",
        "| section | metric | semcache | baseline | ratio | target | result |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    with open(args.rows) as f:
        for raw in f:
            fields = raw.rstrip("\n").split("\t")
            if len(fields) != 7:
                continue
            section, metric, ours, base, ratio, target, result = fields
            lines.append(f"| {section} | {metric} | {number(ours)} | {number(base)} | {ratio} | {target} | {result} |")
    if args.notes and os.path.exists(args.notes):
        lines += ["", open(args.notes).read().rstrip()]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
