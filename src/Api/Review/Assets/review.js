// LeadML review page: criteria with suggested points and the points in force, inline editing with a live what-if,
// new criteria, knock-outs (accept the suggested ones, add, switch off, remove), grade bands and hysteresis, open drafts
// to choose or discard, approval, version history with diff, restore and the audit. Talks only to this Api (X-Api-Key from sessionStorage).
"use strict";

const KEY_STORE = "leadml.adminKey";
const $ = (id) => document.getElementById(id);
const state = { key: "", model: "", list: null, suggestion: null, inForce: null, working: null, saved: "", chart: null, whatIfSeq: 0, timer: 0,
  features: [], featureByName: new Map() };

function status(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

// An answer with its ETag: a draft's version tag, sent back in If-Match so that saving over another reviewer's change
// answers 412 instead of undoing it. Each call keeps its own tag, so an answer arriving meanwhile (a what-if, a label)
// cannot replace the draft's.
async function apiTagged(method, url, body, ifMatch) {
  const headers = { "X-Api-Key": state.key };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (ifMatch) headers["If-Match"] = ifMatch;
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const etag = res.headers.get("ETag");
  const text = await res.text();
  const data = text ? (res.headers.get("content-type") || "").includes("json") ? JSON.parse(text) : text : null;
  if (!res.ok) {
    const errors = data && data.errors ? Object.entries(data.errors).map(([p, m]) => `${p}: ${[].concat(m).join(" ")}`).join("; ") : "";
    const err = new Error(`${res.status} ${(data && data.title) || res.statusText}${errors ? " — " + errors : data && data.detail ? " — " + data.detail : ""}`);
    err.status = res.status;
    err.problem = data && typeof data === "object" ? data : null;
    throw err;
  }
  return { data, etag };
}

async function api(method, url, body, ifMatch) {
  return (await apiTagged(method, url, body, ifMatch)).data;
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
    state.models = models;
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
  const [suggestion, inForce, features, audit] = await Promise.all([
    api("GET", `${base}/0`),
    list.inForce.version === 0 ? null : api("GET", `${base}/${list.inForce.version}`),
    state.features.model === model ? state.features : api("GET", `${base}/features`),
    api("GET", `${base}/audit`),
  ]);
  if (features !== state.features) setFeatures(model, features);
  state.list = list;
  state.suggestion = suggestion.rules;
  state.inForce = inForce ? inForce.rules : suggestion.rules;
  state.audit = audit;
  const gone = keepWorking ? null : await openChosenDraft(list);
  $("start-help").hidden = true;
  showLeaks(model);
  $("report-link").href = `/models/${encodeURIComponent(model)}/report`;
  $("report-link").removeAttribute("aria-disabled");
  renderHistory();
  renderDrafts();
  renderAudit();
  renderCriteria();
  status(`Connected: ${model}, ${list.inForce.label} in force.${gone ? ` ${gone}` : ""}${draftsHint(list)}`);
  scheduleWhatIf(0);
}

// The leak guard's warnings from the model's metrics: a leak makes every suggested point suspect.
function showLeaks(model) {
  const m = (state.models || []).find((x) => x.name === model);
  const leaks = (m && m.leaks) || [];
  $("leak-list").replaceChildren(...leaks.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  $("leak-banner").hidden = leaks.length === 0;
}

function setWorking(version, basedOn, rules, etag) {
  state.working = { version, basedOn, rules: clone(rules), etag: etag || null };
  state.saved = JSON.stringify(rules);
}

async function openDraft(version, quiet) {
  if (!quiet && !leaveWorking(`open draft v${version}`)) return;
  const { data: draft, etag } = await apiTagged("GET", `/rulesets/${encodeURIComponent(state.model)}/${version}`);
  setWorking(version, draft.summary.basedOn, draft.rules, etag);
  chooseDraft(version);
  if (!quiet) {
    renderDrafts();
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
    const added = !s && !f;
    tr.innerHTML = `
      <td><input type="checkbox" class="enabled" id="on-${i}" aria-label="Use ${esc(c.label)}" ${c.enabled ? "checked" : ""}></td>
      <td class="criterion"><label for="points-${i}" class="label">${esc(c.label)}${c.lowSupport ? ' <span class="tag warn" title="few leads support it">low support</span>' : ""}${added ? ' <span class="tag new">new</span>' : ""}</label>
        <div class="desc" title="${esc(c.description || "")}">${esc(c.description || "")}</div>
        ${added ? `<button type="button" class="remove" aria-label="Remove ${esc(c.label)}">Remove</button>` : ""}<small class="field-error row-error"></small></td>
      <td class="num">${s ? s.points : "–"}</td>
      <td class="num">${f ? (f.enabled ? f.points : `<s>${f.points}</s>`) : "–"}</td>
      <td class="num"><input type="number" class="points" id="points-${i}" min="-100" max="100" step="1" value="${c.points}"></td>
      <td class="num support"${sup ? ` title="${esc(supportWords(sup))}"` : ""}>${sup ? `${thousands(sup.leads)} <small>(${thousands(sup.conversions)})</small>${sup.period ? ` <small>${esc(sup.period)}</small>` : ""}` : "–"}</td>
      <td class="num">${sup && sup.leads > 0 ? pct(sup.conversionRate) : "–"}</td>
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
    if (added) {
      tr.querySelector(".remove").addEventListener("click", () => {
        w.rules.criteria.splice(w.rules.criteria.indexOf(c), 1);
        renderCriteria();
        scheduleWhatIf(0);
        status(`Removed "${c.label}" from the draft.`);
        $("add-open").focus();
      });
    }
    markChanged(tr, c, f);
    return tr;
  });
  $("criteria").tBodies[0].replaceChildren(...rows);
  $("base-points").value = w.rules.basePoints;
  $("sales-ready").value = w.rules.thresholds.salesReady;
  renderGrades();
  applyFilter();
  renderEditing();
  renderKnockOuts();
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
  const open = w.version === null ? null : ((state.list && state.list.drafts) || []).find((d) => d.version === w.version);
  const what = w.version === null ? `new draft from ${w.basedOn ? "v" + w.basedOn : "the suggestion"}`
    : `draft v${w.version}${open ? ` by ${nameOrNone(open.createdBy)}, from ${fromWords(open.basedOn)}` : ""}`;
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
  syncTopGrade();
}

/** The sales-ready threshold is the top grade's lower bound: the top grade's minimum follows the threshold. */
function syncTopGrade() {
  const r = state.working.rules;
  if (!r.grades.length) return;
  r.grades[0].minScore = r.thresholds.salesReady;
  const field = $("grade-minScore-0");
  if (field) field.value = r.grades[0].minScore ?? "";
}

// ---- adding a criterion -----------------------------------------------------------------------------------------------

const lower = (v) => String(v ?? "").toLowerCase();

function setFeatures(model, list) {
  const features = [...list].sort((a, b) => a.label.localeCompare(b.label, "en") || a.name.localeCompare(b.name, "en"));
  features.model = model;
  state.features = features;
  state.featureByName = new Map(features.map((f) => [f.name, f]));
}

/** The condition a form describes (ids <prefix>-feature, -op, -value, -upper), as the Api takes it; null while a value
 * it needs is not typed. */
function formCondition(prefix) {
  const op = $(`${prefix}-op`).value;
  const value = $(`${prefix}-value`).valueAsNumber;
  const upper = $(`${prefix}-upper`).valueAsNumber;
  const feature = $(`${prefix}-feature`).value;
  const valued = op !== "missing" && op !== "present";
  if (!feature || (valued && !Number.isFinite(value)) || (op === "between" && !Number.isFinite(upper))) return null;
  return { feature, op, value: valued ? value : 0, upper: op === "between" ? upper : null, orMissing: false };
}

/** What a condition form lacks before it can be sent, as [field id, message] pairs. */
function conditionProblems(prefix) {
  const op = $(`${prefix}-op`).value;
  const problems = [];
  if (!$(`${prefix}-feature`).value) problems.push([`${prefix}-feature`, "Pick a feature (search by its label)."]);
  if (op !== "missing" && op !== "present" && !Number.isFinite($(`${prefix}-value`).valueAsNumber)) problems.push([`${prefix}-value`, "Type the value to compare with."]);
  if (op === "between" && !Number.isFinite($(`${prefix}-upper`).valueAsNumber)) problems.push([`${prefix}-upper`, "Type the upper bound."]);
  return problems;
}

/** A condition in words, from the Api: labels are made in one place (the server's), so a criterion or knock-out added
 * here reads as the trainer's, the report's and the Api's explanations do. */
async function conditionLabel(condition) {
  return (await api("POST", `/rulesets/${encodeURIComponent(state.model)}/label`, condition)).label;
}

// The label field follows the condition (the Api's words for it, <sentence>) until the marketer types their own.
const form = { labelTouched: false, sentence: "", labelPending: Promise.resolve(), labelSeq: 0 };

/** The criterion form and the knock-out form pick a condition with the same fields: one template (#condition-picker),
 * a copy of it in place of each form's <div data-condition="prefix">, its ids and labels prefixed ("nc-op", "ko-op"). */
function mountConditionPickers() {
  const template = $("condition-picker");
  for (const slot of document.querySelectorAll("[data-condition]")) {
    const prefix = slot.dataset.condition;
    const copy = template.content.cloneNode(true);
    for (const el of copy.querySelectorAll("[data-id]")) el.id = `${prefix}-${el.dataset.id}`;
    for (const el of copy.querySelectorAll("[data-for]")) el.htmlFor = `${prefix}-${el.dataset.for}`;
    for (const el of copy.querySelectorAll("[data-describedby]")) el.setAttribute("aria-describedby", `${prefix}-${el.dataset.describedby}`);
    slot.replaceWith(copy);
  }
}

/** The features whose label or name holds every word typed in a search box. */
function featuresMatching(query) {
  const words = lower(query).split(/\s+/).filter(Boolean);
  return state.features.filter((f) => words.every((w) => lower(f.label).includes(w) || lower(f.name).includes(w)));
}

/** The comparison and value a new condition on feature f starts with: "is 1" for a level or a yes/no, "at least 1" for
 * a count, <recency> for a "days since" feature. */
function startingComparison(f, recency) {
  const kind = lower(f.kind);
  return kind === "level" || kind === "flag" ? ["eq", 1] : kind === "count" ? ["gte", 1] : kind === "recency" ? recency : ["gte", ""];
}

/** Shows the value fields the chosen comparison of a condition form needs (ids <prefix>-op, -values, -upper-wrap). */
function showValueFields(prefix) {
  const op = $(`${prefix}-op`).value;
  $(`${prefix}-values`).hidden = op === "missing" || op === "present";
  $(`${prefix}-upper-wrap`).hidden = op !== "between";
}

function fillFeatureOptions() {
  const select = $("nc-feature");
  const current = select.value;
  const matches = featuresMatching($("nc-search").value);
  const groups = ["fit", "engagement"].map((g) => {
    const og = document.createElement("optgroup");
    og.label = g === "fit" ? "Fit (who the lead is)" : "Engagement (what the lead does)";
    og.append(...matches.filter((f) => lower(f.group) === g).map((f) => new Option(f.label, f.name)));
    return og;
  }).filter((og) => og.children.length);
  select.replaceChildren(...groups);
  $("nc-count").textContent = `${matches.length} of ${state.features.length}`;
  if (matches.some((f) => f.name === current)) select.value = current;
  if (select.value !== current) featureChosen();
}

function featureChosen() {
  const f = state.featureByName.get($("nc-feature").value);
  if (!f) return;
  form.labelTouched = false;
  // A new criterion on a "days since" feature starts as recent activity.
  const [op, value] = startingComparison(f, ["lt", 30]);
  $("nc-op").value = op;
  $("nc-value").value = value;
  $("nc-upper").value = "";
  $("nc-group").value = lower(f.group);
  $("nc-points").placeholder = f.negative ? "e.g. -10" : "e.g. 10";
  comparisonChosen();
}

function comparisonChosen() {
  showValueFields("nc");
  relabel();
}

function relabel() {
  const condition = formCondition("nc");
  // A condition still being typed keeps the words of the last whole one; the add checks it.
  if (!condition) return;
  const seq = ++form.labelSeq;
  form.labelPending = conditionLabel(condition).then((sentence) => {
    if (seq !== form.labelSeq) return;
    form.sentence = sentence;
    if (!form.labelTouched) $("nc-label").value = sentence;
  }, () => {});
}

function openCriterionForm() {
  if (!state.working) return;
  const f = $("criterion-form");
  f.hidden = false;
  $("add-open").setAttribute("aria-expanded", "true");
  clearErrors(f, "nc-errors");
  $("nc-search").value = "";
  $("nc-points").value = "";
  form.labelTouched = false;
  fillFeatureOptions();
  featureChosen();
  $("nc-search").focus();
}

function closeCriterionForm() {
  $("criterion-form").hidden = true;
  $("add-open").setAttribute("aria-expanded", "false");
  $("add-open").focus();
}

/** An id made from a label that none of <items> has ("job-title-student", then "job-title-student-2"). */
function uniqueId(label, items, fallback) {
  const base = lower(label).normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || fallback;
  const ids = new Set(items.map((c) => c.id));
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  return id;
}

async function addCriterion(event) {
  event.preventDefault();
  const f = $("criterion-form");
  clearErrors(f, "nc-errors");
  // The label field may still be waiting for the Api's words for the condition.
  await form.labelPending;
  const points = $("nc-points").valueAsNumber;
  const label = $("nc-label").value.trim();
  // Only what the server cannot be sent is checked here; ranges and rules are the server's (shown as it answers).
  const problems = conditionProblems("nc");
  if (!Number.isFinite(points)) problems.push(["nc-points", "Type the points, a whole number from -100 to 100."]);
  if (!label) problems.push(["nc-label", "Type a label."]);
  if (problems.length) {
    for (const [id, message] of problems) fieldError(id, message);
    $(problems[0][0]).focus();
    return;
  }
  // A label of the marketer's own keeps the condition in words as its description.
  const description = form.labelTouched && form.sentence && form.sentence !== label ? form.sentence : "";
  const criterion = { id: uniqueId(label, state.working.rules.criteria, "criterion"), label, description, group: $("nc-group").value, enabled: true, points, condition: formCondition("nc") };
  const candidate = clone(state.working.rules);
  candidate.criteria.push(criterion);
  // The what-if checks a rule set as an edit would, so the criterion is validated by the server before it joins the table.
  const seq = ++state.whatIfSeq;
  $("nc-add").disabled = true;
  try {
    const result = await api("POST", `/rulesets/${encodeURIComponent(state.model)}/whatif`, candidate);
    state.working.rules.criteria.push(criterion);
    renderCriteria();
    if (seq === state.whatIfSeq) renderWhatIf(result);
    $("criterion-form").hidden = true;
    $("add-open").setAttribute("aria-expanded", "false");
    const row = $("criteria").querySelector(`tr[data-id="${CSS.escape(criterion.id)}"]`);
    row.scrollIntoView({ block: "nearest" });
    row.querySelector(".points").focus();
    status(`Added "${label}" (${points} points); save the draft to keep it.`);
  } catch (e) {
    showProblem(e, "Not added", candidate.criteria.length - 1);
  } finally {
    $("nc-add").disabled = false;
  }
}

// ---- grade bands and hysteresis ---------------------------------------------------------------------------------------

function renderGrades() {
  const r = state.working.rules;
  if (r.grades.length) r.grades[0].minScore = r.thresholds.salesReady;
  $("grades").tBodies[0].replaceChildren(...r.grades.map((g, i) => {
    const tr = document.createElement("tr");
    tr.innerHTML = `
      <td><input id="grade-grade-${i}" class="grade-name" maxlength="12" aria-label="Grade ${i + 1}: letter" value="${esc(g.grade)}"></td>
      <td><input id="grade-minScore-${i}" type="number" min="0" max="100" step="any" aria-label="Grade ${esc(g.grade)}: minimum score" value="${g.minScore ?? ""}"${i === 0 ? ' readonly aria-describedby="grade-top-help"' : ""}></td>
      <td><input id="grade-label-${i}" class="grade-label" maxlength="80" aria-label="Grade ${esc(g.grade)}: label" value="${esc(g.label || "")}"></td>
      <td><button type="button" class="remove" aria-label="Remove grade ${esc(g.grade)}" ${r.grades.length < 2 ? "disabled" : ""}>Remove</button></td>`;
    tr.querySelector(".grade-name").addEventListener("input", (e) => { g.grade = e.target.value.trim(); gradesEdited(); });
    tr.querySelector('input[type="number"]').addEventListener("input", (e) => {
      g.minScore = Number.isFinite(e.target.valueAsNumber) ? e.target.valueAsNumber : null;
      gradesEdited();
    });
    tr.querySelector(".grade-label").addEventListener("input", (e) => { g.label = e.target.value; gradesEdited(); });
    tr.querySelector(".remove").addEventListener("click", () => {
      r.grades.splice(i, 1);
      renderGrades();
      gradesEdited();
      $("grade-add").focus();
    });
    return tr;
  }));
  $("hysteresis").value = r.thresholds.hysteresis;
  checkGrades();
}

function addGrade() {
  const r = state.working.rules;
  const last = r.grades[r.grades.length - 1];
  r.grades.push({ grade: last ? String.fromCharCode(last.grade.charCodeAt(0) + 1) : "A", minScore: null, label: "" });
  renderGrades();
  gradesEdited();
  $(`grade-minScore-${r.grades.length - 1}`).focus();
}

function gradesEdited() {
  renderEditing();
  if (checkGrades()) scheduleWhatIf(300);
}

/** Client-side checks of the grade bands and hysteresis; shows what is wrong next to the fields. True when all is well. */
function checkGrades() {
  const editor = $("grades-editor");
  clearErrors(editor, "grades-errors");
  const r = state.working.rules;
  const seen = new Set();
  r.grades.forEach((g, i) => {
    const name = g.grade || `#${i + 1}`;
    if (!g.grade) fieldError(`grade-grade-${i}`, `Grade ${i + 1} needs a letter or name.`);
    else if (seen.has(g.grade)) fieldError(`grade-grade-${i}`, `Grade ${g.grade} appears twice.`);
    seen.add(g.grade);
    if (!Number.isFinite(g.minScore)) fieldError(`grade-minScore-${i}`, `Grade ${name} needs a minimum score.`);
    else if (g.minScore < 0 || g.minScore > 100) fieldError(`grade-minScore-${i}`, `Grade ${name}'s minimum score is ${g.minScore}; it lies between 0 and 100.`);
    else if (i > 0 && Number.isFinite(r.grades[i - 1].minScore) && g.minScore >= r.grades[i - 1].minScore) {
      fieldError(`grade-minScore-${i}`, `Grade ${name}'s minimum (${g.minScore}) must be below grade ${r.grades[i - 1].grade || i}'s (${r.grades[i - 1].minScore}): grades run best first${i === 1 ? ", and the top grade starts where sales-ready starts" : ""}.`);
    }
  });
  const h = r.thresholds.hysteresis;
  if (!Number.isFinite(h) || h < 0) fieldError("hysteresis", "The hysteresis is a number of points, 0 or more.");
  const ok = !editor.querySelector('[aria-invalid="true"]');
  $("whatif").classList.toggle("stale", !ok);
  return ok;
}

function toggleGrades(open, focus) {
  const show = open ?? $("grades-editor").hidden;
  $("grades-editor").hidden = !show;
  $("grades-open").setAttribute("aria-expanded", String(show));
  if (focus) (show ? $("grade-minScore-0") : $("grades-open"))?.focus();
}

// ---- field errors and problem details -------------------------------------------------------------------------------

/** Marks a field invalid and writes the message next to it (its "-error" element) and in the form's list. */
function fieldError(id, message, path) {
  const field = $(id);
  if (!field) return;
  field.setAttribute("aria-invalid", "true");
  const slot = $(`${id}-error`);
  const container = field.closest(".editor");
  const list = container && container.querySelector(".errors");
  const text = path ? `${message} (${path})` : message;
  if (slot) {
    slot.textContent = text;
    field.setAttribute("aria-describedby", slot.id);
  } else if (list) {
    const li = document.createElement("li");
    li.textContent = text;
    list.append(li);
  }
}

function clearErrors(container, listId) {
  for (const el of container.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute("aria-invalid");
  for (const el of container.querySelectorAll(".field-error")) el.textContent = "";
  $(listId).replaceChildren();
}

const CRITERION_FIELDS = { "condition.feature": "nc-feature", "condition.op": "nc-op", "condition.value": "nc-value", "condition.upper": "nc-upper",
  points: "nc-points", label: "nc-label", id: "nc-label", group: "nc-group" };

/**
 * Shows a failed request: each JSON path of a problem's errors goes next to its field (the criterion form for the
 * criterion being added, the grade editor, a row of the table) and the whole answer goes to the status line.
 */
function showProblem(err, what, addingIndex) {
  const errors = err.problem && err.problem.errors ? Object.entries(err.problem.errors) : [];
  let focus = null;
  for (const [path, messages] of errors) {
    const message = [].concat(messages).join(" ");
    if (knockOutProblem(path, message)) continue;
    let m;
    if ((m = /^\$\.criteria\[(\d+)\](?:\.(.+))?$/.exec(path))) {
      const i = Number(m[1]);
      if (i === addingIndex) {
        const id = CRITERION_FIELDS[m[2]];
        if (id) fieldError(id, `${message}`, path);
        else $("nc-errors").append(Object.assign(document.createElement("li"), { textContent: `${path}: ${message}` }));
        focus ??= id || "nc-search";
      } else {
        const c = state.working.rules.criteria[i];
        const row = c && $("criteria").querySelector(`tr[data-id="${CSS.escape(c.id)}"]`);
        if (row) {
          row.querySelector(".row-error").textContent = `${message} (${path})`;
          const input = m[2] === "points" ? row.querySelector(".points") : null;
          if (input) input.setAttribute("aria-invalid", "true");
          row.hidden = false;
          row.scrollIntoView({ block: "nearest" });
        }
      }
    } else if ((m = /^\$\.grades(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(path))) {
      toggleGrades(true);
      const id = m[1] !== undefined ? `grade-${m[2] || "minScore"}-${m[1]}` : "grade-add";
      if (m[1] !== undefined) fieldError(id, message, path);
      else $("grades-errors").append(Object.assign(document.createElement("li"), { textContent: `${path}: ${message}` }));
      focus ??= id;
    } else if (path === "$.thresholds.hysteresis") {
      toggleGrades(true);
      fieldError("hysteresis", message, path);
      focus ??= "hysteresis";
    } else if (path === "$.thresholds.salesReady" || path === "$.basePoints") {
      const id = path === "$.basePoints" ? "base-points" : "sales-ready";
      $(id).setAttribute("aria-invalid", "true");
      focus ??= id;
    }
  }
  // A refused new criterion leaves the draft as it was; a refused draft leaves the what-if figures behind it.
  if (errors.length && addingIndex === undefined) $("whatif").classList.add("stale");
  status(`${what}: ${err.message}`, true);
  if (focus && $(focus) && addingIndex !== undefined) $(focus).focus();
}

// ---- what-if ---------------------------------------------------------------------------------------------------------

function scheduleWhatIf(delay) {
  clearTimeout(state.timer);
  state.timer = setTimeout(runWhatIf, delay);
}

async function runWhatIf() {
  // Bands the page already knows to be wrong are not sent; their messages stand next to the fields.
  if (!checkGrades()) return;
  const seq = ++state.whatIfSeq;
  $("whatif").setAttribute("aria-busy", "true");
  try {
    const r = await api("POST", `/rulesets/${encodeURIComponent(state.model)}/whatif`, state.working.rules);
    if (seq !== state.whatIfSeq) return;
    clearServerErrors();
    renderWhatIf(r);
  } catch (e) {
    if (seq === state.whatIfSeq) showProblem(e, "What-if failed");
  } finally {
    if (seq === state.whatIfSeq) $("whatif").removeAttribute("aria-busy");
  }
}

// The fit × engagement matrix of the draft: each cell's conversion rate and leads, shaded by rate.
function renderMatrix(cells) {
  const box = $("whatif-matrix");
  box.hidden = !cells || cells.length === 0;
  if (box.hidden) return;
  const byCell = new Map(cells.map((c) => [c.cell, c]));
  const top = Math.max(...cells.map((c) => c.conversionRate), 0.0001);
  const letters = [...new Set(cells.map((c) => c.cell.replace(/[0-9]/g, "")))];
  const digits = [...new Set(cells.map((c) => c.cell.replace(/[A-Z]/g, "")))];
  box.querySelector("tbody").replaceChildren(...letters.map((l) => {
    const tr = document.createElement("tr");
    tr.innerHTML = `<th scope="row">${esc(l || "all")}</th>` + digits.map((d) => {
      const c = byCell.get(l + d);
      const shade = c && c.leads > 0 ? Math.round(230 - 130 * (c.conversionRate / top)) : 245;
      return `<td class="num cell" data-cell="${esc(l + d)}" style="background: rgb(${shade}, ${Math.round(shade + (255 - shade) * 0.3)}, 255)">${c && c.leads > 0 ? `${pct(c.conversionRate)}<br><small>${c.leads.toLocaleString("en")}</small>` : "–"}</td>`;
    }).join("");
    return tr;
  }));
}

function clearServerErrors() {
  for (const el of document.querySelectorAll("#criteria .row-error")) el.textContent = "";
  for (const el of document.querySelectorAll('#criteria [aria-invalid="true"], #base-points, #sales-ready')) el.removeAttribute("aria-invalid");
  $("whatif").classList.remove("stale");
  if ($("status").className === "error" && /^What-if failed/.test($("status").textContent)) status("");
}

function renderWhatIf(r) {
  const d = r.candidate, f = r.inForce;
  $("whatif-rows").textContent = `${r.rows.toLocaleString("en")} test-period leads, ${r.conversions.toLocaleString("en")} converted, ${r.months} months`;
  $("whatif-inforce-label").textContent = `(${f.ruleSet})`;
  $("whatif-draft-auc").textContent = num(d.rocAuc, 3);
  $("whatif-inforce-auc").textContent = num(f.rocAuc, 3);
  $("whatif-draft-ready").textContent = num(d.salesReadyPerMonth, 0);
  $("whatif-inforce-ready").textContent = num(f.salesReadyPerMonth, 0);
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
  renderMatrix(d.matrix);
  renderBlend(r);
  renderKnockOutWhatIf(r);
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
  if (!checkGrades()) {
    toggleGrades(true, true);
    throw new Error("the grade bands or the hysteresis need fixing first (see beside them)");
  }
  const w = state.working;
  const base = `/rulesets/${encodeURIComponent(state.model)}`;
  if (w.version === null) {
    const { data: created, etag } = await apiTagged("POST", `${base}/drafts`, { from: w.basedOn || null, createdBy: $("approver").value.trim() || null });
    w.version = created.summary.version;
    w.etag = etag;
    chooseDraft(w.version);
  }
  // The table is the whole list: criteria removed on this page are meant to go, so the PUT says so.
  const { data: saved, etag } = await apiTagged("PUT", `${base}/${w.version}`, { ...w.rules, dropMissing: true, editedBy: $("approver").value.trim() || null }, w.etag);
  w.etag = etag;
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
    showProblem(e, "Not saved");
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
    if (!(await confirmImpact(v, "approve"))) {
      await loadModel(state.model, true);
      status(`Draft v${v} saved, not approved.`);
      return;
    }
    await api("POST", `/rulesets/${encodeURIComponent(state.model)}/${v}/approve`, { approvedBy, comment: $("comment").value.trim() || null },
      state.working.etag);
    $("comment").value = "";
    forgetDraft(v);
    await loadModel(state.model);
    status(`Version v${v} approved by ${approvedBy} and in force.`);
  } catch (e) {
    showProblem(e, "Not approved");
  }
}

async function onCreateDraft() {
  if (!leaveWorking("start a new draft")) return;
  try {
    const from = Number($("draft-from").value);
    const { data: created, etag } = await apiTagged("POST", `/rulesets/${encodeURIComponent(state.model)}/drafts`, { from, createdBy: $("approver").value.trim() || null });
    setWorking(created.summary.version, created.summary.basedOn, created.rules, etag);
    chooseDraft(created.summary.version);
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

async function showDiff(a, b) {
  // Always from the older version to the newer (the suggestion is the oldest), whichever was clicked.
  const [from, to] = a <= b ? [a, b] : [b, a];
  try {
    const d = await api("GET", `/rulesets/${encodeURIComponent(state.model)}/diff?from=${from}&to=${to}`);
    const n = (v) => (v === 0 ? "suggestion" : `v${v}`);
    // The Api says every change in words (sentences); the page shows them all, as they are.
    const items = d.sentences || [];
    $("diff").innerHTML = `<h3>${n(from)} → ${n(to)} <small>(older → newer)</small></h3>`
      + (items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>` : "<p>No difference.</p>");
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
    if (!(await confirmImpact(version, "restore"))) {
      status(`${version === 0 ? "The suggestion" : "v" + version} not restored.`);
      return;
    }
    const r = await api("POST", `/rulesets/${encodeURIComponent(state.model)}/${version}/restore`, { restoredBy, comment: $("comment").value.trim() || null });
    $("comment").value = "";
    await loadModel(state.model);
    status(`${version === 0 ? "The suggestion" : "v" + version} restored as v${r.summary.version}, now in force.`);
  } catch (e) {
    status(`Not restored: ${e.message}`, true);
  }
}

// ---- open drafts: the one this tab edits, the others to choose or discard, the audit ---------------------------------------

const draftKey = () => `leadml.draft.${state.model}`;
const thousands = (v) => Number(v).toLocaleString("en");
const minuteOf = (t) => (t ? new Date(t).toISOString().slice(0, 16).replace("T", " ") : "");
const nameOrNone = (name) => (name ? name : "no name given");
const fromWords = (basedOn) => (basedOn ? `v${basedOn}` : "the suggestion");

function supportWords(sup) {
  return `${thousands(sup.leads)} leads matched, ${thousands(sup.conversions)} of them converted${sup.period ? ` (${sup.period} period)` : ""}`;
}

/** Remembers (in this tab) the draft the marketer chose, so that a reload opens that one and never someone else's newer draft. */
function chooseDraft(version) {
  sessionStorage.setItem(draftKey(), String(version));
}

function forgetDraft(version) {
  if (Number(sessionStorage.getItem(draftKey())) === version) sessionStorage.removeItem(draftKey());
}

/**
 * Opens the draft this tab chose, if it is still open; otherwise starts from the version in force (other drafts are
 * listed to choose from, none is opened for the marketer). Answers a sentence when the chosen draft is gone.
 */
async function openChosenDraft(list) {
  const chosen = Number(sessionStorage.getItem(draftKey()));
  const open = (list.drafts || []).some((d) => d.version === chosen);
  if (chosen && open) {
    await openDraft(chosen, true);
    return null;
  }
  setWorking(null, list.inForce.version, state.inForce);
  if (!chosen) return null;
  sessionStorage.removeItem(draftKey());
  return `Draft v${chosen}, which you were editing, is no longer open (approved or discarded).`;
}

function draftsHint(list) {
  const others = (list.drafts || []).filter((d) => d.version !== state.working.version);
  if (!others.length) return "";
  return state.working.version === null
    ? ` ${others.length} open draft${others.length > 1 ? "s" : ""}: open one under Open drafts, or edit here to start a new one.`
    : "";
}

/** Asks before the working copy's unsaved edits would be lost by opening something else. True to go on. */
function leaveWorking(what) {
  if (!dirty()) return true;
  const w = state.working;
  const name = w.version === null ? "your new draft" : `draft v${w.version}`;
  return window.confirm(`You have unsaved changes in ${name}. ${what[0].toUpperCase()}${what.slice(1)} and lose them?`);
}

function renderDrafts() {
  const drafts = (state.list && state.list.drafts) || [];
  const current = state.working && state.working.version;
  $("drafts-count").textContent = drafts.length ? `(${drafts.length})` : "";
  $("drafts-none").hidden = drafts.length > 0;
  $("drafts").hidden = drafts.length === 0;
  $("drafts").tBodies[0].replaceChildren(...drafts.map((d) => {
    const tr = document.createElement("tr");
    tr.id = `draft-${d.version}`;
    tr.classList.toggle("current", d.version === current);
    const changed = d.edits ? `${minuteOf(d.updatedAt)}<br><small>by ${esc(nameOrNone(d.updatedBy))}, ${d.edits} edit${d.edits > 1 ? "s" : ""}</small>` : `${minuteOf(d.createdAt)}<br><small>created</small>`;
    tr.innerHTML = `<td>v${d.version}${d.version === current ? ' <span class="tag ok">editing</span>' : ""}</td><td>${esc(nameOrNone(d.createdBy))}</td>
      <td>${fromWords(d.basedOn)}</td><td>${changed}</td><td class="buttons"></td>`;
    const cell = tr.querySelector(".buttons");
    const add = (text, label, fn) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", `${label} v${d.version} by ${nameOrNone(d.createdBy)}`);
      b.addEventListener("click", fn);
      cell.append(b);
    };
    if (d.version !== current) add("Open", "Open draft", () => openDraft(d.version).catch((e) => status(`Not opened: ${e.message}`, true)));
    add("Discard", "Discard draft", () => discardDraft(d));
    return tr;
  }));
}

async function discardDraft(d) {
  const mine = state.working && state.working.version === d.version;
  const unsaved = mine && dirty() ? " Your unsaved changes to it go too." : "";
  if (!window.confirm(`Discard draft v${d.version} by ${nameOrNone(d.createdBy)} (from ${fromWords(d.basedOn)})? It cannot be undone.${unsaved}`)) return;
  const base = `/rulesets/${encodeURIComponent(state.model)}`;
  try {
    // The tag of the draft as this page read it: a draft changed since by someone else is not discarded unseen.
    let etag = mine ? state.working.etag : null;
    if (!etag) etag = (await apiTagged("GET", `${base}/${d.version}`)).etag;
    const by = $("approver").value.trim();
    await api("DELETE", `${base}/${d.version}${by ? `?discardedBy=${encodeURIComponent(by)}` : ""}`, undefined, etag);
    forgetDraft(d.version);
    if (mine) setWorking(null, state.list.inForce.version, state.inForce);
    await loadModel(state.model, !mine);
    status(`Draft v${d.version} discarded.`);
  } catch (e) {
    status(e.status === 412
      ? `Not discarded: 412, draft v${d.version} was changed by someone else since you opened it; open it again to see their change.`
      : `Not discarded: ${e.message}`, true);
  }
}

const ACTIONS = { created: "created", edited: "edited", approved: "approved", discarded: "discarded" };

/** The audit, newest first: who did what to which version, and for an edit what it changed, in the Api's words. */
function renderAudit() {
  const entries = [...(state.audit || [])].reverse();
  $("audit-list").replaceChildren(...entries.map((a) => {
    const li = document.createElement("li");
    const name = a.version === 0 ? "the suggestion" : `v${a.version}`;
    li.innerHTML = `<span class="when">${minuteOf(a.at)}</span> ${name} ${esc(ACTIONS[a.action] || a.action)} by ${esc(nameOrNone(a.actor))}${a.detail ? `: ${esc(a.detail)}` : ""}`;
    return li;
  }));
}

// ---- knock-outs -----------------------------------------------------------------------------------------------------------
// Conditions that disqualify a lead whatever its points (never sales-ready, the lowest grade): edited like criteria
// (on/off, remove, add a new one), the trainer's suggestions accepted into the draft or not, counted by the what-if.

const ko = { figures: null };
const knockOutsOf = (rules) => (rules && rules.knockOuts) || [];
const koLabel = (k) => k.label;

function koEvidence(e) {
  if (!e) return "";
  return `${e.leads.toLocaleString("en")} leads, ${pct(e.conversionRate)} converted (every lead ${pct(e.baseRate)}; 90 % upper bound ${pct(e.rateUpper)})`;
}

function renderKnockOuts() {
  const w = state.working;
  if (!w) return;
  w.rules.knockOuts ||= [];
  const suggested = new Map(knockOutsOf(state.suggestion).map((k) => [k.id, k]));
  const inForce = new Map(knockOutsOf(state.inForce).map((k) => [k.id, k]));
  const counts = new Map(((ko.figures && ko.figures.knockOuts) || []).map((k) => [k.id, k]));
  const rows = w.rules.knockOuts.map((k, i) => {
    const tr = document.createElement("tr");
    tr.dataset.id = k.id;
    const e = k.evidence;
    const s = suggested.get(k.id);
    const f = inForce.get(k.id);
    const label = koLabel(k);
    const tag = !f ? (s ? ' <span class="tag">suggested</span>' : ' <span class="tag new">new</span>') : "";
    const count = counts.get(k.id);
    tr.innerHTML = `
      <td><input type="checkbox" class="ko-enabled" id="ko-on-${i}" aria-label="Apply knock-out ${esc(label)}" ${k.enabled !== false ? "checked" : ""}></td>
      <td><label for="ko-on-${i}" class="label">${esc(label)}${tag}</label>
        <div class="desc" title="${esc(k.description || "")}">${esc(k.description || (e ? "" : "no evidence from training"))}</div><small class="field-error row-error"></small></td>
      <td class="num">${e ? `${e.leads.toLocaleString("en")} <small>(${e.conversions})</small>` : "–"}</td>
      <td class="num" title="every lead: ${e ? pct(e.baseRate) : "–"}">${e ? pct(e.conversionRate) : "–"}</td>
      <td class="num">${e ? pct(e.rateUpper) : "–"}</td>
      <td class="num ko-count">${count ? count.leads.toLocaleString("en") : "–"}</td>
      <td><button type="button" class="ko-remove" aria-label="Remove knock-out ${esc(label)}">Remove</button></td>`;
    const mark = () => {
      tr.classList.toggle("changed", !f || f.enabled !== (k.enabled !== false) || JSON.stringify(f.condition) !== JSON.stringify(k.condition));
      tr.classList.toggle("disabled", k.enabled === false);
    };
    tr.querySelector(".ko-enabled").addEventListener("change", (ev) => {
      k.enabled = ev.target.checked;
      mark();
      knockOutsEdited();
    });
    tr.querySelector(".ko-remove").addEventListener("click", () => {
      w.rules.knockOuts.splice(w.rules.knockOuts.indexOf(k), 1);
      renderKnockOuts();
      knockOutsEdited();
      status(`Removed the knock-out "${label}" from the draft.`);
      $("ko-add-open").focus();
    });
    mark();
    return tr;
  });
  $("knockouts-table").tBodies[0].replaceChildren(...rows);
  $("knockouts-table").hidden = rows.length === 0;
  $("knockouts-empty").hidden = rows.length > 0;
  const held = new Set(w.rules.knockOuts.map((k) => k.id));
  const open = [...suggested.values()].filter((k) => !held.has(k.id));
  $("knockouts-suggested").hidden = open.length === 0;
  $("knockouts-suggested-list").replaceChildren(...open.map((k) => {
    const li = document.createElement("li");
    li.dataset.id = k.id;
    li.innerHTML = `<strong>${esc(koLabel(k))}</strong> <small>${esc(koEvidence(k.evidence))}</small> `;
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Accept";
    b.setAttribute("aria-label", `Accept knock-out ${koLabel(k)}`);
    b.addEventListener("click", () => {
      w.rules.knockOuts.push(clone(k));
      renderKnockOuts();
      knockOutsEdited();
      status(`Accepted the knock-out "${koLabel(k)}"; save the draft to keep it.`);
      $("knockouts-table").querySelector(`tr[data-id="${CSS.escape(k.id)}"] .ko-enabled`)?.focus();
    });
    li.append(b);
    return li;
  }));
}

function knockOutsEdited() {
  renderEditing();
  scheduleWhatIf(300);
}

/** The what-if's figures of the knock-outs: leads they disqualify (draft and in force), and per knock-out in the table. */
function renderKnockOutWhatIf(r) {
  const d = r.candidate.disqualified;
  const f = r.inForce.disqualified;
  ko.figures = d || null;
  const p = $("whatif-knockouts");
  p.hidden = !d || (d.leads === 0 && (!f || f.leads === 0));
  if (!p.hidden) {
    p.textContent = `Knock-outs disqualify ${num(d.perMonth, 0)} leads / month in the draft (${d.leads.toLocaleString("en")} test-period leads, ${pct(d.conversionRate)} of them converted)`
      + `; in force: ${f ? num(f.perMonth, 0) : "–"} / month.`;
  }
  const counts = new Map(((d && d.knockOuts) || []).map((k) => [k.id, k]));
  for (const tr of $("knockouts-table").tBodies[0].rows) {
    const c = counts.get(tr.dataset.id);
    tr.querySelector(".ko-count").textContent = c ? c.leads.toLocaleString("en") : "–";
  }
}

/** A problem at a knock-out's path goes next to its row (a new one being added is handled by its form). */
function knockOutProblem(path, message) {
  const m = /^\$\.knockOuts(?:\[(\d+)\](?:\.(.+))?)?$/.exec(path);
  if (!m) return false;
  const k = m[1] !== undefined ? state.working.rules.knockOuts[Number(m[1])] : null;
  const row = k && $("knockouts-table").querySelector(`tr[data-id="${CSS.escape(k.id)}"]`);
  if (row) {
    row.querySelector(".row-error").textContent = `${message} (${path})`;
    row.scrollIntoView({ block: "nearest" });
  }
  return true;
}

function fillKnockOutFeatures() {
  const select = $("ko-feature");
  const current = select.value;
  const matches = featuresMatching($("ko-search").value);
  select.replaceChildren(...matches.map((f) => new Option(f.label, f.name)));
  $("ko-count").textContent = `${matches.length} of ${state.features.length}`;
  if (matches.some((f) => f.name === current)) select.value = current;
  if (select.value !== current) knockOutFeatureChosen();
}

function knockOutFeatureChosen() {
  const f = state.featureByName.get($("ko-feature").value);
  if (!f) return;
  // A knock-out on a "days since" feature starts as a long silence.
  const [op, value] = startingComparison(f, ["gte", 90]);
  $("ko-op").value = op;
  $("ko-value").value = value;
  $("ko-upper").value = "";
  showValueFields("ko");
}


function openKnockOutForm() {
  if (!state.working) return;
  const f = $("knockout-form");
  f.hidden = false;
  $("ko-add-open").setAttribute("aria-expanded", "true");
  clearErrors(f, "ko-errors");
  $("ko-search").value = "";
  $("ko-label").value = "";
  fillKnockOutFeatures();
  knockOutFeatureChosen();
  $("ko-search").focus();
}

function closeKnockOutForm() {
  $("knockout-form").hidden = true;
  $("ko-add-open").setAttribute("aria-expanded", "false");
  $("ko-add-open").focus();
}

const KNOCKOUT_FIELDS = { "condition.feature": "ko-feature", "condition.op": "ko-op", "condition.value": "ko-value", "condition.upper": "ko-upper", label: "ko-label", id: "ko-label" };

async function addKnockOut(event) {
  event.preventDefault();
  const form = $("knockout-form");
  clearErrors(form, "ko-errors");
  const label = $("ko-label").value.trim();
  const problems = conditionProblems("ko");
  if (problems.length) {
    for (const [id, message] of problems) fieldError(id, message);
    $(problems[0][0]).focus();
    return;
  }
  const condition = formCondition("ko");
  const f = state.featureByName.get(condition.feature);
  const id = uniqueId(label || (f ? f.label : condition.feature), state.working.rules.knockOuts, "knock-out");
  // Left without a label, the knock-out reads as the condition in the Api's words (the label the server saves).
  const knockOut = { id, description: "", enabled: true, condition, ...(label ? { label } : {}) };
  const candidate = clone(state.working.rules);
  candidate.knockOuts.push(knockOut);
  const index = candidate.knockOuts.length - 1;
  const seq = ++state.whatIfSeq;
  $("ko-add").disabled = true;
  try {
    // The what-if checks the rule set as an edit would, so the knock-out is validated before it joins the table.
    const result = await api("POST", `/rulesets/${encodeURIComponent(state.model)}/whatif`, candidate);
    knockOut.label ||= await conditionLabel(condition);
    state.working.rules.knockOuts.push(knockOut);
    renderKnockOuts();
    renderEditing();
    if (seq === state.whatIfSeq) renderWhatIf(result);
    $("knockout-form").hidden = true;
    $("ko-add-open").setAttribute("aria-expanded", "false");
    $("knockouts-table").querySelector(`tr[data-id="${CSS.escape(id)}"] .ko-enabled`)?.focus();
    status(`Added the knock-out "${koLabel(knockOut)}"; save the draft to keep it.`);
  } catch (e) {
    const errors = e.problem && e.problem.errors ? Object.entries(e.problem.errors) : [];
    let focus = null;
    for (const [path, messages] of errors) {
      const m = /^\$\.knockOuts\[(\d+)\](?:\.(.+))?$/.exec(path);
      const message = [].concat(messages).join(" ");
      if (m && Number(m[1]) === index && KNOCKOUT_FIELDS[m[2]]) {
        fieldError(KNOCKOUT_FIELDS[m[2]], message, path);
        focus ??= KNOCKOUT_FIELDS[m[2]];
      } else {
        $("ko-errors").append(Object.assign(document.createElement("li"), { textContent: `${path}: ${message}` }));
      }
    }
    status(`Not added: ${e.message}`, true);
    if (focus) $(focus).focus();
  } finally {
    $("ko-add").disabled = false;
  }
}

function initKnockOuts() {
  $("ko-add-open").addEventListener("click", () => ($("knockout-form").hidden ? openKnockOutForm() : closeKnockOutForm()));
  $("knockout-form").addEventListener("submit", addKnockOut);
  $("knockout-form").addEventListener("keydown", (e) => {
    if (e.key === "Escape") closeKnockOutForm();
  });
  $("ko-cancel").addEventListener("click", closeKnockOutForm);
  $("ko-search").addEventListener("input", fillKnockOutFeatures);
  $("ko-feature").addEventListener("change", knockOutFeatureChosen);
  $("ko-op").addEventListener("change", () => showValueFields("ko"));
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

mountConditionPickers();
$("key-form").addEventListener("submit", connect);
$("model").addEventListener("change", (e) => {
  if (!leaveWorking(`switch to model ${e.target.value}`)) {
    e.target.value = state.model;
    return;
  }
  loadModel(e.target.value).catch((err) => status(err.message, true));
});
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
    if (checkGrades()) scheduleWhatIf(300);
    else if (id === "sales-ready") toggleGrades(true);
  });
}
$("hysteresis").addEventListener("input", (e) => {
  const r = state.working.rules;
  r.thresholds = { ...r.thresholds, hysteresis: Number.isFinite(e.target.valueAsNumber) ? e.target.valueAsNumber : null };
  gradesEdited();
});
$("grades-open").addEventListener("click", () => toggleGrades(undefined, true));
$("grade-add").addEventListener("click", addGrade);
$("grades-editor").addEventListener("keydown", (e) => {
  if (e.key === "Escape") toggleGrades(false, true);
});
$("add-open").addEventListener("click", () => ($("criterion-form").hidden ? openCriterionForm() : closeCriterionForm()));
$("criterion-form").addEventListener("submit", addCriterion);
$("criterion-form").addEventListener("keydown", (e) => {
  if (e.key === "Escape") closeCriterionForm();
});
$("nc-cancel").addEventListener("click", closeCriterionForm);
$("nc-search").addEventListener("input", fillFeatureOptions);
$("nc-search").addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown") {
    e.preventDefault();
    $("nc-feature").focus();
  }
});
$("nc-feature").addEventListener("change", featureChosen);
$("nc-op").addEventListener("change", comparisonChosen);
for (const id of ["nc-value", "nc-upper"]) $(id).addEventListener("input", relabel);
$("nc-label").addEventListener("input", (e) => { form.labelTouched = e.target.value.trim() !== ""; });
// A reload or a closed tab would lose unsaved edits: the browser asks first.
window.addEventListener("beforeunload", (e) => {
  if (!dirty()) return;
  e.preventDefault();
  e.returnValue = "";
});
// The name typed once is kept for this tab: edits, drafts and discards are audited under it.
$("approver").value = sessionStorage.getItem("leadml.name") || "";
$("approver").addEventListener("input", (e) => sessionStorage.setItem("leadml.name", e.target.value.trim()));
initKnockOuts();
const stored = sessionStorage.getItem(KEY_STORE);
if (stored) {
  $("api-key").value = stored;
  connect();
}
