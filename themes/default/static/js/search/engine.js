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

// usedBound is set when score used a tail's bound for a posting: the
// score is then an upper bound (every step is monotone in each term's
// √f·norm, float rounding included), not the page's score.
var usedBound = false;

// score returns the node's score for doc, or -1 when it does not match.
function score(n, doc, N, qn) {
  var i, s = 0, sc;
  switch (n.k) {
    case "term":
      var p = n.post.get(doc);
      if (!p) return -1;
      if (p.x === false) usedBound = true;
      var d = idf(N, n.post.size);
      return Math.sqrt(p.f) * Math.fround(1 / Math.sqrt(p.l)) * d * (n.boost * d * qn);
    case "conj":
      for (i = 0; i < n.kids.length; i++) { sc = score(n.kids[i], doc, N, qn); if (sc < 0) return -1; s += sc; }
      return s;
    case "disj":
      var matched = 0;
      for (i = 0; i < n.kids.length; i++) { sc = score(n.kids[i], doc, N, qn); if (sc >= 0) { s += sc; matched++; } }
      if (!matched || matched < n.min) return -1;
      return s * matched / n.kids.length;
    case "phrase":
      for (i = 0; i < n.kids.length; i++) { sc = score(n.kids[i], doc, N, qn); if (sc < 0) return -1; s += sc; }
      return phraseAt(n, doc) ? s : -1;
  }
  return -1;
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

Engine.prototype.run = function (req, syn) {
  var self = this, meta = this.meta, N = meta.docs, rel = meta.relax, lim = meta.query;
  var q = parse(req.q || "", syn, rel, lim);
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
  var limit = Math.min(req.limit > 0 ? req.limit : 10, 100);
  var fieldsList = meta.fields;
  var shards = {}, facets = null;
  // what the steps found: every match so far (fewer than rel.below when a
  // step relaxes), the pages counted in the facets, the hits in order
  var st = { total: 0, strict: 0, seen: new Set(), counted: new Set(), counts: { type: {}, stage: {} }, hits: [] };

  function fetchAll(paths) {
    return Promise.all(Array.from(paths).filter(function (p) { return !shards[p]; }).map(function (p) {
      return self.file(p).then(function (d) { shards[p] = d; });
    }));
  }
  var viaGroup = new Map(), groupList = null; // term → its entry in a fetched g/ file; the groups' terms
  var decoded = new Map(); // field + " " + term → postings, one Map per list: the tails fill it in once
  function postings(field, term, arr) {
    var key = field + " " + term, m = decoded.get(key);
    if (m) return m;
    var text = fieldsList.indexOf(field) >= 0 || field === "pinyin";
    if (!arr && field === "chars") arr = own(shards[self.unitFile(term)], term);
    var ge = viaGroup.get(term);
    if (!arr && ge && fieldsList.indexOf(field) >= 0) arr = own(ge.t[field], term); // the g/ file is the term's whole list
    else if (!arr) {
      var s = shards[self.shard(text ? "t" + term : field + ":" + term)];
      arr = s && s.t && own(s.t[field], term);
      if (!arr && text && isLong(s, term)) { var lf = shards[self.longFile(term)]; arr = lf && own(lf[field], term); }
    }
    if (!arr) return new Map(); // not kept: a list is only missing when its shard is not fetched or it is empty
    m = decode(arr, text || field === "chars", meta.block);
    if (m.tails) { m.field = field; m.term = term; }
    decoded.set(key, m);
    return m;
  }
  // isLong: the shard s lists term's split lists as in l/ (search/static.go)
  function isLong(s, term) { return !!(s && s.l && s.l.indexOf(term) >= 0); }
  // fetchTerms fetches the shards of text terms, then the l/ files of
  // those whose shard lists them there
  function fetchTerms(terms) {
    var plan = planGroups(terms), paths = new Set();
    terms.forEach(function (t) {
      if (viaGroup.has(t)) return;
      paths.add(plan.has(t) ? groupFile(plan.get(t)) : self.shard("t" + t));
    });
    return fetchAll(paths).then(function () {
      var missed = new Set(); // planned terms the group's file does not list (an analyzer out of step): their shards
      plan.forEach(function (i, t) {
        var e = own(shards[groupFile(i)], String(i));
        if (e && e.k.indexOf(t) >= 0) viaGroup.set(t, e);
        else missed.add(self.shard("t" + t));
      });
      return fetchAll(missed);
    }).then(function () {
      var longs = new Set();
      terms.forEach(function (t) { if (!viaGroup.has(t) && isLong(shards[self.shard("t" + t)], t)) longs.add(self.longFile(t)); });
      return fetchAll(longs);
    });
  }
  // planGroups maps terms to the synonym groups whose g/ files to fetch
  // them from (search/static.go, staticGroupFiles): greedily the group
  // holding the most terms not yet placed, when it holds at least two
  // and at least half its own terms are wanted, so that a group's file
  // costs about what the shards it replaces would. Any choice gives the
  // same postings.
  function planGroups(terms) {
    var plan = new Map(), gs = groupTerms();
    for (;;) {
      var best = null, most = 1;
      gs.forEach(function (g) {
        var n = 0;
        terms.forEach(function (t) { if (g.terms.has(t) && !plan.has(t) && !viaGroup.has(t)) n++; });
        if (n > most && n * 2 >= g.terms.size) { best = g; most = n; }
      });
      if (!best) return plan;
      terms.forEach(function (t) { if (best.terms.has(t) && !plan.has(t) && !viaGroup.has(t)) plan.set(t, best.i); });
    }
  }
  function groupTerms() {
    if (groupList) return groupList;
    groupList = [];
    if (!meta.groupFiles || !syn || !syn.indexes) return groupList;
    syn.indexes.forEach(function (i, n) {
      var ts = new Set();
      syn.groups[n].forEach(function (w) { analyze(normalizeWord(w), lim).forEach(function (t) { ts.add(t.term); }); });
      groupList.push({ i: i, terms: ts });
    });
    return groupList;
  }
  function groupFile(i) { return "g/" + (i % meta.groupFiles) + ".json"; }
  function prefixTerms(field, p) {
    var s = shards[self.shard("x" + p.slice(0, 2))];
    var list = (s && s.x && s.x[p.slice(0, 2)] && s.x[p.slice(0, 2)][field]) || [];
    return list.filter(function (t) { return t.slice(0, p.length) === p; });
  }

  // together tells whether some page holds all of terms in one field: a
  // phrase elsewhere never reaches its positions, so they stay unfetched
  function together(terms) {
    return fieldsList.some(function (f) {
      var lists = terms.map(function (t) { return postings(f, t); }).sort(function (a, b) { return a.size - b.size; });
      for (var doc of lists[0].keys()) if (lists.every(function (m) { return m.has(doc); })) return true;
      return false;
    });
  }

  // prepare fetches what q needs: the shards of its terms, the char
  // lists, prefix lists and char units, then prefix expansions and the
  // positions of phrases some page may hold
  function prepare(q, first) {
    var want = new Set(), terms = new Set();
    q.clauses.forEach(function (c) {
      c.variants.forEach(function (v) {
        if (v.backoff) v.terms.forEach(function (t) { want.add(self.unitFile(t)); });
        else if (v.char) want.add(self.charFile(v.terms[0]));
        else if (v.prefix && v.terms[0].length >= 2) { want.add(self.shard("x" + v.terms[0].slice(0, 2))); terms.add(v.terms[0]); }
        else v.terms.forEach(function (t) { terms.add(t); });
        (v.looseTerms || []).forEach(function (t) { terms.add(t); });
      });
      if (c.pinyin && self.pinyinFile(c.pinyin)) want.add(self.pinyinFile(c.pinyin));
    });
    q.filters.forEach(function (f) { f.values.forEach(function (v) { want.add(self.shard(f.field + ":" + v)); }); });
    if (q.exact) want.add(self.shard("exact:" + q.exact));
    if (first && req.stageFacets) want.add("facets.json");
    return Promise.all([fetchAll(want), fetchTerms(terms)]).then(function () {
      facets = shards["facets.json"] || null;
      var more = new Set(), pos = new Set();
      q.clauses.forEach(function (c) {
        c.variants.forEach(function (v) {
          if (v.prefix && v.terms[0].length >= 2) {
            fieldsList.forEach(function (f) { prefixTerms(f, v.terms[0]).forEach(function (t) { more.add(t); }); });
          }
          if (v.adjacent && !v.char && !v.prefix && v.terms.length > 1 && together(v.terms)) {
            v.terms.forEach(function (t) { pos.add(self.posShard("t" + t)); });
          }
        });
      });
      return fetchTerms(more).then(function () { return fetchAll(pos); });
    });
  }

  // ---- the query tree (search/search.go) ----
  function term(field, t, boost) { return { k: "term", field: field, term: t, boost: boost, post: postings(field, t) }; }
  function leaf(v, field, boost) {
    if (v.char) {
      var c = v.terms[0], sh = shards[self.charFile(c)];
      var m = (sh && sh[c] && sh[c][field]) || {};
      return { k: "disj", min: 0, kids: Object.keys(m).sort(byCodePoint).map(function (t) {
        return { k: "term", field: field, term: t, boost: boost, post: postings(field, t, m[t]) };
      }) };
    }
    if (v.prefix) {
      var p = v.terms[0], ts = p.length >= 2 ? prefixTerms(field, p) : [];
      if (!ts.length || (ts.length === 1 && ts[0] === p)) return term(field, p, boost);
      return { k: "disj", min: 0, kids: ts.sort(byCodePoint).map(function (t) { return term(field, t, boost); }) };
    }
    if (v.terms.length === 1) return term(field, v.terms[0], boost);
    if (v.adjacent) {
      var ph = { k: "phrase", field: field, kids: v.terms.map(function (t) { return term(field, t, boost); }), pos: [] };
      ph.pos = v.terms.map(function (t) {
        var s = shards[self.posShard("t" + t)];
        return s && own(s[field], t);
      });
      return ph;
    }
    return { k: "conj", kids: dedupe(v.terms).map(function (t) { return term(field, t, boost); }) };
  }
  function clauseNode(c) {
    var leaves = [];
    c.variants.forEach(function (v, i) {
      var w = i > 0 ? lim.synonymWeight : 1;
      if (v.backoff) v.terms.forEach(function (t) { leaves.push(term("chars", t, rel.backoffBoost * w)); });
      else fieldsList.forEach(function (f, j) {
        if (!v.char || lim.charFields.indexOf(f) >= 0) leaves.push(leaf(v, f, meta.boosts[j] * w));
      });
      if (v.loose > 0) {
        leaves.push({ k: "disj", min: v.loose, kids: v.looseTerms.map(function (t) {
          return { k: "disj", min: 0, kids: fieldsList.map(function (f, j) { return term(f, t, meta.boosts[j] * w * lim.looseWeight); }) };
        }) });
      }
    });
    var py = c.pinyin && self.pinyinLeaf(c.pinyin, shards, postings);
    if (py) leaves.push(py);
    return { k: "disj", min: 0, kids: leaves };
  }
  function docsOf(n, into) {
    if (n.k === "term") n.post.forEach(function (_, d) { into.add(d); });
    else n.kids.forEach(function (k) { docsOf(k, into); });
    return into;
  }
  // matchesSome reports whether some page matches n
  function matchesSome(n) {
    var saved = usedBound, found = false;
    docsOf(n, new Set()).forEach(function (d) {
      if (!found && score(n, d, N, 1) >= 0) found = true;
    });
    usedBound = saved;
    return found;
  }

  // ---- relaxation (search/relax.go) ----
  function relaxChars(q) {
    var cs = [], changed = false;
    q.clauses.forEach(function (c) {
      if (matchesSome(clauseNode(c))) { cs.push(c); return; }
      changed = true;
      var b = backoff(c, syn, lim, rel);
      if (!b) return;
      var piece = heldPiece(c);
      if (piece) { var v = variantOf(piece, lim, rel.filler); v.loose = 0; v.looseTerms = null; b.variants.push(v); }
      cs.push(b);
    });
    cs = dedupeClauses(cs);
    return changed && cs.length ? relaxedCopy(q, cs, q.items) : null;
  }
  // heldPiece: the longest run of rel.minHeldPiece to rel.maxHeldPiece CJK characters
  // of c's text that some page holds, the leftmost of equals (Go's heldPiece)
  function heldPiece(c) {
    var rs = runes(c.text);
    for (var n = Math.min(rs.length - 1, rel.maxHeldPiece); n >= rel.minHeldPiece; n--) {
      for (var i = 0; i + n <= rs.length; i++) {
        var part = rs.slice(i, i + n);
        if (!part.every(function (ch) { return isCJK(fold(ch.codePointAt(0))); })) continue;
        var v = variantOf(part.join(""), lim, rel.filler);
        if (!v) continue;
        v.loose = 0; v.looseTerms = null;
        if (matchesSome(clauseNode({ text: part.join(""), phrase: false, variants: [v] }))) return part.join("");
      }
    }
    return "";
  }
  // factors: the score factor per page type for q (preferenceOf)
  function factors(q) {
    var f = {};
    q.prefer.forEach(function (t) { f[t] = (f[t] || 1) * rel.typeBoost; });
    return function (doc) {
      var ti = meta.typeOf.charCodeAt(doc) - 48, v = ti >= 0 ? f[meta.types[ti]] : undefined;
      return v === undefined ? 1 : v;
    };
  }

  var filters = q.filters.map(function (f) {
    return { field: f.field, values: f.values };
  });
  function passes(doc, except) {
    return filters.every(function (f) {
      return f.field === except || f.values.some(function (v) { return postings(f.field, v).has(doc); });
    });
  }
  function count(doc) {
    if (st.counted.has(doc)) return;
    st.counted.add(doc);
    var ti = meta.typeOf.charCodeAt(doc) - 48;
    if (ti >= 0 && passes(doc, "type")) {
      var tv = meta.types[ti];
      st.counts.type[tv] = (st.counts.type[tv] || 0) + 1;
    }
    if (facets && passes(doc, "stage")) {
      var set = facets.sets[facets.of[doc]];
      for (var i = 0; i < set.length; i++) {
        var sv = meta.stageValues[set[i]];
        st.counts.stage[sv] = (st.counts.stage[sv] || 0) + 1;
      }
    }
  }

  // mustNode: every clause, the words backed off to their characters
  // together as one "any of them" (Go's mustQuery)
  function mustNode(q) {
    if (q.any) return { k: "disj", min: 0, kids: q.clauses.map(clauseNode) };
    var kids = [], backoffs = [];
    q.clauses.forEach(function (c) {
      (c.variants.length && c.variants[0].backoff ? backoffs : kids).push(clauseNode(c));
    });
    if (backoffs.length === 1) kids.push(backoffs[0]);
    else if (backoffs.length > 1) kids.push({ k: "disj", min: 0, kids: backoffs });
    return { k: "conj", min: 0, kids: kids };
  }

  // step runs the query of one step and adds the pages it finds first
  function step(q, n) {
    var must = mustNode(q);
    var factor = factors(q);
    var cands = docsOf(must, new Set());
    if (!q.clauses.length) for (var d = 0; d < N; d++) cands.add(d);
    var W = weight(must, N), qn = W > 0 ? 1 / Math.sqrt(W) : 1;
    var exact = q.exact ? postings("exact", q.exact) : new Map();
    var matches = [];
    cands.forEach(function (doc) {
      usedBound = false;
      var s = q.clauses.length ? score(must, doc, N, qn) : 1;
      if (s < 0) return;
      var inexact = usedBound;
      count(doc);
      if (st.seen.has(doc) || !passes(doc, "")) return;
      matches.push({ doc: doc, score: s * factor(doc), exact: exact.has(doc), inexact: inexact });
    });
    // ties by path: pages are numbered in path order
    var order = function (a, b) { return b.score - a.score || a.doc - b.doc; };
    // every match is kept while fewer than rel.below, for the next step
    var keep = Math.max(limit + st.seen.size, rel.below);
    return refine(matches, order, keep, must, N, qn, factor).then(function () {
      matches.sort(order);
      var ex = matches.filter(function (m) { return m.exact; }), ranked = matches;
      if (ex.length && matches.length) {
        var best = matches[0].score;
        ranked = ex.map(function (m) { return { doc: m.doc, score: m.score + best, exact: true }; })
          .concat(matches.filter(function (m) { return !m.exact; }));
      }
      ranked.slice(0, keep).forEach(function (m) { st.hits.push({ doc: m.doc, score: m.score, exact: m.exact, relaxed: n, parsed: q }); });
      st.total += matches.length;
      if (st.total < rel.below) matches.forEach(function (m) { st.seen.add(m.doc); });
    });
  }

  // relax runs the steps after the strict query, each that changes the
  // query, until the pages found reach rel.below
  function relax(q) {
    var cur = q, n = 0;
    function next() {
      if (++n > 3 || st.total >= rel.below) return Promise.resolve();
      var nq = n === 1 ? relaxFiller(cur, syn, rel, lim) : n === 2 ? relaxChars(cur) : relaxAny(cur);
      if (!nq) return next();
      return prepare(nq, false).then(function () { return step(nq, n); }).then(function () { cur = nq; return next(); });
    }
    return next();
  }

  return prepare(q, true).then(function () { return step(q, 0); }).then(function () {
    st.strict = st.total;
    if (q.clauses.length && st.total < rel.below) return relax(q);
  }).then(function () {
    function facet(m) {
      return Object.keys(m).map(function (v) { return { value: v, count: m[v] }; })
        .sort(function (a, b) { return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0); });
    }
    var hits = st.hits.slice(0, limit);
    return {
      query: q.text, parsed: q, total: st.total, strict: st.strict,
      relaxed: st.hits.reduce(function (a, h) { return Math.max(a, h.relaxed); }, 0),
      hits: hits, facets: { type: facet(st.counts.type), stage: facet(st.counts.stage) }
    };
  });

  // refine fetches the tails the pages that may rank need: scores from
  // tail bounds are upper bounds, so once the first `limit` pages by
  // (score, path) and the exact-name matches all have exact scores, no
  // other page can pass them, and their order is the index's.
  function refine(matches, order, limit, must, N, qn, factor) {
    matches.sort(order);
    var need = matches.slice(0, limit).concat(matches.filter(function (m) { return m.exact; }))
      .filter(function (m) { return m.inexact; });
    if (!need.length) return Promise.resolve();
    var files = new Map(), texts = new Set(); // tail file → [[list, block] …]; pages to count
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
    // a text tail from the page's own text: its tokens are the ones the
    // index counted, and the hits need the page for their snippets anyway
    var counted = Array.from(texts).map(function (doc) {
      return self.doc(doc).then(function (d) {
        var toks = analyze(d.text || "", lim), count = new Map();
        toks.forEach(function (t) { count.set(t.term, (count.get(t.term) || 0) + 1); });
        decoded.forEach(function (list) {
          var p = list.field === "text" && list.tails && list.get(doc);
          if (!p || p.x !== false) return;
          if (!count.get(list.term)) throw new Error("search index: page " + doc + " does not hold " + list.term);
          p.f = count.get(list.term); p.l = toks.length; p.x = true;
        });
      });
    });
    return Promise.all(counted.concat(Array.from(files.keys()).map(function (path) {
      return self.file(path).then(function (t) {
        files.get(path).forEach(function (e) {
          var list = e[0], docs = list.tails[e[1]], arr = own(t[list.field], list.term);
          if (!docs) return; // filled by a file fetched beside
          if (!arr || arr.length !== 2 * docs.length) throw new Error("search index: " + path + " does not hold " + list.term);
          docs.forEach(function (doc, i) {
            var p = list.get(doc);
            p.f = arr[2 * i]; p.l = arr[2 * i + 1]; p.x = true;
          });
          delete list.tails[e[1]];
        });
      });
    }))).then(function () {
      matches.forEach(function (m) {
        if (!m.inexact) return;
        usedBound = false;
        m.score = score(must, m.doc, N, qn) * factor(m.doc);
        m.inexact = usedBound;
      });
      return refine(matches, order, limit, must, N, qn, factor);
    });
  }
};

// doc returns a page's stored fields {path, url, title, type, objection,
// summary, text}: d/N.json holds meta.docGroup pages, so the hits of a
// results page on a small site come in a few requests (search/static.go).
Engine.prototype.doc = function (n) {
  var g = this.meta.docGroup || 1;
  return this.file("d/" + Math.floor(n / g) + ".json").then(function (list) { return list[n % g]; });
};

function byCodePoint(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
