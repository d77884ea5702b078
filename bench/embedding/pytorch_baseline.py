"""PyTorch baseline for semcache-bench-embed: sentence-transformers all-MiniLM-L6-v2 on the CPU.

Measures the same things on the same texts: model load time, single-prompt latency (p50/p99 after
warm-up), batch throughput (sentences/s, SentenceTransformer.encode with batch_size), VmRSS/VmHWM.
Prints one JSON object. Run from bench/.venv (see bench/embedding/run.sh).
"""
import argparse
import json
import time


def memory_mb():
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, round((len(sorted_values) - 1) * fraction))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="models/all-MiniLM-L6-v2")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sentences", required=True)
    parser.add_argument("--prompt", default="How do I configure the time to live of cached answers in my semantic proxy?")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    import sentence_transformers
    from sentence_transformers import SentenceTransformer
    try:
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:  # sentence-transformers before 6
        from sentence_transformers import models

    with open(args.sentences) as f:
        sentences = [line.rstrip("\n") for line in f if line.strip()]

    rss_before, _ = memory_mb()
    start = time.perf_counter()
    # The model directory holds only config.json, vocab.txt and model.safetensors: build the
    # sentence-transformers pipeline (BERT + mean pooling + normalise) around it explicitly.
    transformer = models.Transformer(args.model_dir, max_seq_length=256)
    dimension = getattr(transformer, "get_embedding_dimension", None) or transformer.get_word_embedding_dimension
    pooling = models.Pooling(dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")
    model.eval()
    load_ms = (time.perf_counter() - start) * 1000
    rss_after_load, _ = memory_mb()

    with torch.inference_mode():
        for _ in range(args.warmup):
            model.encode([args.prompt], batch_size=1)
        latencies = []
        for _ in range(args.runs):
            t = time.perf_counter()
            model.encode([args.prompt], batch_size=1)
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()

        pass_times = []
        for _ in range(args.passes):
            t = time.perf_counter()
            model.encode(sentences, batch_size=args.batch_size)
            pass_times.append((time.perf_counter() - t) * 1000)
    rss_after_run, hwm_after_run = memory_mb()

    print(json.dumps({
        "implementation": f"sentence-transformers {sentence_transformers.__version__} / torch {torch.__version__}",
        "threads": args.threads,
        "prompt_tokens": len(transformer.tokenizer(args.prompt)["input_ids"]),
        "load_ms": load_ms,
        "single_p50_ms": percentile(latencies, 0.5),
        "single_p99_ms": percentile(latencies, 0.99),
        "batch_sentences": len(sentences),
        "batch_size": args.batch_size,
        "batch_sentences_per_s": len(sentences) / min(pass_times) * 1000,
        "rss_before_load_mb": rss_before,
        "rss_after_load_mb": rss_after_load,
        "rss_after_run_mb": rss_after_run,
        "hwm_after_run_mb": hwm_after_run,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
