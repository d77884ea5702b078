"""Writes the benchmark's vectors once, so every implementation searches the same data.

vectors.f32: N x DIM little-endian float32, row-major, each row L2-normalised (seed 42).
queries.f32: Q x DIM, same format (seed 43).
"""
import argparse
import pathlib

import numpy as np


def write(path: pathlib.Path, rows: int, dim: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    with path.open("wb") as out:
        for start in range(0, rows, 100_000):
            block = rng.standard_normal((min(100_000, rows - start), dim), dtype=np.float32)
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            out.write(block.astype("<f4").tobytes())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=pathlib.Path, required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--dim", type=int, default=384)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    write(args.dir / "vectors.f32", args.rows, args.dim, 42)
    write(args.dir / "queries.f32", args.queries, args.dim, 43)


if __name__ == "__main__":
    main()
