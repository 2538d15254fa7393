// Playbook's service worker: a built site keeps working on a rep's phone
// without a network (builder/offline.go writes the build's id below and the
// list offline.json). Everything it answers comes from one cache per build,
// named by the build's id, so a reader never gets pages of two builds:
//
//   - install: keep the files offline.json lists (home page, script
//     library, search page, styles, scripts, the search index) and fetch
//     anew each page the reader kept under the previous build;
//   - the new worker then waits, the page shows "有更新", and a tap on it
//     (or the last tab of the site closing) makes it take over; the old
//     build's cache is deleted then;
//   - fetch: an answer from the cache when there is one, else the network,
//     kept in the cache for the next time (every page the reader opens).
//
// playbook serve has no worker: the preview is never cached.
"use strict";

var BUILD = "__PLAYBOOK_BUILD_ID__";
var PREFIX = "playbook-";
var CACHE = PREFIX + BUILD;
var SCOPE = self.registration.scope; // the site's base URL, ending in "/"

self.addEventListener("install", function (e) { e.waitUntil(install()); });

function install() {
  return fetch(SCOPE + "offline.json", { cache: "no-store" }).then(function (r) {
    if (!r.ok) throw new Error("offline.json: " + r.status);
    return r.json();
  }).then(function (list) {
    // a newer build went up since this worker was fetched: fail, and let
    // the next update check install that one whole
    if (list.build !== BUILD) throw new Error("offline.json is of build " + list.build + ", not " + BUILD);
    return caches.open(CACHE).then(function (cache) {
      var urls = list.keep.map(function (u) { return new URL(u, SCOPE).href; });
      return Promise.all(urls.map(function (u) { return put(cache, u, true); })).then(function () {
        return keptBefore();
      }).then(function (pages) {
        return Promise.all(pages.filter(function (u) { return urls.indexOf(u) < 0; }).map(function (u) {
          return put(cache, u, false).catch(function () { /* gone or unreachable: no longer kept */ });
        }));
      });
    });
  });
}

// put fetches url past the HTTP cache and keeps a good answer; must says
// whether a bad one fails the install.
function put(cache, url, must) {
  return fetch(url, { cache: "no-cache" }).then(function (r) {
    if (r.ok) return cache.put(url, r);
    if (must) throw new Error(url + ": " + r.status);
  });
}

// keptBefore lists the pages in the caches of earlier builds.
function keptBefore() {
  return caches.keys().then(function (names) {
    var old = names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n !== CACHE; });
    return Promise.all(old.map(function (n) {
      return caches.open(n).then(function (c) { return c.keys(); });
    })).then(function (lists) {
      var pages = [];
      lists.forEach(function (reqs) {
        reqs.forEach(function (req) { if (isPage(req.url) && pages.indexOf(req.url) < 0) pages.push(req.url); });
      });
      return pages;
    });
  });
}

function isPage(url) {
  var p = new URL(url).pathname;
  return p.slice(-1) === "/" || p.slice(-5) === ".html";
}

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n !== CACHE; }).map(function (n) {
      return caches.delete(n);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (e) {
  var m = e.data || {};
  if (m.type === "activate") self.skipWaiting();
  if (m.type === "keep" && typeof m.url === "string") e.waitUntil(keep(m.url, e.source));
});

// keep makes sure the page at url is in the cache (the first page a reader
// opens is not seen by a worker that did not run yet) and tells the page.
function keep(url, client) {
  if (url.indexOf(SCOPE) !== 0) return Promise.resolve();
  url = url.split("#")[0].split("?")[0];
  return caches.open(CACHE).then(function (cache) {
    return cache.match(url).then(function (hit) { return hit || put(cache, url, true); });
  }).then(function () {
    if (client) client.postMessage({ type: "kept", url: url, build: BUILD });
  }, function () { /* offline or gone: the page says nothing */ });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET" || req.url.indexOf(SCOPE) !== 0) return;
  e.respondWith(answer(req));
});

// answer serves req from this build's cache, else from the network,
// keeping what it fetched. Pages are one per path: the search page's query
// and the lists' filters are read by the page's scripts.
function answer(req) {
  var page = req.mode === "navigate";
  return caches.open(CACHE).then(function (cache) {
    return cache.match(req, { ignoreSearch: page }).then(function (hit) {
      if (hit) return hit;
      return fetch(req).then(function (r) {
        if (r.ok && r.type === "basic") cache.put(page ? req.url.split("?")[0] : req, r.clone());
        return r;
      });
    });
  });
}
