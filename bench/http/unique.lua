-- wrk: POST the body in $BENCH_BODY with @UNIQUE@ replaced by a token new on every request (every request misses).
local file = assert(io.open(os.getenv("BENCH_BODY") or "bench/http/chat-request.json", "rb"))
local template = file:read("*a")
file:close()
local before, after = template:match("^(.-)@UNIQUE@(.*)$")
assert(before, "the body needs an @UNIQUE@ marker")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local counter = 0
local run = tostring(os.time())
function request()
  counter = counter + 1
  local body = before .. "[" .. run .. "-" .. id .. "-" .. counter .. "]" .. after
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer sk-bench" }, body)
end
