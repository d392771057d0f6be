// The acre workbench: three pages over the JSON API of `acre serve`. Everything the user
// or a file wrote reaches the page as text nodes (textContent), never as markup; charts are
// the server's own SVG, parsed as XML (scripts in it never run, and the policy forbids them).
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, attrs, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
};
// the yardstick's bands, lowest first: an underline colour each, dark enough to see
const BAND_INK = ["#b71c1c", "#e65100", "#c79100", "#827717", "#2e7d32", "#00838f", "#1565c0"];

// --- the API -------------------------------------------------------------------------
const params = new URLSearchParams(location.search);
if (params.get("token")) sessionStorage.setItem("acre-token", params.get("token"));
async function api(method, path, body, opts) {
  const headers = { "X-Acre": "1" };
  const token = sessionStorage.getItem("acre-token");
  if (token) headers["X-Acre-Token"] = token;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer) && typeof body !== "string") {
    body = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const r = await fetch(path, { method, headers, body, signal: opts && opts.signal });
  if (opts && opts.blob && r.ok) return { blob: await r.blob(), headers: r.headers };
  const data = await r.json().catch(() => ({ error: "the server's answer was not JSON" }));
  if (!r.ok) throw new Error(data.error + (data.help ? " (" + data.help + ")" : ""));
  return data;
}
const q = (o) => Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== "")
  .map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");

function svgInto(box, svgText, none) {
  box.replaceChildren();
  if (!svgText) { box.append(el("p", { class: "muted", text: none || "(nothing to draw)" })); return; }
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const root = doc.documentElement;
  if (root.nodeName !== "svg") return;
  box.append(document.importNode(root, true));
}

function download(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
}

// --- pages ---------------------------------------------------------------------------
const PAGES = ["review", "case", "library"];
function showPage() {
  const want = (location.hash || "#review").slice(1);
  const page = PAGES.includes(want) ? want : "review";
  for (const p of PAGES) {
    $("page-" + p).hidden = p !== page;
    const link = $("nav-" + p);
    if (p === page) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  if (page === "library" && !library.loaded) loadLibrary();
}
window.addEventListener("hashchange", showPage);

let FILES = { cases: [], drafts: [], yardsticks: [] };
async function loadFiles() {
  FILES = await api("GET", "/api/files");
  $("folder").textContent = FILES.folder;
  const fill = (sel, list, first) => {
    sel.replaceChildren(el("option", { value: "", text: first }));
    for (const f of list) sel.append(el("option", { value: f, text: f }));
  };
  fill($("draft-pick"), FILES.drafts, "(choose)");
  fill($("review-case"), FILES.cases, "(none)");
  fill($("case-pick"), FILES.cases, "(choose)");
  fill($("diff-old"), FILES.cases, "(choose)");
  fill($("diff-new"), FILES.cases, "(choose)");
  const ys = $("review-yardstick");
  ys.replaceChildren(el("option", { value: "", text: "(the case's, else PHIA)" }));
  for (const y of FILES.yardsticks) ys.append(el("option", { value: y.name, text: y.name + " — " + y.title }));
}

// --- review ----------------------------------------------------------------------------
const review = { data: null, accepted: new Set(), request: null };

async function reviewRequest() {
  // the draft: a file dropped or chosen, one from the folder, or pasted text
  const file = $("draft-file").files[0];
  const picked = $("draft-pick").value;
  const pasted = $("draft-paste").value;
  const query = { yardstick: $("review-yardstick").value };
  let draft;
  if (file) { draft = new Uint8Array(await file.arrayBuffer()); query.name = file.name; }
  else if (picked) { draft = new Uint8Array(0); query.path = picked; query.name = picked; }
  else if (pasted.trim()) { draft = new TextEncoder().encode(pasted); query.name = "pasted.md"; }
  else throw new Error("choose a draft, pick one from the folder, or paste text");
  const caseFile = $("review-case-file").files[0];
  let body = draft;
  if (caseFile) {
    const c = new Uint8Array(await caseFile.arrayBuffer());
    body = new Uint8Array(draft.length + c.length);
    body.set(draft, 0);
    body.set(c, draft.length);
    query.case_bytes = c.length;
  } else query.case = $("review-case").value;
  return { query, body: new Blob([body]) };
}

async function runReview(ev) {
  if (ev) ev.preventDefault();
  const status = $("review-status");
  status.textContent = "Reviewing…";
  try {
    review.request = await reviewRequest();
    review.data = await api("POST", "/api/review?" + q(review.request.query), review.request.body);
    review.accepted = new Set();
    renderReview();
    const s = review.data.summary;
    status.textContent = `${s.phrases} estimative phrase(s) under ${review.data.yardstick}; ${s.errors} error(s), ${s.warnings} warning(s), ${s.info} note(s).`;
  } catch (e) {
    status.textContent = "Could not review: " + e.message;
  }
}

function bandIndex(phrase) {
  const bands = review.data.bands;
  const i = bands.findIndex((b) => b.name === phrase.term);
  if (i >= 0) return i;
  if (!phrase.band) return -1;
  const mid = (phrase.band[0] + phrase.band[1]) / 2;
  return bands.findIndex((b) => mid >= b.lo && mid <= b.hi);
}

function renderReview() {
  const d = review.data;
  const text = d.text;
  const cuts = new Set([0, text.length]);
  for (const f of d.findings) { cuts.add(f.u16[0]); cuts.add(f.u16[1]); }
  for (const p of d.phrases) { cuts.add(p.u16[0]); cuts.add(p.u16[1]); }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
  const box = $("review-text");
  box.replaceChildren();
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    let node = document.createTextNode(text.slice(a, b));
    const phrase = d.phrases.findIndex((p) => p.u16[0] <= a && b <= p.u16[1] && p.u16[0] < p.u16[1]);
    if (phrase >= 0) {
      const p = d.phrases[phrase];
      const bi = bandIndex(p);
      const span = el("span", { class: "phrase", title: p.term ? `${p.term} (${p.band ? Math.round(p.band[0] * 100) + "-" + Math.round(p.band[1] * 100) + "%" : "no band"})` : p.kind });
      span.style.textDecorationColor = bi >= 0 ? BAND_INK[bi % BAND_INK.length] : "#777";
      span.append(node);
      if (b === p.u16[1] && p.band) span.append(el("span", { class: "band-tag", text: `[${Math.round(p.band[0] * 100)}–${Math.round(p.band[1] * 100)}%]` }));
      node = span;
    }
    const fi = d.findings.findIndex((f) => f.u16[0] <= a && b <= f.u16[1] && f.u16[0] < f.u16[1]);
    if (fi >= 0) {
      const f = d.findings[fi];
      const mark = el("mark", { class: "finding " + f.severity + (review.accepted.has(fi) ? " accepted" : ""), "data-finding": String(fi) });
      mark.append(node);
      if (b === f.u16[1]) {
        mark.append(el("span", { class: "num", text: String(fi + 1) }));
      }
      mark.addEventListener("click", () => showFinding(fi));
      node = mark;
    }
    box.append(node);
    // an accepted fix shows its replacement after the words it replaces
    if (fi >= 0 && b === d.findings[fi].u16[1] && review.accepted.has(fi) && d.findings[fi].fix) {
      box.append(el("ins", { class: "replacement", text: "→ " + d.findings[fi].fix.replacement }));
    }
  }
  const list = $("finding-list");
  list.replaceChildren();
  d.findings.forEach((f, i) => {
    const b = el("button", { type: "button", "data-finding": String(i) },
      el("span", { class: "sev " + f.severity, text: f.severity }),
      document.createTextNode(`${f.message} (line ${f.line})` + (review.accepted.has(i) ? " — fix accepted" : "")));
    b.addEventListener("click", () => showFinding(i));
    list.append(el("li", {}, b));
  });
  const fixable = d.findings.some((f) => f.fix);
  $("accept-all").disabled = !fixable;
  $("download-fixed").disabled = false;
  $("download-annotated").disabled = !d.annotatable;
  drawReviewChart();
}

function showFinding(i) {
  const f = review.data.findings[i];
  const rule = review.data.rules[f.rule] || {};
  for (const m of document.querySelectorAll(".finding.current")) m.classList.remove("current");
  for (const m of document.querySelectorAll(`mark[data-finding="${i}"]`)) m.classList.add("current");
  const first = document.querySelector(`mark[data-finding="${i}"]`);
  if (first) first.scrollIntoView({ block: "center" });
  const box = $("finding-detail");
  box.replaceChildren(
    el("p", {}, el("span", { class: "sev " + f.severity, text: f.severity }), el("strong", { text: `${i + 1}. ${f.message}` })),
    el("p", { class: "muted", text: `Rule ${f.rule}: ${rule.summary || ""}` }),
  );
  if (f.suggestion) box.append(el("p", { text: "Suggestion: " + f.suggestion }));
  if (rule.rationale) box.append(el("details", {}, el("summary", { text: "Why this rule" }), el("p", { text: rule.rationale }),
    el("p", { class: "muted", text: "Flagged: " + rule.bad }), el("p", { class: "muted", text: "Not flagged: " + rule.good })));
  if (f.fix) {
    const accepted = review.accepted.has(i);
    const b = el("button", { type: "button", id: "accept-one", text: accepted ? "Undo this fix" : `Accept fix: “${f.text}” → “${f.fix.replacement}”` });
    b.addEventListener("click", () => {
      if (review.accepted.has(i)) review.accepted.delete(i); else review.accepted.add(i);
      renderReview();
      showFinding(i);
    });
    box.append(b);
  }
}

function drawReviewChart() {
  const d = review.data;
  const NS = "http://www.w3.org/2000/svg";
  const w = 420, left = 12, right = 16, top = 8;
  const rows = Math.max(1, d.phrases.filter((p) => p.band).length);
  const h = top + 26 + rows * 14 + 24;
  const x = (p) => left + p * (w - left - right);
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `the draft's estimative phrases on the ${d.yardstick} yardstick`);
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  d.bands.forEach((b, i) => {
    const r = add("rect", { x: x(b.lo), y: top, width: Math.max(1, x(b.hi) - x(b.lo)), height: h - top - 20, fill: BAND_INK[i % BAND_INK.length], "fill-opacity": "0.15" });
    const t = document.createElementNS(NS, "title");
    t.textContent = `${b.name} (${Math.round(b.lo * 100)}-${Math.round(b.hi * 100)}%)`;
    r.append(t);
  });
  let row = 0;
  d.phrases.forEach((p) => {
    if (!p.band) return;
    const y = top + 30 + row * 14;
    row++;
    const bi = bandIndex(p);
    add("line", { x1: x(p.band[0]), x2: x(p.band[1]), y1: y, y2: y, stroke: bi >= 0 ? BAND_INK[bi % BAND_INK.length] : "#777", "stroke-width": 4 });
    const label = add("text", { x: Math.min(x(p.band[1]) + 4, w - 120), y: y + 4, "font-size": 10 }, p.text);
    const t = document.createElementNS(NS, "title");
    t.textContent = `“${p.text}” line ${p.line}: ${p.term || p.kind}`;
    label.append(t);
  });
  for (let k = 0; k <= 10; k += 2) add("text", { x: x(k / 10), y: h - 6, "font-size": 10, "text-anchor": "middle" }, k * 10 + "%");
  $("review-chart").replaceChildren(svg);
}

async function downloadFixed() {
  try {
    const accept = [...review.accepted].sort((a, b) => a - b).join(",");
    const r = await api("POST", "/api/review/fix?" + q({ ...review.request.query, accept }), review.request.body);
    const base = (review.request.query.name || "draft").replace(/\.[^.]+$/, "");
    download(new Blob([r.text], { type: "text/markdown" }), base + "-fixed.md");
    $("review-status").textContent = `Fixed text downloaded: ${r.applied} fix(es) applied` + (r.withheld ? `, ${r.withheld} held back (it would bring a new finding)` : "") + ".";
  } catch (e) { $("review-status").textContent = "Could not fix: " + e.message; }
}

async function downloadAnnotated() {
  try {
    const r = await api("POST", "/api/review/annotate?" + q(review.request.query), review.request.body, { blob: true });
    if (!r.blob) throw new Error("no document came back");
    const base = (review.request.query.name || "draft").replace(/\.[^.]+$/, "");
    download(r.blob, base + "-reviewed.docx");
    $("review-status").textContent = `Word copy downloaded with ${r.headers.get("X-Acre-Comments")} comment(s).`;
  } catch (e) { $("review-status").textContent = "Could not annotate: " + e.message; }
}

// --- case ------------------------------------------------------------------------------
const caseState = { path: "", version: "", timer: null, inflight: null, data: null, whatif: { removed: [], forced: {}, grades: {} }, dirty: false };

async function openCase(path) {
  if (!path) return;
  try {
    const r = await api("GET", "/api/file?" + q({ path }));
    caseState.path = path;
    caseState.version = r.version;
    caseState.whatif = { removed: [], forced: {}, grades: {} };
    $("case-text").value = r.text;
    caseState.dirty = false;
    $("case-save").disabled = false;
    $("case-report").hidden = false;
    $("case-report").href = "/report?" + q({ path });
    $("case-status").textContent = "Opened " + path;
    analyseNow();
  } catch (e) { $("case-status").textContent = "Could not open: " + e.message; }
}

function createCase() {
  let name = $("case-new").value.trim();
  if (!name) { $("case-status").textContent = "Name the new case first."; return; }
  if (!name.endsWith(".acre")) name += ".acre";
  caseState.path = name;
  caseState.version = "";
  caseState.whatif = { removed: [], forced: {}, grades: {} };
  $("case-text").value = 'case "A new case" {\n  question "Who did it?"\n  yardstick phia\n}\n\nhypothesis a "Actor A" prior 50%\nhypothesis other "Someone else" prior rest catch-all\n';
  caseState.dirty = true;
  $("case-save").disabled = false;
  $("case-report").hidden = true;
  $("case-status").textContent = `New case ${name} (not saved yet)`;
  analyseNow();
}

async function saveCase() {
  try {
    const r = await api("PUT", "/api/file?" + q({ path: caseState.path, version: caseState.version || "" }), $("case-text").value);
    caseState.version = r.version;
    caseState.dirty = false;
    $("case-status").textContent = "Saved " + r.path;
    $("case-report").hidden = false;
    $("case-report").href = "/report?" + q({ path: r.path });
    if (!FILES.cases.includes(r.path)) await loadFiles();
  } catch (e) { $("case-status").textContent = "Not saved: " + e.message; }
}

function scheduleAnalysis() {
  clearTimeout(caseState.timer);
  caseState.timer = setTimeout(analyseNow, 120);
}

async function analyseNow() {
  if (caseState.inflight) caseState.inflight.abort();
  const ctrl = new AbortController();
  caseState.inflight = ctrl;
  const text = $("case-text").value;
  highlight(text, caseState.data);
  try {
    const data = await api("POST", "/api/case?" + q({ path: caseState.path }), { text, whatif: caseState.whatif }, { signal: ctrl.signal });
    if (ctrl.signal.aborted || text !== $("case-text").value) return;
    caseState.data = data;
    renderCase(text, data);
  } catch (e) {
    if (e.name !== "AbortError") $("case-status").textContent = "Could not analyse: " + e.message;
  }
}

function highlight(text, data) {
  const pre = $("case-highlight");
  pre.replaceChildren();
  if (!data || !data.tokens) { pre.textContent = text + "\n"; return; }
  const cuts = new Set([0, text.length]);
  for (const [a, b] of data.tokens) { cuts.add(a); cuts.add(b); }
  for (const d of data.diagnostics) { cuts.add(d.start); cuts.add(Math.max(d.end, d.start + 1)); }
  const points = [...cuts].filter((c) => c <= text.length).sort((a, b) => a - b);
  let t = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k], points[k + 1]];
    while (t < data.tokens.length && data.tokens[t][1] <= a) t++;
    const classes = [];
    if (t < data.tokens.length && data.tokens[t][0] <= a && b <= data.tokens[t][1]) classes.push("t-" + data.tokens[t][2]);
    const d = data.diagnostics.find((d) => d.start <= a && b <= Math.max(d.end, d.start + 1));
    if (d) classes.push("d-" + d.severity);
    const piece = text.slice(a, b);
    pre.append(classes.length ? el("span", { class: classes.join(" "), text: piece }) : document.createTextNode(piece));
  }
  pre.append(document.createTextNode("\n"));
  pre.scrollTop = $("case-text").scrollTop;
}

function applyEdit(start, end, replacement) {
  const ta = $("case-text");
  ta.value = ta.value.slice(0, start) + replacement + ta.value.slice(end);
  ta.selectionStart = ta.selectionEnd = start + replacement.length;
  caseState.dirty = true;
  analyseNow();
}

function pct(p) { return (p * 100).toFixed(1) + "%"; }

function renderCase(text, data) {
  highlight(text, data);
  const list = $("case-diagnostics");
  list.replaceChildren();
  for (const d of data.diagnostics) {
    const li = el("li", {}, el("span", { class: "sev " + (d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "info"), text: d.severity }),
      document.createTextNode(`line ${d.line}:${d.column} ${d.message} [${d.code}]`));
    if (d.help) li.append(el("div", { class: "muted", text: "help: " + d.help }));
    for (const f of d.fixes) {
      const b = el("button", { type: "button", class: "fix", text: f.replacement ? `Fix: write “${f.replacement}”` : "Fix: remove it" });
      b.addEventListener("click", () => applyEdit(f.start, f.end, f.replacement));
      li.append(b);
    }
    list.append(li);
  }
  if (!data.diagnostics.length) list.append(el("li", { class: "muted", text: "No problems." }));
  const bottom = $("case-bottom");
  bottom.replaceChildren();
  // numbers of an earlier version stay in view, greyed, until the text checks again
  document.querySelector("#page-case .results").classList.toggle("stale", !data.assessment);
  if (data.assessment) {
    const a = data.assessment;
    const lead = a.hypotheses.find((h) => h.id === a.leading) || a.hypotheses[0];
    bottom.append(el("strong", { text: `${lead.label}: ${lead.words} (${pct(lead.posterior.point)}; bounds ${pct(lead.posterior.lower)}–${pct(lead.posterior.upper)}, 90% interval ${pct(lead.posterior.p05)}–${pct(lead.posterior.p95)})` }),
      el("br"), document.createTextNode(`Confidence: ${a.confidence.level}. `));
    // the reasons that set the level (every rule's finding is in the assessment below)
    const setting = (a.confidence.checks || []).filter((c) => c.cap === a.confidence.level).map((c) => c.reason);
    for (const reason of setting.length ? setting : a.confidence.reasons.slice(0, 1)) bottom.append(el("div", { class: "muted", text: "• " + reason }));
    if (data.whatif && data.whatif.length) {
      const i = a.hypotheses.indexOf(lead);
      const was = data.saved_point ? ` (as saved: ${pct(data.saved_point[i])})` : "";
      bottom.append(el("div", { class: "whatif-changed", text: "What if: " + data.whatif.join("; ") + was }));
    }
    $("case-assess").textContent = data.assess_text + (data.judgments ? "\n" + data.judgments : "");
    $("case-explain").textContent = data.explain_text || data.explain_stopped || "";
    const c = data.charts || {};
    svgInto($("chart-yardstick"), c.yardstick);
    svgInto($("chart-waterfall"), c.waterfall);
    svgInto($("chart-tornado"), c.tornado);
    svgInto($("chart-graph"), c.graph);
    svgInto($("chart-timeline"), c.timeline, "No item has a reported date: add `reported DATE` to items to draw the posterior over time.");
  } else if (data.stopped) {
    bottom.append(document.createTextNode("The engine stopped: " + data.stopped));
  } else {
    bottom.append(document.createTextNode(data.partial ? "The text has errors (listed under the editor): the numbers below are of the last version that checked, and come back when the errors are fixed." : ""));
  }
  if (data.controls) renderWhatIf(data.controls);
  $("case-status").textContent = `${caseState.path || "(unsaved)"}${caseState.dirty ? " — edited" : ""} · analysed in ${Math.round(data.ms)} ms`;
}

function renderWhatIf(controls) {
  const box = $("whatif");
  const key = JSON.stringify(controls);
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren();
  const items = el("fieldset", {}, el("legend", { text: "Items counted" }));
  for (const it of controls.items) {
    const cb = el("input", { type: "checkbox", "data-item": it.id });
    cb.checked = it.status !== "pending" && !caseState.whatif.removed.includes(it.id);
    cb.disabled = it.status === "pending";
    cb.addEventListener("change", () => {
      const r = caseState.whatif.removed.filter((x) => x !== it.id);
      if (!cb.checked) r.push(it.id);
      caseState.whatif.removed = r;
      analyseNow();
    });
    items.append(el("label", {}, cb, document.createTextNode(` ${it.id}: ${it.description}`)));
  }
  box.append(items);
  if (controls.assumptions.length) {
    const fs = el("fieldset", {}, el("legend", { text: "Assumptions" }));
    for (const a of controls.assumptions) {
      const sel = el("select", { "data-assumption": a.id });
      for (const [v, t] of [["", "as the case weighs it"], ["true", "held true"], ["false", "held false"]]) sel.append(el("option", { value: v, text: t }));
      sel.value = a.id in caseState.whatif.forced ? String(caseState.whatif.forced[a.id]) : "";
      sel.addEventListener("change", () => {
        if (sel.value === "") delete caseState.whatif.forced[a.id]; else caseState.whatif.forced[a.id] = sel.value === "true";
        analyseNow();
      });
      fs.append(el("label", {}, document.createTextNode(`${a.id} (${a.label}) `), sel));
    }
    box.append(fs);
  }
  const graded = controls.sources.filter((s) => s.grade);
  if (graded.length) {
    const fs = el("fieldset", {}, el("legend", { text: "Source reliability" }));
    for (const s of graded) {
      const sel = el("select", { "data-source": s.id });
      for (const g of ["A", "B", "C", "D", "E", "F"]) sel.append(el("option", { value: g, text: g + (g === s.grade ? " (as written)" : "") }));
      sel.value = caseState.whatif.grades[s.id] || s.grade;
      sel.addEventListener("change", () => {
        if (sel.value === s.grade) delete caseState.whatif.grades[s.id]; else caseState.whatif.grades[s.id] = sel.value;
        analyseNow();
      });
      fs.append(el("label", {}, document.createTextNode(`${s.id} (${s.label}) `), sel));
    }
    box.append(fs);
  }
}

async function hoverAtCursor() {
  const ta = $("case-text");
  try {
    const r = await api("POST", "/api/hover?" + q({ path: caseState.path, offset: ta.selectionStart }), ta.value);
    $("case-hover").textContent = r.markdown || "(nothing to say here)";
  } catch (e) { $("case-hover").textContent = e.message; }
}

const completion = { items: [], start: 0, end: 0, at: 0 };
async function completeAtCursor() {
  const ta = $("case-text");
  const r = await api("POST", "/api/complete?" + q({ path: caseState.path, offset: ta.selectionStart }), ta.value);
  Object.assign(completion, { items: r.items, start: r.start, end: r.end, at: 0 });
  renderCompletions();
}
function renderCompletions() {
  const ul = $("case-completions");
  ul.replaceChildren();
  ul.hidden = completion.items.length === 0;
  completion.items.forEach((c, i) => {
    const li = el("li", { role: "option", "aria-selected": String(i === completion.at), text: c.label + (c.detail ? " — " + c.detail : "") });
    li.addEventListener("mousedown", (e) => { e.preventDefault(); pickCompletion(i); });
    ul.append(li);
  });
  const sel = ul.children[completion.at];
  if (sel) sel.scrollIntoView({ block: "nearest" });
}
function pickCompletion(i) {
  const c = completion.items[i];
  completion.items = [];
  renderCompletions();
  if (c) applyEdit(completion.start, completion.end, c.label);
  $("case-text").focus();
}

// --- library ---------------------------------------------------------------------------
const library = { loaded: false, rows: [], sort: { key: "path", dir: 1 } };
async function loadLibrary() {
  library.loaded = true;
  $("library-status").textContent = "Assessing every case in the folder…";
  try {
    const r = await api("GET", "/api/library");
    library.rows = r.cases;
    renderLibrary();
    $("library-status").textContent = `${r.cases.length} case file(s).`;
    if (r.calibration && r.calibration.diagram) {
      svgInto($("library-diagram"), r.calibration.diagram);
      $("library-calibration").textContent = r.calibration.text;
    } else if (r.calibration && r.calibration.error) {
      $("library-calibration").textContent = r.calibration.error;
    } else {
      $("library-calibration").textContent = "No case in the folder is resolved (none has an `outcome`).";
    }
  } catch (e) { $("library-status").textContent = "Could not read the library: " + e.message; library.loaded = false; }
}
function sortValue(r, key) {
  const l = r.lead || {};
  switch (key) {
    case "lead": return l.label || "";
    case "point": return l.point ?? -1;
    case "words": return l.point ?? -1;
    case "confidence": return { low: 0, moderate: 1, high: 2 }[l.confidence] ?? -1;
    case "verdicts": return Object.entries(r.verdicts || {}).filter(([k]) => k !== "consistent").reduce((s, [, n]) => s + n, 0);
    case "outcome": return r.outcome ? r.outcome.id : "";
    default: return r.path;
  }
}
function renderLibrary() {
  const { key, dir } = library.sort;
  const rows = [...library.rows].sort((a, b) => {
    const [x, y] = [sortValue(a, key), sortValue(b, key)];
    return (x < y ? -1 : x > y ? 1 : 0) * dir;
  });
  for (const th of document.querySelectorAll("#library-table th")) {
    const k = th.querySelector("button").dataset.key;
    if (k === key) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending"); else th.removeAttribute("aria-sort");
  }
  const body = document.querySelector("#library-table tbody");
  body.replaceChildren();
  for (const r of rows) {
    const open = el("a", { href: "#case", text: r.path });
    open.addEventListener("click", () => openCase(r.path));
    if (r.error) { body.append(el("tr", {}, el("td", {}, open), el("td", { colspan: "6", class: "muted", text: r.error }))); continue; }
    const l = r.lead || {};
    const verdicts = Object.entries(r.verdicts || {}).map(([k, n]) => `${n} ${k}`).join(", ") || "—";
    const outcome = r.outcome ? r.outcome.id + (r.outcome.id === l.id ? " (led)" : " (missed)") : "unresolved";
    body.append(el("tr", {},
      el("td", {}, open, el("div", { class: "muted", text: r.title || "" })),
      el("td", { text: l.label || "" }),
      el("td", { text: l.point !== undefined ? pct(l.point) : "" }),
      el("td", { text: l.words || "" }),
      el("td", { text: l.confidence || "" }),
      el("td", { text: verdicts }),
      el("td", { class: r.outcome && r.outcome.id !== l.id ? "missed" : "", text: outcome })));
  }
}
async function runDiff(ev) {
  ev.preventDefault();
  const spec = (f, rev) => (rev.trim() ? `${f}@${rev.trim()}` : f);
  const old = spec($("diff-old").value, $("diff-old-rev").value), neu = spec($("diff-new").value, $("diff-new-rev").value);
  try {
    const r = await api("GET", "/api/diff?" + q({ old, new: neu }));
    $("diff-out").textContent = (r.errors ? r.errors + "\n" : "") + r.text;
  } catch (e) { $("diff-out").textContent = e.message; }
}

// --- wiring ----------------------------------------------------------------------------
function wire() {
  $("review-form").addEventListener("submit", runReview);
  // a draft dropped anywhere on the review page is reviewed at once
  const page = $("page-review");
  page.addEventListener("dragover", (e) => { e.preventDefault(); page.classList.add("dropping"); });
  page.addEventListener("dragleave", (e) => { if (e.target === page) page.classList.remove("dropping"); });
  page.addEventListener("drop", (e) => {
    e.preventDefault();
    page.classList.remove("dropping");
    const files = e.dataTransfer && e.dataTransfer.files;
    if (!files || !files.length) return;
    const dt = new DataTransfer();
    dt.items.add(files[0]);
    $("draft-file").files = dt.files;
    $("draft-pick").value = "";
    runReview();
  });
  $("accept-all").addEventListener("click", () => {
    review.data.findings.forEach((f, i) => { if (f.fix) review.accepted.add(i); });
    renderReview();
  });
  $("download-fixed").addEventListener("click", downloadFixed);
  $("download-annotated").addEventListener("click", downloadAnnotated);
  $("case-pick").addEventListener("change", (e) => openCase(e.target.value));
  $("case-create").addEventListener("click", createCase);
  $("case-save").addEventListener("click", saveCase);
  $("whatif-reset").addEventListener("click", () => {
    caseState.whatif = { removed: [], forced: {}, grades: {} };
    $("whatif").dataset.key = "";
    analyseNow();
  });
  const ta = $("case-text");
  ta.addEventListener("input", () => { caseState.dirty = true; completion.items = []; renderCompletions(); highlight(ta.value, null); scheduleAnalysis(); });
  ta.addEventListener("scroll", () => { $("case-highlight").scrollTop = ta.scrollTop; });
  ta.addEventListener("keydown", (e) => {
    if (completion.items.length) {
      if (e.key === "ArrowDown") { completion.at = (completion.at + 1) % completion.items.length; renderCompletions(); e.preventDefault(); return; }
      if (e.key === "ArrowUp") { completion.at = (completion.at + completion.items.length - 1) % completion.items.length; renderCompletions(); e.preventDefault(); return; }
      if (e.key === "Enter" || e.key === "Tab") { pickCompletion(completion.at); e.preventDefault(); return; }
      if (e.key === "Escape") { completion.items = []; renderCompletions(); e.preventDefault(); return; }
    }
    if (e.ctrlKey && e.key === " ") { completeAtCursor(); e.preventDefault(); }
    else if (e.ctrlKey && (e.key === "i" || e.key === "I")) { hoverAtCursor(); e.preventDefault(); }
    else if (e.ctrlKey && (e.key === "s" || e.key === "S")) { saveCase(); e.preventDefault(); }
  });
  for (const b of document.querySelectorAll("#library-table th button")) {
    b.addEventListener("click", () => {
      const k = b.dataset.key;
      library.sort = { key: k, dir: library.sort.key === k ? -library.sort.dir : 1 };
      renderLibrary();
    });
  }
  $("diff-form").addEventListener("submit", runDiff);
  window.addEventListener("beforeunload", (e) => { if (caseState.dirty) e.preventDefault(); });
}

wire();
showPage();
loadFiles().catch((e) => { $("folder").textContent = "Could not list the folder: " + e.message; });
