// Playbook training: scores quizzes in the browser and keeps each module's
// result and completion in localStorage, shown again on reload and on the
// track pages. Plain ES2017, no dependencies.
//
// Storage: "playbook-training:" + module path → JSON
//   {answers: {q1: [2], …}, right, total, percent, done, at}
// A module is done when its quiz was answered all right, or when the reader
// marked it done; the reader can un-mark it. 重新作答 forgets the attempt.
(function () {
  "use strict";

  var PREFIX = "playbook-training:";

  function load(path) {
    try { return JSON.parse(localStorage.getItem(PREFIX + path)) || {}; } catch (e) { return {}; }
  }

  function save(path, rec) {
    try { localStorage.setItem(PREFIX + path, JSON.stringify(rec)); } catch (e) { /* private mode: this visit only */ }
  }

  function numbers(s) {
    return s.split(",").filter(Boolean).map(Number).sort(function (a, b) { return a - b; });
  }

  function same(a, b) {
    return a.length === b.length && a.every(function (v, i) { return v === b[i]; });
  }

  // ---- quiz --------------------------------------------------------------

  function selected(q) {
    return Array.prototype.filter.call(q.querySelectorAll("input"), function (i) { return i.checked; })
      .map(function (i) { return Number(i.value); }).sort(function (a, b) { return a - b; });
  }

  // score marks every question right or wrong, shows its explanation and
  // returns how many were right.
  function score(form) {
    var right = 0;
    var qs = form.querySelectorAll(".question");
    Array.prototype.forEach.call(qs, function (q) {
      var ok = same(selected(q), numbers(q.getAttribute("data-answer")));
      if (ok) right++;
      q.classList.toggle("is-right", ok);
      q.classList.toggle("is-wrong", !ok);
      var fb = q.querySelector(".quiz-feedback");
      fb.hidden = false;
      fb.querySelector(".quiz-verdict").textContent = form.getAttribute(ok ? "data-label-right" : "data-label-wrong");
    });
    return { right: right, total: qs.length };
  }

  function showResult(form, rec) {
    var out = form.querySelector(".quiz-result");
    out.textContent = form.getAttribute("data-label-score")
      .replace("%d%%", rec.percent + "%").replace("%d/%d", rec.right + "/" + rec.total);
    out.classList.toggle("is-perfect", rec.percent === 100);
    form.querySelector("[data-quiz-reset]").hidden = false;
  }

  function initQuiz(form) {
    var path = form.getAttribute("data-quiz");
    var rec = load(path);
    if (rec.answers) { // the last attempt, remembered
      Object.keys(rec.answers).forEach(function (name) {
        if (!/^q\d+$/.test(name) || !Array.isArray(rec.answers[name])) return; // stored by another version: skip
        rec.answers[name].forEach(function (v) {
          var input = form.querySelector('input[name="' + name + '"][value="' + Number(v) + '"]');
          if (input) input.checked = true;
        });
      });
      score(form);
      showResult(form, rec);
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var s = score(form);
      var answers = {};
      Array.prototype.forEach.call(form.querySelectorAll(".question"), function (q) {
        answers["q" + q.id.slice(1)] = selected(q);
      });
      var prev = load(path);
      var next = {
        answers: answers, right: s.right, total: s.total,
        percent: s.total ? Math.round(100 * s.right / s.total) : 0,
        done: !!prev.done || s.right === s.total, at: new Date().toISOString()
      };
      save(path, next);
      showResult(form, next);
      refreshDone();
    });
    // Try again forgets the attempt, so a reload shows an empty quiz and the
    // track no score; whether the module is done is the done button's.
    form.querySelector("[data-quiz-reset]").addEventListener("click", function () {
      var kept = load(path);
      ["answers", "right", "total", "percent"].forEach(function (k) { delete kept[k]; });
      save(path, kept);
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (i) { i.checked = false; });
      Array.prototype.forEach.call(form.querySelectorAll(".question"), function (q) {
        q.classList.remove("is-right", "is-wrong");
        q.querySelector(".quiz-feedback").hidden = true;
      });
      var result = form.querySelector(".quiz-result");
      result.textContent = "";
      result.classList.remove("is-perfect");
      this.hidden = true;
      var first = form.querySelector("input");
      if (first) first.focus();
    });
  }

  // ---- completion ------------------------------------------------------------

  var doneBox = document.querySelector("[data-module-done]");

  // The done button says whether the module is done and turns it either
  // way: a module marked done by mistake, or to take again, is un-marked.
  function refreshDone() {
    if (!doneBox) return;
    var btn = doneBox.querySelector("button");
    var done = !!load(doneBox.getAttribute("data-module-done")).done;
    doneBox.hidden = false;
    btn.setAttribute("aria-pressed", String(done));
    btn.textContent = btn.getAttribute(done ? "data-label-done" : "data-label-mark");
    var hint = doneBox.querySelector("[data-undo-hint]");
    if (hint) hint.hidden = !done;
  }

  if (doneBox) {
    var btn = doneBox.querySelector("button");
    btn.setAttribute("data-label-mark", btn.textContent);
    btn.addEventListener("click", function () {
      var path = doneBox.getAttribute("data-module-done");
      var rec = load(path);
      rec.done = !rec.done;
      rec.at = new Date().toISOString();
      save(path, rec);
      refreshDone();
    });
  }

  // ---- track progress ----------------------------------------------------------

  function initTrack(box) {
    var steps = document.querySelectorAll(".track-step[data-module]");
    var done = 0;
    Array.prototype.forEach.call(steps, function (step) {
      var rec = load(step.getAttribute("data-module"));
      var state = step.querySelector("[data-step-state]");
      var result = step.querySelector("[data-step-result]");
      if (rec.done) {
        done++;
        step.classList.add("is-done");
        state.textContent = box.getAttribute("data-label-done") || "✓";
        state.hidden = false;
      }
      if (typeof rec.percent === "number") {
        result.textContent = (box.getAttribute("data-label-quiz") || "") + " " + rec.percent + "% (" + rec.right + "/" + rec.total + ")";
        result.hidden = false;
      }
    });
    // A track on several pages lists every step's module on each
    // (data-track-modules), so the progress is the whole track's.
    var all = box.getAttribute("data-track-modules");
    if (all) done = JSON.parse(all).filter(function (m) { return load(m).done; }).length;
    box.querySelector("[data-progress-count]").textContent = String(done);
    box.querySelector("progress").value = done;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-quiz]"), initQuiz);
  refreshDone();
  var track = document.querySelector("[data-track-progress]");
  if (track) initTrack(track);
})();
