// Offline reading: registers the service worker (sw.js, beside the
// manifest at the site's base path) and shows the header's indicator —
// "已离线保存" once the page is kept, "有更新" when a newer build waits; a tap
// on that one switches to the new build and reloads. Under playbook serve
// it registers nothing and removes a worker an earlier build left.
(function () {
  "use strict";
  var nav = navigator, doc = document;
  var link = doc.querySelector('link[rel="manifest"]');
  if (!("serviceWorker" in nav) || !link) return;
  var base = link.getAttribute("href").replace(/manifest\.webmanifest$/, "");
  if (doc.querySelector('script[src$="/_playbook/live.js"]')) {
    nav.serviceWorker.getRegistrations().then(function (rs) { rs.forEach(function (r) { r.unregister(); }); });
    return;
  }
  var box = doc.querySelector(".offline-state");
  var saved = box && box.querySelector(".offline-saved");
  var update = box && box.querySelector(".offline-update");

  function show(el) {
    if (!box) return;
    saved.hidden = el !== saved;
    update.hidden = el !== update;
    box.hidden = false;
  }

  var asked = false;
  if (update) update.addEventListener("click", function () {
    nav.serviceWorker.getRegistration(base).then(function (reg) {
      if (!reg || !reg.waiting) return;
      asked = true;
      reg.waiting.postMessage({ type: "activate" });
    });
  });
  nav.serviceWorker.addEventListener("controllerchange", function () { if (asked) location.reload(); });
  nav.serviceWorker.addEventListener("message", function (e) {
    var m = e.data || {};
    if (m.type === "kept" && m.url === location.href.split("#")[0].split("?")[0] && (!update || update.hidden)) show(saved);
  });

  function watch(reg) {
    if (reg.waiting && nav.serviceWorker.controller) show(update);
    reg.addEventListener("updatefound", function () {
      var w = reg.installing;
      w.addEventListener("statechange", function () {
        if (w.state === "installed" && nav.serviceWorker.controller) show(update);
      });
    });
  }

  function register() {
    nav.serviceWorker.register(base + "sw.js", { scope: base, updateViaCache: "none" }).then(function (reg) {
      watch(reg);
      return nav.serviceWorker.ready;
    }).then(function (reg) {
      reg.active.postMessage({ type: "keep", url: location.href });
    }).catch(function () { /* no worker (file://, private mode): the site works online */ });
  }
  // a while after the page has loaded, when the browser is idle: the first
  // install fetches the home page, the script library and the search index,
  // and on a phone that must not compete with the page's own work (the
  // search results page fetches and draws its hits after load)
  var AFTER_LOAD_MS = 2000, IDLE_WAIT_MS = 2000;
  function later() {
    setTimeout(function () {
      if (window.requestIdleCallback) window.requestIdleCallback(register, { timeout: IDLE_WAIT_MS });
      else register();
    }, AFTER_LOAD_MS);
  }
  if (doc.readyState === "complete") later();
  else window.addEventListener("load", later);
})();
