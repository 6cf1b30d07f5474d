// LeadML review page: criteria with suggested points and the points in force, inline editing with a live what-if,
// approval, version history with diff and restore. Talks only to this Api (X-Api-Key from sessionStorage).
"use strict";

const KEY_STORE = "leadml.adminKey";
const $ = (id) => document.getElementById(id);
const state = { key: "", model: "", list: null, suggestion: null, inForce: null, working: null, saved: "", chart: null, whatIfSeq: 0, timer: 0 };

function status(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

async function api(method, url, body) {
  const headers = { "X-Api-Key": state.key };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? (res.headers.get("content-type") || "").includes("json") ? JSON.parse(text) : text : null;
  if (!res.ok) {
    const errors = data && data.errors ? Object.entries(data.errors).map(([p, m]) => `${p}: ${[].concat(m).join(" ")}`).join("; ") : "";
    const err = new Error(`${res.status} ${(data && data.title) || res.statusText}${errors ? " — " + errors : data && data.detail ? " — " + data.detail : ""}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

const pct = (v) => (v === null || v === undefined ? "–" : (100 * v).toFixed(1) + " %");
const num = (v, d) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));
const clone = (o) => JSON.parse(JSON.stringify(o));
const byId = (rules) => new Map((rules ? rules.criteria : []).map((c) => [c.id, c]));

// ---- connecting and loading ---------------------------------------------------------------------------------------

async function connect(event) {
  if (event) event.preventDefault();
  state.key = $("api-key").value.trim();
  if (!state.key) return;
  sessionStorage.setItem(KEY_STORE, state.key);
  try {
    const models = await api("GET", "/models");
    const select = $("model");
    select.replaceChildren(...models.map((m) => new Option(`${m.name} (${m.modelVersion})`, m.name, m.isDefault, m.isDefault)));
    select.disabled = false;
    await loadModel(select.value);
  } catch (e) {
    status(`Could not connect: ${e.message}`, true);
  }
}

async function loadModel(model, keepWorking) {
  state.model = model;
  const base = `/rulesets/${encodeURIComponent(model)}`;
  const list = await api("GET", base);
  const [suggestion, inForce] = await Promise.all([
    api("GET", `${base}/0`),
    list.inForce.version === 0 ? null : api("GET", `${base}/${list.inForce.version}`),
  ]);
  state.list = list;
  state.suggestion = suggestion.rules;
  state.inForce = inForce ? inForce.rules : suggestion.rules;
  if (!keepWorking) {
    // Continue the newest draft when it is newer than the version in force; otherwise start from the version in force.
    const drafts = list.versions.filter((v) => v.status === "draft" && v.version > list.inForce.version);
    if (drafts.length) await openDraft(drafts[drafts.length - 1].version, true);
    else setWorking(null, list.inForce.version, state.inForce);
  }
  $("report-link").href = `/models/${encodeURIComponent(model)}/report`;
  $("report-link").removeAttribute("aria-disabled");
  renderHistory();
  renderCriteria();
  status(`Connected: ${model}, ${list.inForce.label} in force.`);
  scheduleWhatIf(0);
}

function setWorking(version, basedOn, rules) {
  state.working = { version, basedOn, rules: clone(rules) };
  state.saved = JSON.stringify(rules);
}

async function openDraft(version, quiet) {
  const draft = await api("GET", `/rulesets/${encodeURIComponent(state.model)}/${version}`);
  setWorking(version, draft.summary.basedOn, draft.rules);
  if (!quiet) {
    renderCriteria();
    scheduleWhatIf(0);
    status(`Editing draft v${version}.`);
  }
}

const dirty = () => state.working && JSON.stringify(state.working.rules) !== state.saved;

// ---- the criteria table ---------------------------------------------------------------------------------------------

function renderCriteria() {
  const w = state.working;
  const suggested = byId(state.suggestion);
  const inForce = byId(state.inForce);
  const rows = w.rules.criteria.map((c, i) => {
    const tr = document.createElement("tr");
    tr.dataset.id = c.id;
    tr.dataset.search = `${c.label} ${c.id} ${c.description || ""}`.toLowerCase();
    const s = suggested.get(c.id);
    const f = inForce.get(c.id);
    const sup = c.support;
    tr.innerHTML = `
      <td><input type="checkbox" class="enabled" id="on-${i}" aria-label="Use ${esc(c.label)}" ${c.enabled ? "checked" : ""}></td>
      <td class="criterion"><label for="points-${i}" class="label">${esc(c.label)}${c.lowSupport ? ' <span class="tag warn" title="few leads support it">low support</span>' : ""}</label>
        <div class="desc" title="${esc(c.description || "")}">${esc(c.description || "")}</div></td>
      <td class="num">${s ? s.points : "–"}</td>
      <td class="num">${f ? (f.enabled ? f.points : `<s>${f.points}</s>`) : "–"}</td>
      <td class="num"><input type="number" class="points" id="points-${i}" min="-100" max="100" step="1" value="${c.points}"></td>
      <td class="num">${sup ? `${sup.leads} <small>(${sup.conversions})</small>` : "–"}</td>
      <td class="num">${sup ? pct(sup.conversionRate) : "–"}</td>
      <td class="num">${c.interval ? `${num(c.interval.low, 0)} to ${num(c.interval.high, 0)}` : "–"}</td>`;
    tr.querySelector(".points").addEventListener("input", (e) => {
      const v = e.target.valueAsNumber;
      if (!Number.isFinite(v)) return;
      c.points = Math.round(v);
      edited(tr, c, f);
    });
    tr.querySelector(".enabled").addEventListener("change", (e) => {
      c.enabled = e.target.checked;
      edited(tr, c, f);
    });
    markChanged(tr, c, f);
    return tr;
  });
  $("criteria").tBodies[0].replaceChildren(...rows);
  $("base-points").value = w.rules.basePoints;
  $("sales-ready").value = w.rules.thresholds.salesReady;
  applyFilter();
  renderEditing();
}

function markChanged(tr, c, f) {
  tr.classList.toggle("changed", !f || f.points !== c.points || f.enabled !== c.enabled);
  tr.classList.toggle("disabled", !c.enabled);
}

function edited(tr, c, f) {
  markChanged(tr, c, f);
  renderEditing();
  scheduleWhatIf(300);
}

function renderEditing() {
  const w = state.working;
  const what = w.version === null ? `new draft from ${w.basedOn ? "v" + w.basedOn : "the suggestion"}` : `draft v${w.version}`;
  $("editing").textContent = what + (dirty() ? " · unsaved changes" : "");
}

function applyFilter() {
  const q = $("filter").value.trim().toLowerCase();
  const changedOnly = $("changed-only").checked;
  for (const tr of $("criteria").tBodies[0].rows) {
    tr.hidden = (q && !tr.dataset.search.includes(q)) || (changedOnly && !tr.classList.contains("changed"));
  }
}

function readNumbers() {
  const r = state.working.rules;
  const base = $("base-points").valueAsNumber;
  const ready = $("sales-ready").valueAsNumber;
  if (Number.isFinite(base)) r.basePoints = base;
  if (Number.isFinite(ready)) r.thresholds = { ...r.thresholds, salesReady: ready };
}

// ---- what-if ---------------------------------------------------------------------------------------------------------

function scheduleWhatIf(delay) {
  clearTimeout(state.timer);
  state.timer = setTimeout(runWhatIf, delay);
}

async function runWhatIf() {
  const seq = ++state.whatIfSeq;
  $("whatif").setAttribute("aria-busy", "true");
  try {
    const r = await api("POST", `/rulesets/${encodeURIComponent(state.model)}/whatif`, state.working.rules);
    if (seq !== state.whatIfSeq) return;
    renderWhatIf(r);
  } catch (e) {
    if (seq === state.whatIfSeq) status(`What-if failed: ${e.message}`, true);
  } finally {
    if (seq === state.whatIfSeq) $("whatif").removeAttribute("aria-busy");
  }
}

function renderWhatIf(r) {
  const d = r.candidate, f = r.inForce;
  $("whatif-rows").textContent = `${r.rows.toLocaleString("en")} test-period leads, ${r.conversions.toLocaleString("en")} converted, ${r.months} months`;
  $("whatif-inforce-label").textContent = `(${f.ruleSet})`;
  $("whatif-draft-auc").textContent = num(d.rocAuc, 3);
  $("whatif-inforce-auc").textContent = num(f.rocAuc, 3);
  $("whatif-draft-ready").textContent = num(d.salesReadyPerMonth, 1);
  $("whatif-inforce-ready").textContent = num(f.salesReadyPerMonth, 1);
  $("whatif-draft-readyconv").textContent = pct(d.salesReadyConversionRate);
  $("whatif-inforce-readyconv").textContent = pct(f.salesReadyConversionRate);
  const inForceGrades = new Map(f.grades.map((g) => [g.grade, g]));
  $("whatif-grades").replaceChildren(...d.grades.map((g) => {
    const o = inForceGrades.get(g.grade);
    const tr = document.createElement("tr");
    tr.innerHTML = `<th scope="row">Grade ${esc(g.grade)} ≥ ${num(g.minScore, 0)}: share · conv.</th>
      <td class="num">${pct(g.share)} · ${pct(g.conversionRate)}</td><td class="num">${o ? `${pct(o.share)} · ${pct(o.conversionRate)}` : "–"}</td>`;
    return tr;
  }));
  const labels = d.grades.map((g) => g.grade);
  const data = {
    labels,
    datasets: [
      { label: "Draft: conversion %", data: d.grades.map((g) => 100 * g.conversionRate), backgroundColor: "#2563eb" },
      { label: `In force (${f.ruleSet}): conversion %`, data: labels.map((l) => (inForceGrades.get(l) ? 100 * inForceGrades.get(l).conversionRate : null)), backgroundColor: "#9ca3af" },
    ],
  };
  if (state.chart) {
    state.chart.data = data;
    state.chart.update("none");
  } else if (window.Chart) {
    state.chart = new Chart($("whatif-chart"), {
      type: "bar",
      data,
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { y: { beginAtZero: true, title: { display: true, text: "converted %" } } } },
    });
  }
}

// ---- saving, approving, drafts ------------------------------------------------------------------------------------------

async function save() {
  readNumbers();
  const w = state.working;
  const base = `/rulesets/${encodeURIComponent(state.model)}`;
  if (w.version === null) {
    const created = await api("POST", `${base}/drafts`, { from: w.basedOn || null, createdBy: $("approver").value.trim() || null });
    w.version = created.summary.version;
  }
  const saved = await api("PUT", `${base}/${w.version}`, { ...w.rules, editedBy: $("approver").value.trim() || null });
  w.rules = clone(saved.rules);
  state.saved = JSON.stringify(saved.rules);
  return w.version;
}

async function onSave(event) {
  event.preventDefault();
  try {
    const v = await save();
    await loadModel(state.model, true);
    status(`Draft v${v} saved.`);
  } catch (e) {
    status(`Not saved: ${e.message}`, true);
  }
}

async function onApprove(event) {
  event.preventDefault();
  const approvedBy = $("approver").value.trim();
  if (!approvedBy) {
    status("Type your name to approve.", true);
    $("approver").focus();
    return;
  }
  try {
    const v = await save();
    await api("POST", `/rulesets/${encodeURIComponent(state.model)}/${v}/approve`, { approvedBy, comment: $("comment").value.trim() || null });
    $("comment").value = "";
    await loadModel(state.model);
    status(`Version v${v} approved by ${approvedBy} and in force.`);
  } catch (e) {
    status(`Not approved: ${e.message}`, true);
  }
}

async function onCreateDraft() {
  try {
    const from = Number($("draft-from").value);
    const created = await api("POST", `/rulesets/${encodeURIComponent(state.model)}/drafts`, { from, createdBy: $("approver").value.trim() || null });
    setWorking(created.summary.version, created.summary.basedOn, created.rules);
    await loadModel(state.model, true);
    status(`Draft v${created.summary.version} created from ${from ? "v" + from : "the suggestion"}.`);
  } catch (e) {
    status(`No draft created: ${e.message}`, true);
  }
}

// ---- history, diff, restore ---------------------------------------------------------------------------------------------

function renderHistory() {
  const list = state.list;
  const all = [list.suggestion, ...list.versions].reverse();
  $("draft-from").replaceChildren(...all.filter((v) => v.status !== "draft")
    .map((v) => new Option(v.version === 0 ? "the suggestion" : `v${v.version}${v.inForce ? " (in force)" : ""}`, v.version, v.inForce, v.inForce)));
  $("history").tBodies[0].replaceChildren(...all.map((v) => {
    const tr = document.createElement("tr");
    tr.id = `version-${v.version}`;
    const name = v.version === 0 ? "suggestion" : `v${v.version}`;
    const when = v.approvedAt ? new Date(v.approvedAt).toISOString().slice(0, 16).replace("T", " ") : "";
    tr.innerHTML = `<td>${name}${v.inForce ? ' <span class="tag ok">in force</span>' : ""}${when ? `<br><small>${when}</small>` : ""}</td><td>${v.status}</td>
      <td>${esc(v.approvedBy || v.createdBy || "")}</td><td>${esc(v.comment || "")}</td><td class="buttons"></td>`;
    const cell = tr.querySelector(".buttons");
    const add = (text, label, fn) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", `${label} ${name}`);
      b.addEventListener("click", fn);
      cell.append(b);
    };
    if (!v.inForce) add("Diff", "Compare with the version in force:", () => showDiff(list.inForce.version, v.version));
    else if (v.version !== 0) add("Diff", "Compare with the version before:", () => showDiff(previousOf(v.version), v.version));
    if (v.status === "draft") add("Edit", "Edit", () => openDraft(v.version));
    if (v.status !== "draft" && !v.inForce) add("Restore", "Restore", () => restore(v.version));
    return tr;
  }));
}

function previousOf(version) {
  const approved = state.list.versions.filter((v) => v.status === "approved" && v.version < version);
  return approved.length ? approved[approved.length - 1].version : 0;
}

async function showDiff(from, to) {
  try {
    const d = await api("GET", `/rulesets/${encodeURIComponent(state.model)}/diff?from=${from}&to=${to}`);
    const n = (v) => (v === 0 ? "suggestion" : `v${v}`);
    const items = [];
    if (d.basePoints) items.push(`base points ${d.basePoints.old} → ${d.basePoints.new}`);
    if (d.salesReady) items.push(`sales-ready at ${d.salesReady.old} → ${d.salesReady.new}`);
    for (const g of d.grades) items.push(`grade ${esc(g.grade)}: ${g.oldMinScore ?? "–"} → ${g.newMinScore ?? "–"}`);
    for (const c of d.changed) {
      const parts = [];
      if (c.points) parts.push(`${c.points.old} → ${c.points.new} points`);
      if (c.enabled) parts.push(c.enabled.new ? "enabled" : "disabled");
      if (c.condition) parts.push(`condition ${esc(c.condition.old)} → ${esc(c.condition.new)}`);
      items.push(`${esc(c.label)}: ${parts.join(", ")}`);
    }
    for (const c of d.added) items.push(`added: ${esc(c.label)} (${c.points} points)`);
    for (const c of d.removed) items.push(`removed: ${esc(c.label)}`);
    $("diff").innerHTML = `<h3>${n(from)} → ${n(to)}</h3>` + (items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul>` : "<p>No difference.</p>");
  } catch (e) {
    status(`No diff: ${e.message}`, true);
  }
}

async function restore(version) {
  const restoredBy = $("approver").value.trim();
  if (!restoredBy) {
    status("Type your name (under Approve) to restore a version.", true);
    $("approver").focus();
    return;
  }
  try {
    const r = await api("POST", `/rulesets/${encodeURIComponent(state.model)}/${version}/restore`, { restoredBy, comment: $("comment").value.trim() || null });
    $("comment").value = "";
    await loadModel(state.model);
    status(`${version === 0 ? "The suggestion" : "v" + version} restored as v${r.summary.version}, now in force.`);
  } catch (e) {
    status(`Not restored: ${e.message}`, true);
  }
}

// ---- the model report -----------------------------------------------------------------------------------------------------

async function openReport(event) {
  event.preventDefault();
  if (!state.model) return;
  try {
    const res = await fetch(`/models/${encodeURIComponent(state.model)}/report`, { headers: { "X-Api-Key": state.key } });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    const url = URL.createObjectURL(new Blob([await res.text()], { type: "text/html" }));
    window.open(url, "_blank", "noopener");
  } catch (e) {
    status(`No report: ${e.message}`, true);
  }
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

$("key-form").addEventListener("submit", connect);
$("model").addEventListener("change", (e) => loadModel(e.target.value).catch((err) => status(err.message, true)));
$("draft-form").addEventListener("submit", onSave);
$("approve-form").addEventListener("submit", onApprove);
$("create-draft").addEventListener("click", onCreateDraft);
$("reset").addEventListener("click", () => loadModel(state.model).catch((err) => status(err.message, true)));
$("filter").addEventListener("input", applyFilter);
$("changed-only").addEventListener("change", applyFilter);
$("report-link").addEventListener("click", openReport);
for (const id of ["base-points", "sales-ready"]) {
  $(id).addEventListener("input", () => {
    readNumbers();
    renderEditing();
    scheduleWhatIf(300);
  });
}
const stored = sessionStorage.getItem(KEY_STORE);
if (stored) {
  $("api-key").value = stored;
  connect();
}
