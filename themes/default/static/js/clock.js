// Playbook default theme: the reader's clock. The build marks what depends
// on the date — the next training session and the past ones, overdue retro
// actions, pages due for review — at its own clock, and writes the dates
// the marks turn on beside them as data attributes. This script redoes the
// marks and their counts at the browser's date, so a site built on Monday
// is still right on Saturday. Without it the build's marks stay.
// Plain ES2015, no dependencies; the attributes it reads:
//
//   data-shown-after="T"    shown once T has passed (due for review, overdue)
//   data-shown-until="T"    shown until T has passed (open, not yet overdue)
//   data-shown-from="T"     shown from T on (a session that has ended)
//   data-shown-before="T"   shown before T (a session still to come)
//   data-class-after="T" data-class="C"   class C once T has passed
//   data-clock-list[="hide-empty"]        counts its visible data-clock-item
//     elements into its data-clock-n and data-clock-empty elements (and
//     data-clock-count-of / data-clock-empty-of="ID" elsewhere); hides
//     itself when none is visible, with "hide-empty"
//
// Each rule is the build's own comparison (builder/model/training.go, boards.go),
// so at the build's time the script changes nothing.
(function () {
  "use strict";

  var root = document.documentElement;

  // now is the reader's time, but never before the build's: a site built
  // ahead (--now) or read on a clock that is behind keeps the build's marks.
  function clockNow() {
    var built = Date.parse(root.getAttribute("data-built") || "");
    var now = Date.now();
    return isNaN(built) ? now : Math.max(now, built);
  }

  var rules = {
    "data-shown-after": function (t, now) { return t < now; },
    "data-shown-until": function (t, now) { return !(t < now); },
    "data-shown-from": function (t, now) { return !(t > now); },
    "data-shown-before": function (t, now) { return t > now; }
  };
  var ruleNames = Object.keys(rules);
  var ruleSelector = ruleNames.map(function (a) { return "[" + a + "]"; }).join(",");

  function all(sel, within) {
    return Array.prototype.slice.call((within || document).querySelectorAll(sel));
  }

  function visible(el) { return !el.hidden; }

  // applyRules shows an element when every rule it carries holds at now.
  function applyRules(now) {
    all(ruleSelector).forEach(function (el) {
      el.hidden = !ruleNames.every(function (name) {
        var v = el.getAttribute(name);
        if (v === null) return true;
        var t = Date.parse(v);
        return isNaN(t) || rules[name](t, now);
      });
    });
    all("[data-class-after][data-class]").forEach(function (el) {
      var t = Date.parse(el.getAttribute("data-class-after"));
      if (!isNaN(t)) el.classList.toggle(el.getAttribute("data-class"), t < now);
    });
  }

  // own lists the elements of sel that belong to list, not to a list in it.
  function own(list, sel) {
    return all(sel, list).filter(function (el) { return el.closest("[data-clock-list]") === list; });
  }

  // recount writes each list's number of visible items where it is shown.
  function recount() {
    var counts = {};
    all("[data-clock-list]").forEach(function (list) {
      var n = all("[data-clock-item]", list).filter(visible).length;
      own(list, "[data-clock-n]").forEach(function (el) { el.textContent = String(n); });
      own(list, "[data-clock-empty]").forEach(function (el) { el.hidden = n > 0; });
      if (list.getAttribute("data-clock-list") === "hide-empty") list.hidden = n === 0;
      if (list.id) counts[list.id] = n;
    });
    all("[data-clock-count-of]").forEach(function (el) {
      el.textContent = String(counts[el.getAttribute("data-clock-count-of")] || 0);
    });
    all("[data-clock-empty-of]").forEach(function (el) {
      el.hidden = (counts[el.getAttribute("data-clock-empty-of")] || 0) > 0;
    });
  }

  // ---- training calendar ---------------------------------------------------
  // The next session is the first one still listed under "upcoming"; its
  // box is filled from the <template> the session carries.

  function markNext() {
    var up = document.querySelector('[data-calendar="upcoming"]');
    if (!up) return;
    var next = null;
    all("li.session", up).forEach(function (li) {
      var isNext = !next && visible(li);
      if (isNext) next = li;
      li.classList.toggle("session-next", isNext);
      if (isNext) li.setAttribute("aria-current", "true");
      else li.removeAttribute("aria-current");
      var badge = li.querySelector("[data-next-badge]");
      if (badge) badge.hidden = !isNext;
    });
    var box = document.querySelector("[data-next-session]");
    if (!box) return;
    box.hidden = !next;
    var tpl = next && next.querySelector("template[data-next-template]");
    if (!tpl || box.getAttribute("data-module") === next.getAttribute("data-module")) return;
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(tpl.content.cloneNode(true));
    box.setAttribute("data-module", next.getAttribute("data-module"));
  }

  // ---- action board ----------------------------------------------------------
  // Owners come in the order of their first shown action (data-seq), in each
  // bucket and in the tally, whose overdue and open counts are redone.

  function firstSeq(group) {
    var row = all("[data-clock-item]", group).filter(visible)[0];
    return row ? Number(row.getAttribute("data-seq")) : Infinity;
  }

  function orderOwners() {
    all(".bucket[data-clock-list]").forEach(function (bucket) {
      var groups = own(bucket, ".owner-group");
      groups.map(function (g, i) { return { g: g, k: firstSeq(g), i: i }; })
        .sort(function (a, b) { return a.k - b.k || a.i - b.i; })
        .forEach(function (x) { x.g.parentNode.appendChild(x.g); });
    });
  }

  function recountTally() {
    var list = document.querySelector(".owner-tally .tally");
    // data-clock-fixed: the board shows part of its rows (a large site), so
    // the tally keeps the build's counts rather than count the part.
    if (!list || list.hasAttribute("data-clock-fixed")) return;
    var order = [];
    var counts = {};
    all(".board-actions .bucket .owner-group").forEach(function (g) {
      if (g.hidden) return;
      var owner = g.getAttribute("data-owner");
      if (order.indexOf(owner) < 0) order.push(owner);
      var key = g.closest(".bucket").id;
      counts[key + "\u0000" + owner] = all("[data-clock-item]", g).filter(visible).length;
    });
    var items = all("li[data-owner]", list);
    items.forEach(function (li) {
      var owner = li.getAttribute("data-owner");
      ["overdue", "open"].forEach(function (key) {
        var badge = li.querySelector('[data-tally="' + key + '"]');
        if (!badge) return;
        var n = counts[key + "\u0000" + owner] || 0;
        badge.querySelector(".n").textContent = String(n);
        badge.hidden = n === 0;
        if (key === "overdue") li.classList.toggle("tally-late", n > 0);
      });
    });
    var rank = function (li) {
      var i = order.indexOf(li.getAttribute("data-owner"));
      return i < 0 ? Infinity : i;
    };
    items.map(function (li, i) { return { li: li, k: rank(li), i: i }; })
      .sort(function (a, b) { return a.k - b.k || a.i - b.i; })
      .forEach(function (x) { list.appendChild(x.li); });
  }

  function run() {
    applyRules(clockNow());
    orderOwners();
    recount();
    markNext();
    recountTally();
  }

  // A page left open in a tab for days is redone when the reader comes back.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") run();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
