"""Drives the sidecar with the real OpenAI Python SDK; prints what it saw as JSON.

Usage: python openai_client.py BASE_URL  (e.g. http://127.0.0.1:8080)
"""
import json
import sys

from openai import OpenAI

client = OpenAI(base_url=sys.argv[1] + "/v1", api_key="sk-sdk-test", max_retries=0)


def chat(prompt, stream):
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini",
        temperature=0,
        messages=[{"role": "user", "content": prompt}],
        stream=stream,
    )
    if stream:
        text = "".join(c.choices[0].delta.content or "" for c in raw.parse() if c.choices)
    else:
        text = raw.parse().choices[0].message.content
    return {"x_semcache": raw.headers.get("x-semcache"), "text": text}


def embed(text):
    raw = client.embeddings.with_raw_response.create(model="text-embedding-3-small", input=text)
    return {"x_semcache": raw.headers.get("x-semcache"), "dims": len(raw.parse().data[0].embedding)}


print(json.dumps({
    "plain": [chat("What is semcache?", False), chat("What is semcache?", False)],
    "stream": [chat("Stream a haiku", True), chat("Stream a haiku", True)],
    "plain_then_stream": chat("What is semcache?", True),
    "embeddings": [embed("cache me"), embed("cache me")],
}))
