-- wrk: POST the body in $BENCH_BODY (a file) to the URL's path on every request.
-- No response() callback: parsing headers in Lua would load the client and slow both sides.
local file = assert(io.open(os.getenv("BENCH_BODY") or "bench/http/chat-request.json", "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"

