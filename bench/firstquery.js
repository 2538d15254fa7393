// For benchsite: runs each query (one per line on stdin) with a fresh
// static search client over the export in DIR, as a first query in a new
// browser tab, and prints the files it fetched, as JSON lines
// {"q": …, "files": [...], "hits": N, "total": N}. LIMIT is the number of
// hits shown: 8 (the header box's) unless given, 50 for a results page.
// node firstquery.js CLIENT DIR [LIMIT] < queries, CLIENT the folder of the
// client's ES modules (themes/default/static/js/search).
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const dir = process.argv[3];
const limit = Number(process.argv[4] || 8);
const queries = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
(async () => {
  const { Engine } = await import(pathToFileURL(path.join(process.argv[2], "engine.js")).href);
  for (const q of queries) {
    const files = [];
    const engine = new Engine(p => { files.push(p); return fs.promises.readFile(path.join(dir, p), "utf8").then(JSON.parse); });
    let hits = 0, total = 0, error = "";
    try {
      const res = await engine.search({ q, limit });
      await Promise.all(res.hits.map(h => engine.doc(h.doc)));
      hits = res.hits.length; total = res.total;
    } catch (e) { error = String(e.message || e); }
    console.log(JSON.stringify({ q, files, hits, total, error }));
  }
})();
