"""Time to the first body byte of distinct streaming chat misses, interleaved across targets so
they share the machine's noise.

    python3 bench/http/stream-first-byte.py 2000 direct=9000 direct+usage=9000 before=8081 after=8080

Each NAME=PORT is a mock upstream or a sidecar in front of it; a NAME ending in `+usage` sends
`stream_options.include_usage: true` (what semcache asks the upstream for on a stream miss, so
`direct+usage` is the upstream time a sidecar's miss includes). The first 50 rounds are warm-up.
"""
import http.client
import json
import statistics
import sys
import time
import uuid

rounds = int(sys.argv[1])
targets = [(argument.split("=")[0], int(argument.split("=")[1])) for argument in sys.argv[2:]]
connections = {name: http.client.HTTPConnection("127.0.0.1", port) for name, port in targets}
samples = {name: [] for name, _ in targets}
run = uuid.uuid4().hex[:8]
for index in range(rounds):
    for name, _ in targets:
        request = {"model": "gpt-4o-mini", "temperature": 0, "stream": True,
                   "messages": [{"role": "user", "content": f"question {run} {name} {index} " + "lorem ipsum " * 40}]}
        if name.endswith("+usage"):
            request["stream_options"] = {"include_usage": True}
        started = time.perf_counter()
        connections[name].request("POST", "/v1/chat/completions", json.dumps(request),
                                  {"content-type": "application/json", "authorization": "Bearer sk-bench"})
        response = connections[name].getresponse()
        response.read(1)
        first_byte = time.perf_counter() - started
        response.read()
        if index >= 50:
            samples[name].append(first_byte * 1000)
for name, _ in targets:
    ordered = sorted(samples[name])
    print(f"{name}: p50 {statistics.median(ordered):.3f} ms  p90 {ordered[int(len(ordered) * 0.9)]:.3f} ms  "
          f"mean {statistics.mean(ordered):.3f} ms (n={len(ordered)})")
