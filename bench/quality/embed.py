"""Embeds every text of the eval files with all-MiniLM-L6-v2 (mean pooling, L2 norm, 256 tokens)
and caches them (git-ignored) in bench/quality/.cache/embeddings.npz {texts, vectors} for the
Python analysis and in .cache/embeddings.bin for `semcache-quality --embeddings`.

Usage: bench/.venv/bin/python bench/quality/embed.py [--model-dir models/all-MiniLM-L6-v2]
"""
import argparse
import os
import struct

import numpy as np

import evaldata

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, ".cache", "embeddings.npz")
BIN = os.path.join(HERE, ".cache", "embeddings.bin")


class MiniLM:
    def __init__(self, model_dir):
        from transformers import BertModel, BertTokenizer
        self.tok = BertTokenizer(os.path.join(model_dir, "vocab.txt"), do_lower_case=True)
        self.model = BertModel.from_pretrained(model_dir, add_pooling_layer=False).eval()

    def embed(self, texts, batch=64, progress=False):
        """Embeds in batches of similar length (less padding), returns rows in input order."""
        import torch
        with torch.no_grad():
            return self._embed(texts, batch, progress, torch)

    def _embed(self, texts, batch, progress, torch):
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = []
        for i in range(0, len(texts), batch):
            if progress and i % (batch * 50) == 0:
                print(f"  {i}/{len(texts)}", flush=True)
            enc = self.tok([texts[j] for j in order[i:i + batch]], padding=True, truncation=True,
                           max_length=256, return_tensors="pt")
            h = self.model(**enc).last_hidden_state
            m = enc["attention_mask"].unsqueeze(-1).float()
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            out.append(torch.nn.functional.normalize(v, dim=1).numpy())
        vecs = np.concatenate(out).astype(np.float32)
        result = np.empty_like(vecs)
        result[order] = vecs
        return result


def write_bin(texts, vecs, path=BIN):
    """The layout semcache-quality reads (EmbeddingCacheFile.swift): little-endian u32 count, u32 dim,
    then per text u32 byte length, UTF-8 bytes, dim float32."""
    with open(path, "wb") as f:
        f.write(struct.pack("<II", len(texts), vecs.shape[1]))
        for t, v in zip(texts, vecs):
            b = t.encode("utf-8")
            f.write(struct.pack("<I", len(b)))
            f.write(b)
            f.write(v.astype("<f4").tobytes())


def read_bin(path=BIN):
    """The vectors of a write_bin file, also what `semcache-quality --save-embeddings` writes (so
    the analysis can run on the Swift embedder's vectors without PyTorch)."""
    data = open(path, "rb").read()
    count, dim = struct.unpack_from("<II", data, 0)
    out, at = {}, 8
    for _ in range(count):
        (n,) = struct.unpack_from("<I", data, at)
        text = data[at + 4:at + 4 + n].decode("utf-8")
        at += 4 + n
        out[text] = np.frombuffer(data, "<f4", dim, at).astype(np.float32)
        at += 4 * dim
    return out


def load():
    """Cached vectors: embeddings.npz (this script) or else embeddings.bin (semcache-quality)."""
    if not os.path.exists(CACHE) and os.path.exists(BIN):
        return read_bin()
    d = np.load(CACHE, allow_pickle=False)
    return {t: v for t, v in zip(d["texts"].tolist(), d["vectors"])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", default=os.path.join(evaldata.REPO, "models", "all-MiniLM-L6-v2"))
    args = ap.parse_args()
    import torch
    torch.set_num_threads(2)
    m = MiniLM(args.model_dir)
    # Check against the sentence-transformers reference before trusting the numbers.
    import json
    ref = [json.loads(l) for l in open(os.path.join(evaldata.EVAL_DIR, "..", "fixtures", "minilm", "reference.jsonl"))]
    want = np.array([r["embedding"] for r in ref], dtype=np.float32)
    got = m.embed([r["text"] for r in ref])
    cos = (got * want).sum(1) / np.linalg.norm(want, axis=1)
    print(f"reference check: min cosine {cos.min():.6f} over {len(ref)} texts", flush=True)
    done = load() if os.path.exists(CACHE) else {}
    os.makedirs(os.path.dirname(CACHE), exist_ok=True)
    # Small files first, then a quarter of each big file, then the rest; saved after every chunk so a
    # long run can be stopped and resumed (the analysis uses the pairs whose texts are embedded).
    plan = [(fmt, evaldata.read(fmt)) for fmt in ["llm", "followup", "gptcache"]]
    for fmt in ["qqp", "paws", "stsb"]:
        pairs = evaldata.read(fmt)
        plan.append((fmt + " 1/4", pairs[::4]))
    for fmt in ["qqp", "paws", "stsb"]:
        plan.append((fmt, evaldata.read(fmt)))
    for name, pairs in plan:
        texts = list(dict.fromkeys(t for a, b, _ in pairs for t in (a, b) if t not in done))
        for i in range(0, len(texts), 500):
            chunk = texts[i:i + 500]
            for t, v in zip(chunk, m.embed(chunk)):
                done[t] = v
            np.savez(CACHE + ".tmp.npz", texts=np.array(list(done)), vectors=np.stack(list(done.values())))
            os.replace(CACHE + ".tmp.npz", CACHE)  # readers never see a half-written file
            print(f"{name}: {min(i + 500, len(texts))}/{len(texts)} new texts, {len(done)} cached", flush=True)
    write_bin(list(done), np.stack(list(done.values())))
    print(f"{len(done)} texts -> {CACHE}, {BIN}")


if __name__ == "__main__":
    main()
