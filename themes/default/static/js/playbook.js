// Playbook default theme: dark-mode toggle, copy buttons, list filters.
// Plain ES2017, no dependencies. Every page works without it: the toggle and
// copy buttons stay hidden and lists show every item.
(function () {
  "use strict";

  var THEME_KEY = "playbook-theme";
  var root = document.documentElement;

  // ---- dark mode -------------------------------------------------------
  // The inline script in <head> applies a stored choice before first paint;
  // without one the page follows prefers-color-scheme.

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function currentTheme() {
    var t = root.getAttribute("data-theme");
    if (t === "dark" || t === "light") return t;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  // The label says what a click does: turn to the other mode, and when that
  // mode is the system's, follow the system again ("跟随系统").
  function labelToggle(btn) {
    var next = currentTheme() === "dark" ? "light" : "dark";
    var label = btn.getAttribute("data-label-" + next);
    if (!label) return;
    if (next === systemTheme() && btn.getAttribute("data-label-system")) {
      label += " · " + btn.getAttribute("data-label-system");
    }
    btn.setAttribute("aria-label", label);
    btn.setAttribute("title", label);
  }

  function systemTheme() {
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  // A click turns to the other mode. A choice that is the system's own is
  // not stored: the page follows the system again, also when it changes
  // later (night mode at dusk), instead of being pinned for good.
  function initThemeToggle() {
    var btn = document.querySelector(".theme-toggle");
    if (!btn) return;
    labelToggle(btn);
    btn.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      try {
        if (next === systemTheme()) localStorage.removeItem(THEME_KEY);
        else localStorage.setItem(THEME_KEY, next);
      } catch (e) { /* private mode: this page only */ }
      if (next === systemTheme()) root.removeAttribute("data-theme");
      else root.setAttribute("data-theme", next);
      labelToggle(btn);
    });
    if (darkQuery && darkQuery.addEventListener) {
      darkQuery.addEventListener("change", function () { labelToggle(btn); });
    }
  }

  // ---- copy buttons ------------------------------------------------------
  // <button data-copy="#selector" data-copied="…" data-failed="…"> copies the
  // plain text of the element the selector names; with data-copy-in="sel"
  // the element is looked for inside the button's closest "sel" (a list of
  // scripts has one talk track per item). With data-copy-all it copies every
  // element the selector names there, a blank line apart, leaving out any
  // inside an {.internal} section: a script's lines to say and nothing else.
  // A button without words or data-copied takes them from its closest
  // ancestor's data-copy-line, data-copied and data-failed (the markdown
  // renderer writes the per-line buttons; the theme knows the language).

  // the search results' copy buttons use it too (js/search/ui.js)
  window.playbookCopy = copyText;

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  // fallbackCopy works on plain http (where navigator.clipboard is missing)
  // and in older in-app browsers.
  function fallbackCopy(text) {
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.top = "0";
      ta.style.left = "-9999px";
      ta.style.fontSize = "16px"; // keeps iOS from zooming
      document.body.appendChild(ta);
      ta.select();
      ta.setSelectionRange(0, text.length);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function plainText(el) {
    // innerText follows the rendering (line breaks between blocks); tidy the
    // blank lines it leaves between paragraphs. Text in a closed <details>
    // is not rendered, so open it for the moment of reading.
    var fold = el.closest ? el.closest("details:not([open])") : null;
    if (fold) fold.open = true;
    var text = el.innerText || el.textContent || "";
    if (fold) fold.open = false;
    return text.replace(/\n{3,}/g, "\n\n").trim();
  }

  function copyTargets(btn) {
    var scope = btn.getAttribute("data-copy-in");
    var within = scope ? btn.closest(scope) : document;
    if (!within) return [];
    var sel = btn.getAttribute("data-copy");
    if (!btn.hasAttribute("data-copy-all")) {
      var one = within.querySelector(sel);
      return one ? [one] : [];
    }
    return Array.prototype.filter.call(within.querySelectorAll(sel), function (el) { return !el.closest(".internal"); });
  }

  function inherit(btn, name) {
    if (btn.hasAttribute(name)) return btn.getAttribute(name);
    var from = btn.closest("[" + name + "]");
    return from ? from.getAttribute(name) : "";
  }

  function initCopyButtons(container) {
    var buttons = container.querySelectorAll("[data-copy]");
    Array.prototype.forEach.call(buttons, function (btn) {
      var targets = copyTargets(btn);
      if (!targets.length) return;
      var target = targets[0];
      var label = btn.querySelector(".copy-label") || btn;
      if (!label.textContent.trim()) label.textContent = inherit(btn, "data-copy-line");
      var idle = label.textContent;
      var status = btn.parentNode.querySelector(".copy-status");
      var timer = 0;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        copyText(targets.map(plainText).join("\n\n")).then(function () {
          show(inherit(btn, "data-copied"), "copied");
        }, function () {
          show(inherit(btn, "data-failed"), "copy-failed");
          selectContents(target);
        });
      });
      function show(text, cls) {
        label.textContent = text;
        btn.classList.remove("copied", "copy-failed");
        btn.classList.add(cls);
        if (status) status.textContent = text;
        clearTimeout(timer);
        timer = setTimeout(function () {
          label.textContent = idle;
          btn.classList.remove(cls);
          if (status) status.textContent = "";
        }, 2500);
      }
    });
  }

  function selectContents(el) {
    var sel = window.getSelection();
    if (!sel) return;
    var range = document.createRange();
    range.selectNodeContents(el);
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // ---- list filters ------------------------------------------------------
  // Items of every [data-filter-list] carry elements with data-facet and
  // data-value; their text is the chip's label. A [data-filter-group] (a
  // stage or channel of the script library) hides when a filter empties it,
  // and [data-totals] (the case library's head) is recounted over the items
  // left. Within a facet the chosen
  // values are alternatives (OR); across facets they all apply (AND). Each
  // chip counts the items it would show with the other facets as chosen. The
  // choice is kept in the query string, so a filtered list can be shared.

  function initFilters() {
    var bar = document.querySelector("[data-filters]");
    if (bar) bar.setAttribute("data-ready", ""); // the list below shows (CSS); no paint before this task ends
    if (bar && bar.hasAttribute("data-rows")) { initPagedFilters(bar); return; }
    var lists = document.querySelectorAll("[data-filter-list]");
    if (!bar || !lists.length) return;
    var items = [];
    Array.prototype.forEach.call(lists, function (l) { items = items.concat(Array.prototype.slice.call(l.children)); });
    var groups = document.querySelectorAll("[data-filter-group]");
    var totals = document.querySelector("[data-totals]");
    var facets = {}; // facet → value → {label, count}
    items.forEach(function (item) {
      var own = {};
      Array.prototype.forEach.call(item.querySelectorAll("[data-facet]"), function (el) {
        var f = el.getAttribute("data-facet");
        var v = el.getAttribute("data-value");
        if (!v) return;
        own[f] = own[f] || {};
        if (own[f][v]) return;
        own[f][v] = true;
        facets[f] = facets[f] || {};
        var entry = facets[f][v] || (facets[f][v] = { label: el.textContent.trim(), count: 0 });
        entry.count++;
      });
      item._facets = own;
    });

    var chosen = {}; // facet → {value: true}
    if (!buildChips(bar, facets, items.length, chosen)) return;

    var countEl = bar.querySelector("[data-filter-count]");
    var clearBtn = bar.querySelector("[data-filter-clear]");
    var empty = document.querySelector("[data-filter-empty]");

    function apply() {
      var n = 0;
      items.forEach(function (item) {
        var ok = matches(chosen, item._facets);
        item.hidden = !ok;
        if (ok) n++;
      });
      var active = isActive(chosen);
      showCount(countEl, active, n, items.length);
      clearBtn.hidden = !active;
      if (empty) empty.hidden = n > 0;
      Array.prototype.forEach.call(groups, function (g) {
        g.hidden = !Array.prototype.some.call(g.querySelectorAll("[data-filter-list] > li"), function (li) { return !li.hidden; });
      });
      if (totals) recount(totals, items.filter(function (it) { return !it.hidden; }));
      bar.classList.toggle("filters-active", active);
      countChips(bar, chosen, items.map(function (it) { return it._facets; }));
    }

    onChips(bar, chosen, function () {
      apply();
      syncURL(bar, chosen, 0, false);
    });
    apply();
  }

  // buildChips fills each facet of the bar with a chip per value (facets:
  // facet → value → {label, count}), pressed as the query string says, and
  // shows the bar. It returns false when no facet would narrow the list.
  function buildChips(bar, facets, total, chosen) {
    var params = new URLSearchParams(location.search);
    var shown = 0;
    Array.prototype.forEach.call(bar.querySelectorAll(".facet[data-facet]"), function (group) {
      var name = group.getAttribute("data-facet");
      var values = facets[name];
      if (!values) return;
      var keys = Object.keys(values);
      // A facet narrows the list only if some item lacks one of its values.
      if (keys.length < 2 && values[keys[0]].count === total) return;
      var order = (group.getAttribute("data-order") || "").split(/\s+/).filter(Boolean);
      keys.sort(function (a, b) {
        var ia = order.indexOf(a), ib = order.indexOf(b);
        if (ia !== ib && (ia >= 0 || ib >= 0)) return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
        return values[b].count - values[a].count || values[a].label.localeCompare(values[b].label, root.lang);
      });
      var box = group.querySelector(".facet-chips");
      var wanted = params.getAll(name);
      keys.forEach(function (v) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "fchip";
        b.setAttribute("data-facet", name);
        b.setAttribute("data-value", v);
        var on = wanted.indexOf(v) >= 0;
        b.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) (chosen[name] = chosen[name] || {})[v] = true;
        b.appendChild(document.createTextNode(values[v].label));
        var n = document.createElement("span");
        n.className = "n";
        n.textContent = values[v].count;
        b.appendChild(n);
        box.appendChild(b);
      });
      group.hidden = false;
      shown++;
    });
    if (!shown) return false;
    bar.hidden = false;
    foldFacets(bar, chosen);
    return true;
  }

  // onChips calls changed after a chip or the clear button changed chosen.
  function onChips(bar, chosen, changed) {
    bar.addEventListener("click", function (ev) {
      var b = ev.target.closest ? ev.target.closest(".fchip") : null;
      if (!b) return;
      var f = b.getAttribute("data-facet"), v = b.getAttribute("data-value");
      var on = b.getAttribute("aria-pressed") !== "true";
      b.setAttribute("aria-pressed", on ? "true" : "false");
      chosen[f] = chosen[f] || {};
      if (on) chosen[f][v] = true; else delete chosen[f][v];
      changed();
    });
    bar.querySelector("[data-filter-clear]").addEventListener("click", function () {
      Object.keys(chosen).forEach(function (f) { delete chosen[f]; });
      Array.prototype.forEach.call(bar.querySelectorAll(".fchip"), function (b) { b.setAttribute("aria-pressed", "false"); });
      changed();
    });
  }

  // Within a facet the chosen values are alternatives (OR); across facets
  // they all apply (AND). own: facet → {value: true} of one entry; the
  // facet skip, when given, is left out.
  function matches(chosen, own, skip) {
    for (var f in chosen) {
      if (f === skip) continue;
      var vals = Object.keys(chosen[f]);
      if (!vals.length) continue;
      var have = own[f] || {};
      if (!vals.some(function (v) { return have[v]; })) return false;
    }
    return true;
  }

  // countChips makes each chip's number follow the filters: the entries
  // with its value among those the other facets let through, which is what
  // the list shows once it is chosen too (or, when it is chosen, what it
  // contributes). A chip that would show nothing is dimmed. entries: the
  // facet maps of every entry of the list.
  function countChips(bar, chosen, entries) {
    Array.prototype.forEach.call(bar.querySelectorAll(".fchip"), function (b) {
      var f = b.getAttribute("data-facet"), v = b.getAttribute("data-value");
      var n = 0;
      entries.forEach(function (own) {
        if ((own[f] || {})[v] && matches(chosen, own, f)) n++;
      });
      b.querySelector(".n").textContent = n;
      b.classList.toggle("fchip-none", n === 0);
    });
  }

  function isActive(chosen) {
    return Object.keys(chosen).some(function (f) { return Object.keys(chosen[f]).length > 0; });
  }

  function showCount(el, active, n, total) {
    var tpl = el.getAttribute(active ? "data-template" : "data-template-all") || "";
    el.textContent = tpl.replace("{n}", n).replace("{total}", total);
  }

  // syncURL writes the chosen values, and the page of a paged list's
  // filtered view (page > 1), to the query string; push adds a history
  // entry, so that the back button returns to the page before.
  function syncURL(bar, chosen, page, push) {
    var q = new URLSearchParams(location.search);
    Array.prototype.forEach.call(bar.querySelectorAll(".facet[data-facet]"), function (g) {
      q.delete(g.getAttribute("data-facet"));
    });
    q.delete("page");
    Object.keys(chosen).forEach(function (f) {
      Object.keys(chosen[f]).forEach(function (v) { q.append(f, v); });
    });
    if (page > 1) q.set("page", page);
    var s = q.toString();
    var u = location.pathname + (s ? "?" + s : "") + location.hash;
    if (push) history.pushState(null, "", u); else history.replaceState(null, "", u);
  }

  // ---- paged lists ---------------------------------------------------------
  // A list too long for one page (builder/render/paging.go) shows one page of its
  // entries and a pager of plain links. Its bar names the list's rows.json
  // (data-rows): every entry's facets, the data-* of its <li> (for the case
  // totals) and the shard holding its HTML. The chips count the whole list;
  // with a filter on, the page's own entries and pager give way to the
  // matches, data-page-size at a time, their HTML loaded shard by shard, and
  // a pager of the matches. Filters and page are in the query string
  // (?stage=x&page=2), so a filtered page can be shared, printed and
  // returned to with the back button.

  function initPagedFilters(bar) {
    fetch(bar.getAttribute("data-rows")).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + r.url);
      return r.json();
    }).then(function (data) { pagedFilters(bar, data); });
  }

  function pagedFilters(bar, data) {
    var facets = {};
    var rows = data.rows.map(function (r) {
      var own = {}, attrs = {};
      r[2].forEach(function (i) {
        var fv = data.facets[i];
        (own[fv[0]] = own[fv[0]] || {})[fv[1]] = true;
        var values = facets[fv[0]] = facets[fv[0]] || {};
        (values[fv[1]] = values[fv[1]] || { label: fv[2], count: 0 }).count++;
      });
      r[3].forEach(function (i) {
        var a = data.attrs[i], eq = a.indexOf("=");
        attrs["data-" + a.slice(0, eq)] = a.slice(eq + 1);
      });
      return { shard: r[0], pos: r[1], facets: own, attrs: attrs };
    });
    var chosen = {};
    if (!buildChips(bar, facets, rows.length, chosen)) return;
    var view = pagedView(bar, data.shards, rows);
    var page = pageParam();
    onChips(bar, chosen, function () {
      page = 1;
      view(chosen, page);
      syncURL(bar, chosen, page, false);
    });
    view.onPage = function (n) {
      page = n;
      view(chosen, page);
      syncURL(bar, chosen, page, true);
      bar.scrollIntoView();
    };
    window.addEventListener("popstate", function () {
      var params = new URLSearchParams(location.search);
      Object.keys(chosen).forEach(function (f) { delete chosen[f]; });
      Array.prototype.forEach.call(bar.querySelectorAll(".fchip"), function (b) {
        var f = b.getAttribute("data-facet"), v = b.getAttribute("data-value");
        var on = params.getAll(f).indexOf(v) >= 0;
        b.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) (chosen[f] = chosen[f] || {})[v] = true;
      });
      page = pageParam();
      view(chosen, page);
    });
    view(chosen, page);
  }

  function pageParam() {
    return Math.max(1, parseInt(new URLSearchParams(location.search).get("page"), 10) || 1);
  }

  // pagedView returns view(chosen, page), which shows the list's own page
  // when nothing is chosen and page of the matches otherwise.
  function pagedView(bar, base, rows) {
    var size = parseInt(bar.getAttribute("data-page-size"), 10) || 30;
    var own = document.querySelectorAll("[data-filter-group], [data-filter-list], [data-pager]");
    var lists = document.querySelectorAll("[data-filter-list]");
    var last = lists[lists.length - 1];
    var results = document.createElement("ol");
    results.className = lists[0].className;
    results.setAttribute("data-filter-results", "");
    results.hidden = true;
    var pager = document.createElement("nav");
    pager.className = "pager";
    pager.setAttribute("data-filter-pager", "");
    pager.setAttribute("aria-label", (document.querySelector("[data-pager]") || bar).getAttribute("aria-label") || "");
    pager.hidden = true;
    var after = last.closest("[data-filter-group]:not([data-filter-group] [data-filter-group])") || last;
    after.parentNode.insertBefore(pager, after.nextSibling);
    after.parentNode.insertBefore(results, pager);
    var countEl = bar.querySelector("[data-filter-count]");
    var clearBtn = bar.querySelector("[data-filter-clear]");
    var empty = document.querySelector("[data-filter-empty]");
    var totals = document.querySelector("[data-totals]");
    var shards = {}, seq = 0;

    function shard(k) {
      return shards[k] || (shards[k] = fetch(base + k + ".json").then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.url);
        return r.json();
      }));
    }

    function view(chosen, page) {
      var active = isActive(chosen);
      var hits = rows.filter(function (r) { return matches(chosen, r.facets); });
      showCount(countEl, active, hits.length, rows.length);
      countChips(bar, chosen, rows.map(function (r) { return r.facets; }));
      clearBtn.hidden = !active;
      bar.classList.toggle("filters-active", active);
      if (totals) recount(totals, hits.map(function (r) { return attrItem(r.attrs); }));
      Array.prototype.forEach.call(own, function (el) { el.hidden = active; });
      results.hidden = pager.hidden = !active;
      if (empty) empty.hidden = !active || hits.length > 0;
      var mine = ++seq;
      if (!active) { results.textContent = ""; results.removeAttribute("aria-busy"); return; }
      results.setAttribute("aria-busy", "true"); // until this choice's entries are in
      var pages = Math.max(1, Math.ceil(hits.length / size));
      page = Math.min(page, pages);
      var shown = hits.slice((page - 1) * size, page * size);
      Promise.all(shown.map(function (r) { return shard(r.shard); })).then(function (got) {
        if (mine !== seq) return; // a later choice won
        var t = document.createElement("template");
        t.innerHTML = got.map(function (s, i) { return s[shown[i].pos]; }).join("");
        results.textContent = "";
        results.appendChild(t.content);
        initCopyButtons(results);
        fillPager(pager, page, pages, hits.length, view.onPage);
        results.removeAttribute("aria-busy");
      }, function () {
        if (mine !== seq) return;
        results.textContent = "";
        var li = document.createElement("li");
        li.className = "empty";
        li.textContent = bar.getAttribute("data-failed") || "";
        results.appendChild(li);
        results.removeAttribute("aria-busy");
      });
    }
    return view;
  }

  // attrItem lets recount read a row's <li> data-* as it reads an element's.
  function attrItem(attrs) {
    return {
      hasAttribute: function (n) { return Object.prototype.hasOwnProperty.call(attrs, n); },
      getAttribute: function (n) { return Object.prototype.hasOwnProperty.call(attrs, n) ? attrs[n] : null; }
    };
  }

  // fillPager writes the pager of a filtered view: previous, next and the
  // first, last and nearby pages, as links to their query strings.
  function fillPager(nav, page, pages, total, go) {
    var tpl = document.querySelector("[data-filters]");
    nav.textContent = "";
    if (pages < 2) return;
    var status = document.createElement("p");
    status.className = "pager-status";
    status.textContent = (tpl.getAttribute("data-status") || "").replace("{n}", page).replace("{count}", pages).replace("{total}", total);
    nav.appendChild(status);
    var ul = document.createElement("ul");
    ul.className = "pager-links";
    function item(n, label, cls, rel) {
      var li = document.createElement("li");
      if (cls) li.className = cls;
      var el;
      if (n === page || n < 1 || n > pages) {
        el = document.createElement("span");
        if (n === page && !cls) { el.className = "pager-current"; el.setAttribute("aria-current", "page"); }
        else el.setAttribute("aria-disabled", "true");
      } else {
        el = document.createElement("a");
        var q = new URLSearchParams(location.search);
        if (n > 1) q.set("page", n); else q.delete("page");
        el.href = "?" + q.toString();
        if (rel) el.rel = rel;
        el.addEventListener("click", function (ev) { ev.preventDefault(); go(n); });
      }
      el.textContent = label;
      li.appendChild(el);
      ul.appendChild(li);
    }
    item(page - 1, tpl.getAttribute("data-prev") || "‹", "pager-prev", "prev");
    var last = 0;
    for (var n = 1; n <= pages; n++) {
      if (n !== 1 && n !== pages && (n < page - 2 || n > page + 2)) continue;
      if (last && n !== last + 1) {
        var gap = document.createElement("li");
        gap.className = "pager-gap";
        gap.setAttribute("aria-hidden", "true");
        gap.textContent = "…";
        ul.appendChild(gap);
      }
      item(n, String(n), "", "");
      last = n;
    }
    item(page + 1, tpl.getAttribute("data-next") || "›", "pager-next", "next");
    nav.appendChild(ul);
  }

  // recount fills the case totals from the shown case items, by the rules
  // the builder uses (views.Totals): won value per currency, median cycle
  // over decided cases.
  function recount(box, items) {
    var t = { cases: 0, won: 0, lost: 0, open: 0 };
    var value = {}, cycles = [];
    items.forEach(function (it) {
      if (!it.hasAttribute("data-case")) return;
      var outcome = it.getAttribute("data-outcome");
      var deal = parseFloat(it.getAttribute("data-deal")) || 0;
      var cycle = parseInt(it.getAttribute("data-cycle"), 10) || 0;
      t.cases++;
      if (outcome === "won" || outcome === "lost") t[outcome]++; else t.open++;
      if (outcome === "won" && deal > 0) {
        var cur = it.getAttribute("data-currency");
        var v = value[cur] || (value[cur] = { sym: it.getAttribute("data-sym"), cur: cur, amount: 0 });
        v.amount += deal;
      }
      if (outcome !== "open" && cycle > 0) cycles.push(cycle);
    });
    ["cases", "won", "lost", "open"].forEach(function (k) {
      var el = box.querySelector('[data-total="' + k + '"]');
      if (el) el.textContent = t[k];
    });
    var valueEl = box.querySelector('[data-total="value"]');
    if (valueEl) {
      var money = Object.keys(value).map(function (k) { return value[k]; });
      money.sort(function (a, b) { return b.amount - a.amount || (a.cur < b.cur ? -1 : 1); });
      valueEl.textContent = "";
      money.forEach(function (m, i) {
        if (i) valueEl.appendChild(document.createElement("br"));
        var span = document.createElement("span");
        span.className = "money";
        var n = Math.round(m.amount).toLocaleString("en-US");
        span.textContent = m.sym ? m.sym + n : n + " " + m.cur;
        valueEl.appendChild(span);
      });
      if (!money.length) valueEl.textContent = "—";
    }
    var cycleEl = box.querySelector('[data-total="cycle"]');
    if (cycleEl) {
      cycles.sort(function (a, b) { return a - b; });
      var h = cycles.length >> 1;
      var med = cycles.length % 2 ? cycles[h] : (cycles[h - 1] + cycles[h]) / 2;
      cycleEl.textContent = cycles.length ? med + " " + cycleEl.getAttribute("data-unit") : "—";
    }
  }

  // foldFacets puts the type's main facets (data-primary) first and folds the
  // others behind the "more filters" button, unless one of them is in use.
  function foldFacets(bar, chosen) {
    var box = bar.querySelector("[data-facets]");
    var more = bar.querySelector("[data-filter-more]");
    if (!box || !more) return;
    var groups = Array.prototype.filter.call(box.querySelectorAll(".facet"), function (g) { return !g.hidden; });
    var primary = (bar.getAttribute("data-primary") || "").split(/\s+/).filter(Boolean);
    var main = [];
    primary.forEach(function (name) {
      groups.forEach(function (g) { if (g.getAttribute("data-facet") === name) main.push(g); });
    });
    if (!main.length) main = groups.slice(0, 2);
    var extra = groups.filter(function (g) { return main.indexOf(g) < 0; });
    main.concat(extra).forEach(function (g) { box.appendChild(g); });
    if (!extra.length) return;
    var names = [];
    extra.forEach(function (g) {
      g.classList.add("facet-extra");
      var n = g.querySelector(".facet-name");
      if (n) names.push(n.textContent);
    });
    var label = document.createElement("span");
    var hint = document.createElement("span");
    hint.className = "filters-more-hint";
    hint.textContent = names.join(" · ");
    function set(open) {
      bar.classList.toggle("filters-open", open);
      more.setAttribute("aria-expanded", open ? "true" : "false");
      label.textContent = more.getAttribute(open ? "data-less" : "data-more");
      hint.hidden = open;
    }
    more.textContent = "";
    more.appendChild(label);
    more.appendChild(hint);
    more.hidden = false;
    more.addEventListener("click", function () { set(!bar.classList.contains("filters-open")); });
    set(extra.some(function (g) { return chosen[g.getAttribute("data-facet")]; }));
  }

  // ---- wide screens ------------------------------------------------------
  // The table of contents and a list's introduction start folded on phones
  // and open where there is room for them.

  function initWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 68em)").matches) return;
    Array.prototype.forEach.call(document.querySelectorAll("details[data-toc], details[data-wide-open]"), function (d) {
      d.open = true;
    });
  }

  // Printing shows folded parts (answers, contents, introductions) too.
  function initPrint() {
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.setAttribute("data-print-opened", "");
        d.open = true;
      });
    });
    window.addEventListener("afterprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details[data-print-opened]"), function (d) {
        d.removeAttribute("data-print-opened");
        d.open = false;
      });
    });
  }

  // On a phone the section tabs scroll sideways; bring the current one
  // into view, and say on which sides there is more (data-more: the CSS
  // shows a fade and a chevron there). The sizes are read when a
  // ResizeObserver reports them, after the browser's own layout: read at
  // start-up they would force the page's first layout inside this script,
  // one long task that holds up the first tap.
  function initNav() {
    var nav = document.querySelector(".site-nav");
    var strip = nav && nav.querySelector("ul");
    if (!strip) return;
    var cur = nav.querySelector("[aria-current]");
    function more() {
      var left = strip.scrollLeft > 1, right = strip.scrollLeft + strip.clientWidth < strip.scrollWidth - 1;
      nav.setAttribute("data-more", (left ? "left " : "") + (right ? "right" : ""));
    }
    function place() {
      if (cur && strip.scrollWidth > strip.clientWidth) {
        var li = cur.parentNode;
        strip.scrollLeft = li.offsetLeft - (strip.clientWidth - li.offsetWidth) / 2;
      }
      cur = null; // once: later the reader scrolls the strip
      more();
    }
    strip.addEventListener("scroll", more, { passive: true });
    if ("ResizeObserver" in window) {
      new ResizeObserver(function () { if (cur) place(); else more(); }).observe(strip);
    } else {
      window.addEventListener("resize", more);
      place();
    }
  }

  function init() {
    initNav();
    initPrint();
    initThemeToggle();
    initCopyButtons(document);
    initFilters();
    initWide();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
