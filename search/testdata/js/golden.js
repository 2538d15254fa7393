// Checks the static client's analyzer against the Go analyzer's output in
// tokens.golden. Run by TestJSAnalyzerGolden: node golden.js CLIENT GOLDEN
// QUERY, CLIENT the folder of the client's ES modules, QUERY a JSON file
// of what an export's meta.json has under "query" (the analyzer's limits).
// Prints one line per difference and exits 1 if there is any.
"use strict";
const fs = require("fs");
const { pathToFileURL } = require("url");
const path = require("path");
const g = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const lim = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
import(pathToFileURL(path.join(process.argv[2], "analyze.js")).href).then(s => {
  const bad = [];
  const same = (what, input, got, want) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${what} ${JSON.stringify(input)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  let n = 0;
  for (const c of g.cases) {
    same("analyze", c.input, s.analyze(c.input, lim).map(t => ({ term: t.term, start: t.start, end: t.end, pos: t.pos })), c.tokens || []);
    n++;
  }
  for (const [w, st] of Object.entries(g.stems)) { same("stem", w, s.stem(w), st); n++; }
  for (const c of g.normalize) { same("normalize", c.input, s.normalize(c.input), c.output); n++; }
  for (const c of g.keyword) { same("keyword", c.input, s.normalize(c.input), c.output); n++; }
  for (const c of g.exact_key) { same("exactKey", c.input, s.exactKey(c.input, lim), c.output); n++; }
  for (const b of bad) console.log(b);
  console.log(`${n} checks, ${bad.length} differences`);
  process.exit(bad.length ? 1 : 0);
});
