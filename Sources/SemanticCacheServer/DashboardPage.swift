/// The dashboard at `GET /_semcache/`: one static page (HTML, CSS, JavaScript inline; the chart
/// is SVG drawn by the page's own code; nothing is fetched from elsewhere) that reads
/// `GET /_semcache/stats?since=…&series=auto` and redraws every 10 seconds.
enum DashboardPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>semcache</title>
<link rel="icon" href="data:,">
<style>
  :root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#6b7385; --line:#e3e6ec; --hit:#2e9d62; --coalesced:#8cc9a6; --miss:#e0a030; --bypass:#b5bac6; --rate:#3466d6; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--ink); }
  header { display:flex; flex-wrap:wrap; align-items:center; gap:8px 16px; padding:14px 24px; background:var(--card); border-bottom:1px solid var(--line); }
  header h1 { font-size:18px; margin:0; }
  header .sub { color:var(--muted); }
  header .spacer { flex:1; }
  select, button, input { font:inherit; padding:4px 8px; border:1px solid var(--line); border-radius:6px; background:#fff; }
  main { padding:18px 24px; display:grid; grid-template-columns:minmax(0, 1fr); gap:18px; }
  .cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(140px, 1fr)); gap:12px; }
  .card, section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
  .card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
  .card .value { font-size:22px; font-weight:600; margin-top:2px; white-space:nowrap; }
  .card .note { color:var(--muted); font-size:12px; }
  section h2 { font-size:14px; margin:0 0 8px; }
  .row { display:grid; grid-template-columns:minmax(0, 1fr) minmax(0, 1fr); gap:18px; }
  section { min-width:0; }
  table { width:100%; border-collapse:collapse; font-size:13px; }
  th, td { text-align:left; padding:5px 6px; border-bottom:1px solid var(--line); vertical-align:top; white-space:nowrap; }
  th { color:var(--muted); font-weight:500; }
  td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
  /* The prompt column takes the width the others leave and cuts its text, so no table is wider than its section. */
  th.prompt, td.prompt { width:100%; max-width:0; overflow:hidden; text-overflow:ellipsis; }
  td.upstream-error { color:#8a1f11; }
  .legend span { margin-right:14px; color:var(--muted); font-size:12px; }
  .legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
  #error { display:none; background:#fdecea; border:1px solid #f5c2bd; color:#8a1f11; padding:10px 14px; border-radius:8px; }
  #auth { display:none; }
  #chart { display:block; }
  svg text { fill:var(--muted); font-size:11px; }
  @media (max-width:900px) { .row { grid-template-columns:1fr; } }
</style>
</head>
<body>
<header>
  <h1>semcache</h1><span class="sub" id="subtitle">loading…</span>
  <span class="spacer"></span>
  <form id="auth"><input id="token" type="password" placeholder="admin token" autocomplete="off"> <button>Use token</button></form>
  <label>window <select id="window">
    <option value="1h">1 hour</option><option value="24h" selected>24 hours</option><option value="7d">7 days</option><option value="30d">30 days</option><option value="all">all</option>
  </select></label>
</header>
<main>
  <div id="error"></div>
  <div class="cards" id="cards"></div>
  <section>
    <h2>Requests and hit rate over time</h2>
    <div class="legend"><span><i style="background:var(--hit)"></i>hits</span><span><i style="background:var(--coalesced)"></i>coalesced</span><span><i style="background:var(--miss)"></i>misses</span><span><i style="background:var(--bypass)"></i>bypasses</span><span><i style="background:var(--rate)"></i>hit rate</span></div>
    <svg id="chart" width="100%" height="240" role="img" aria-label="requests and hit rate over time"></svg>
  </section>
  <section><h2>Top entries by hits</h2><table id="entries"></table></section>
  <div class="row">
    <section><h2>Models</h2><table id="models"></table></section>
    <section><h2>Bypasses and errors</h2><table id="other"></table></section>
  </div>
  <section><h2>Verified hits</h2><table id="verified"></table><table id="thresholds"></table></section>
  <section><h2>Recent misses</h2><table id="misses"></table></section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));
const int = (n) => (n ?? 0).toLocaleString("en-US");
const pct = (r) => r == null ? "–" : (r * 100).toFixed(1) + "%";
// Dollars, as `semcache stats` writes them: null is a model without a price; amounts under a cent
// keep two significant digits down to a millionth of a dollar.
const usd = (n) => n == null ? "no price" : n === 0 ? "$0.00" : n < 0.000001 ? "<$0.000001"
  : "$" + (n >= 100 ? n.toFixed(0) : n >= 0.01 ? n.toFixed(2) : n.toPrecision(2));
const ms = (n) => n == null ? "–" : n < 1 ? (n * 1000).toFixed(0) + " µs" : n < 1000 ? n.toFixed(1) + " ms" : (n / 1000).toFixed(2) + " s";
const secs = (s) => s < 60 ? s.toFixed(1) + " s" : s < 3600 ? (s / 60).toFixed(1) + " min" : (s / 3600).toFixed(1) + " h";
const bytes = (b) => b < 1024 ? b + " B" : b < 1048576 ? (b / 1024).toFixed(1) + " KiB" : (b / 1048576).toFixed(1) + " MiB";
const age = (s) => s < 60 ? s + "s" : s < 3600 ? Math.floor(s / 60) + "m" : s < 86400 ? Math.floor(s / 3600) + "h" : Math.floor(s / 86400) + "d";

function headers() {
  const token = sessionStorage.getItem("semcache-token");
  return token ? { Authorization: "Bearer " + token } : {};
}

async function load() {
  const since = $("window").value;
  let response;
  try {
    response = await fetch("stats?since=" + encodeURIComponent(since) + "&series=auto", { headers: headers(), cache: "no-store" });
  } catch (e) { return fail("cannot reach the sidecar: " + e, "sidecar unreachable"); }
  if (response.status === 401 || response.status === 403) {
    $("auth").style.display = "block";
    let message = "the admin endpoints need a token";
    try { message = (await response.json()).error.message; } catch (e) {}
    return fail(message, "admin token required");
  }
  if (!response.ok) return fail("the sidecar answered " + response.status, "statistics unavailable");
  $("error").style.display = "none";
  render(await response.json());
}

function fail(message, status) {
  $("error").textContent = message;
  $("error").style.display = "block";
  $("subtitle").textContent = status;
}

function card(label, value, note) {
  return `<div class="card"><div class="label">${esc(label)}</div><div class="value">${value}</div><div class="note">${note ?? ""}</div></div>`;
}

let shownSeries = null;

function render(s) {
  const r = s.requests, hits = r.hit_exact + r.hit_semantic, unpriced = s.saved.unpriced_models;
  $("subtitle").textContent = `last ${s.window.label} · prices as of ${s.prices_as_of} · updated ${new Date().toLocaleTimeString()}`;
  $("cards").innerHTML = [
    card("Requests", int(r.total), `${int(hits)} hits · ${int(r.coalesced)} coalesced · ${int(r.miss)} misses · ${int(r.bypass)} bypasses · ${int(r.pass_through)} pass-through`),
    card("Hit rate", pct(s.hit_rate), `exact ${int(r.hit_exact)} · semantic ${int(r.hit_semantic)} · coalesced ${int(r.coalesced)}`),
    card("Money saved", usd(s.saved.cost_usd), unpriced.length ? "no price: " + esc(unpriced.join(", ")) : "at list prices"),
    card("Tokens saved", int(s.saved.prompt_tokens + s.saved.completion_tokens), `${int(s.saved.prompt_tokens)} prompt · ${int(s.saved.completion_tokens)} completion`),
    card("Upstream time saved", secs(s.saved.upstream_seconds), "recorded latency per hit"),
    card("Hit latency", ms(s.latency_ms.hit.p50), `p50 · p99 ${ms(s.latency_ms.hit.p99)}`),
    card("Miss overhead", ms(s.latency_ms.miss_overhead.p50), `p50 · p99 ${ms(s.latency_ms.miss_overhead.p99)}`),
    card("Store", int(s.store.entries) + " entries", bytes(s.store.bytes)),
  ].join("");
  shownSeries = s.series;
  chart(shownSeries);
  table("entries", ["#", "hits", "model", "age", "size", "saved", "prompt"], s.top_entries.map((e) =>
    [e.id, int(e.hits), esc(e.model), age(e.age_seconds), bytes(e.size_bytes), usd(e.cost_saved_usd), `<span title="${esc(e.prompt)}">${esc(e.prompt ?? "–")}</span>`]), [0, 1, 4, 5]);
  table("models", ["model", "requests", "hit rate", "tokens saved", "saved"], s.models.slice(0, 10).map((m) =>
    [esc(m.model), int(m.requests), pct(m.hit_rate), int(m.prompt_tokens_saved + m.completion_tokens_saved), usd(m.cost_saved_usd)]), [1, 2, 3, 4]);
  table("misses", ["time", "model", "reason", "prompt"], (s.recent_misses ?? []).map((m) =>
    [new Date(m.time * 1000).toLocaleTimeString(), esc(m.model), missReason(m), `<span title="${esc(m.prompt)}">${esc(m.prompt ?? "–")}</span>`]), []);
  const other = Object.entries(s.bypasses).map(([k, v]) => ["bypass: " + esc(k), int(v)])
    .concat(Object.entries(s.errors).map(([k, v]) => ["error: " + esc(k), int(v)]))
    .concat([["entries stored", int(s.stored.entries)], ["entries purged", int(s.stored.purged)]]);
  table("other", ["what", "count"], other, [1]);
  verification(s.verification);
}

// Verdicts, the semantic false-hit rate with its 95% interval, calls spent, learnt thresholds.
function verification(v) {
  const rate = (i) => i.estimate == null ? "–" : `${pct(i.estimate)} (95%: ${pct(i.low)}–${pct(i.high)})`;
  table("verified", ["what", "checked", "wrong"], [
    ["semantic hits", int(v.semantic_hits.checked), int(v.semantic_hits.wrong)],
    ["exact hits (wrong: stale)", int(v.exact_hits.checked), int(v.exact_hits.wrong)],
    ["near misses (no extra call)", int(v.near_misses.checked), int(v.near_misses.wrong)],
    ["false-hit rate of semantic hits", rate(v.false_hit_rate), ""],
    ["extra upstream calls", int(v.upstream_calls), `${int(v.over_budget)} over budget`],
  ].concat(v.entries ? [["entries with their own threshold", `${int(v.entries.own_threshold)} served`, `${int(v.entries.not_served)} not served`]] : []), [1, 2]);
  table("thresholds", ["context", "verdicts", "wrong", "threshold", "false-hit rate above it"], (v.thresholds ?? []).map((t) =>
    [esc(t.context), int(t.verdicts), int(t.wrong), t.threshold == null ? "none served" : t.threshold.toFixed(2), rate(t.false_hit_rate)]), [1, 2, 3]);
}

// A miss the upstream answered with an error (or not at all) is listed as an upstream error.
function missReason(m) {
  if (m.upstream_status == null) return '<span class="upstream-error">upstream unreachable</span>';
  if (m.upstream_status >= 400) return `<span class="upstream-error">upstream error ${m.upstream_status}</span>`;
  return esc(m.reason);
}

function table(id, columns, rows, numeric) {
  const cls = (i) => numeric.includes(i) ? ' class="num"' : (columns[i] === "prompt" ? ' class="prompt"' : "");
  const head = "<tr>" + columns.map((c, i) => `<th${cls(i)}>${c}</th>`).join("") + "</tr>";
  const body = rows.length ? rows.map((r) => "<tr>" + r.map((v, i) => `<td${cls(i)}>${v}</td>`).join("") + "</tr>").join("")
    : `<tr><td colspan="${columns.length}" style="color:var(--muted)">nothing yet</td></tr>`;
  $(id).innerHTML = head + body;
}

function chart(series) {
  // Drawn in the svg's own pixels (the viewBox follows its width), so nothing lands outside it.
  const svg = $("chart"), W = Math.round(svg.getBoundingClientRect().width) || 1000, H = 240, L = 44, R = 44, T = 10, B = 24;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const points = series ? series.points : [];
  // A multiple of 4, so the four grid lines fall on whole numbers.
  const max = 4 * Math.ceil(Math.max(1, ...points.map((p) => p.hits + p.coalesced + p.misses + p.bypasses)) / 4);
  const n = Math.max(1, points.length), bw = (W - L - R) / n;
  const y = (v) => T + (H - T - B) * (1 - v / max), yr = (r) => T + (H - T - B) * (1 - r);
  let out = "";
  for (let i = 0; i <= 4; i++) {
    const v = max * i / 4, yy = y(v);
    out += `<line x1="${L}" x2="${W - R}" y1="${yy}" y2="${yy}" stroke="#e3e6ec"/>`;
    out += `<text x="${L - 6}" y="${yy + 4}" text-anchor="end">${Math.round(v)}</text>`;
    out += `<text x="${W - R + 6}" y="${yr(i / 4) + 4}">${i * 25}%</text>`;
  }
  let line = "";
  points.forEach((p, i) => {
    const x = L + i * bw, w = Math.max(1, bw - 1);
    let top = H - B;
    for (const [v, color] of [[p.hits, "var(--hit)"], [p.coalesced, "var(--coalesced)"], [p.misses, "var(--miss)"], [p.bypasses, "var(--bypass)"]]) {
      if (!v) continue;
      const h = (H - T - B) * v / max; top -= h;
      out += `<rect x="${x}" y="${top}" width="${w}" height="${h}" fill="${color}"><title>${new Date(p.t * 1000).toLocaleString()}: ${v}</title></rect>`;
    }
    const answered = p.hits + p.coalesced, lookups = answered + p.misses;
    if (lookups > 0) line += (line ? " L" : "M") + (x + bw / 2) + " " + yr(answered / lookups);
  });
  if (line) out += `<path d="${line}" fill="none" stroke="var(--rate)" stroke-width="2"/>`;
  for (const [, x, yy] of line.matchAll(/[ML](\S+) (\S+)/g)) out += `<circle cx="${x}" cy="${yy}" r="3" fill="var(--rate)"/>`;
  const every = Math.max(1, Math.ceil(n / 8));
  points.forEach((p, i) => {
    if (i % every) return;
    const d = new Date(p.t * 1000);
    const label = series.step_seconds >= 86400 ? d.toLocaleDateString() : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    out += `<text x="${L + i * bw}" y="${H - 6}">${label}</text>`;
  });
  svg.innerHTML = out;
}

if ([...$("window").options].some((o) => o.value === location.hash.slice(1))) $("window").value = location.hash.slice(1);
$("window").addEventListener("change", () => { history.replaceState(null, "", "#" + $("window").value); load(); });
window.addEventListener("resize", () => { if (shownSeries) chart(shownSeries); });
$("auth").addEventListener("submit", (e) => { e.preventDefault(); sessionStorage.setItem("semcache-token", $("token").value); $("auth").style.display = "none"; load(); });
load();
setInterval(load, 10000);
</script>
</body>
</html>
"""#
}
