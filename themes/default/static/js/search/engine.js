// Playbook static search, the engine: fetches only the files holding a
// query's terms (search/static.go) and scores with bleve's TF-IDF formula,
// so it returns what `playbook search` returns. One of the client's
// modules; see ui.js.

import { analyze, fold, isCJK, normalize, normalizeWord } from "./analyze.js";
import { QueryError, SynonymTable, addFilter, backoff, dedupe, dedupeClauses, own, parse, relaxAny, relaxFiller, relaxedCopy, runes, variantOf } from "./query.js";

// ---- the index: fetched shards ------------------------------------------

export function fnv(s) {
  var h = 0x811c9dc5, b = new TextEncoder().encode(s);
  for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

// Engine searches one exported index; load(path) returns a promise of
// the parsed JSON file at path, relative to the search folder.
export function Engine(load) {
  this.load = load;
  this.cache = new Map();
  this.meta = null;
}

Engine.prototype.file = function (path) {
  var p = this.cache.get(path);
  if (!p) {
    p = this.load(path);
    this.cache.set(path, p);
    var self = this;
    p.catch(function () { self.cache.delete(path); });
  }
  return p;
};

Engine.prototype.init = function () {
  var self = this;
  if (!this.ready) {
    this.ready = this.file("meta.json").then(function (m) {
      if (m.format !== 8) throw new Error("search index format " + m.format + ", this client reads 8");
      self.meta = m;
      return m;
    });
    this.ready.catch(function () { self.ready = null; });
  }
  return this.ready;
};

Engine.prototype.shard = function (key) { return "s/" + (fnv(key) % this.meta.shards) + ".json"; };
Engine.prototype.charFile = function (c) { return "c/" + (fnv("c" + c) % this.meta.chars) + ".json"; };
Engine.prototype.unitFile = function (c) { return "u/" + (fnv("u" + c) % this.meta.chars) + ".json"; };
Engine.prototype.longFile = function (t) { return "l/" + (fnv("t" + t) % this.meta.longs) + ".json"; };
Engine.prototype.posShard = function (key) { return "p/" + (fnv(key) % this.meta.shards) + ".json"; };
Engine.prototype.pinyinFile = function (key) { return this.meta.pinyin ? "y/" + (fnv("y" + key) % this.meta.pinyin) + ".json" : ""; };

// pinyinLeaf is the leaf of a clause's pinyin key, or null when no page
// has the key: then the clause is what it was without pinyin, as in
// pinyin.go's resolvePinyin. postings(field, term, arr) decodes a list.
Engine.prototype.pinyinLeaf = function (key, shards, postings) {
  var f = this.pinyinFile(key), arr = f && own(shards[f], key);
  if (!arr) return null;
  return { k: "term", field: "pinyin", term: key, boost: this.meta.query.pinyinBoost, post: postings("pinyin", key, arr) };
};


// Postings of one field and term: a Map doc → {f, l, i}, i the posting's
// index (for its positions). A split list ({d, h, c, m}, search/static.go
// encodeTiered) has f and l only for its head; a tail posting holds its
// class's bound instead, with x false, and tails[block] lists its docs
// in order until the tail file fills them in.
function decode(arr, withFreq, block) {
  var m = new Map(), doc = 0, i, n;
  if (!Array.isArray(arr)) {
    var d = arr.d, h = arr.h, b = arr.m, c = arr.c, docs = [];
    for (i = 0; i < d.length; i++) { doc += d[i]; docs.push(doc); }
    var head = {}, cls = {}, last = b.length / 2 - 1;
    for (i = 0, n = 0; i < h.length; i += 3) { n += h[i]; head[n] = i; }
    for (i = 0, n = 0; i < c.length; i += 2) { n += c[i]; cls[n] = c[i + 1]; }
    m.tails = {};
    for (n = 0; n < docs.length; n++) {
      doc = docs[n];
      if (head[n] !== undefined) { m.set(doc, { f: h[head[n] + 1], l: h[head[n] + 2], i: n }); continue; }
      var bl = Math.floor(doc / block), k = cls[n] !== undefined ? cls[n] : last;
      m.set(doc, { f: b[2 * k], l: b[2 * k + 1], i: n, x: false });
      (m.tails[bl] || (m.tails[bl] = [])).push(doc);
    }
    return m;
  }
  var step = withFreq ? 3 : 1;
  for (i = 0, n = 0; i < arr.length; i += step, n++) {
    doc += arr[i];
    m.set(doc, withFreq ? { f: arr[i + 1], l: arr[i + 2], i: n } : { i: n });
  }
  return m;
}

// ---- scoring (search/search.go, the comment above fieldBoosts) ------------

function idf(docs, df) { return 1 + Math.log(docs / (df + 1)); }

// Nodes: {k: "term", field, term, boost, post} | {k: "conj", kids} |
// {k: "disj", kids, min} | {k: "phrase", field, kids (terms), pos}
function weight(n, N) {
  if (n.k === "term") { var w = n.boost * idf(N, n.post.size); return w * w; }
  var s = 0;
  for (var i = 0; i < n.kids.length; i++) s += weight(n.kids[i], N);
  return s;
}

// score returns the node's score for doc, or -1 when it does not match.
// It sets r.usedBound when it used a tail's bound for a posting: the score
// is then an upper bound (every step is monotone in each term's √f·norm,
// float rounding included), not the page's score.
function score(n, doc, N, qn, r) {
  var i, s = 0, sc;
  switch (n.k) {
    case "term":
      var p = n.post.get(doc);
      if (!p) return -1;
      if (p.x === false) r.usedBound = true;
      var d = idf(N, n.post.size);
      return Math.sqrt(p.f) * Math.fround(1 / Math.sqrt(p.l)) * d * (n.boost * d * qn);
    case "conj":
      for (i = 0; i < n.kids.length; i++) { sc = score(n.kids[i], doc, N, qn, r); if (sc < 0) return -1; s += sc; }
      return s;
    case "disj":
      var matched = 0, at = n.kids.length < KIDS_INDEXED ? null : kidsAt(n).get(doc), tried = at ? at.length : n.kids.length;
      if (at === undefined) return -1;
      for (i = 0; i < tried; i++) { sc = score(n.kids[at ? at[i] : i], doc, N, qn, r); if (sc >= 0) { s += sc; matched++; } }
      if (!matched || matched < n.min) return -1;
      return s * matched / n.kids.length;
    case "phrase":
      for (i = 0; i < n.kids.length; i++) { sc = score(n.kids[i], doc, N, qn, r); if (sc < 0) return -1; s += sc; }
      return phraseAt(n, doc) ? s : -1;
  }
  return -1;
}

// kidsAt indexes a disj node's kids by page: for each page, in order,
// the kids that may match it, so that score skips the rest (a char's
// disj has hundreds of terms, most of them not on the page). A kid never
// matches a page outside its docsOf, and the kids that do are summed in
// the same order, so the score is the same to the bit. Built once per
// node, for disj nodes of at least KIDS_INDEXED kids.
var KIDS_INDEXED = 16;
function kidsAt(n) {
  if (n.at) return n.at;
  var at = new Map();
  n.kids.forEach(function (k, i) {
    eachDoc(k, function (d) {
      var l = at.get(d);
      if (!l) at.set(d, l = []);
      if (l[l.length - 1] !== i) l.push(i);
    });
  });
  n.at = at;
  return at;
}

// eachDoc calls fn for every page in n's lists, a page once per list
function eachDoc(n, fn) {
  if (n.k === "term") n.post.forEach(function (_, d) { fn(d); });
  else n.kids.forEach(function (k) { eachDoc(k, fn); });
}

function positions(n, k, doc) {
  var t = n.kids[k], arr = n.pos[k], out = new Set();
  var flat = arr ? arr[t.post.get(doc).i] : [];
  for (var i = 0; i + 1 < flat.length; i += 2) out.add(flat[i] + ":" + flat[i + 1]);
  return out;
}

function phraseAt(n, doc) {
  var sets = n.kids.map(function (_, k) { return positions(n, k, doc); });
  var found = false;
  sets[0].forEach(function (key) {
    if (found) return;
    var c = key.split(":"), ap = c[0], p = +c[1];
    for (var k = 1; k < sets.length; k++) if (!sets[k].has(ap + ":" + (p + k))) return;
    found = true;
  });
  return found;
}

// Engine.search answers a request {q, types, stages, limit, stageFacets}
// (stage facets cost facets.json, so they are counted only on request) with
// {query, parsed, total, strict, relaxed, hits: [{doc, score, exact,
// relaxed, parsed}], facets}: relaxed is the relaxation step that found a
// hit (0: every word matched), parsed the query of that step.
Engine.prototype.search = function (req) {
  var self = this;
  return this.init().then(function () { return self.synonyms(req.q || ""); }).then(function (syn) { return self.run(req, syn); });
};

// synonyms returns the table of the synonym groups the query can use: the
// w/ files of its characters, folded (search/static.go, exportSynonyms),
// hold every group with a word it can match, and the groups in their
// order make the table the whole list makes for this query.
Engine.prototype.synonyms = function (raw) {
  var self = this, paths = new Set();
  for (var i = 0; i < raw.length;) {
    var cp = raw.codePointAt(i);
    i += cp > 0xffff ? 2 : 1;
    paths.add("w/" + (fnv("w" + String.fromCodePoint(fold(cp))) % this.meta.synonymFiles) + ".json");
  }
  return Promise.all(Array.from(paths).map(function (p) { return self.file(p); })).then(function (files) {
    var byIndex = new Map();
    files.forEach(function (f) { f.forEach(function (e) { byIndex.set(e[0], e[1]); }); });
    var order = Array.from(byIndex.keys()).sort(function (a, b) { return a - b; });
    var table = new SynonymTable(order.map(function (i) { return byIndex.get(i); }), self.meta.query);
    table.indexes = order; // each group's index in the whole list: its g/ file
    table.groups = order.map(function (i) { return byIndex.get(i); });
    return table;
  });
};

// Engine.run searches for req with the synonym table syn: it parses the
// query, runs the strict step, then the relaxation steps while the pages
// found are fewer than meta.relax.below, and sums up what they found.
Engine.prototype.run = function (req, syn) {
  var r = new Run(this, req, syn), q = r.parse();
  return r.prepare(q, true).then(function () { return r.step(q, 0); }).then(function () {
    r.st.strict = r.st.total;
    if (q.clauses.length && r.st.total < r.rel.below) return r.relax(q);
  }).then(function () { return r.result(q); });
};

// A Run is one search: its request, the files it fetched, the postings it
// decoded and what its steps found.
function Run(engine, req, syn) {
  var meta = engine.meta;
  this.engine = engine;
  this.meta = meta;
  this.req = req;
  this.syn = syn;
  this.N = meta.docs;
  this.rel = meta.relax;
  this.lim = meta.query;
  this.fields = meta.fields;
  this.limit = Math.min(req.limit > 0 ? req.limit : 10, 100);
  this.shards = {}; // path → fetched file
  this.facets = null; // facets.json, when the stage facets are asked for
  this.viaGroup = new Map(); // term → its entry in a fetched g/ file
  this.groupList = null; // the synonym groups' terms (groupTerms)
  this.decoded = new Map(); // field + " " + term → postings, one Map per list: the tails fill it in once
  this.filters = [];
  this.usedBound = false; // set by score: see there
  // what the steps found: every match so far (fewer than rel.below when a
  // step relaxes), the pages counted in the facets, the hits in order
  this.st = { total: 0, strict: 0, seen: new Set(), counted: new Set(), counts: { type: {}, stage: {} }, hits: [] };
}

// parse returns the request's query with its filters, a stage's or role's
// name turned into its key.
Run.prototype.parse = function () {
  var meta = this.meta, req = this.req;
  var q = parse(req.q || "", this.syn, this.rel, this.lim);
  (req.types || []).forEach(function (t) { addFilter(q, "type", t); });
  (req.stages || []).forEach(function (s) { addFilter(q, "stage", s); });
  q.filters.forEach(function (f) {
    var names = f.field === "stage" ? meta.stages : f.field === "role" ? meta.roles : null;
    if (!names) return;
    f.values = f.values.map(function (v) {
      for (var key in names) if (normalize(names[key]) === v) return normalize(key);
      return v;
    });
  });
  if (!q.clauses.length && !q.filters.length) throw new QueryError("nothing to search for: type a word");
  this.filters = q.filters.map(function (f) { return { field: f.field, values: f.values }; });
  return q;
};

// ---- fetching ----

Run.prototype.fetchAll = function (paths) {
  var r = this;
  return Promise.all(Array.from(paths).filter(function (p) { return !r.shards[p]; }).map(function (p) {
    return r.engine.file(p).then(function (d) { r.shards[p] = d; });
  }));
};

// postings returns the decoded list of field's term, from arr or from the
// fetched file that holds it.
Run.prototype.postings = function (field, term, arr) {
  var key = field + " " + term, m = this.decoded.get(key);
  if (m) return m;
  var text = this.fields.indexOf(field) >= 0 || field === "pinyin";
  if (!arr) arr = this.listOf(field, term, text);
  if (!arr) return new Map(); // not kept: a list is only missing when its shard is not fetched or it is empty
  m = decode(arr, text || field === "chars", this.meta.block);
  if (m.tails) { m.field = field; m.term = term; }
  this.decoded.set(key, m);
  return m;
};

// listOf finds the encoded list of field's term in the fetched files: a
// char unit, the term's g/ file, its shard or its l/ file.
Run.prototype.listOf = function (field, term, text) {
  var e = this.engine, arr;
  if (field === "chars") arr = own(this.shards[e.unitFile(term)], term);
  var ge = this.viaGroup.get(term);
  if (!arr && ge && this.fields.indexOf(field) >= 0) return own(ge.t[field], term); // the g/ file is the term's whole list
  if (arr) return arr;
  var s = this.shards[e.shard(text ? "t" + term : field + ":" + term)];
  arr = s && s.t && own(s.t[field], term);
  if (!arr && text && isLong(s, term)) { var lf = this.shards[e.longFile(term)]; arr = lf && own(lf[field], term); }
  return arr;
};

// isLong: the shard s lists term's split lists as in l/ (search/static.go)
function isLong(s, term) { return !!(s && s.l && s.l.indexOf(term) >= 0); }

// fetchTerms fetches the shards of text terms, then the l/ files of
// those whose shard lists them there
Run.prototype.fetchTerms = function (terms) {
  var r = this, e = this.engine, plan = this.planGroups(terms), paths = new Set();
  terms.forEach(function (t) {
    if (r.viaGroup.has(t)) return;
    paths.add(plan.has(t) ? r.groupFile(plan.get(t)) : e.shard("t" + t));
  });
  return this.fetchAll(paths).then(function () {
    var missed = new Set(); // planned terms the group's file does not list (an analyzer out of step): their shards
    plan.forEach(function (i, t) {
      var g = own(r.shards[r.groupFile(i)], String(i));
      if (g && g.k.indexOf(t) >= 0) r.viaGroup.set(t, g);
      else missed.add(e.shard("t" + t));
    });
    return r.fetchAll(missed);
  }).then(function () {
    var longs = new Set();
    terms.forEach(function (t) { if (!r.viaGroup.has(t) && isLong(r.shards[e.shard("t" + t)], t)) longs.add(e.longFile(t)); });
    return r.fetchAll(longs);
  });
};

// planGroups maps terms to the synonym groups whose g/ files to fetch
// them from (search/static.go, staticGroupFiles): greedily the group
// holding the most terms not yet placed, when it holds at least two
// and at least half its own terms are wanted, so that a group's file
// costs about what the shards it replaces would. Any choice gives the
// same postings.
Run.prototype.planGroups = function (terms) {
  var plan = new Map(), gs = this.groupTerms(), via = this.viaGroup;
  function open(g, t) { return g.terms.has(t) && !plan.has(t) && !via.has(t); }
  for (;;) {
    var best = null, most = 1;
    gs.forEach(function (g) {
      var n = 0;
      terms.forEach(function (t) { if (open(g, t)) n++; });
      if (n > most && n * 2 >= g.terms.size) { best = g; most = n; }
    });
    if (!best) return plan;
    terms.forEach(function (t) { if (open(best, t)) plan.set(t, best.i); });
  }
};

Run.prototype.groupTerms = function () {
  if (this.groupList) return this.groupList;
  var list = this.groupList = [], syn = this.syn, lim = this.lim;
  if (!this.meta.groupFiles || !syn || !syn.indexes) return list;
  syn.indexes.forEach(function (i, n) {
    var ts = new Set();
    syn.groups[n].forEach(function (w) { analyze(normalizeWord(w), lim).forEach(function (t) { ts.add(t.term); }); });
    list.push({ i: i, terms: ts });
  });
  return list;
};

Run.prototype.groupFile = function (i) { return "g/" + (i % this.meta.groupFiles) + ".json"; };

Run.prototype.prefixTerms = function (field, p) {
  var s = this.shards[this.engine.shard("x" + p.slice(0, 2))];
  var list = (s && s.x && s.x[p.slice(0, 2)] && s.x[p.slice(0, 2)][field]) || [];
  return list.filter(function (t) { return t.slice(0, p.length) === p; });
};

// together tells whether some page holds all of terms in one field: a
// phrase elsewhere never reaches its positions, so they stay unfetched
Run.prototype.together = function (terms) {
  var r = this;
  return this.fields.some(function (f) {
    var lists = terms.map(function (t) { return r.postings(f, t); }).sort(function (a, b) { return a.size - b.size; });
    for (var doc of lists[0].keys()) if (lists.every(function (m) { return m.has(doc); })) return true;
    return false;
  });
};

// prepare fetches what q needs: the shards of its terms, the char
// lists, prefix lists and char units, then prefix expansions and the
// positions of phrases some page may hold
Run.prototype.prepare = function (q, first) {
  var r = this, w = this.wanted(q, first);
  return Promise.all([this.fetchAll(w.files), this.fetchTerms(w.terms)]).then(function () {
    r.facets = r.shards["facets.json"] || null;
    var more = new Set(), pos = new Set();
    q.clauses.forEach(function (c) {
      c.variants.forEach(function (v) {
        if (v.prefix && v.terms[0].length >= 2) {
          r.fields.forEach(function (f) { r.prefixTerms(f, v.terms[0]).forEach(function (t) { more.add(t); }); });
        }
        if (v.adjacent && !v.char && !v.prefix && v.terms.length > 1 && r.together(v.terms)) {
          v.terms.forEach(function (t) { pos.add(r.engine.posShard("t" + t)); });
        }
      });
    });
    return r.fetchTerms(more).then(function () { return r.fetchAll(pos); });
  });
};

// wanted lists the files q needs first (char lists, prefix lists, char
// units, filters, facets) and the text terms whose shards it needs.
Run.prototype.wanted = function (q, first) {
  var e = this.engine, files = new Set(), terms = new Set();
  q.clauses.forEach(function (c) {
    c.variants.forEach(function (v) {
      if (v.backoff) v.terms.forEach(function (t) { files.add(e.unitFile(t)); });
      else if (v.char) files.add(e.charFile(v.terms[0]));
      else if (v.prefix && v.terms[0].length >= 2) { files.add(e.shard("x" + v.terms[0].slice(0, 2))); terms.add(v.terms[0]); }
      else v.terms.forEach(function (t) { terms.add(t); });
      (v.looseTerms || []).forEach(function (t) { terms.add(t); });
    });
    if (c.pinyin && e.pinyinFile(c.pinyin)) files.add(e.pinyinFile(c.pinyin));
  });
  q.filters.forEach(function (f) { f.values.forEach(function (v) { files.add(e.shard(f.field + ":" + v)); }); });
  if (q.exact) files.add(e.shard("exact:" + q.exact));
  if (first && this.req.stageFacets) files.add("facets.json");
  return { files: files, terms: terms };
};

// ---- the query tree (search/search.go) ----

Run.prototype.term = function (field, t, boost) { return { k: "term", field: field, term: t, boost: boost, post: this.postings(field, t) }; };

Run.prototype.leaf = function (v, field, boost) {
  var r = this;
  if (v.char) {
    var c = v.terms[0], sh = this.shards[this.engine.charFile(c)];
    var m = (sh && sh[c] && sh[c][field]) || {};
    return { k: "disj", min: 0, kids: Object.keys(m).sort(byCodePoint).map(function (t) {
      return { k: "term", field: field, term: t, boost: boost, post: r.postings(field, t, m[t]) };
    }) };
  }
  if (v.prefix) {
    var p = v.terms[0], ts = p.length >= 2 ? this.prefixTerms(field, p) : [];
    if (!ts.length || (ts.length === 1 && ts[0] === p)) return this.term(field, p, boost);
    return { k: "disj", min: 0, kids: ts.sort(byCodePoint).map(function (t) { return r.term(field, t, boost); }) };
  }
  if (v.terms.length === 1) return this.term(field, v.terms[0], boost);
  if (v.adjacent) {
    return { k: "phrase", field: field, kids: v.terms.map(function (t) { return r.term(field, t, boost); }), pos: v.terms.map(function (t) {
      var s = r.shards[r.engine.posShard("t" + t)];
      return s && own(s[field], t);
    }) };
  }
  return { k: "conj", kids: dedupe(v.terms).map(function (t) { return r.term(field, t, boost); }) };
};

Run.prototype.clauseNode = function (c) {
  var r = this, lim = this.lim, meta = this.meta, leaves = [];
  c.variants.forEach(function (v, i) {
    var w = i > 0 ? lim.synonymWeight : 1;
    if (v.backoff) v.terms.forEach(function (t) { leaves.push(r.term("chars", t, r.rel.backoffBoost * w)); });
    else r.fields.forEach(function (f, j) {
      if (!v.char || lim.charFields.indexOf(f) >= 0) leaves.push(r.leaf(v, f, meta.boosts[j] * w));
    });
    if (v.loose > 0) {
      leaves.push({ k: "disj", min: v.loose, kids: v.looseTerms.map(function (t) {
        return { k: "disj", min: 0, kids: r.fields.map(function (f, j) { return r.term(f, t, meta.boosts[j] * w * lim.looseWeight); }) };
      }) });
    }
  });
  var py = c.pinyin && this.engine.pinyinLeaf(c.pinyin, this.shards, function (f, t, arr) { return r.postings(f, t, arr); });
  if (py) leaves.push(py);
  return { k: "disj", min: 0, kids: leaves };
};

// mustNode: every clause, the words backed off to their characters
// together as one "any of them" (Go's mustQuery)
Run.prototype.mustNode = function (q) {
  var r = this;
  if (q.any) return { k: "disj", min: 0, kids: q.clauses.map(function (c) { return r.clauseNode(c); }) };
  var kids = [], backoffs = [];
  q.clauses.forEach(function (c) {
    (c.variants.length && c.variants[0].backoff ? backoffs : kids).push(r.clauseNode(c));
  });
  if (backoffs.length === 1) kids.push(backoffs[0]);
  else if (backoffs.length > 1) kids.push({ k: "disj", min: 0, kids: backoffs });
  return { k: "conj", min: 0, kids: kids };
};

function docsOf(n, into) {
  if (n.k === "term") n.post.forEach(function (_, d) { into.add(d); });
  else n.kids.forEach(function (k) { docsOf(k, into); });
  return into;
}

// matchesSome reports whether some page matches n
Run.prototype.matchesSome = function (n) {
  var r = this, saved = this.usedBound, found = false;
  docsOf(n, new Set()).forEach(function (d) {
    if (!found && score(n, d, r.N, 1, r) >= 0) found = true;
  });
  this.usedBound = saved;
  return found;
};

// ---- relaxation (search/relax.go) ----

Run.prototype.relaxChars = function (q) {
  var r = this, cs = [], changed = false;
  q.clauses.forEach(function (c) {
    if (r.matchesSome(r.clauseNode(whole(c)))) { cs.push(c); return; }
    changed = true;
    var b = backoff(c, r.syn, r.lim, r.rel);
    if (!b) return;
    var piece = r.heldPiece(c);
    if (piece) { var v = variantOf(piece, r.lim, r.rel.filler); v.loose = 0; v.looseTerms = null; b.variants.push(v); }
    cs.push(b);
  });
  cs = dedupeClauses(cs);
  return changed && cs.length ? relaxedCopy(q, cs, q.items) : null;
};

// whole: c without its loose matches (Go's whole)
function whole(c) {
  return Object.assign({}, c, { variants: c.variants.map(function (v) { return Object.assign({}, v, { loose: 0, looseTerms: null }); }) });
}

// heldPiece: the longest run of rel.minHeldPiece to rel.maxHeldPiece CJK characters
// of c's text that some page holds, the leftmost of equals (Go's heldPiece)
Run.prototype.heldPiece = function (c) {
  var rel = this.rel, rs = runes(c.text);
  for (var n = Math.min(rs.length - 1, rel.maxHeldPiece); n >= rel.minHeldPiece; n--) {
    for (var i = 0; i + n <= rs.length; i++) {
      var part = rs.slice(i, i + n);
      if (!part.every(function (ch) { return isCJK(fold(ch.codePointAt(0))); })) continue;
      var v = variantOf(part.join(""), this.lim, rel.filler);
      if (!v) continue;
      v.loose = 0; v.looseTerms = null;
      if (this.matchesSome(this.clauseNode({ text: part.join(""), phrase: false, variants: [v] }))) return part.join("");
    }
  }
  return "";
};

// relax runs the steps after the strict query, each that changes the
// query, until the pages found reach rel.below
Run.prototype.relax = function (q) {
  var r = this, cur = q, n = 0;
  function next() {
    if (++n > 3 || r.st.total >= r.rel.below) return Promise.resolve();
    var nq = n === 1 ? relaxFiller(cur, r.syn, r.rel, r.lim) : n === 2 ? r.relaxChars(cur) : relaxAny(cur);
    if (!nq) return next();
    return r.prepare(nq, false).then(function () { return r.step(nq, n); }).then(function () { cur = nq; return next(); });
  }
  return next();
};

// ---- steps: matching, facets, ranking ----

// preferNames: a query whose every word a page holds only as the pinyin
// of a name prefers the pages about names (Go's preferNames)
Run.prototype.preferNames = function (q) {
  var r = this, post = function (f, t, arr) { return r.postings(f, t, arr); };
  if (q.prefer.length || !q.clauses.length) return;
  var names = q.clauses.every(function (c) {
    if (!c.pinyin || !r.engine.pinyinLeaf(c.pinyin, r.shards, post)) return false;
    return !r.matchesSome(r.clauseNode(Object.assign({}, c, { pinyin: "" })));
  });
  if (names) q.prefer = (r.rel.nameTypes || []).slice();
};

// factors: the score factor per page type for q (preferenceOf)
Run.prototype.factors = function (q) {
  var meta = this.meta, f = {}, boost = this.rel.typeBoost, prefer = q.prefer;
  // a why question prefers retros instead of cases (Go's preferredTypes)
  if ((this.rel.why || []).some(function (w) { return q.text.indexOf(w) >= 0; })) {
    prefer = ["retro"].concat(prefer.filter(function (t) { return t !== "case" && t !== "retro"; }));
  }
  prefer.forEach(function (t) { f[t] = (f[t] || 1) * boost; });
  return function (doc) {
    var ti = meta.typeOf.charCodeAt(doc) - 48, v = ti >= 0 ? f[meta.types[ti]] : undefined;
    return v === undefined ? 1 : v;
  };
};

// passes tells whether doc passes every filter but the one of field except
Run.prototype.passes = function (doc, except) {
  var r = this;
  return this.filters.every(function (f) {
    return f.field === except || f.values.some(function (v) { return r.postings(f.field, v).has(doc); });
  });
};

// count counts doc, once, in the type and stage facets it passes the
// other filters of
Run.prototype.count = function (doc) {
  var st = this.st, meta = this.meta;
  if (st.counted.has(doc)) return;
  st.counted.add(doc);
  var ti = meta.typeOf.charCodeAt(doc) - 48;
  if (ti >= 0 && this.passes(doc, "type")) {
    var tv = meta.types[ti];
    st.counts.type[tv] = (st.counts.type[tv] || 0) + 1;
  }
  if (this.facets && this.passes(doc, "stage")) {
    var set = this.facets.sets[this.facets.of[doc]];
    for (var i = 0; i < set.length; i++) {
      var sv = meta.stageValues[set[i]];
      st.counts.stage[sv] = (st.counts.stage[sv] || 0) + 1;
    }
  }
};

// step runs the query of one step and adds the pages it finds first
Run.prototype.step = function (q, n) {
  this.preferNames(q);
  var r = this, st = this.st, must = this.mustNode(q), factor = this.factors(q);
  var W = weight(must, this.N), qn = W > 0 ? 1 / Math.sqrt(W) : 1;
  var matches = this.matches(q, must, qn, factor);
  // ties by path: pages are numbered in path order
  var order = function (a, b) { return b.score - a.score || a.doc - b.doc; };
  // every match is kept while fewer than rel.below, for the next step
  var keep = Math.max(this.limit + st.seen.size, this.rel.below);
  return this.refine(matches, order, keep, must, qn, factor).then(function () {
    r.rank(matches, order).slice(0, keep).forEach(function (m) {
      st.hits.push({ doc: m.doc, score: m.score, exact: m.exact, relaxed: n, parsed: q });
    });
    st.total += matches.length;
    if (st.total < r.rel.below) matches.forEach(function (m) { st.seen.add(m.doc); });
  });
};

// matches scores the pages that match must, counting each in the facets,
// and returns those not found by an earlier step that pass the filters
Run.prototype.matches = function (q, must, qn, factor) {
  var r = this, cands = docsOf(must, new Set());
  if (!q.clauses.length) for (var d = 0; d < this.N; d++) cands.add(d);
  var exact = q.exact ? this.postings("exact", q.exact) : new Map(), out = [];
  cands.forEach(function (doc) {
    r.usedBound = false;
    var s = q.clauses.length ? score(must, doc, r.N, qn, r) : 1;
    if (s < 0) return;
    var inexact = r.usedBound;
    r.count(doc);
    if (r.st.seen.has(doc) || !r.passes(doc, "")) return;
    out.push({ doc: doc, score: s * factor(doc), exact: exact.has(doc), inexact: inexact });
  });
  return out;
};

// rank sorts matches, the exact-name matches first above the best score
Run.prototype.rank = function (matches, order) {
  matches.sort(order);
  var ex = matches.filter(function (m) { return m.exact; });
  if (!ex.length || !matches.length) return matches;
  var best = matches[0].score;
  return ex.map(function (m) { return { doc: m.doc, score: m.score + best, exact: true }; })
    .concat(matches.filter(function (m) { return !m.exact; }));
};

// result is the answer: the first limit hits of the steps, the counts,
// the facets
Run.prototype.result = function (q) {
  var st = this.st;
  function facet(m) {
    return Object.keys(m).map(function (v) { return { value: v, count: m[v] }; })
      .sort(function (a, b) { return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0); });
  }
  return {
    query: q.text, parsed: q, total: st.total, strict: st.strict,
    relaxed: st.hits.reduce(function (a, h) { return Math.max(a, h.relaxed); }, 0),
    hits: st.hits.slice(0, this.limit), facets: { type: facet(st.counts.type), stage: facet(st.counts.stage) }
  };
};

// ---- tails: exact scores for the pages that may rank ----

// refine fetches the tails the pages that may rank need: scores from
// tail bounds are upper bounds, so once the first `limit` pages by
// (score, path) and the exact-name matches all have exact scores, no
// other page can pass them, and their order is the index's.
Run.prototype.refine = function (matches, order, limit, must, qn, factor) {
  var r = this;
  matches.sort(order);
  var need = matches.slice(0, limit).concat(matches.filter(function (m) { return m.exact; }))
    .filter(function (m) { return m.inexact; });
  if (!need.length) return Promise.resolve();
  var t = this.tailsOf(need);
  return Promise.all(this.countTexts(t.texts).concat(this.fetchTails(t.files))).then(function () {
    matches.forEach(function (m) {
      if (!m.inexact) return;
      r.usedBound = false;
      m.score = score(must, m.doc, r.N, qn, r) * factor(m.doc);
      m.inexact = r.usedBound;
    });
    return r.refine(matches, order, limit, must, qn, factor);
  });
};

// tailsOf lists what the needed pages' bound postings are filled from:
// tail files (path → [[list, block] …]) and, for text lists when the
// index says so, the pages' own text.
Run.prototype.tailsOf = function (need) {
  var meta = this.meta, decoded = this.decoded, files = new Map(), texts = new Set();
  need.forEach(function (m) {
    decoded.forEach(function (list) {
      var p = list.tails && list.get(m.doc);
      if (!p || p.x !== false) return;
      if (list.field === "text" && meta.textFromDocs) { texts.add(m.doc); return; }
      var bl = Math.floor(m.doc / meta.block);
      var dir = list.field === "chars" ? "ur/" : list.field === "pinyin" ? "q/" : "r/";
      var path = dir + bl + "/" + (fnv("t" + list.term) % meta.buckets) + ".json";
      var l = files.get(path);
      if (!l) files.set(path, l = []);
      if (!l.some(function (e) { return e[0] === list && e[1] === bl; })) l.push([list, bl]);
    });
  });
  return { files: files, texts: texts };
};

// countTexts fills text tails from the pages' own text: its tokens are
// the ones the index counted, and the hits need the page for their
// snippets anyway
Run.prototype.countTexts = function (texts) {
  var r = this;
  return Array.from(texts).map(function (doc) {
    return r.engine.doc(doc).then(function (d) {
      var toks = analyze(d.text || "", r.lim), count = new Map();
      toks.forEach(function (t) { count.set(t.term, (count.get(t.term) || 0) + 1); });
      r.decoded.forEach(function (list) {
        var p = list.field === "text" && list.tails && list.get(doc);
        if (!p || p.x !== false) return;
        if (!count.get(list.term)) throw new Error("search index: page " + doc + " does not hold " + list.term);
        p.f = count.get(list.term); p.l = toks.length; p.x = true;
      });
    });
  });
};

// fetchTails fills tails from the tail files
Run.prototype.fetchTails = function (files) {
  var e = this.engine;
  return Array.from(files.keys()).map(function (path) {
    return e.file(path).then(function (t) {
      files.get(path).forEach(function (en) {
        var list = en[0], docs = list.tails[en[1]], arr = own(t[list.field], list.term);
        if (!docs) return; // filled by a file fetched beside
        if (!arr || arr.length !== 2 * docs.length) throw new Error("search index: " + path + " does not hold " + list.term);
        docs.forEach(function (doc, i) {
          var p = list.get(doc);
          p.f = arr[2 * i]; p.l = arr[2 * i + 1]; p.x = true;
        });
        delete list.tails[en[1]];
      });
    });
  });
};

// doc returns a page's stored fields {path, url, title, type, objection,
// summary, text}: d/N.json holds meta.docGroup pages, so the hits of a
// results page on a small site come in a few requests (search/static.go).
Engine.prototype.doc = function (n) {
  var g = this.meta.docGroup || 1;
  return this.file("d/" + Math.floor(n / g) + ".json").then(function (list) { return list[n % g]; });
};

function byCodePoint(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
