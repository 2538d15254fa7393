// Playbook slide deck: one slide at a time, keyboard and touch navigation,
// a counter, speaker notes in a separate panel and full screen. Plain
// ES2017, no dependencies, works offline. Without it the slides are stacked.
(function () {
  "use strict";

  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) return;
  var current = 0;
  var counter = document.querySelector("[data-deck-current]");
  var panel = document.querySelector(".notes-panel");
  var notesBtn = document.querySelector('[data-deck="notes"]');

  // fromHash reads the slide number of #3 or #slide-3 (counted from 1).
  function fromHash() {
    var m = /^#(?:slide-)?(\d+)$/.exec(location.hash);
    return m ? Math.min(Math.max(parseInt(m[1], 10) - 1, 0), slides.length - 1) : 0;
  }

  function show(i) {
    current = Math.min(Math.max(i, 0), slides.length - 1);
    slides.forEach(function (s, j) {
      s.classList.toggle("current", j === current);
      s.setAttribute("aria-hidden", j === current ? "false" : "true");
    });
    if (counter) counter.textContent = String(current + 1);
    if (panel) {
      Array.prototype.forEach.call(panel.querySelectorAll(".notes"), function (n) {
        n.hidden = n.getAttribute("data-for") !== slides[current].id;
      });
    }
    if (history.replaceState) history.replaceState(null, "", "#" + (current + 1));
  }

  function toggleNotes() {
    if (!panel) return;
    panel.hidden = !panel.hidden;
    document.body.classList.toggle("with-notes", !panel.hidden);
    if (notesBtn) notesBtn.setAttribute("aria-pressed", String(!panel.hidden));
  }

  function toggleFullscreen() {
    var el = document.documentElement;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (el.requestFullscreen) {
      el.requestFullscreen().catch(function () { /* refused: stay in the window */ });
    }
  }

  var actions = {
    prev: function () { show(current - 1); },
    next: function () { show(current + 1); },
    notes: toggleNotes,
    fullscreen: toggleFullscreen
  };

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Enter":
        if (e.target.closest && e.target.closest("button, a")) return; // let buttons and links work
        actions.next(); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
        actions.prev(); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "f": case "F": toggleFullscreen(); break;
      case "n": case "N": toggleNotes(); break;
      default: return;
    }
    e.preventDefault();
  });

  // Touch: a horizontal swipe of at least 40 px turns the slide, and is the
  // deck's alone: once a move is more sideways than up or down it is not
  // passed on, so the browser never takes it for its back or forward
  // gesture and the reader stays in the deck (slides.css sets
  // touch-action and overscroll-behavior for the same reason).
  var startX = null, startY = null;
  document.addEventListener("touchstart", function (e) {
    if (e.touches.length !== 1) { startX = null; return; }
    startX = e.touches[0].clientX; startY = e.touches[0].clientY;
  }, { passive: true });
  document.addEventListener("touchmove", function (e) {
    if (startX === null || e.touches.length !== 1) return;
    var dx = e.touches[0].clientX - startX, dy = e.touches[0].clientY - startY;
    if (Math.abs(dx) > Math.abs(dy) && e.cancelable) e.preventDefault();
  }, { passive: false });
  document.addEventListener("touchcancel", function () { startX = null; }, { passive: true });
  document.addEventListener("touchend", function (e) {
    if (startX === null) return;
    var dx = e.changedTouches[0].clientX - startX, dy = e.changedTouches[0].clientY - startY;
    startX = null;
    if (Math.abs(dx) >= 40 && Math.abs(dx) > Math.abs(dy)) {
      if (dx < 0) actions.next(); else actions.prev();
    }
  }, { passive: true });

  Array.prototype.forEach.call(document.querySelectorAll("[data-deck]"), function (b) {
    b.addEventListener("click", function () { actions[b.getAttribute("data-deck")](); });
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
