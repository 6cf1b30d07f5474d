// LeadML review page: what a rule set does before it is in force. The blend the what-if's scores are made with (they
// are the scores /score answers) with the rule points alone beside; the impact on the stored leads that approving and
// restoring ask to confirm; and one lead tried under the draft and the rule set in force. Uses review.js's state, api()
// and helpers ($, num, pct, esc, status).
"use strict";

const plural = (n, one, many) => `${Number(n).toLocaleString("en")} ${n === 1 ? one : many || one + "s"}`;

// ---- the blend under the what-if ---------------------------------------------------------------------------------------

/** The what-if's scores are live scores: say how they are blended, and show the rule points alone beside them. */
function renderBlend(r) {
  $("whatif-blend").textContent = `Live scores, as the Api scores leads: ${r.formula} (model weight ${num(r.blendWeight, 2)}). ` +
    "Rows marked “rule points alone” leave the model’s part out.";
  for (const [side, figures] of [["draft", r.candidate], ["inforce", r.inForce]]) {
    const alone = figures.rulePointsAlone;
    $(`whatif-${side}-points-auc`).textContent = alone ? num(alone.rocAuc, 3) : "–";
    $(`whatif-${side}-points-ready`).textContent = alone ? num(alone.salesReadyPerMonth, 0) : "–";
  }
}

// ---- impact before approving or restoring ----------------------------------------------------------------------------------

/** Shows what putting <version> in force would do to the stored open leads and asks to confirm; resolves true to go on. */
async function confirmImpact(version, action) {
  const impact = await api("GET", `/rulesets/${encodeURIComponent(state.model)}/${version}/impact`);
  const name = version === 0 ? "the suggestion" : `v${version}`;
  $("impact-title").textContent = action === "approve" ? `Approve draft ${name} and put it in force?` : `Restore ${name} and put it in force?`;
  $("impact-confirm").textContent = action === "approve" ? "Approve" : "Restore";
  const items = [];
  if (!impact.leadStore) {
    $("impact-summary").textContent = "This Api keeps no lead store: no stored lead changes and no alert fires. Scores answered from now on use it.";
  } else {
    $("impact-summary").textContent = `Of ${plural(impact.openLeads, "stored open lead")}, scored now as they would be after the change (instead of ${impact.inForce === "suggested" ? "the suggestion" : impact.inForce}, in force now):`;
    const moves = impact.gradeMoves.slice(0, 6).map((m) => `${m.from ?? "not scored"} → ${m.to}: ${m.leads}`).join(", ");
    items.push([`${plural(impact.gradeChanges, "lead changes", "leads change")} grade${moves ? ` (${moves}${impact.gradeMoves.length > 6 ? ", …" : ""})` : ""}`]);
    items.push([`${plural(impact.becomeSalesReady, "lead becomes", "leads become")} sales-ready, ${plural(impact.stopBeingSalesReady, "lead stops", "leads stop")} being sales-ready ` +
      `(sales-ready leads: ${impact.salesReadyBefore} → ${impact.salesReadyAfter})`]);
    items.push([`${plural(impact.alerts, "alert")} will fire (${impact.alerts === 1 ? "it goes" : "they go"} to sales through the webhooks)`]);
    if (impact.alertsHeldBack > 0) {
      items.push([`${plural(impact.alertsHeldBack, "alert")} held back: at most ${impact.maxPerRuleSetChange} alerts fire per rule-set change; ` +
        "those leads change state without an alert", "held"]);
    }
  }
  $("impact-list").replaceChildren(...items.map(([text, cls]) => Object.assign(document.createElement("li"), { textContent: text, className: cls || "" })));
  const dialog = $("impact-dialog");
  dialog.returnValue = "";
  dialog.showModal();
  $("impact-cancel").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true }));
}

// ---- test one lead -------------------------------------------------------------------------------------------------------------

async function onTryout(event) {
  event.preventDefault();
  const errors = $("tryout-errors");
  errors.replaceChildren();
  for (const id of ["tryout-id", "tryout-json"]) $(id).removeAttribute("aria-invalid");
  const id = $("tryout-id").value.trim();
  const text = $("tryout-json").value.trim();
  const say = (message, field) => {
    errors.append(Object.assign(document.createElement("li"), { textContent: message }));
    if (field) $(field).setAttribute("aria-invalid", "true");
  };
  if (!id && !text) return say("Type a stored lead's id, or paste a lead as JSON.", "tryout-id");
  if (id && text) return say("Type a lead id or paste a lead, not both.", "tryout-id");
  const body = { rules: state.working.rules };
  if (id) body.leadId = id;
  else {
    try {
      body.lead = JSON.parse(text);
    } catch (e) {
      return say(`The pasted lead is not JSON: ${e.message}.`, "tryout-json");
    }
  }
  $("tryout").setAttribute("aria-busy", "true");
  try {
    renderTryout(await api("POST", `/rulesets/${encodeURIComponent(state.model)}/whatif/lead`, body));
  } catch (e) {
    $("tryout-result").hidden = true;
    const found = e.problem && e.problem.errors ? Object.entries(e.problem.errors) : [];
    if (!found.length) say(`Not scored: ${e.message}`);
    // The Api's own words, at the JSON path it names (under "lead" for the pasted lead, "rules" for the draft).
    for (const [path, messages] of found) say(`${path}: ${[].concat(messages).join(" ")}`, path.startsWith("$.lead.") || path === "$.lead" ? "tryout-json" : path === "$.leadId" ? "tryout-id" : null);
  } finally {
    $("tryout").removeAttribute("aria-busy");
  }
}

/** The two answers side by side: score and its parts, grade, sales-ready, and what fired under each, in words. */
function renderTryout(r) {
  const d = r.candidate, f = r.inForce;
  $("tryout-inforce-label").textContent = `(${f.ruleSetVersion})`;
  const yes = (a) => (a.disqualified ? "no (disqualified)" : a.salesReady ? "yes" : "no");
  const rows = [
    ["Score", (a) => num(a.score, 2)],
    ["Grade", (a) => a.grade],
    ["Sales-ready", yes],
    ["Rule points", (a) => num(a.rulePoints.score, 2)],
    ["Model points", (a) => num(a.modelPoints.score, 2)],
    ["Score =", (a) => (a.blend ? `${num(1 - a.blend.modelWeight, 2)} × ${num(a.blend.ruleScore, 2)} + ${num(a.blend.modelWeight, 2)} × ${num(a.blend.modelScore, 2)}` : "–")],
  ];
  $("tryout-table").tBodies[0].replaceChildren(...rows.map(([label, value]) => {
    const tr = document.createElement("tr");
    const [a, b] = [value(d), value(f)];
    tr.innerHTML = `<th scope="row">${esc(label)}</th><td class="num${a !== b ? " differs" : ""}">${esc(a)}</td><td class="num">${esc(b)}</td>`;
    return tr;
  }));
  fired($("tryout-draft-fired"), d);
  fired($("tryout-inforce-fired"), f);
  $("tryout-result").hidden = false;
  status(`Lead ${r.leadId ?? "(no id)"} scored under the draft and ${f.ruleSetVersion}.`);
}

function fired(list, answer) {
  const items = [];
  for (const k of answer.knockOuts || []) items.push([`Knock-out: ${k.label}`, "knockout"]);
  for (const c of (answer.rulePoints && answer.rulePoints.criteria) || []) {
    const points = c.countedPoints > 0 ? `+${c.countedPoints}` : `${c.countedPoints}`;
    items.push([`${c.label}: ${points}${c.countedPoints !== c.points ? ` (of ${c.points}, capped)` : ""}`]);
  }
  if (!items.length) items.push(["no criterion fired"]);
  list.replaceChildren(...items.map(([text, cls]) => Object.assign(document.createElement("li"), { textContent: text, className: cls || "" })));
}

$("tryout-form").addEventListener("submit", onTryout);
