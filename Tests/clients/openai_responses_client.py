"""Drives the sidecar's Responses API cache with the real OpenAI Python SDK; prints what it saw as JSON.

Usage: python openai_responses_client.py BASE_URL  (e.g. http://127.0.0.1:8080)
"""
import json
import sys

from openai import OpenAI

client = OpenAI(base_url=sys.argv[1] + "/v1", api_key="sk-sdk-test", max_retries=0)

WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a city.",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]},
}


def create(**params):
    """client.responses.create without streaming: the cache header, the id and what the SDK parsed."""
    raw = client.responses.with_raw_response.create(**params)
    response = raw.parse()
    return {
        "x_semcache": raw.headers.get("x-semcache"),
        "id": response.id,
        "text": response.output_text,
        "output_types": [item.type for item in response.output],
        "calls": [{"name": item.name, "arguments": json.loads(item.arguments)} for item in response.output if item.type == "function_call"],
        "input_tokens": response.usage.input_tokens if response.usage else None,
    }


def create_streaming(**params):
    """client.responses.create(stream=True), iterating the typed events."""
    raw = client.responses.with_raw_response.create(stream=True, **params)
    types, numbers, text, final = [], [], "", None
    for event in raw.parse():
        types.append(event.type)
        numbers.append(event.sequence_number)
        if event.type == "response.output_text.delta":
            text += event.delta
        elif event.type == "response.completed":
            final = event.response
    return {
        "x_semcache": raw.headers.get("x-semcache"),
        "first": types[0],
        "last": types[-1],
        "sequence_ok": numbers == list(range(len(numbers))),
        "text": text,
        "completed_text": final.output_text if final else None,
        "id": final.id if final else None,
    }


def stream_helper(**params):
    """client.responses.stream(...) and its accumulator's get_final_response()."""
    with client.responses.stream(**params) as stream:
        header = stream._response.headers.get("x-semcache")
        deltas = "".join(event.delta for event in stream if event.type == "response.output_text.delta")
        final = stream.get_final_response()
    return {"x_semcache": header, "deltas": deltas, "text": final.output_text, "id": final.id,
            "output_types": [item.type for item in final.output]}


capital = {"model": "gpt-4.1-mini", "instructions": "Answer in one sentence.", "input": "What is the capital of France?"}
haiku = {"model": "gpt-4.1-mini", "input": [{"role": "user", "content": [{"type": "input_text", "text": "Write a haiku about caches."}]}]}
weather = {"model": "gpt-4.1-mini", "input": "What is the weather in Lyon?", "tools": [WEATHER_TOOL]}
reasoning = {"model": "gpt-5-mini", "input": "Why is the sky blue?", "reasoning": {"effort": "low", "summary": "auto"}}

results = {
    "create": [create(**capital), create(**capital)],
    "stream": [create_streaming(**haiku), create_streaming(**haiku)],
    "json_over_stream": create(**haiku),
    "helper_over_stream": stream_helper(**haiku),
    "helper_over_json": stream_helper(**capital),
    "function_call": [create(**weather), stream_helper(**weather)],
    "no_temperature": [create(**reasoning), create(**reasoning), stream_helper(**reasoning)],
}
hit_id = results["create"][1]["id"]
results["chained"] = create(model="gpt-4.1-mini", input="And of Italy?", previous_response_id=hit_id)
print(json.dumps(results))
