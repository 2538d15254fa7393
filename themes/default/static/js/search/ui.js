// Playbook static search, the page: the search box in the header and the
// results page. The client of the postings the build exports to search/
// (search/static.go, docs/search.md) is five native ES modules, no bundler:
// analyze.js, query.js, engine.js, snippet.js and this entry, which the
// templates load as <script type="module"> with the others preloaded
// (<link rel="modulepreload">), so no module waits on another's request.
// Node loads the same modules with import() (search/testdata/js).
//
// Searching as the reader types. The first keystroke after a pause searches
// at once (no wait for typing to stop); while that search runs, later
// keystrokes are coalesced and the text in the box when it ends is searched
// next (latest): never more than one search in flight, and an answer whose
// text is no longer the box's is not drawn, so an out-of-date answer never
// covers a newer one. What the reader sees carries that state: the results
// region (#search-pop, .search-results) is aria-busy="true" from the
// keystroke until the answer to the current text is drawn to its last row,
// and its data-query names the text the drawn answer belongs to ("" for the
// empty box's suggestions). Tests and the keystroke bench wait for
// data-query equal to the typed text and no aria-busy; screen readers wait
// for aria-busy to clear before reading the live region.
//
// What still waits for the reader to settle:
//   - an input method composing (pinyin) runs no search until it commits;
//   - the miss report (reportMiss) is sent only after MISS_SETTLE_MS with
//     no other search, on Enter or when the page is left, so the prefixes
//     searched on the way are never reported;
//   - the results page's address is replaced (history.replaceState, never
//     a new history entry) only once the answer to the current text is
//     drawn, not per keystroke searched.
// Recent searches are kept on Enter or a hit's click only.

import { normalizeWord } from "./analyze.js";
import { QueryError } from "./query.js";
import { Engine } from "./engine.js";
import { snippet } from "./snippet.js";

// ---- the page: search box in the header, results page ---------------------

var root = window, doc = root.document;

function ui() {
  var form = doc.querySelector("form.search[role=search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var base = form.getAttribute("action"); // the search folder: index files and results page
  var L = labels(form);
  var engine = new Engine(function (path) {
    return fetch(base + path).then(function (r) {
      // 503: playbook serve is still building the index; say so
      if (r.status === 503) throw new Error(L.busy || "503 " + path);
      if (!r.ok) throw new Error(r.status + " " + path);
      return r.json();
    });
  });

  // "/" (outside fields) and Ctrl+K or ⌘K (anywhere) focus the box
  doc.addEventListener("keydown", function (e) {
    var slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey;
    var ctrlK = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey;
    if (!slash && !ctrlK) return;
    var t = e.target, tag = t && t.tagName;
    if (slash && (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  var page = doc.getElementById("search-page");
  if (page) return resultsPage(page, engine, input, L);

  var box = doc.createElement("div");
  box.className = "search-pop";
  box.id = "search-pop";
  box.hidden = true;
  box.setAttribute("role", "region");
  box.setAttribute("aria-live", "polite");
  form.appendChild(box);
  input.setAttribute("aria-controls", "search-pop");
  var state = { types: [] };
  var run = latest(box, function (current) {
    var q = input.value;
    if (!q.trim()) { suggest(form, box, base); drawn(box, ""); box.hidden = doc.activeElement !== input; return Promise.resolve(); }
    return render(engine, { q: q, types: state.types, limit: BOX_HITS }, box, L, current, function (v) {
      state.types = state.types[0] === v ? [] : [v];
      run();
    }, base + "?q=" + encodeURIComponent(q));
  });
  typing(input, function () { state.types = []; run(); });
  input.addEventListener("focus", function () { if (box.hidden) run(); });
  arrows(input, box, function () { box.hidden = true; });
  box.addEventListener("click", function (e) { if (e.target.closest && e.target.closest("a.hit")) remember(input.value); });
  form.addEventListener("submit", function () { remember(input.value); });
  doc.addEventListener("click", function (e) { if (!form.contains(e.target)) box.hidden = true; });
}

// typing calls run on every change of the box's text, never while an
// input method is composing (half-typed pinyin is no query: no "没有找到"
// flash); run is latest's, which coalesces what comes during a search.
function typing(input, run) {
  var composing = false;
  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; run(); });
  input.addEventListener("input", function (e) { if (!composing && !e.isComposing) run(); });
}

// latest returns run(): it marks el aria-busy and calls search(current)
// at once when no search runs, else once more when the running one ends
// (a burst of keystrokes during a search costs one search, not one per
// key). search reads the newest state itself and returns a promise that
// ends once its answer is drawn or dropped; current() is false once run
// was called again, and then its answer is not drawn.
function latest(el, search) {
  var asked = 0, running = false, started = 0;
  function start() {
    var my = started = asked;
    running = true;
    search(function () { return my === asked; }).then(end, end);
  }
  function end() {
    running = false;
    if (started !== asked) start();
  }
  return function run() {
    asked++;
    el.setAttribute("aria-busy", "true");
    if (!running) start();
  };
}

// drawn marks el as showing the whole answer to the text q: the signal
// (data-query, no aria-busy) that readers, tests and the bench wait for.
function drawn(el, q) {
  el.setAttribute("data-query", q);
  el.removeAttribute("aria-busy");
}

// arrows lets the arrow keys walk from the box through every hit and
// suggestion of list and back; Escape calls close and leaves the box
// (from a hit: back to the box).
function arrows(input, list, close) {
  function items() {
    return Array.prototype.filter.call(list.querySelectorAll("a.hit, .search-suggest a"), function (a) { return a.offsetParent !== null; });
  }
  function go(i) {
    var all = items();
    if (i < 0) { input.focus(); return; }
    if (i >= all.length) return;
    all[i].focus();
    all[i].scrollIntoView({ block: "nearest" });
  }
  input.addEventListener("keydown", function (e) {
    if (e.isComposing) return;
    if (e.key === "ArrowDown" && items().length) { e.preventDefault(); go(0); }
    if (e.key === "Escape") { close(); input.blur(); }
  });
  list.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      go(items().indexOf(doc.activeElement) + (e.key === "ArrowDown" ? 1 : -1));
    }
    if (e.key === "Escape") { close(); input.focus(); }
  });
}

// Recent searches stay on the reader's device (localStorage), newest first.
var RECENT_KEY = "playbook-recent-searches", RECENT_MAX = 6;
function recent() {
  try { var l = JSON.parse(root.localStorage.getItem(RECENT_KEY) || "[]"); return Array.isArray(l) ? l.filter(function (q) { return typeof q === "string"; }) : []; } catch (e) { return []; }
}
function remember(q) {
  q = (q || "").trim();
  if (!q) return;
  var l = recent().filter(function (x) { return x !== q; });
  l.unshift(q);
  try { root.localStorage.setItem(RECENT_KEY, JSON.stringify(l.slice(0, RECENT_MAX))); } catch (e) { /* private mode: none kept */ }
}

// suggest fills el, for an empty box, with the shortcut hint, the recent
// searches and the most used objections (the header's template).
function suggest(form, el, base) {
  el.textContent = "";
  var hint = doc.createElement("p");
  hint.className = "search-hint";
  hint.textContent = form.getAttribute("data-hint") || "";
  el.appendChild(hint);
  var qs = recent().map(function (q) { return { text: q, href: base + "?q=" + encodeURIComponent(q) }; });
  group(el, form.getAttribute("data-recent"), qs);
  var tpl = form.querySelector("template.search-objections");
  var links = tpl ? tpl.content.querySelectorAll("a") : [];
  group(el, form.getAttribute("data-objections"), Array.prototype.map.call(links, function (a) {
    return { text: a.textContent, href: a.getAttribute("href") };
  }));
}

function group(el, title, items) {
  if (!items.length) return;
  var sec = doc.createElement("section");
  sec.className = "search-suggest";
  var h = doc.createElement("h2");
  h.textContent = title || "";
  var ul = doc.createElement("ul");
  items.forEach(function (it) {
    var li = doc.createElement("li"), a = doc.createElement("a");
    a.href = it.href;
    a.textContent = it.text;
    li.appendChild(a);
    ul.appendChild(li);
  });
  sec.appendChild(h);
  sec.appendChild(ul);
  el.appendChild(sec);
}

function labels(form) {
  var L = {};
  try { L = JSON.parse(form.getAttribute("data-labels") || "{}"); } catch (e) { /* defaults */ }
  return L;
}

function label(L, kind, v) { return (L[kind] && L[kind][v]) || v; }

// render runs a search and fills el with facets and hits.
function render(engine, req, el, L, current, onFacet, more) {
  return engine.search(req).then(function (res) {
    if (!current()) return;
    reportMiss(req, res);
    return Promise.all(res.hits.map(function (h) { return engine.doc(h.doc); })).then(function (docs) {
      if (!current()) return;
      el.textContent = "";
      el.hidden = false;
      var head = doc.createElement("p");
      head.className = "search-count";
      head.textContent = (L.count || "{n}").replace("{n}", res.total);
      el.appendChild(head);
      if (res.facets.type.length > 1 || req.types.length) {
        el.appendChild(facetRow("search-facets", L.type_label || "type", "type", res.facets.type, req.types,
          function (v) { return label(L, "types", v); }, onFacet));
      }
      if (req.stageFacets && (res.facets.stage.length > 1 || req.stages.length)) {
        el.appendChild(facetRow("search-facets search-stages", L.stage_label || "stage", "stage", res.facets.stage, req.stages,
          function (v) { return (engine.meta.stages && engine.meta.stages[v]) || v; }, onFacet));
      }
      var ol = doc.createElement("ol");
      ol.className = "search-hits";
      el.appendChild(ol);
      inChunks(res.hits, current, function () { drawn(el, req.q); }, function (h, i) {
        if (h.relaxed && (i === 0 || !res.hits[i - 1].relaxed)) {
          // close matches, after the hits with every word: say so
          if (i === 0) el.removeChild(ol);
          var note = doc.createElement("p");
          note.className = "search-relaxed";
          note.textContent = res.strict ? (L.relaxed_more || "≈") : (L.relaxed || "≈");
          el.appendChild(note);
          ol = doc.createElement("ol");
          ol.className = "search-hits";
          if (i > 0) ol.start = i + 1;
          el.appendChild(ol);
        }
        ol.appendChild(hitRow(engine, h, docs[i], L));
      });
      if (!res.hits.length) {
        var none = doc.createElement("p");
        none.className = "search-none";
        none.textContent = L.none || "—";
        el.appendChild(none);
      }
      if (more && res.total > res.hits.length) {
        var m = doc.createElement("a");
        m.className = "search-more";
        m.href = more;
        m.textContent = (L.more || "→ {n}").replace("{n}", res.total);
        el.appendChild(m);
      }
    });
  }).catch(function (err) {
    if (!current()) return;
    el.hidden = false;
    el.textContent = "";
    var p = doc.createElement("p");
    p.className = "search-error";
    p.textContent = err instanceof QueryError ? err.message : (L.error || "search unavailable") + " (" + err.message + ")";
    el.appendChild(p);
    drawn(el, req.q);
  });
}

// hitRow is the list item of hit h, page d: title, type and snippet in one
// link, and a script's first line to say.
function hitRow(engine, h, d, L) {
  var li = doc.createElement("li"), a = doc.createElement("a");
  a.className = "hit";
  a.href = d.say_url || d.url; // a script opens at its talk track
  var t = doc.createElement("span");
  t.className = "hit-title";
  t.textContent = d.title;
  var ty = doc.createElement("span");
  ty.className = "hit-type";
  ty.textContent = label(L, "types", d.type);
  var sn = doc.createElement("span");
  sn.className = "hit-snippet";
  sn.innerHTML = snippet(h.parsed, d, engine.meta.query); // built from escaped text and <mark> only; marks what h's step looked for
  a.appendChild(t); a.appendChild(ty); a.appendChild(sn);
  li.appendChild(a);
  if (d.say) li.appendChild(sayLine(d.say, L));
  return li;
}

// facetRow is a row of chips, one per facet value with its count, pressed
// when chosen; a tap calls onFacet(value, kind).
function facetRow(className, title, kind, facets, chosen, name, onFacet) {
  var row = doc.createElement("div");
  row.className = className;
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", title);
  facets.forEach(function (f) {
    var b = doc.createElement("button");
    b.type = "button";
    b.className = "chip";
    b.setAttribute("aria-pressed", chosen.indexOf(f.value) >= 0 ? "true" : "false");
    b.setAttribute("data-" + kind, f.value);
    b.textContent = name(f.value) + " " + f.count;
    b.addEventListener("click", function (e) { e.stopPropagation(); onFacet(f.value, kind); });
    row.appendChild(b);
  });
  return row;
}

// inChunks calls row for each hit: HITS_AT_ONCE at once (the header box's
// whole list, BOX_HITS, so that it is drawn in one task; more than a
// phone's screen of the results page), the rest in small tasks after, so
// that marking snippets of 50 hits never blocks typing or scrolling for
// long. It calls done after the last row; rows
// stop when the search is no longer current, and then done is not called
// (the region stays aria-busy for the newer search).
var BOX_HITS = 8, HITS_AT_ONCE = BOX_HITS;
function inChunks(hits, current, done, row) {
  var i = 0;
  function step() {
    for (var end = Math.min(hits.length, i + HITS_AT_ONCE); i < end; i++) row(hits[i], i);
    if (i < hits.length) setTimeout(function () { if (current()) step(); }, 0);
    else done();
  }
  step();
}

// sayLine shows a script hit's first line to say, answer first, with a
// button that copies it (through playbook.js's copy, which falls back to
// execCommand where the clipboard API is missing).
function sayLine(text, L) {
  var box = doc.createElement("div"), q = doc.createElement("q"), b = doc.createElement("button");
  box.className = "hit-say";
  q.textContent = text;
  b.type = "button";
  b.className = "copy-btn copy-line";
  b.textContent = L.copy_line || "⧉";
  b.addEventListener("click", function (e) {
    e.stopPropagation();
    var copy = root.playbookCopy || function (t) { return root.navigator.clipboard.writeText(t); };
    Promise.resolve().then(function () { return copy(text); }).then(function () {
      b.textContent = L.copied || "✓";
      b.classList.add("copied");
    }, function () {
      b.textContent = L.copy_failed || "×";
    });
  });
  box.appendChild(q);
  box.appendChild(b);
  return box;
}

// reportMiss notes what a search found, for the editors' miss report. A
// search with no type or stage chosen that found nothing, or only relaxed
// hits, is a miss; it is sent once it settles — no other search for
// MISS_SETTLE_MS, Enter on the results page, or the page left — with
// navigator.sendBeacon to the search form's data-report (search.report_url,
// or playbook serve's own address), at most once per query and page load.
// Enter in the header box leaves the query to the results page it opens.
// The body is {time, query, count, relaxed}: nothing about the reader.
var MISS_SETTLE_MS = 1500, missState = null;
function reportMiss(req, res) {
  var S = missState, form = doc.querySelector("form.search[role=search]");
  if (!S) {
    S = missState = { sent: {}, pending: null, timer: 0 };
    S.flush = function () {
      var m = S.pending, url = form && form.getAttribute("data-report");
      clearTimeout(S.timer);
      S.pending = null;
      if (!m || !url || S.sent[m.key] || !root.navigator.sendBeacon) return;
      S.sent[m.key] = true;
      root.navigator.sendBeacon(url, JSON.stringify({ time: new Date().toISOString(), query: m.query, count: m.count, relaxed: m.relaxed }));
    };
    if (form) form.addEventListener("submit", function (e) { if (e.defaultPrevented) S.flush(); else S.pending = null; });
    root.addEventListener("pagehide", S.flush);
  }
  // relaxed-only: hits, none holding every word (relaxedHits in
  // builder/preview/misses.go)
  var relaxed = res.total > 0 && !res.strict, q = (req.q || "").trim();
  clearTimeout(S.timer);
  S.pending = null;
  if (!q || (req.types || []).length || (req.stages || []).length || (res.total > 0 && !relaxed)) return;
  S.pending = { key: normalizeWord(q), query: q, count: relaxed ? res.total : 0, relaxed: relaxed };
  S.timer = setTimeout(S.flush, MISS_SETTLE_MS);
}

// address replaces the results page's address with req's query and
// filters: a link to what is shown, with no history entry of its own.
function address(req) {
  var u = new URLSearchParams();
  if (req.q) u.set("q", req.q);
  req.types.forEach(function (t) { u.append("type", t); });
  req.stages.forEach(function (s) { u.append("stage", s); });
  root.history.replaceState(null, "", "?" + u.toString());
}

function resultsPage(page, engine, input, L) {
  var out = page.querySelector(".search-results") || page;
  var params = new URLSearchParams(root.location.search);
  var state = { q: params.get("q") || "", types: params.getAll("type"), stages: params.getAll("stage") };
  input.value = state.q;
  var run = latest(out, function (current) {
    var req = { q: state.q, types: state.types.slice(), stages: state.stages.slice(), limit: 50, stageFacets: true };
    if (!req.q.trim() && !req.types.length && !req.stages.length) {
      suggest(input.form, out, input.form.getAttribute("action"));
      drawn(out, "");
      address(req);
      return Promise.resolve();
    }
    return render(engine, req, out, L, current, toggle, null).then(function () { if (current()) address(req); });
  });
  function toggle(v, kind) {
    var list = kind === "stage" ? state.stages : state.types;
    var i = list.indexOf(v);
    if (i >= 0) list.splice(i, 1); else list.push(v);
    run();
  }
  typing(input, function () { state.q = input.value; run(); });
  input.form.addEventListener("submit", function (e) { e.preventDefault(); state.q = input.value; remember(state.q); run(); });
  arrows(input, out, function () {});
  out.addEventListener("click", function (e) { if (e.target.closest && e.target.closest("a.hit")) remember(state.q); });
  run();
}

if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ui);
else ui();
