"""FAISS IndexFlatIP and sqlite-vec (vec0 KNN) over the vectors generate.py wrote.

Prints one JSON object per (implementation, size, threads) line: p50/p99 of one k=10 query, in ms.
"""
import argparse
import json
import os
import pathlib
import time

import apsw
import faiss
import numpy as np
import sqlite_vec

K = 10
# sqlite-vec takes seconds per query at 1M rows: time the first 50 queries only.
SQLITE_VEC_QUERIES = 50


def percentiles(samples_ns: list[int]) -> dict:
    ms = np.array(samples_ns, dtype=np.float64) / 1e6
    return {"p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99))}


def bench_faiss(vectors: np.ndarray, queries: np.ndarray, size: int, threads: int) -> dict:
    faiss.omp_set_num_threads(threads)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors[:size]))
    for query in queries[:5]:
        index.search(query[None, :], K)
    samples = []
    for query in queries:
        start = time.perf_counter_ns()
        index.search(query[None, :], K)
        samples.append(time.perf_counter_ns() - start)
    return {"impl": "faiss", "size": size, "threads": threads, **percentiles(samples)}


def vec0_database(directory: pathlib.Path, vectors: np.ndarray, size: int) -> apsw.Connection:
    """A vec0 table holding the first `size` vectors, built once and kept next to the data."""
    path = directory / f"sqlite-vec-{size}.db"
    fresh = not path.exists()
    db = apsw.Connection(str(path))
    db.enable_load_extension(True)
    db.load_extension(sqlite_vec.loadable_path())
    if fresh:
        dim = vectors.shape[1]
        with db:
            db.execute(f"CREATE VIRTUAL TABLE items USING vec0(embedding float[{dim}])")
            db.executemany(
                "INSERT INTO items(rowid, embedding) VALUES (?, ?)",
                ((row + 1, vectors[row].tobytes()) for row in range(size)),
            )
    return db


def bench_sqlite_vec(directory: pathlib.Path, vectors: np.ndarray, queries: np.ndarray, size: int) -> dict:
    db = vec0_database(directory, vectors, size)
    # The documented KNN query; vectors are unit length, so L2 order is cosine order.
    sql = "SELECT rowid, distance FROM items WHERE embedding MATCH ? AND k = ?"
    for query in queries[:2]:
        db.execute(sql, (query.tobytes(), K)).fetchall()
    samples = []
    for query in queries[:SQLITE_VEC_QUERIES]:
        start = time.perf_counter_ns()
        rows = db.execute(sql, (query.tobytes(), K)).fetchall()
        samples.append(time.perf_counter_ns() - start)
        assert len(rows) == K
    return {"impl": "sqlite-vec", "size": size, "threads": 1, **percentiles(samples)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=pathlib.Path, required=True)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--only", choices=["faiss", "sqlite-vec"], help="run one baseline only")
    args = parser.parse_args()
    vectors = np.fromfile(args.dir / "vectors.f32", dtype="<f4").reshape(-1, args.dim)
    queries = np.fromfile(args.dir / "queries.f32", dtype="<f4").reshape(-1, args.dim)
    for size in map(int, args.sizes.split(",")):
        if args.only != "sqlite-vec":
            for threads in map(int, args.threads.split(",")):
                print(json.dumps(bench_faiss(vectors, queries, size, threads)), flush=True)
        if args.only != "faiss":
            print(json.dumps(bench_sqlite_vec(args.dir, vectors, queries, size)), flush=True)


if __name__ == "__main__":
    main()
