// Playbook static search, query syntax, synonyms, relaxation and pinyin
// keys (search/query.go, synonyms.go, relax.go, pinyin.go): a query parsed
// as search.Parse parses it. One of the client's modules; see ui.js.

import { KIND_BIGRAM, KIND_UNIGRAM, analyze, exactKey, fields, fold, isCJK, isSurrogate, isWordRune, normalize, normalizeWord, reControl, reSpace } from "./analyze.js";

// ---- query syntax (search/query.go, Parse) -----------------------------

export function QueryError(msg) { this.message = msg; this.name = "QueryError"; }
QueryError.prototype = Object.create(Error.prototype);

export function runes(s) { return Array.from(s); }

function sanitize(s) {
  var out = "";
  for (var i = 0; i < s.length;) {
    var cp = s.codePointAt(i), n = cp > 0xffff ? 2 : 1;
    var ch = s.slice(i, i + n);
    out += isSurrogate(cp) || reControl.test(ch) ? " " : ch;
    i += n;
  }
  var r = runes(out), a = 0, z = r.length;
  while (a < z && reSpace.test(r[a])) a++;
  while (z > a && reSpace.test(r[z - 1])) z--;
  return r.slice(a, z).join("");
}

function scan(s, lim) {
  var rs = runes(s), items = [];
  for (var i = 0; i < rs.length;) {
    var r = rs[i];
    if (reSpace.test(r)) { i++; continue; }
    var closers = own(lim.quotes, r);
    if (closers) {
      var j = i + 1;
      while (j < rs.length && closers.indexOf(rs[j]) < 0) j++;
      items.push({ text: rs.slice(i + 1, j).join(""), phrase: true, glued: i > 0 && !reSpace.test(rs[i - 1]) });
      i = j + 1;
      continue;
    }
    var k = i;
    while (k < rs.length && !reSpace.test(rs[k]) && !own(lim.quotes, rs[k])) k++;
    items.push({ text: rs.slice(i, k).join("") });
    i = k;
  }
  return items;
}

function splitFilter(w, lim) {
  var m = /[:：]/.exec(w);
  if (!m || m.index <= 0) return null;
  var field = own(lim.filterKeys, normalize(w.slice(0, m.index)));
  return field ? { field: field, value: w.slice(m.index + 1) } : null;
}

export function addFilter(q, field, value) {
  var values = value.split(/[,，、]/).map(normalize).filter(Boolean);
  if (!values.length) return;
  for (var i = 0; i < q.filters.length; i++) {
    if (q.filters[i].field === field) { q.filters[i].values = q.filters[i].values.concat(values); return; }
  }
  q.filters.push({ field: field, values: values });
}

export function SynonymTable(groups, lim) {
  this.alts = new Map(); this.byKey = new Map(); this.byChar = new Map(); this.maxLen = 0; this.lim = lim;
  var self = this;
  function push(m, k, v) { var l = m.get(k); if (!l) m.set(k, l = []); if (l.indexOf(v) < 0) l.push(v); }
  (groups || []).forEach(function (g) {
    var seen = {}, words = [];
    g.forEach(function (w) { w = normalizeWord(w); if (w && !seen[w]) { seen[w] = true; words.push(w); } });
    words.forEach(function (w) { // the first word holding each CJK character (Go's addChars)
      runes(w).forEach(function (ch) { if (isCJK(ch.codePointAt(0)) && !self.byChar.has(ch)) self.byChar.set(ch, w); });
    });
    var keys = words.map(function (w) { return exactKey(w, lim); }); // once per word, not per pair
    words.forEach(function (w, i) {
      self.maxLen = Math.max(self.maxLen, runes(w).length);
      var k = keys[i];
      words.forEach(function (o, j) {
        if (o !== w) push(self.alts, w, o);
        else if (!self.alts.has(w)) self.alts.set(w, []);
        if (k !== "" && keys[j] !== k) push(self.byKey, k, o);
      });
    });
  });
}
SynonymTable.prototype.whole = function (s) { return (this.byKey.get(exactKey(s, this.lim)) || []).slice(0, this.lim.maxVariants); };
// inner: the first longest group word inside a normalised word (Go's inner)
SynonymTable.prototype.inner = function (r, lo, hi) {
  var bestAt = -1, bestLen = 0;
  if (lo === undefined) { lo = 0; hi = r.length; }
  for (var i = lo; i < hi; i++) {
    for (var n = Math.min(this.maxLen, hi - i); n >= Math.max(2, bestLen + 1); n--) {
      var a = this.alts.get(r.slice(i, i + n).join(""));
      if (a && a.length && bounded(r, i, i + n)) { bestAt = i; bestLen = n; break; }
    }
  }
  return [bestAt, bestLen];
};
// groupWords: every group word inside a normalised word, each followed by its
// alternatives, the one inner finds first, then those left and right of it (Go's groupWords)
SynonymTable.prototype.groupWords = function (w) {
  var self = this, r = runes(w), out = [];
  (function walk(lo, hi) {
    var f = self.inner(r, lo, hi);
    if (f[0] < 0) return;
    var word = r.slice(f[0], f[0] + f[1]).join("");
    [word].concat(self.alts.get(word).slice(0, self.lim.maxVariants)).forEach(function (x) { if (out.indexOf(x) < 0) out.push(x); });
    walk(lo, f[0]);
    walk(f[0] + f[1], hi);
  })(0, r.length);
  return out;
};
// holding: for a lone CJK character, the first group word holding it and
// that word's alternatives (Go's holding)
SynonymTable.prototype.holding = function (w) {
  var r = runes(w), word = this.byChar.get(w);
  if (r.length !== 1 || word === undefined) return [];
  return [word].concat(this.alts.get(word).slice(0, this.lim.maxVariants));
};
SynonymTable.prototype.part = function (w) {
  var r = runes(w), f = this.inner(r), bestAt = f[0], bestLen = f[1];
  if (bestAt < 0) return [];
  var head = r.slice(0, bestAt).join(""), tail = r.slice(bestAt + bestLen).join("");
  return this.alts.get(r.slice(bestAt, bestAt + bestLen).join("")).slice(0, this.lim.maxVariants).map(function (a) { return head + a + tail; });
};

function bounded(r, i, j) {
  function wordy(c) { var cp = c.codePointAt(0); return isWordRune(cp) && !isCJK(cp); }
  if (wordy(r[i]) && i > 0 && wordy(r[i - 1])) return false;
  if (wordy(r[j - 1]) && j < r.length && wordy(r[j])) return false;
  return true;
}

export function dedupe(list) { var out = []; list.forEach(function (s) { if (out.indexOf(s) < 0) out.push(s); }); return out; }

// variantOfTokens: filler is meta.relax.filler, for the loose terms
function variantOfTokens(toks, lim, filler) {
  var v = { terms: toks.map(function (t) { return t.term; }), char: false, prefix: false, loose: 0, looseTerms: null, adjacent: false };
  var bigrams = 0;
  toks.forEach(function (t) { if (t.kind === KIND_BIGRAM && t.run === toks[0].run) bigrams++; });
  v.char = toks.length === 1 && toks[0].kind === KIND_UNIGRAM;
  v.adjacent = toks.length > 1 && bigrams < toks.length;
  if (bigrams === toks.length && bigrams >= lim.minLooseBigrams) {
    var lt = looseTerms(v.terms, filler || []);
    if (lt.length >= 2) {
      v.looseTerms = lt;
      v.loose = Math.floor((lt.length * lim.looseShare + 9) / 10);
    }
  }
  return v;
}

// looseTerms: per stretch between filler words, the bigrams at even
// offsets and the last of an odd number of characters (Go's looseTerms)
function looseTerms(bigrams, filler) {
  var chars = bigrams.map(function (b) { return runes(b)[0]; });
  chars.push(runes(bigrams[bigrams.length - 1])[1]);
  var cut = fillerMask(filler)(chars), out = [], stretch = [];
  function flush() {
    for (var i = 0; i < stretch.length; i += 2) out.push(stretch[i]);
    if (stretch.length && stretch.length % 2 === 0) out.push(stretch[stretch.length - 1]);
    stretch = [];
  }
  bigrams.forEach(function (b, i) {
    if (cut[i] || cut[i + 1]) flush();
    else stretch.push(b);
  });
  flush();
  return dedupe(out);
}

// backoffBigrams: a run's bigrams that touch no filler word (Go's backoffBigrams)
function backoffBigrams(bigrams, filler) {
  var chars = bigrams.map(function (b) { return runes(b)[0]; });
  chars.push(runes(bigrams[bigrams.length - 1])[1]);
  var cut = fillerMask(filler)(chars);
  return dedupe(bigrams.filter(function (b, i) { return !cut[i] && !cut[i + 1]; }));
}

export function variantOf(text, lim, filler) { var t = analyze(text, lim); return t.length ? variantOfTokens(t, lim, filler) : null; }

function runClauses(text, lim, filler) {
  var toks = analyze(text, lim), out = [];
  for (var i = 0; i < toks.length;) {
    var j = i;
    while (j < toks.length && toks[j].run === toks[i].run) j++;
    var run = toks.slice(i, j);
    var c = { text: text.slice(run[0].s, run[run.length - 1].e), phrase: false, variants: [variantOfTokens(run, lim, filler)] };
    var num = chineseNumeral(c.text);
    if (num) c.variants.push(variantOf(num, lim, filler));
    out.push(c);
    i = j;
  }
  return out;
}

// chineseNumeral: 90 → 九十, 105 → 一百零五; "" but for 11–9999 (Go's chineseNumeral)
function chineseNumeral(s) {
  if (!/^[1-9][0-9]{1,3}$/.test(s)) return "";
  var digits = "零一二三四五六七八九", units = "千百十", b = "", zero = false;
  for (var i = 0; i < s.length; i++) {
    var d = s.charCodeAt(i) - 48, place = s.length - 1 - i;
    if (d === 0) { zero = b.length > 0; continue; }
    if (zero) { b += digits[0]; zero = false; }
    if (!(d === 1 && place === 1 && i === 0)) b += digits[d];
    if (place > 0) b += units[3 - place];
  }
  return b.length < 2 ? "" : b;
}

// withNumerals: each number touching a CJK character as chineseNumeral (Go's withNumerals)
function withNumerals(w) {
  return w.replace(/[0-9]+/g, function (m, at) {
    var n = chineseNumeral(m), before = at > 0 ? w.codePointAt(at - 1) : -1, after = at + m.length < w.length ? w.codePointAt(at + m.length) : -1;
    if (before >= 0xDC00 && before <= 0xDFFF) before = w.codePointAt(at - 2);
    var touches = (before >= 0 && isCJK(fold(before))) || (after >= 0 && isCJK(fold(after)));
    return n && touches ? n : m;
  });
}

function clausesOf(words, syn, lim, filler) {
  var out = [];
  for (var i = 0; i < words.length;) {
    var n = 0, alts = [];
    for (var k = Math.min(lim.maxSynonymWords, words.length - i); k >= 1; k--) {
      var a = syn.whole(words.slice(i, i + k).join(" "));
      if (a.length) { n = k; alts = a; break; }
    }
    if (!n) { n = 1; alts = syn.part(normalizeWord(words[i])); }
    var numw = withNumerals(words[i]);
    if (n === 1 && alts.length && numw !== words[i]) alts = [numw].concat(alts);
    var text = words.slice(i, i + n).join(" ");
    i += n;
    if (!alts.length) { out = out.concat(runClauses(text, lim, filler)); continue; }
    var c = { text: text, phrase: false, variants: [] };
    var all = [text].concat(alts);
    for (var x = 0; x < all.length; x++) {
      var v = variantOf(all[x], lim, filler);
      if (v) {
        if (x > 0) { v.loose = 0; v.looseTerms = null; }
        c.variants.push(v);
      } else if (!c.variants.length) break;
    }
    if (c.variants.length) out.push(c);
  }
  return out;
}

// parse parses a query as search.Parse does; rel is meta.relax (the type
// words are taken out of the words: see search/relax.go), lim meta.query.
export function parse(raw, syn, rel, lim) {
  var s = sanitize(raw);
  var n = runes(s).length;
  if (n > lim.maxQueryRunes) throw new QueryError("the query is too long: " + n + " characters, at most " + lim.maxQueryRunes);
  var q = { text: s, clauses: [], filters: [], exact: "", prefer: [], any: false, items: [] };
  var items = scan(s, lim), texts = [], apart = false;
  for (var i = 0; i < items.length; i++) {
    var it = items[i];
    if (it.phrase) { texts.push(it.text); q.items.push(it); continue; }
    var f = splitFilter(it.text, lim);
    if (f) {
      var value = f.value;
      if (value === "" && i + 1 < items.length && items[i + 1].phrase && items[i + 1].glued) { value = items[i + 1].text; i++; }
      addFilter(q, f.field, value);
      apart = true;
      continue;
    }
    texts.push(it.text);
    q.items.push({ text: it.text, apart: apart });
    apart = false;
  }
  var taken = takeTypeWords(q.items, rel, syn, lim);
  q.items = taken.items; q.prefer = taken.types;
  q.clauses = itemClauses(q.items, syn, lim, rel.filler);
  markPrefix(q.clauses, s);
  markPinyin(q.clauses, lim);
  if (q.clauses.length > lim.maxClauses) throw new QueryError("the query has too many words: " + q.clauses.length + ", at most " + lim.maxClauses);
  if (q.clauses.length) q.exact = exactKey(texts.join(" "), lim);
  return q;
}

function phraseClause(text, lim) {
  var c = { text: text, phrase: true, variants: [] }, v = variantOf(text, lim);
  if (v) { v.loose = 0; v.looseTerms = null; v.adjacent = v.terms.length > 1; c.variants.push(v); }
  return c;
}

// itemClauses: consecutive words together (synonyms of several words),
// each phrase alone; no clause twice.
function itemClauses(items, syn, lim, filler) {
  var cs = [], words = [];
  function flush() { cs = cs.concat(clausesOf(words, syn, lim, filler)); words = []; }
  items.forEach(function (it) {
    if (it.phrase || it.apart) flush();
    if (it.phrase) cs.push(phraseClause(it.text, lim));
    else words.push(it.text);
  });
  flush();
  return dedupeClauses(cs);
}

// dedupeClauses drops clauses without variants and repeats of a clause.
export function dedupeClauses(cs) {
  var seen = {};
  return cs.filter(function (c) {
    if (!c.variants.length) return false;
    var k = JSON.stringify(c.variants);
    if (seen[k]) return false;
    return (seen[k] = true);
  });
}

// ---- relaxation (search/relax.go) -------------------------------------

var CLASS_OTHER = 0, CLASS_CJK = 1, CLASS_WORD = 2;
function runeClass(ch) {
  var f = fold(ch.codePointAt(0));
  return isCJK(f) ? CLASS_CJK : isWordRune(f) ? CLASS_WORD : CLASS_OTHER;
}

// cutRuns: cjk(run of folded characters) returns which to cut, latin(word)
// whether to cut it; cut characters become spaces.
function cutRuns(w, cjk, latin) {
  var rs = runes(w), out = rs.slice();
  for (var i = 0; i < rs.length;) {
    var cls = runeClass(rs[i]), j = i + 1;
    while (j < rs.length && runeClass(rs[j]) === cls) j++;
    var folded = rs.slice(i, j).map(function (c) { return String.fromCodePoint(fold(c.codePointAt(0))); });
    if (cls === CLASS_CJK) {
      cjk(folded).forEach(function (cut, k) { if (cut) out[i + k] = " "; });
    } else if (cls === CLASS_WORD && latin(folded.join(""))) {
      for (var k = i; k < j; k++) out[k] = " ";
    }
    i = j;
  }
  return fields(out.join(""));
}

function isCJKWord(w) { return isCJK(w.codePointAt(0)); }

function appendWords(items, words, apart) {
  words.forEach(function (w, i) { items.push({ text: w, apart: apart && i === 0 }); });
  return items;
}

// takeTypeWords: as relax.go's; a type word inside a longer word of a
// synonym group (竞品 in 竞品分析) is part of that word (covered).
function takeTypeWords(items, rel, syn, lim) {
  var types = [], out = [], left = false, tw = (rel && rel.types) || [];
  function add(t) { if (types.indexOf(t) < 0) types.push(t); }
  function longest(run, start) {
    var best = 0, typ = "";
    tw.forEach(function (p) {
      var w = runes(p[0]);
      if (!isCJKWord(p[0]) || w.length > run.length || w.length <= best) return;
      var part = start ? run.slice(0, w.length) : run.slice(run.length - w.length);
      if (part.join("") === p[0]) { best = w.length; typ = p[1]; }
    });
    return [best, typ];
  }
  function mask(run) {
    var cut = run.map(function () { return false; });
    function set(t, a, b) { for (var i = a; i < b; i++) cut[i] = true; add(t); }
    var whole = run.join("");
    for (var i = 0; i < tw.length; i++) if (tw[i][0] === whole) { set(tw[i][1], 0, run.length); return cut; }
    var lo = 0, p = longest(run, true);
    if (p[0] > 0 && p[0] < run.length && !covered(syn, run, 0, p[0])) { set(p[1], 0, p[0]); lo = p[0]; }
    var e = longest(run.slice(lo), false);
    if (e[0] > 0 && e[0] < run.length - lo && !covered(syn, run, run.length - e[0], run.length)) set(e[1], run.length - e[0], run.length);
    return cut;
  }
  function latin(w) {
    var k = exactKey(w, lim);
    for (var i = 0; i < tw.length; i++) if (!isCJKWord(tw[i][0]) && exactKey(tw[i][0], lim) === k) { add(tw[i][1]); return true; }
    return false;
  }
  items.forEach(function (it) {
    if (it.phrase) { out.push(it); left = true; return; }
    var words = cutRuns(it.text, mask, latin);
    appendWords(out, words, it.apart);
    if (words.length) left = true;
  });
  return { items: left ? out : items, types: types };
}

// covered: run[a:b] lies inside a longer word of a synonym group that
// run holds and that is no synonym of run[a:b] (synonyms.go,
// synonymTable.covered)
function covered(syn, run, a, b) {
  if (!syn) return false;
  var inner = run.slice(a, b).join("");
  for (var i = Math.max(0, b - syn.maxLen); i <= a; i++) {
    for (var j = Math.max(b, i + b - a + 1); j <= Math.min(run.length, i + syn.maxLen); j++) {
      var alts = syn.alts.get(run.slice(i, j).join(""));
      if (alts && alts.indexOf(inner) < 0) return true;
    }
  }
  return false;
}

function fillerMask(filler) {
  return function (run) {
    var cut = run.map(function () { return false; });
    for (var i = 0; i < run.length;) {
      var n = 0;
      filler.forEach(function (f) {
        var w = runes(f);
        if (isCJKWord(f) && w.length > n && i + w.length <= run.length && run.slice(i, i + w.length).join("") === f) n = w.length;
      });
      if (!n) { i++; continue; }
      for (var k = i; k < i + n; k++) cut[k] = true;
      i += n;
    }
    return cut;
  };
}

function latinFiller(filler, lim) {
  return function (w) {
    var k = exactKey(w, lim);
    return filler.some(function (f) { return !isCJKWord(f) && exactKey(f, lim) === k; });
  };
}

export function relaxedCopy(q, cs, items) {
  return { text: q.text, clauses: cs, filters: q.filters, exact: "", prefer: q.prefer, any: false, items: items };
}

// relaxFiller: step 1, or null when it would change nothing or leave nothing.
export function relaxFiller(q, syn, rel, lim) {
  var items = [], mask = fillerMask(rel.filler), latin = latinFiller(rel.filler, lim);
  q.items.forEach(function (it) {
    if (it.phrase) items.push(it);
    else appendWords(items, cutRuns(it.text, mask, latin).filter(notLone), it.apart);
  });
  function notLone(w) { return (rel.lone || []).indexOf(w) < 0; } // Go's dropLone
  var taken = takeTypeWords(items, rel, syn, lim), prefer = q.prefer.slice(); // a type word the filler hid
  items = dropLoneItems(taken.items, rel);
  taken.types.forEach(function (t) { if (prefer.indexOf(t) < 0) prefer.push(t); });
  var cs = itemClauses(items, syn, lim, rel.filler).slice(0, lim.maxClauses); // cutting fillers out of one long run makes many words
  markPrefix(cs, q.text);
  markPinyin(cs, lim);
  if (!cs.length || sameClauses(cs, q.clauses)) return null;
  var r = relaxedCopy(q, cs, items);
  r.prefer = prefer;
  return r;
}

// dropLoneItems: Go's; the word after a dropped lone filler keeps its place apart.
function dropLoneItems(items, rel) {
  var out = [], apart = false;
  items.forEach(function (it) {
    if (!it.phrase && (rel.lone || []).indexOf(it.text) >= 0) { apart = apart || !!it.apart; return; }
    var c = Object.assign({}, it);
    c.apart = !!it.apart || apart; apart = false;
    out.push(c);
  });
  return out;
}

// sameClauses compares what Go's sameClauses compares: the clauses but
// for their pinyin keys.
function sameClauses(a, b) {
  function key(cs) {
    return JSON.stringify(cs.map(function (c) {
      return [c.text, c.phrase, c.variants.map(function (v) {
        return [v.terms, v.char, !!v.backoff, v.prefix, v.loose, v.looseTerms || [], v.adjacent];
      })];
    }));
  }
  return key(a) === key(b);
}

// backoff: the clause of the CJK characters of c's text, with the group
// word it holds and that word's synonyms as variants, or null.
export function backoff(c, syn, lim, rel) {
  var chars = [];
  runes(c.text).forEach(function (ch) { if (isCJK(fold(ch.codePointAt(0))) && chars.indexOf(ch) < 0) chars.push(ch); });
  if (!chars.length) return null;
  var b = { text: c.text, phrase: false, variants: [{ terms: chars, char: false, backoff: true, prefix: false, loose: 0, looseTerms: null, adjacent: false }] };
  if (c.variants.length && c.variants[0].looseTerms && c.variants[0].looseTerms.length) {
    var lt = backoffBigrams(c.variants[0].terms, rel.filler);
    if (lt.length) { b.variants[0].loose = Math.min(rel.backoffLoose, lt.length); b.variants[0].looseTerms = lt; }
  }
  var words = syn.groupWords(normalizeWord(c.text));
  if (!words.length) words = syn.holding(normalizeWord(c.text));
  words.forEach(function (w) {
    var v = variantOf(w, lim);
    if (v) { v.loose = 0; v.looseTerms = null; b.variants.push(v); }
  });
  return b;
}

export function relaxAny(q) {
  if (q.clauses.length < 2 || q.any) return null;
  var r = relaxedCopy(q, q.clauses, q.items);
  r.any = true;
  return r;
}

function markPrefix(cs, s) {
  if (!cs.length) return;
  var c = cs[cs.length - 1];
  if (c.phrase || c.variants.length !== 1 || c.variants[0].terms.length !== 1 || s.slice(s.length - c.text.length) !== c.text) return;
  if (runes(c.text).length < 3 || !/^[a-z]+$/.test(normalize(c.text))) return;
  c.variants[0].prefix = true;
}

// ---- pinyin (search/pinyin.go): the index holds every key a query may
// take, so the client only looks a word up; it needs no dictionary.

// markPinyin gives each clause that is one word of two or more Latin
// letters its pinyin key, the word folded (XingTu → xingtu).
function markPinyin(cs, lim) {
  cs.forEach(function (c) {
    var k = c.phrase ? "" : normalize(c.text);
    c.pinyin = /^[a-z]+$/.test(k) && k.length >= 2 && k.length <= lim.maxWordRunes ? k : "";
  });
}

// own is o[k] when o has k itself: a term such as "constructor" must not
// find Object.prototype's in a parsed file.
export function own(o, k) { return o && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }
