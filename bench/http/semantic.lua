-- wrk: POST the body in $BENCH_BODY with @CASE@ removed and the case of the next 24 letters flipped by
-- a random per-request number: a new exact key every time but, for an uncased embedder, the same text,
-- so every request goes through embedding and vector search (a semantic lookup).
local file = assert(io.open(os.getenv("BENCH_BODY") or "bench/http/chat-request.json", "rb"))
local template = file:read("*a")
file:close()
local before, after = template:match("^(.-)@CASE@(.*)$")
assert(before, "the body needs an @CASE@ marker")
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer sk-bench" }
local extra = os.getenv("BENCH_HEADER")
if extra then
  local name, value = extra:match("^([^:]+):%s*(.*)$")
  headers[name] = value
end

function setup(thread)
  thread:set("seed", math.random(1, 2 ^ 30))
end

function init()
  math.randomseed(os.time() + (seed or 0))
end

local function varied()
  local bits = math.random(1, 2 ^ 24 - 1)
  return (after:gsub("%a", function(letter)
    if bits == 0 then return letter end
    local flip = bits % 2 == 1
    bits = math.floor(bits / 2)
    if not flip then return letter end
    if letter:match("%l") then return letter:upper() else return letter:lower() end
  end))
end

function request()
  return wrk.format("POST", nil, headers, before .. varied())
end
