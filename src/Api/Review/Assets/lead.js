// LeadML lead timeline: one stored lead's score over time and why each change happened, in words from the Api's history
// (GET /leads/{id}/history). Same key handling as the review page: X-Api-Key kept in sessionStorage.
"use strict";

const KEY_STORE = "leadml.adminKey";
const PREFIX = "/review/leads/";
const $ = (id) => document.getElementById(id);
const state = { key: "", models: [], model: "", chart: null };

// The colour of a change by what caused it; an administrator's test of time passing stands out.
const COLOURS = { event: "#2563eb", attributes: "#7c3aed", rescoring: "#6b7280", "rescoring as of": "#d97706", "new rule set": "#059669",
  "new model": "#0891b2", conversion: "#16a34a", "conversion undone": "#b91c1c" };

// What each colour stands for, in the chart's key.
const CAUSES = { event: "events", attributes: "attributes changed", rescoring: "time passed", "rescoring as of": "rescored ahead (a test)",
  "new rule set": "rule set", "new model": "model", conversion: "converted", "conversion undone": "conversion undone" };

function status(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

async function api(url) {
  const res = await fetch(url, { headers: { "X-Api-Key": state.key } });
  const text = await res.text();
  const data = text && (res.headers.get("content-type") || "").includes("json") ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error(`${res.status} ${(data && data.title) || res.statusText}${data && data.detail ? " — " + data.detail : ""}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const when = (t) => new Date(t).toISOString().slice(0, 16).replace("T", " ");
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

function leadFromPath() {
  return location.pathname.startsWith(PREFIX) ? decodeURIComponent(location.pathname.slice(PREFIX.length)) : "";
}

async function connect(event) {
  if (event) event.preventDefault();
  state.key = $("api-key").value.trim();
  if (!state.key) return;
  sessionStorage.setItem(KEY_STORE, state.key);
  try {
    state.models = await api("/models");
    const wanted = new URLSearchParams(location.search).get("model");
    const select = $("model");
    select.replaceChildren(...state.models.map((m) => new Option(`${m.name} (${m.modelVersion})`, m.name, false, wanted ? m.name === wanted : m.isDefault)));
    select.disabled = false;
    state.model = select.value;
    const id = leadFromPath();
    $("lead-id").value = id;
    if (id) await show(id);
    else status("Connected: type a lead id and press Show.");
  } catch (e) {
    status(`Could not connect: ${e.message}`, true);
  }
}

async function show(id) {
  const m = encodeURIComponent(state.model);
  const path = `/leads/${encodeURIComponent(id)}`;
  try {
    const [lead, history] = await Promise.all([api(`${path}?model=${m}&explain=false`), api(`${path}/history?model=${m}`)]);
    renderSummary(lead);
    renderChart(lead, history.changes);
    renderChanges(history.changes);
    status(`Lead ${id}: ${history.changes.length} score change${history.changes.length === 1 ? "" : "s"}.`);
  } catch (e) {
    $("lead-summary").textContent = "";
    $("changes").tBodies[0].replaceChildren();
    renderChart(null, []);
    status(e.status === 404 ? `Model ${state.model} has no lead '${id}'.` : `Could not load lead ${id}: ${e.message}`, true);
  }
}

function renderSummary(lead) {
  const s = lead.stored;
  const ready = s.salesReady ? '<span class="tag ok">sales-ready</span>' : "";
  const converted = lead.convertedAt ? `<span class="tag">converted ${esc(day(lead.convertedAt))}</span>` : "";
  $("lead-summary").innerHTML = `<strong>${esc(lead.leadId)}</strong>: score ${s.score === null ? "–" : Number(s.score).toFixed(1)}, grade ${esc(s.grade || "–")} ${ready}${converted}
    <small>· ${lead.eventCount} event${lead.eventCount === 1 ? "" : "s"}${lead.lastEventAt ? `, last ${esc(when(lead.lastEventAt))}` : ""} · rule set ${esc(s.ruleSetVersion || "–")}</small>`;
}

function renderChanges(changes) {
  $("changes").tBodies[0].replaceChildren(...changes.slice().reverse().map((c) => {
    const tr = document.createElement("tr");
    if (c.reason === "rescoring as of") tr.className = "test";
    const delta = c.previousScore === null ? null : c.score - c.previousScore;
    const arrow = delta === null ? "first score" : `<span class="${delta > 0 ? "up" : delta < 0 ? "down" : ""}">${delta > 0 ? "+" : ""}${delta.toFixed(1)}</span>`;
    const events = c.cause && c.cause.events && c.cause.events.length > 1
      ? `<ul>${c.cause.events.map((e) => `<li>${esc(e.text)} <small>${esc(when(e.timestamp))}</small></li>`).join("")}</ul>` : "";
    tr.innerHTML = `<td>${esc(when(c.at))}</td><td class="num">${c.score.toFixed(1)}</td><td class="num">${arrow}</td>
      <td>${esc(c.grade)}${c.salesReady ? ' <span class="tag ok">sales-ready</span>' : ""}</td>
      <td class="why">${esc(c.description)}${events}</td><td><small>rule set ${esc(c.ruleSetVersion)}<br>model ${esc(c.modelVersion)}</small></td>`;
    return tr;
  }));
}

// Changes closer together than this share of the time axis and this many score points would hide one another's marker.
const NEAR_TIME = 0.01;
const NEAR_SCORE = 5;

/** Gives the last point of each run of changes that lie on top of one another (a rule set put in force as the lead was
 * rescored, say) the whole run in <group>: it draws one marker in the colours of all of them and its tooltip lists each;
 * the others draw none. A point alone has a group of one. */
function groupOverlapping(points) {
  const span = points.length > 1 ? points[points.length - 1].x - points[0].x : 0;
  const runs = [];
  for (const p of points) {
    const run = runs[runs.length - 1];
    const prev = run && run[run.length - 1];
    if (prev && p.x - prev.x <= NEAR_TIME * span && Math.abs(p.y - prev.y) < NEAR_SCORE) run.push(p);
    else runs.push([p]);
  }
  for (const run of runs) run[run.length - 1].group = run;
}

/** A round marker split into one slice per cause, for changes that share a place on the chart. */
function splitMarker(reasons, radius) {
  const size = 2 * radius + 4;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const g = canvas.getContext("2d");
  const c = size / 2;
  const angle = (i) => -Math.PI / 2 + (2 * Math.PI * i) / reasons.length;
  g.strokeStyle = "#fff";
  g.lineWidth = 1.5;
  reasons.forEach((r, i) => {
    g.beginPath();
    g.moveTo(c, c);
    g.arc(c, c, radius, angle(i), angle(i + 1));
    g.closePath();
    g.fillStyle = COLOURS[r] || "#1f2937";
    g.fill();
    g.stroke();
  });
  return canvas;
}

function renderChart(lead, changes) {
  const model = state.models.find((m) => m.name === state.model);
  // On a time axis in time order: an as-of rescoring lies ahead of changes recorded after it.
  const points = changes.map((c) => ({ x: Date.parse(c.at), y: c.score, change: c })).sort((a, b) => a.x - b.x);
  groupOverlapping(points);
  const marked = (p) => p.change && p.group;
  const reasonsOf = (p) => [...new Set(p.group.map((q) => q.change.reason))];
  // The stored score holds until the next change: the line steps at each change and runs on to today.
  const now = Date.now();
  const last = points.length ? points[points.length - 1] : null;
  const line = last && last.x < now ? points.concat([{ x: now, y: last.y, change: null }]) : points;
  const threshold = model ? model.salesReady : null;
  const xs = line.map((p) => p.x);
  const data = {
    datasets: [
      { label: "Score", data: line, stepped: "after", borderColor: "#1f2937", borderWidth: 2,
        pointBackgroundColor: line.map((p) => (marked(p) ? COLOURS[p.change.reason] || "#1f2937" : "transparent")),
        pointBorderColor: line.map((p) => (marked(p) ? "#fff" : "transparent")),
        pointStyle: line.map((p) => (marked(p) && reasonsOf(p).length > 1 ? splitMarker(reasonsOf(p), 8) : "circle")),
        pointRadius: line.map((p) => (marked(p) ? (p.group.length > 1 ? 8 : 6) : 0)),
        pointHitRadius: line.map((p) => (marked(p) ? 6 : 0)) },
      ...(threshold !== null && xs.length
        ? [{ label: `Sales-ready at ${threshold}`, data: [{ x: Math.min(...xs), y: threshold }, { x: Math.max(...xs), y: threshold }],
          borderColor: "#16a34a", borderDash: [6, 4], borderWidth: 1, pointRadius: 0 }]
        : []),
    ],
  };
  const present = [...new Set(points.map((p) => p.change.reason))];
  const shared = points.some((p) => p.group && p.group.length > 1)
    ? '<span class="shared"><i></i>changes at one moment share a marker (point at it for each)</span>' : "";
  $("timeline-key").innerHTML = present.map((r) => `<span><i style="background: ${COLOURS[r] || "#1f2937"}"></i>${esc(CAUSES[r] || r)}</span>`).join("") + shared;
  $("timeline-note").textContent = points.some((p) => p.change.reason === "rescoring as of")
    ? "(amber: rescored as of a later time by an administrator, a test of time passing)" : "";
  if (state.chart) {
    state.chart.data = data;
    state.chart.update("none");
    return;
  }
  if (!window.Chart) return;
  state.chart = new Chart($("timeline-chart"), {
    type: "line",
    data,
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
        tooltip: { callbacks: {
          title: (items) => {
            const g = items[0].raw.group;
            const first = g ? when(g[0].x) : when(items[0].raw.x);
            const last = when(items[0].raw.x);
            return first === last ? last : `${first} – ${last}`;
          },
          // A shared marker lists every change it stands for, oldest first.
          label: (item) => (item.raw.group ? item.raw.group.map((p) => `${p.y.toFixed(1)} — ${p.change.description}`) : `${item.raw.y.toFixed(1)}`),
        } },
      },
      scales: {
        x: { type: "linear", ticks: { callback: (v) => day(v), maxTicksLimit: 8 } },
        y: { min: 0, max: 100, title: { display: true, text: "score" } },
      },
    },
  });
}

function find(event) {
  event.preventDefault();
  const id = $("lead-id").value.trim();
  if (!id || !state.key) return;
  history.pushState(null, "", `${PREFIX}${encodeURIComponent(id)}?model=${encodeURIComponent(state.model)}`);
  show(id);
}

$("key-form").addEventListener("submit", connect);
$("find-form").addEventListener("submit", find);
$("model").addEventListener("change", (e) => {
  state.model = e.target.value;
  const id = $("lead-id").value.trim();
  if (id) show(id);
});
window.addEventListener("popstate", () => {
  const id = leadFromPath();
  $("lead-id").value = id;
  if (id && state.key) show(id);
});
const stored = sessionStorage.getItem(KEY_STORE);
if (stored) {
  $("api-key").value = stored;
  connect();
}
