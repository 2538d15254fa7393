// Runs the static client's search over an exported index on disk, for
// TestStaticMatchesBleve: node search.js CLIENT DIR < requests.json, CLIENT
// the folder of the client's ES modules (themes/default/static/js/search), where
// requests is a JSON list of {q, types, stages, limit}. Prints a JSON list
// of {total, strict, relaxed, hits: [{path, score, relaxed, snippet}],
// facets} or {error}.
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const load = m => import(pathToFileURL(path.join(process.argv[2], m + ".js")).href);
const dir = process.argv[3];
const fetched = new Set();
const reqs = JSON.parse(fs.readFileSync(0, "utf8"));
(async () => {
  const [{ Engine }, { QueryError }, { snippet }] = await Promise.all([load("engine"), load("query"), load("snippet")]);
  const engine = new Engine(p => {
    fetched.add(p);
    return fs.promises.readFile(path.join(dir, p), "utf8").then(JSON.parse);
  });
  const out = [];
  for (const r of reqs) {
    try {
      const res = await engine.search(Object.assign({ stageFacets: true }, r));
      const hits = [];
      for (const h of res.hits) {
        const d = await engine.doc(h.doc);
        hits.push({ path: d.path, score: h.score, relaxed: h.relaxed, snippet: snippet(h.parsed, d, engine.meta.query) });
      }
      out.push({ total: res.total, strict: res.strict, relaxed: res.relaxed, hits, facets: res.facets });
    } catch (e) {
      out.push({ error: String(e && e.message || e), query: e instanceof QueryError });
    }
  }
  process.stdout.write(JSON.stringify(out));
})();
