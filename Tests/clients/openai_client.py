"""Drives the sidecar with the real OpenAI Python SDK; prints what it saw as JSON.

Usage: python openai_client.py BASE_URL  (e.g. http://127.0.0.1:8080)

Every case runs the calls an app makes and reports the `x-semcache` header of each and what the
app read; an exception is reported as {"error": "..."} so the Swift test names the case.
"""
import asyncio
import json
import struct
import sys

from openai import AsyncOpenAI, OpenAI

BASE_URL = sys.argv[1] + "/v1"
client = OpenAI(base_url=BASE_URL, api_key="sk-sdk-test", max_retries=0)


def chat(prompt, stream, **options):
    options.setdefault("temperature", 0)
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}], stream=stream, **options
    )
    if stream:
        text = "".join(c.choices[0].delta.content or "" for c in raw.parse() if c.choices)
    else:
        text = raw.parse().choices[0].message.content
    return {"x_semcache": raw.headers.get("x-semcache"), "text": text}


def stream_like_most_apps(prompt, include_usage=False):
    """`for chunk in stream: chunk.choices[0].delta`, which breaks on a chunk with empty choices
    unless the caller asked for the usage chunk (then it skips that one)."""
    options = {"stream_options": {"include_usage": True}} if include_usage else {}
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", temperature=0, messages=[{"role": "user", "content": prompt}], stream=True, **options
    )
    text, usage = "", None
    for chunk in raw.parse():
        if chunk.usage is not None:
            usage = chunk.usage.total_tokens
        if include_usage and not chunk.choices:
            continue
        text += chunk.choices[0].delta.content or ""
    return {"x_semcache": raw.headers.get("x-semcache"), "text": text, "usage": usage}


def usage_replays():
    return {
        # Stored with include_usage, replayed to a caller without it, then to one with it.
        "stored_with_usage": [
            stream_like_most_apps("Count to three", include_usage=True),
            stream_like_most_apps("Count to three"),
            stream_like_most_apps("Count to three", include_usage=True),
        ],
        # Stored from a caller without include_usage (semcache asks the upstream for it anyway).
        "stored_without_usage": [
            stream_like_most_apps("Name a colour"),
            stream_like_most_apps("Name a colour"),
            stream_like_most_apps("Name a colour", include_usage=True),
        ],
    }


def json_usage_after_stream():
    stored = chat("Spell cache", True)
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", temperature=0, messages=[{"role": "user", "content": "Spell cache"}]
    )
    completion = raw.parse()
    return {
        "stream": stored,
        "json": {"x_semcache": raw.headers.get("x-semcache"), "total_tokens": completion.usage.total_tokens},
    }


def reasoning_model_without_temperature():
    def ask():
        raw = client.chat.completions.with_raw_response.create(
            model="o4-mini", max_completion_tokens=200, messages=[{"role": "user", "content": "Is 97 prime?"}]
        )
        return {"x_semcache": raw.headers.get("x-semcache"), "text": raw.parse().choices[0].message.content}

    return [ask(), ask()]


def embed(text, **options):
    raw = client.embeddings.with_raw_response.create(model="text-embedding-3-small", input=text, **options)
    vector = raw.parse().data[0].embedding
    return {"x_semcache": raw.headers.get("x-semcache"), "float32": struct.pack(f"<{len(vector)}f", *vector).hex()}


def embeddings():
    return {
        "repeat": [embed("cache me"), embed("cache me")],
        "float_then_base64": [embed("float first", encoding_format="float"), embed("float first")],
        "base64_then_float": [embed("base64 first"), embed("base64 first", encoding_format="float")],
    }


def choices_and_json_format():
    def ask(**options):
        raw = client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", temperature=0, messages=[{"role": "user", "content": "List two fruits"}], **options
        )
        return {"x_semcache": raw.headers.get("x-semcache"), "contents": [c.message.content for c in raw.parse().choices]}

    return {
        "n": [ask(n=2), ask(n=2)],
        "json_object": ask(response_format={"type": "json_object"}),
    }


async def concurrent_async_calls():
    async_client = AsyncOpenAI(base_url=BASE_URL, api_key="sk-sdk-test", max_retries=0)

    async def ask(prompt):
        raw = await async_client.chat.completions.with_raw_response.create(
            model="gpt-4o-mini", temperature=0, messages=[{"role": "user", "content": prompt}]
        )
        return {"x_semcache": raw.headers.get("x-semcache"), "text": raw.parse().choices[0].message.content}

    prompts = ["Same question at once"] * 6 + [f"Distinct question {i}" for i in range(6)]
    answers = await asyncio.gather(*(ask(p) for p in prompts))
    await async_client.close()
    return answers


def run(case):
    try:
        return case()
    except Exception as error:  # reported to the Swift test, which names the case
        return {"error": f"{type(error).__name__}: {error}"}


print(json.dumps({
    "plain": run(lambda: [chat("What is semcache?", False), chat("What is semcache?", False)]),
    "stream": run(lambda: [chat("Stream a haiku", True), chat("Stream a haiku", True)]),
    "plain_then_stream": run(lambda: chat("What is semcache?", True)),
    "usage_replays": run(usage_replays),
    "json_usage_after_stream": run(json_usage_after_stream),
    "reasoning_model": run(reasoning_model_without_temperature),
    "embeddings": run(embeddings),
    "choices_and_json_format": run(choices_and_json_format),
    "async_gather": run(lambda: asyncio.run(concurrent_async_calls())),
}))
