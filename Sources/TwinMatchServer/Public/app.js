// The TwinMatch page: a client of the server's JSON API (/openapi.json). Everything it shows is built
// with DOM nodes and text, never parsed from strings, so a city name with markup is shown as text. The one
// exception is the map, an SVG the server renders with escaped names; it is parsed into an inert document
// (DOMParser), where scripts do not run, and the page's policy allows only this script anyway.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { city: null, suggestions: [], active: -1, timer: null, typed: "", lastQuery: null };

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v; else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function grouped(n) { return Math.round(n).toLocaleString("en-US"); }

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
function countryName(code) { try { return regionNames.of(code) || code; } catch { return code; } }

/** GET/POST JSON; an API error becomes an Error with the API's message. */
async function api(path, options = {}) {
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const e = new Error(body && body.error ? body.error.message : `the server answered ${response.status}`);
    e.apiError = body && body.error;
    throw e;
  }
  return body;
}

function setStatus(text, isError = false) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", isError);
}

// MARK: - The city box: suggestions as you type (a combobox with a listbox).

function placeLine(c) {
  return [c.country_name, c.region_name, c.population ? `population ${grouped(c.population)}` : null].filter(Boolean).join(" · ");
}

function showSuggestions(list) {
  const box = $("suggestions"), input = $("city");
  state.suggestions = list;
  state.active = list.length ? 0 : -1;
  box.replaceChildren(...list.map((c, i) => {
    const li = el("li", { role: "option", id: `option-${i}`, "aria-selected": i === 0 ? "true" : "false" },
      el("span", { dir: "auto" }, c.name), c.also_known_as ? el("span", { class: "where", dir: "auto" }, `(${c.also_known_as})`) : null,
      el("span", { class: "where" }, placeLine(c)));
    li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(c); });
    return li;
  }));
  box.hidden = list.length === 0;
  input.setAttribute("aria-expanded", list.length ? "true" : "false");
  if (list.length) input.setAttribute("aria-activedescendant", "option-0"); else input.removeAttribute("aria-activedescendant");
}

function moveActive(step) {
  const n = state.suggestions.length;
  if (!n) return;
  state.active = (state.active + step + n) % n;
  [...$("suggestions").children].forEach((li, i) => li.setAttribute("aria-selected", i === state.active ? "true" : "false"));
  $("city").setAttribute("aria-activedescendant", `option-${state.active}`);
  $("suggestions").children[state.active].scrollIntoView({ block: "nearest" });
}

function choose(c) {
  state.city = c;
  $("city").value = c.name;
  showSuggestions([]);
}

async function suggest(text) {
  state.typed = text;
  if (!text.trim()) { showSuggestions([]); return; }
  try {
    const answer = await api(`/v1/cities?${new URLSearchParams({ q: text, limit: "8" })}`);
    if (state.typed === text) showSuggestions(answer.cities);
  } catch (e) {
    if (state.typed === text) { showSuggestions([]); setStatus(e.message, true); }
  }
}

function wireCityBox() {
  const input = $("city");
  input.addEventListener("input", () => {
    state.city = null;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => suggest(input.value), 120);
  });
  input.addEventListener("keydown", (event) => {
    const open = !$("suggestions").hidden;
    if (event.key === "ArrowDown") { event.preventDefault(); open ? moveActive(1) : suggest(input.value); }
    else if (event.key === "ArrowUp") { event.preventDefault(); moveActive(-1); }
    else if (event.key === "Enter" && open && state.active >= 0) { event.preventDefault(); choose(state.suggestions[state.active]); }
    else if (event.key === "Escape") showSuggestions([]);
  });
  input.addEventListener("blur", () => setTimeout(() => showSuggestions([]), 100));
}

// MARK: - The form and the list.

/** The query of the form's choices, as /v1/cities/{id}/recommendations takes them. */
function formQuery() {
  const form = $("search"), q = new URLSearchParams();
  for (const name of ["mode", "limit", "theme", "candidate-group", "seeks", "max-km", "min-population", "max-population", "max-per-country"]) {
    const v = form.elements[name].value.trim();
    if (v && !(name === "mode" && v === "peer")) q.set(name, v);
  }
  for (const code of form.elements["candidate-country"].value.split(/[\s,;]+/).filter(Boolean)) q.append("candidate-country", code);
  for (const name of ["allow-same-country", "only-open", "mutual", "diverse", "mixed-sizes"]) {
    if (form.elements[name].checked) q.set(name, "true");
  }
  return q;
}

/** Sets the form from a query (a shared link). */
function setForm(q) {
  const form = $("search");
  for (const name of ["mode", "limit", "theme", "candidate-group", "seeks", "max-km", "min-population", "max-population", "max-per-country"]) {
    if (q.has(name)) form.elements[name].value = q.get(name);
  }
  form.elements["candidate-country"].value = q.getAll("candidate-country").join(", ");
  for (const name of ["allow-same-country", "only-open", "mutual", "diverse", "mixed-sizes"]) form.elements[name].checked = q.get(name) === "true";
  if ([...q.keys()].some((k) => !["city", "mode", "limit", "theme"].includes(k))) $("search").querySelector("details").open = true;
}

/** Whole points per family that add up to the rounded score (largest remainders), as reports show them. */
function roundedPoints(values, total) {
  const floors = values.map(Math.floor);
  let missing = total - floors.reduce((a, b) => a + b, 0);
  const order = values.map((v, i) => [v - Math.floor(v), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; missing > 0 && k < order.length; k++, missing--) floors[order[k][1]] += 1;
  return floors;
}

/** A result's reasons as bars: the families that add points, largest first, then those that add none. */
function reasonBars(result) {
  const score = Math.round(result.score);
  const rounded = roundedPoints([...result.reasons.map((r) => r.points), result.baseline || 0], score);
  const items = result.reasons.map((r, i) => ({ ...r, whole: rounded[i] }));
  if (rounded[rounded.length - 1] !== 0) {
    items.push({ family: "baseline", label: "a typical candidate", whole: rounded[rounded.length - 1], facts: ["the score of a pair with no reason for or against"] });
  }
  const scored = items.filter((r) => r.whole !== 0).sort((a, b) => Math.abs(b.whole) - Math.abs(a.whole));
  const unscored = items.filter((r) => r.whole === 0);
  const list = el("ul", { class: "reasons" }, scored.map((r) => {
    const fill = el("span", { class: `fill f-${r.family}${r.whole < 0 ? " negative" : ""}` });
    fill.style.width = `${Math.max(0, Math.min(100, Math.abs(r.whole)))}%`;
    return el("li", {}, el("span", { class: "reason" }, r.label), el("span", { class: "bar" }, fill),
      el("span", { class: "points" }, r.whole > 0 ? `+${r.whole}` : `−${-r.whole}`),
      r.facts.length ? el("span", { class: "facts-text" }, r.facts.join("; ")) : null);
  }));
  const also = unscored.length ? el("p", { class: "also" }, "No points from: ",
    unscored.flatMap((r, i) => [i ? ". " : "", el("b", {}, r.label), r.facts.length ? ` ${r.facts.join("; ")}` : ""]), ".") : null;
  return [list, also];
}

function meter(score) {
  const fill = el("span");
  fill.style.width = `${Math.max(0, Math.min(100, Math.round(score)))}%`;
  return el("span", { class: "meter" }, fill);
}

function showMap(svgText) {
  const figure = $("map");
  figure.replaceChildren();
  if (!svgText) return;
  // Parsed as an inert document (its scripts, were there any, never run), then adopted.
  const svg = new DOMParser().parseFromString(svgText, "text/html").body.firstElementChild;
  if (!svg || svg.nodeName.toLowerCase() !== "svg") return;
  figure.append(document.importNode(svg, true),
    el("figcaption", {}, "The city (square) and its candidates, numbered by rank. Point at a marker or a country for its name."));
}

function showList(answer, query) {
  const q = answer.query;
  $("results").hidden = false;
  $("results-title").textContent = `Partners for ${q.name}`;
  $("results-title").setAttribute("dir", "auto");
  $("results-place").textContent = `${countryName(q.country)} (${q.country}) · population ${grouped(q.population)} · id ${q.id}`;
  const notice = $("results-notice");
  notice.hidden = !answer.notice;
  notice.textContent = answer.notice ? `No candidate: ${answer.notice}` : "";
  const csv = new URLSearchParams(query);
  csv.delete("include-map");
  csv.set("format", "csv");
  $("csv").href = `/v1/cities/${encodeURIComponent(q.id)}/recommendations?${csv}`;
  $("csv").setAttribute("download", `partners-${q.name}.csv`);
  showMap(answer.map_svg);
  $("rows").replaceChildren(...answer.results.map((r) => {
    const why = el("button", { type: "button", class: "why", "aria-label": `Why ${r.name}? The pair explained` }, "Why this match?");
    why.addEventListener("click", () => explainPair(q, r, query));
    return el("tr", {},
      el("td", { class: "rank num" }, String(r.rank)),
      el("td", { class: "place" }, el("strong", { dir: "auto" }, r.name), el("span", {}, `${r.country_name || countryName(r.country)} (${r.country})`),
        el("span", {}, `population ${grouped(r.population)}`), el("span", {}, `${grouped(r.distance_km)} km away`),
        r.note ? el("span", {}, `note: ${r.note}`) : null, why),
      el("td", { class: "score num" }, el("span", { class: "score-value" }, String(Math.round(r.score))), meter(r.score)),
      el("td", { class: "reasons" }, reasonBars(r)));
  }));
  $("scale-note").textContent = "Scores run from 0 to 100: 50 is as strong as a typical city's best candidate, 75 a strong one. "
    + "Each bar is the points one family of reasons adds to the score; the points add up to it.";
}

async function run(city, query) {
  const button = $("go");
  button.disabled = true;
  setStatus(`Ranking partners for ${city.name}…`);
  try {
    const q = new URLSearchParams(query);
    q.set("include-map", "true");
    const answer = await api(`/v1/cities/${encodeURIComponent(city.id)}/recommendations?${q}`);
    showList(answer, q);
    const n = answer.results.length;
    setStatus(n ? `${n} candidate${n === 1 ? "" : "s"} for ${answer.query.name}.` : "No candidate passed the filters.");
    const link = new URLSearchParams(query);
    link.set("city", city.id);
    history.replaceState(null, "", `?${link}`);
    $("share").href = `?${link}`;
    $("results-title").focus?.();
  } catch (e) {
    setStatus(e.apiError && e.apiError.parameter ? `${e.message} (${e.apiError.parameter})` : e.message, true);
  } finally {
    button.disabled = false;
  }
}

async function submit(event) {
  event.preventDefault();
  let city = state.city;
  const typed = $("city").value.trim();
  if (!typed) { setStatus("Type a city's name first.", true); $("city").focus(); return; }
  if (!city || city.name !== typed) {
    try {
      const answer = await api(`/v1/cities?${new URLSearchParams({ q: typed, limit: "1" })}`);
      city = answer.cities[0];
    } catch (e) { setStatus(e.message, true); return; }
    if (!city) { setStatus(`No city starts with “${typed}”.`, true); return; }
    choose(city);
  }
  run(city, formQuery());
}

// MARK: - A pair explained.

async function explainPair(q, r, query) {
  const dialog = $("pair");
  const modes = new URLSearchParams();
  for (const name of ["mode", "seeks"]) if (query.has(name)) modes.set(name, query.get(name));
  $("pair-title").textContent = `${q.name} ↔ ${r.name}`;
  $("pair-place").textContent = "Loading…";
  $("pair-body").replaceChildren();
  if (!dialog.open) dialog.showModal();
  try {
    const e = await api(`/v1/pairs/${encodeURIComponent(q.id)}/${encodeURIComponent(r.id)}?${modes}`);
    $("pair-place").textContent = `${grouped(e.distance_km)} km apart · population ${grouped(e.a.population)} / ${grouped(e.b.population)}`
      + (e.existing_partnership ? " · existing partnership" : "");
    const lists = [
      ["Shared themes", e.shared_themes], ["Offers that meet seeks", (e.complementary_themes || []).map((t) => `${t.theme}: offered by ${t.offered_by === e.a.id ? e.a.name : e.b.name}, sought by ${t.sought_by === e.a.id ? e.a.name : e.b.name}`)],
      ["Networks in common", e.shared_networks], ["Languages in common", e.shared_languages],
      ["Partners in common", (e.common_partners || []).map((p) => p.name || p)],
    ].filter(([, items]) => items && items.length);
    $("pair-body").replaceChildren(
      el("p", {}, el("span", { class: "score-value" }, `${Math.round(e.score)}`), " of 100"),
      ...reasonBars(e),
      ...lists.map(([title, items]) => el("div", {}, el("h3", {}, title), el("ul", { class: "plain" }, items.map((t) => el("li", { dir: "auto" }, String(t)))))),
      e.suggested_topics && e.suggested_topics.length
        ? el("div", {}, el("h3", {}, "What the pair could work on"), el("ul", { class: "plain" }, e.suggested_topics.map((t) => el("li", {}, el("b", {}, t.topic), `: ${t.reason}`))))
        : null);
  } catch (err) {
    $("pair-place").textContent = err.message;
  }
}

// MARK: - Start.

async function start() {
  wireCityBox();
  $("search").addEventListener("submit", submit);
  try {
    const v = await api("/v1/vocabulary");
    for (const t of v.themes) { $("theme").append(el("option", { value: t }, t)); $("seeks").append(el("option", { value: t }, t)); }
    for (const g of v.country_groups) $("candidate-group").append(el("option", { value: g.slug }, g.name));
  } catch (e) { setStatus(e.message, true); }
  const q = new URLSearchParams(location.search);
  const id = q.get("city");
  if (id) {
    q.delete("city");
    setForm(q);
    try {
      const answer = await api(`/v1/cities/${encodeURIComponent(id)}`);
      choose(answer.city);
      run(answer.city, formQuery());
    } catch (e) { setStatus(e.message, true); }
  }
}

start();
