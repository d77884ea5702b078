#!/usr/bin/env python3
"""Grows a semcache database to --total entries by cloning its newest entry (one semcache stored
itself, so every column the running version needs is filled in) under new random keys, with a new
prompt and, when the entry has an embedding, a random unit vector of the same dimension. All clones
share the entry's context, so a semantic lookup in it scores every one of them (the worst case).
The schema is read from the file, not assumed."""
import argparse
import os
import sqlite3
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--total", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    db = sqlite3.connect(args.db)
    columns = [row[1] for row in db.execute("PRAGMA table_info(entries)")]
    template = db.execute(f"SELECT {', '.join(columns)} FROM entries ORDER BY id DESC LIMIT 1").fetchone()
    if template is None:
        raise SystemExit("populate.py: the database has no entry to clone; post one request through semcache first")
    template = dict(zip(columns, template))
    existing = db.execute("SELECT count(*) FROM entries").fetchone()[0]
    missing = args.total - existing
    if missing <= 0:
        return
    vector = template.get("embedding")
    dimension = len(vector) // 4 if vector else 0
    rng = np.random.default_rng(args.seed + existing)
    now = time.time()
    copied = [c for c in columns if c not in ("id", "key", "prompt", "embedding", "hits", "last_hit_at", "created_at", "expires_at")]
    names = copied + ["key", "prompt", "embedding", "created_at", "expires_at"]
    sql = f"INSERT INTO entries ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    fixed = [template[c] for c in copied]
    batch = 20000
    db.execute("BEGIN")
    for start in range(0, missing, batch):
        count = min(batch, missing - start)
        vectors = None
        if dimension:
            vectors = rng.standard_normal((count, dimension), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors.astype("<f4")
        rows = []
        for i in range(count):
            n = existing + start + i
            embedding = vectors[i].tobytes() if vectors is not None else None
            rows.append(fixed + [os.urandom(32), f"synthetic entry {n}: a question nobody asked", embedding, now, now + 30 * 86400])
        db.executemany(sql, rows)
    db.execute("COMMIT")
    db.close()


if __name__ == "__main__":
    main()
