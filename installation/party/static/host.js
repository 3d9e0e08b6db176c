"use strict";
// The prompt master's screen: keyboard first. State comes from /api/host/SESSION/state every second.
const screen = document.getElementById("screen");
const session = screen.dataset.session;
const $ = (id) => document.getElementById(id);
let state = {steps: [], suggestions: [], taken: [], styles: {}, defaults: {}};
let selected = null;          // the selected step's id: a new step refines it (a branch when it has children)
let taken = [];               // suggestion ids taken into the draft
let stylesLoaded = false;

function status(text) { $("status").textContent = text; }

async function post(path, body) {
  const response = await fetch(path, {method: "POST", headers: {"Content-Type": "application/json"},
                                      body: JSON.stringify(body || {})});
  const data = await response.json();
  if (!response.ok) { status(data.error || data.detail || "refused"); return null; }
  return data;
}

function number(id) { const v = $(id).value.trim(); return v === "" ? null : Number(v); }

function draft(kind) {
  return {
    parent: selected, text: $("text").value, style: $("style").value || null,
    technique: $("technique").value, artist: $("artist").value, period: $("period").value,
    modifiers: $("modifiers").value.split(",").map((m) => m.trim()).filter(Boolean),
    negative: $("negative").value.trim() === "" ? null : $("negative").value,
    seed: number("seed") || 0, steps: number("steps"), guidance: number("guidance"),
    width: number("width"), height: number("height"), kind: kind || "prompt",
    source_step: kind && kind !== "prompt" ? selected : null, strength: number("strength") || 0.5,
    suggestions: taken,
  };
}

async function paint(kind) {
  if (kind !== "prompt" && selected === null) { status("Choose a painted step first (↑ ↓)."); return; }
  const body = draft(kind);
  if (kind === "variation") body.seed = (stepById(selected).seed + 1 + Math.floor(Math.random() * 1000)) % 4294967296;
  const step = await post(`/api/host/${session}/steps`, body);
  if (!step) return;
  taken = [];
  selected = step.id;
  status(`Step ${step.number} is being painted: ${step.prompt}`);
  refresh();
}

function stepById(id) { return state.steps.find((s) => s.id === id) || null; }

function depthOf(step) {
  let depth = 0;
  for (let s = step; s && s.parent !== null; s = stepById(s.parent)) depth += 1;
  return depth;
}

function treeOrder() {
  // Depth-first: each step followed by its children, so branches read as a tree.
  const children = new Map();
  for (const s of state.steps) {
    const key = s.parent === null ? "root" : s.parent;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(s);
  }
  const out = [];
  const walk = (key) => { for (const s of children.get(key) || []) { out.push(s); walk(s.id); } };
  walk("root");
  return out;
}

function loadSettings(step) {
  // Branch: the editor takes this step's settings; the next paint refines it.
  $("text").value = step.text; $("style").value = step.style || "";
  $("technique").value = step.technique; $("artist").value = step.artist; $("period").value = step.period;
  $("modifiers").value = step.modifiers.join(", "); $("negative").value = step.negative_prompt;
  $("seed").value = step.seed; $("steps").value = step.steps; $("guidance").value = step.guidance;
  $("width").value = step.width; $("height").value = step.height;
  status(`Branching from step ${step.number}.`);
}

function draw() {
  const tree = $("tree");
  tree.replaceChildren(...treeOrder().map((s) => {
    const item = document.createElement("li");
    item.className = `step ${s.state}` + (s.id === selected ? " selected" : "") + (s.best ? " best" : "");
    item.style.marginLeft = `${depthOf(s) * 1.2}em`;
    item.dataset.step = s.id;
    item.textContent = `#${s.number} ${s.kind === "prompt" ? "" : s.kind + " "}${s.text || s.prompt}` +
      ` · ♥${s.votes}${s.best ? " ★" : ""}${s.state === "done" ? "" : " (" + s.state + ")"}`;
    item.addEventListener("click", () => { selected = s.id; draw(); });
    return item;
  }));
  const step = stepById(selected);
  if (step && step.state === "done") {
    $("big").src = `/img/${step.id}.png?${step.finished_at}`;
    $("big-caption").textContent = `#${step.number} ${step.prompt} · seed ${step.seed}`;
  } else if (step) {
    $("big-caption").textContent = `#${step.number} ${step.state}${step.error ? ": " + step.error : ""}`;
  }
  const list = $("suggestions");
  list.replaceChildren(...state.suggestions.map((g) => {
    const item = document.createElement("li");
    item.className = "suggestion"; item.dataset.suggestion = g.id;
    item.textContent = `${g.kind}: ${g.text} — ${g.name}`;
    return item;
  }));
}

async function refresh() {
  const response = await fetch(`/api/host/${session}/state`);
  if (!response.ok) return;
  state = await response.json();
  if (!stylesLoaded) {
    taken = state.taken.map((g) => g.id);  // taken before a reload, not yet painted
    for (const [name, s] of Object.entries(state.styles)) $("style").add(new Option(s.label, name));
    // Everything the curator styles name, offered as choices while typing (any other words work too).
    for (const [field, values] of Object.entries(state.choices)) {
      $(`${field}-choices`).replaceChildren(...values.map((v) => new Option(v, v)));
    }
    $("steps").placeholder = state.defaults.steps; $("guidance").placeholder = state.defaults.guidance;
    $("width").placeholder = state.defaults.width; $("height").placeholder = state.defaults.height;
    $("negative").placeholder = state.defaults.negative;
    stylesLoaded = true;
  }
  if (selected === null && state.steps.length) selected = state.steps[state.steps.length - 1].id;
  draw();
}

async function decideFirst(decision) {
  const first = state.suggestions[0];
  if (!first) { status("No suggestion waiting."); return; }
  const done = await post(`/api/host/suggestions/${first.id}/${decision}`);
  if (!done) return;
  if (decision === "take") {
    taken.push(done.id);
    const styleName = Object.keys(state.styles).find((n) => n === done.text || state.styles[n].label === done.text);
    if (done.kind === "style" && styleName) $("style").value = styleName;
    else if (done.kind === "artist") $("artist").value = done.text;
    else $("text").value = ($("text").value.trim() + ", " + done.text).replace(/^, /, "");
    status(`Taken from ${done.name}: ${done.text}`);
  } else status(`Dropped: ${done.text}`);
  refresh();
}

function move(delta) {
  const order = treeOrder();
  if (!order.length) return;
  const at = order.findIndex((s) => s.id === selected);
  selected = order[Math.max(0, Math.min(order.length - 1, (at < 0 ? order.length : at) + delta))].id;
  draw();
}

async function toggleBest() {
  const step = stepById(selected);
  if (!step) return;
  await post(`/api/host/steps/${step.id}/best`, {best: !step.best});
  refresh();
}

$("style").addEventListener("change", () => {
  const s = state.styles[$("style").value];
  if (!s) return;
  $("technique").value = s.technique; $("artist").value = s.artist; $("period").value = s.period;
  $("modifiers").value = s.modifiers.join(", ");
});
$("draft").addEventListener("submit", (event) => { event.preventDefault(); paint("prompt"); });
$("load").addEventListener("click", () => { const s = stepById(selected); if (s) loadSettings(s); });
$("variation").addEventListener("click", () => paint("variation"));
$("img2img").addEventListener("click", () => paint("img2img"));
$("best").addEventListener("click", toggleBest);

document.addEventListener("keydown", (event) => {
  const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName);
  if (event.ctrlKey && event.key === "Enter") { event.preventDefault(); paint("prompt"); return; }
  if (event.altKey) {
    // By physical key (event.code): Alt+letter types other characters on some keyboards.
    const actions = {
      ArrowUp: () => move(-1), ArrowDown: () => move(1), KeyL: () => { const s = stepById(selected); if (s) loadSettings(s); },
      KeyV: () => paint("variation"), KeyI: () => paint("img2img"), KeyB: toggleBest,
      KeyT: () => decideFirst("take"), KeyD: () => decideFirst("drop"),
      KeyR: () => { $("seed").value = Math.floor(Math.random() * 4294967296); },
      KeyS: () => $("style").focus(), KeyP: () => $("text").focus(),
    };
    const action = actions[event.code];
    if (action) { event.preventDefault(); action(); }
    return;
  }
  if (typing) { if (event.key === "Escape") document.activeElement.blur(); return; }
  if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
  else if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
  else if (event.key === "/") { event.preventDefault(); $("text").focus(); }
  else if (event.key === "*") toggleBest();
});

refresh();
setInterval(refresh, 1000);
