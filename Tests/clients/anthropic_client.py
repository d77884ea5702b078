"""Drives the sidecar with the real Anthropic Python SDK; prints what it saw as JSON.

Usage: python anthropic_client.py BASE_URL  (e.g. http://127.0.0.1:8080)

Like openai_client.py: each case reports the `x-semcache` header of each call and what the app
read; an exception is reported as {"error": "..."}.
"""
import json
import sys
import urllib.request

import anthropic

BASE_URL = sys.argv[1]
MODEL = "claude-sonnet-4-5"


def client(**options):
    options.setdefault("api_key", "sk-ant-sdk-test")
    return anthropic.Anthropic(base_url=BASE_URL, max_retries=0, **options)


def create(sdk, prompt):
    """`messages.create` as the 2.x SDK has it: no temperature parameter."""
    raw = sdk.messages.with_raw_response.create(
        model=MODEL, max_tokens=256, messages=[{"role": "user", "content": prompt}]
    )
    message = raw.parse()
    return {
        "x_semcache": raw.headers.get("x-semcache"),
        "text": message.content[0].text,
        "output_tokens": message.usage.output_tokens,
    }


def stream(sdk, prompt):
    with sdk.messages.stream(model=MODEL, max_tokens=256, messages=[{"role": "user", "content": prompt}]) as events:
        x_semcache = events.response.headers.get("x-semcache")
        pieces = "".join(events.text_stream)
        message = events.get_final_message()
    return {"x_semcache": x_semcache, "text": message.content[0].text, "streamed_text": pieces,
            "output_tokens": message.usage.output_tokens}


def partitions():
    key = "sk-ant-partition"
    bearer = client(api_key=key)  # the 2.x SDK sends Authorization: Bearer
    x_api_key = client(api_key="unused", default_headers={"x-api-key": key, "Authorization": anthropic.Omit()})
    other = client(api_key="sk-ant-someone-else")
    return [create(bearer, "Which partition?"), create(x_api_key, "Which partition?"), create(other, "Which partition?")]


def prewarmed():
    """An entry prewarmed for an API key answers the SDK calling with that key."""
    record = {
        "endpoint": "/v1/messages",
        "request": {"model": MODEL, "max_tokens": 256, "messages": [{"role": "user", "content": "Prewarmed question"}]},
        "response": {"id": "msg_prewarmed", "type": "message", "role": "assistant", "model": MODEL,
                     "content": [{"type": "text", "text": "Prewarmed answer."}], "stop_reason": "end_turn",
                     "stop_sequence": None, "usage": {"input_tokens": 3, "output_tokens": 3}},
    }
    upload = urllib.request.Request(f"{BASE_URL}/_semcache/prewarm?format=pairs", data=(json.dumps(record) + "\n").encode(),
                                    headers={"X-Semcache-Partition-Key": "sk-ant-prewarm"}, method="POST")
    with urllib.request.urlopen(upload) as response:
        summary = json.load(response)
    return {"stored": summary.get("stored"), "call": create(client(api_key="sk-ant-prewarm"), "Prewarmed question")}


def error_shape():
    sdk = client(default_headers={"X-Semcache-Threshold": "2"})
    try:
        sdk.messages.create(model=MODEL, max_tokens=16, messages=[{"role": "user", "content": "Bad header"}])
    except anthropic.BadRequestError as error:
        return {"status": error.status_code, "body": error.body, "message": error.message}
    return {"error": "no BadRequestError raised"}


def run(case):
    try:
        return case()
    except Exception as error:  # reported to the Swift test, which names the case
        return {"error": f"{type(error).__name__}: {error}"}


sdk = client()
print(json.dumps({
    "create": run(lambda: [create(sdk, "What is semcache?"), create(sdk, "What is semcache?")]),
    "stream": run(lambda: [stream(sdk, "Stream a haiku"), stream(sdk, "Stream a haiku")]),
    "create_then_stream": run(lambda: stream(sdk, "What is semcache?")),
    "partitions": run(partitions),
    "prewarmed": run(prewarmed),
    "error_shape": run(error_shape),
}))
