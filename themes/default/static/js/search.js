// Playbook static search: the client of the postings the build exports to
// search/ (see search/static.go and docs/search.md). It analyses and parses
// a query exactly as the Go package search does, fetches only the shards
// holding the query's terms, and scores with the same TF-IDF formula, so it
// returns what `playbook search` returns. Plain ES2017, no dependencies.
// Under node it exports its engine for the tests (module.exports).
(function (root) {
  "use strict";

  // ---- analysis (search/analyzer.go, Analyze) ---------------------------

  var MAX_WORD_RUNES = 64;
  var reCJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
  var reWord = /[\p{L}\p{N}\p{M}]/u;
  var reMark = /\p{M}/u;
  var reSpace = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;
  var reControl = /[\p{Cc}\p{Cf}\uFFFD]/u;

  function fold(cp) {
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
    else if (cp === 0x3000) cp = 0x20;
    if (cp < 0x41) return cp;
    if (cp <= 0x5a) return cp + 32;
    if (cp < 0x80) return cp;
    // no case in CJK, kana and Hangul syllables: skip the costly general
    // mapping below for the text most pages are made of
    if ((cp >= 0x2e80 && cp < 0xa000) || (cp >= 0xac00 && cp < 0xd7a4)) return cp;
    // Go's unicode.ToLower is the simple mapping: one code point
    var l = String.fromCodePoint(cp).toLowerCase();
    return l.codePointAt(0);
  }

  function isCJK(cp) {
    if (cp < 0x1100) return false;
    if (cp >= 0x4e00 && cp <= 0x9fff) return true;
    return cp === 0x30fc || reCJK.test(String.fromCodePoint(cp));
  }

  function isWordRune(cp) {
    if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39);
    return reWord.test(String.fromCodePoint(cp));
  }

  function isMark(cp) { return cp >= 0x300 && reMark.test(String.fromCodePoint(cp)); }
  function isApostrophe(cp) { return cp === 0x27 || cp === 0x2019; }
  function utf8Len(cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }
  function isSurrogate(cp) { return cp >= 0xd800 && cp <= 0xdfff; }

  var KIND_WORD = 0, KIND_BIGRAM = 1, KIND_UNIGRAM = 2;

  // analyze returns tokens {term, start, end (UTF-8 bytes), pos, kind, run,
  // s, e (UTF-16 offsets, for marking text in the page)}.
  function analyze(text) {
    var out = [], runs = 0;
    var word = [], wst = 0, wnd = 0, ws = 0, we = 0;
    var cjk = 0, prevS = 0, prevE = 0, prevB = 0, prevBE = 0, prevCh = "";
    function emit(term, start, end, s, e, kind) {
      out.push({ term: term, start: start, end: end, pos: out.length + 1, kind: kind, run: runs, s: s, e: e });
    }
    function flushWord() {
      if (!word.length) return;
      var w = word.length > MAX_WORD_RUNES ? word.slice(0, MAX_WORD_RUNES) : word;
      var s = String.fromCodePoint.apply(null, w);
      emit(/^[a-z]+$/.test(s) ? stem(s) : s, wst, wnd, ws, we, KIND_WORD);
      runs++;
      word = [];
    }
    function flushCJK() {
      if (!cjk) return;
      if (cjk === 1) emit(prevCh, prevB, prevBE, prevS, prevE, KIND_UNIGRAM);
      runs++;
      cjk = 0;
    }
    function flush() { flushWord(); flushCJK(); }
    var b = 0; // byte offset
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i), n = cp > 0xffff ? 2 : 1, size = utf8Len(cp);
      if (isSurrogate(cp)) { flush(); i += n; b += 3; continue; } // not UTF-8: a separator
      var f = fold(cp);
      if (isCJK(f)) {
        flushWord();
        var ch = text.slice(i, i + n);
        if (cjk > 0) emit(prevCh + ch, prevB, b + size, prevS, i + n, KIND_BIGRAM);
        cjk++;
        prevCh = ch; prevB = b; prevBE = b + size; prevS = i; prevE = i + n;
      } else if (isWordRune(f) && (word.length > 0 || !isMark(f))) {
        flushCJK();
        if (!word.length) { wst = b; ws = i; }
        word.push(f);
        wnd = b + size; we = i + n;
      } else if (isApostrophe(f) && word.length > 0 && isWordRune(nextFolded(text, i + n))) {
        // dropped inside a word
      } else {
        flush();
      }
      i += n; b += size;
    }
    flush();
    return out;
  }

  function nextFolded(text, i) {
    if (i >= text.length) return 0x20;
    var cp = text.codePointAt(i);
    if (isSurrogate(cp)) return 0x20;
    var f = fold(cp);
    return isCJK(f) ? 0x20 : f;
  }

  function normalize(s) {
    var out = [];
    for (var i = 0; i < s.length;) {
      var cp = s.codePointAt(i);
      i += cp > 0xffff ? 2 : 1;
      if (isSurrogate(cp) || cp === 0xfffd) continue;
      out.push(String.fromCodePoint(fold(cp)));
    }
    var a = 0, z = out.length;
    while (a < z && reSpace.test(out[a])) a++;
    while (z > a && reSpace.test(out[z - 1])) z--;
    return out.slice(a, z).join("");
  }

  function fields(s) { return s.split(reSpaceRun).filter(Boolean); }
  var reSpaceRun = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/;
  function normalizeWord(w) { return fields(normalize(w)).join(" "); }
  function exactKey(s) { return analyze(s).map(function (t) { return t.term; }).join(" "); }

  // ---- Porter stemmer: github.com/blevesearch/go-porterstemmer, quirks
  // included (its hasSuffix wants the word longer than the suffix).

  function isCons(s, i) {
    var c = s[i];
    if (c === "a" || c === "e" || c === "i" || c === "o" || c === "u") return false;
    if (c === "y") return i === 0 ? true : !isCons(s, i - 1);
    return true;
  }
  function measure(s) {
    var n = s.length, m = 0, i = 0;
    if (!n) return 0;
    while (isCons(s, i)) { i++; if (i >= n) return m; }
    for (;;) {
      while (!isCons(s, i)) { i++; if (i >= n) return m; }
      while (isCons(s, i)) { i++; if (i >= n) return m + 1; }
      m++;
    }
  }
  function ends(s, suf) { return s.length > suf.length && s.slice(s.length - suf.length).join("") === suf; }
  function hasVowel(s) { for (var i = 0; i < s.length; i++) if (!isCons(s, i)) return true; return false; }
  function dblCons(s) { var n = s.length; return n >= 2 && s[n - 1] === s[n - 2] && isCons(s, n - 1); }
  function cvc(s) { var n = s.length; return n >= 3 && isCons(s, n - 3) && !isCons(s, n - 2) && isCons(s, n - 1); }
  function cut(s, n) { return s.slice(0, s.length - n); }
  function withLast(s, c) { var r = s.slice(); r[r.length - 1] = c; return r; }

  function step1b(s) {
    var suf = ends(s, "eed") ? "eed" : ends(s, "ed") ? "ed" : ends(s, "ing") ? "ing" : "";
    if (!suf) return s;
    var sub = cut(s, suf.length);
    if (suf === "eed") return measure(sub) > 0 ? cut(s, 1) : s;
    if (!hasVowel(sub)) return s;
    var keep = s.slice(0, sub.length + 1); // the suffix's first letter stays, as an e
    var c = sub[sub.length - 1];
    if (ends(sub, "at") || ends(sub, "bl") || ends(sub, "iz")) return withLast(keep, "e");
    if (c !== "l" && c !== "s" && c !== "z" && dblCons(sub)) return cut(sub, 1);
    if (measure(sub) === 1 && cvc(sub) && c !== "w" && c !== "x" && c !== "y") return withLast(keep, "e");
    return sub;
  }

  // [suffix, replacement] for step 2 (m > 0), step 3 (m > 0), step 4 (m > 1)
  var STEP2 = [["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"], ["izer", "ize"],
    ["bli", "ble"], ["alli", "al"], ["entli", "ent"], ["eli", "e"], ["ousli", "ous"], ["ization", "ize"],
    ["ation", "ate"], ["ator", "ate"], ["alism", "al"], ["iveness", "ive"], ["fulness", "ful"],
    ["ousness", "ous"], ["aliti", "al"], ["iviti", "ive"], ["biliti", "ble"], ["logi", "log"]];
  var STEP3 = [["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"], ["ical", "ic"], ["ful", ""], ["ness", ""]];
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
    "ate", "iti", "ous", "ive", "ize"];

  function stepRules(s, rules, min) {
    for (var i = 0; i < rules.length; i++) {
      var suf = rules[i][0];
      if (ends(s, suf)) {
        var sub = cut(s, suf.length);
        return measure(sub) > min ? sub.concat(rules[i][1].split("")) : s;
      }
    }
    return s;
  }

  function stem(word) {
    var s = word.split("");
    if (s.length <= 2) return word;
    // step 1a
    if (ends(s, "sses") || ends(s, "ies")) s = cut(s, 2);
    else if (ends(s, "ss")) { /* keep */ } else if (ends(s, "s")) s = cut(s, 1);
    s = step1b(s);
    // step 1c
    if (s.length >= 2 && s[s.length - 1] === "y" && hasVowel(s.slice(0, -1))) s = withLast(s, "i");
    s = stepRules(s, STEP2, 0);
    s = stepRules(s, STEP3, 0);
    for (var i = 0; i < STEP4.length; i++) {
      if (ends(s, STEP4[i])) {
        var sub = cut(s, STEP4[i].length);
        var c = sub[sub.length - 1];
        if (measure(sub) > 1 && (STEP4[i] !== "ion" || c === "s" || c === "t")) s = sub;
        break;
      }
    }
    // step 5a
    if (s[s.length - 1] === "e") {
      var sub5 = cut(s, 1), m = measure(sub5), c5 = sub5[sub5.length - 1];
      if (m > 1 || (m === 1 && !(cvc(sub5) && c5 !== "w" && c5 !== "x" && c5 !== "y"))) s = sub5;
    }
    // step 5b
    if (s.length > 2 && s[s.length - 2] === "l" && s[s.length - 1] === "l" && measure(cut(s, 1)) > 1) s = cut(s, 1);
    return s.join("");
  }

  // ---- query syntax (search/query.go, Parse) -----------------------------

  var MAX_QUERY_RUNES = 200, MAX_CLAUSES = 24, MAX_SYNONYM_WORDS = 4, MAX_VARIANTS = 8;
  var MIN_LOOSE_BIGRAMS = 3, LOOSE_SHARE = 6;
  var QUOTES = { '"': '"', "\uff02": '"\uff02', "\u201c": '\u201d"', "\u300c": "\u300d", "\u300e": "\u300f" };
  var FILTER_KEYS = {
    type: "type", types: "type", "类型": "type", stage: "stage", stages: "stage", "阶段": "stage",
    role: "role", roles: "role", "角色": "role", tag: "tag", tags: "tag", "标签": "tag",
    industry: "industry", industries: "industry", "行业": "industry",
    region: "region", regions: "region", "地区": "region", "区域": "region",
    competitor: "competitor", competitors: "competitor", "竞品": "competitor"
  };

  function QueryError(msg) { this.message = msg; this.name = "QueryError"; }
  QueryError.prototype = Object.create(Error.prototype);

  function runes(s) { return Array.from(s); }

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

  function scan(s) {
    var rs = runes(s), items = [];
    for (var i = 0; i < rs.length;) {
      var r = rs[i];
      if (reSpace.test(r)) { i++; continue; }
      var closers = QUOTES[r];
      if (closers) {
        var j = i + 1;
        while (j < rs.length && closers.indexOf(rs[j]) < 0) j++;
        items.push({ text: rs.slice(i + 1, j).join(""), phrase: true, glued: i > 0 && !reSpace.test(rs[i - 1]) });
        i = j + 1;
        continue;
      }
      var k = i;
      while (k < rs.length && !reSpace.test(rs[k]) && !QUOTES[rs[k]]) k++;
      items.push({ text: rs.slice(i, k).join("") });
      i = k;
    }
    return items;
  }

  function splitFilter(w) {
    var m = /[:：]/.exec(w);
    if (!m || m.index <= 0) return null;
    var field = FILTER_KEYS[normalize(w.slice(0, m.index))];
    return field ? { field: field, value: w.slice(m.index + 1) } : null;
  }

  function addFilter(q, field, value) {
    var values = value.split(/[,，、]/).map(normalize).filter(Boolean);
    if (!values.length) return;
    for (var i = 0; i < q.filters.length; i++) {
      if (q.filters[i].field === field) { q.filters[i].values = q.filters[i].values.concat(values); return; }
    }
    q.filters.push({ field: field, values: values });
  }

  function SynonymTable(groups) {
    this.alts = new Map(); this.byKey = new Map(); this.byChar = new Map(); this.maxLen = 0;
    var self = this;
    function push(m, k, v) { var l = m.get(k); if (!l) m.set(k, l = []); if (l.indexOf(v) < 0) l.push(v); }
    (groups || []).forEach(function (g) {
      var seen = {}, words = [];
      g.forEach(function (w) { w = normalizeWord(w); if (w && !seen[w]) { seen[w] = true; words.push(w); } });
      words.forEach(function (w) { // the first word holding each CJK character (Go's addChars)
        runes(w).forEach(function (ch) { if (isCJK(ch.codePointAt(0)) && !self.byChar.has(ch)) self.byChar.set(ch, w); });
      });
      var keys = words.map(exactKey); // once per word, not per pair
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
  SynonymTable.prototype.whole = function (s) { return (this.byKey.get(exactKey(s)) || []).slice(0, MAX_VARIANTS); };
  // inner: the first longest group word inside a normalised word (Go's inner)
  SynonymTable.prototype.inner = function (r) {
    var bestAt = -1, bestLen = 0;
    for (var i = 0; i < r.length; i++) {
      for (var n = Math.min(this.maxLen, r.length - i); n >= Math.max(2, bestLen + 1); n--) {
        var a = this.alts.get(r.slice(i, i + n).join(""));
        if (a && a.length && bounded(r, i, i + n)) { bestAt = i; bestLen = n; break; }
      }
    }
    return [bestAt, bestLen];
  };
  // group: that word and its alternatives, or [] (Go's group)
  SynonymTable.prototype.group = function (w) {
    var r = runes(w), f = this.inner(r);
    if (f[0] < 0) return [];
    var word = r.slice(f[0], f[0] + f[1]).join("");
    return [word].concat(this.alts.get(word).slice(0, MAX_VARIANTS));
  };
  // holding: for a lone CJK character, the first group word holding it and
  // that word's alternatives (Go's holding)
  SynonymTable.prototype.holding = function (w) {
    var r = runes(w), word = this.byChar.get(w);
    if (r.length !== 1 || word === undefined) return [];
    return [word].concat(this.alts.get(word).slice(0, MAX_VARIANTS));
  };
  SynonymTable.prototype.part = function (w) {
    var r = runes(w), f = this.inner(r), bestAt = f[0], bestLen = f[1];
    if (bestAt < 0) return [];
    var head = r.slice(0, bestAt).join(""), tail = r.slice(bestAt + bestLen).join("");
    return this.alts.get(r.slice(bestAt, bestAt + bestLen).join("")).slice(0, MAX_VARIANTS).map(function (a) { return head + a + tail; });
  };

  function bounded(r, i, j) {
    function wordy(c) { var cp = c.codePointAt(0); return isWordRune(cp) && !isCJK(cp); }
    if (wordy(r[i]) && i > 0 && wordy(r[i - 1])) return false;
    if (wordy(r[j - 1]) && j < r.length && wordy(r[j])) return false;
    return true;
  }

  function dedupe(list) { var out = []; list.forEach(function (s) { if (out.indexOf(s) < 0) out.push(s); }); return out; }

  // variantOfTokens: filler is meta.relax.filler, for the loose terms
  function variantOfTokens(toks, filler) {
    var v = { terms: toks.map(function (t) { return t.term; }), char: false, prefix: false, loose: 0, looseTerms: null, adjacent: false };
    var bigrams = 0;
    toks.forEach(function (t) { if (t.kind === KIND_BIGRAM && t.run === toks[0].run) bigrams++; });
    v.char = toks.length === 1 && toks[0].kind === KIND_UNIGRAM;
    v.adjacent = toks.length > 1 && bigrams < toks.length;
    if (bigrams === toks.length && bigrams >= MIN_LOOSE_BIGRAMS) {
      var lt = looseTerms(v.terms, filler || []);
      if (lt.length >= 2) {
        v.looseTerms = lt;
        v.loose = Math.floor((lt.length * LOOSE_SHARE + 9) / 10);
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

  function variantOf(text, filler) { var t = analyze(text); return t.length ? variantOfTokens(t, filler) : null; }

  function runClauses(text, filler) {
    var toks = analyze(text), out = [];
    for (var i = 0; i < toks.length;) {
      var j = i;
      while (j < toks.length && toks[j].run === toks[i].run) j++;
      var run = toks.slice(i, j);
      var c = { text: text.slice(run[0].s, run[run.length - 1].e), phrase: false, variants: [variantOfTokens(run, filler)] };
      var num = chineseNumeral(c.text);
      if (num) c.variants.push(variantOf(num, filler));
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

  function clausesOf(words, syn, filler) {
    var out = [];
    for (var i = 0; i < words.length;) {
      var n = 0, alts = [];
      for (var k = Math.min(MAX_SYNONYM_WORDS, words.length - i); k >= 1; k--) {
        var a = syn.whole(words.slice(i, i + k).join(" "));
        if (a.length) { n = k; alts = a; break; }
      }
      if (!n) { n = 1; alts = syn.part(normalizeWord(words[i])); }
      var numw = withNumerals(words[i]);
      if (n === 1 && alts.length && numw !== words[i]) alts = [numw].concat(alts);
      var text = words.slice(i, i + n).join(" ");
      i += n;
      if (!alts.length) { out = out.concat(runClauses(text, filler)); continue; }
      var c = { text: text, phrase: false, variants: [] };
      var all = [text].concat(alts);
      for (var x = 0; x < all.length; x++) {
        var v = variantOf(all[x], filler);
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
  // words are taken out of the words: see search/relax.go).
  function parse(raw, syn, rel) {
    var s = sanitize(raw);
    var n = runes(s).length;
    if (n > MAX_QUERY_RUNES) throw new QueryError("the query is too long: " + n + " characters, at most " + MAX_QUERY_RUNES);
    var q = { text: s, clauses: [], filters: [], exact: "", prefer: [], any: false, items: [] };
    var items = scan(s), texts = [], apart = false;
    for (var i = 0; i < items.length; i++) {
      var it = items[i];
      if (it.phrase) { texts.push(it.text); q.items.push(it); continue; }
      var f = splitFilter(it.text);
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
    var taken = takeTypeWords(q.items, rel, syn);
    q.items = taken.items; q.prefer = taken.types;
    q.clauses = itemClauses(q.items, syn, rel.filler);
    markPrefix(q.clauses, s);
    markPinyin(q.clauses);
    if (q.clauses.length > MAX_CLAUSES) throw new QueryError("the query has too many words: " + q.clauses.length + ", at most " + MAX_CLAUSES);
    if (q.clauses.length) q.exact = exactKey(texts.join(" "));
    return q;
  }

  function phraseClause(text) {
    var c = { text: text, phrase: true, variants: [] }, v = variantOf(text);
    if (v) { v.loose = 0; v.looseTerms = null; v.adjacent = v.terms.length > 1; c.variants.push(v); }
    return c;
  }

  // itemClauses: consecutive words together (synonyms of several words),
  // each phrase alone; no clause twice.
  function itemClauses(items, syn, filler) {
    var cs = [], words = [];
    function flush() { cs = cs.concat(clausesOf(words, syn, filler)); words = []; }
    items.forEach(function (it) {
      if (it.phrase || it.apart) flush();
      if (it.phrase) cs.push(phraseClause(it.text));
      else words.push(it.text);
    });
    flush();
    return dedupeClauses(cs);
  }

  // dedupeClauses drops clauses without variants and repeats of a clause.
  function dedupeClauses(cs) {
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
  function takeTypeWords(items, rel, syn) {
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
      var k = exactKey(w);
      for (var i = 0; i < tw.length; i++) if (!isCJKWord(tw[i][0]) && exactKey(tw[i][0]) === k) { add(tw[i][1]); return true; }
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

  function latinFiller(filler) {
    return function (w) {
      var k = exactKey(w);
      return filler.some(function (f) { return !isCJKWord(f) && exactKey(f) === k; });
    };
  }

  function relaxedCopy(q, cs, items) {
    return { text: q.text, clauses: cs, filters: q.filters, exact: "", prefer: q.prefer, any: false, items: items };
  }

  // relaxFiller: step 1, or null when it would change nothing or leave nothing.
  function relaxFiller(q, syn, rel) {
    var items = [], mask = fillerMask(rel.filler), latin = latinFiller(rel.filler);
    q.items.forEach(function (it) {
      if (it.phrase) items.push(it);
      else appendWords(items, cutRuns(it.text, mask, latin).filter(notLone), it.apart);
    });
    function notLone(w) { return (rel.lone || []).indexOf(w) < 0; } // Go's dropLone
    var taken = takeTypeWords(items, rel, syn), prefer = q.prefer.slice(); // a type word the filler hid
    items = dropLoneItems(taken.items, rel);
    taken.types.forEach(function (t) { if (prefer.indexOf(t) < 0) prefer.push(t); });
    var cs = itemClauses(items, syn, rel.filler).slice(0, MAX_CLAUSES); // cutting fillers out of one long run makes many words
    markPrefix(cs, q.text);
    markPinyin(cs);
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
  function backoff(c, syn, rel) {
    var chars = [];
    runes(c.text).forEach(function (ch) { if (isCJK(fold(ch.codePointAt(0))) && chars.indexOf(ch) < 0) chars.push(ch); });
    if (!chars.length) return null;
    var b = { text: c.text, phrase: false, variants: [{ terms: chars, char: false, backoff: true, prefix: false, loose: 0, looseTerms: null, adjacent: false }] };
    if (c.variants.length && c.variants[0].looseTerms && c.variants[0].looseTerms.length) {
      var lt = backoffBigrams(c.variants[0].terms, rel.filler);
      if (lt.length) { b.variants[0].loose = Math.min(rel.backoffLoose, lt.length); b.variants[0].looseTerms = lt; }
    }
    var words = syn.group(normalizeWord(c.text));
    if (!words.length) words = syn.holding(normalizeWord(c.text));
    words.forEach(function (w) {
      var v = variantOf(w);
      if (v) { v.loose = 0; v.looseTerms = null; b.variants.push(v); }
    });
    return b;
  }

  function relaxAny(q) {
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

  var PINYIN_BOOST = 1;

  // markPinyin gives each clause that is one word of two or more Latin
  // letters its pinyin key, the word folded (XingTu → xingtu).
  function markPinyin(cs) {
    cs.forEach(function (c) {
      var k = c.phrase ? "" : normalize(c.text);
      c.pinyin = /^[a-z]+$/.test(k) && k.length >= 2 && k.length <= MAX_WORD_RUNES ? k : "";
    });
  }

  // ---- the index: fetched shards ------------------------------------------

  var SYNONYM_WEIGHT = 0.5, LOOSE_WEIGHT = 1, CHAR_FIELDS = { name: true, lead: true };

  // own is o[k] when o has k itself: a term such as "constructor" must not
  // find Object.prototype's in a parsed file.
  function own(o, k) { return o && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }

  function fnv(s) {
    var h = 0x811c9dc5, b = new TextEncoder().encode(s);
    for (var i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  // Engine searches one exported index; load(path) returns a promise of
  // the parsed JSON file at path, relative to the search folder.
  function Engine(load) {
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
        if (m.format !== 7) throw new Error("search index format " + m.format + ", this client reads 7");
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
    return { k: "term", field: "pinyin", term: key, boost: PINYIN_BOOST, post: postings("pinyin", key, arr) };
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
      var table = new SynonymTable(order.map(function (i) { return byIndex.get(i); }));
      table.indexes = order; // each group's index in the whole list: its g/ file
      table.groups = order.map(function (i) { return byIndex.get(i); });
      return table;
    });
  };

  Engine.prototype.run = function (req, syn) {
    var self = this, meta = this.meta, N = meta.docs, rel = meta.relax;
    var q = parse(req.q || "", syn, rel);
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
        syn.groups[n].forEach(function (w) { analyze(normalizeWord(w)).forEach(function (t) { ts.add(t.term); }); });
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
        var w = i > 0 ? SYNONYM_WEIGHT : 1;
        if (v.backoff) v.terms.forEach(function (t) { leaves.push(term("chars", t, rel.backoffBoost * w)); });
        else fieldsList.forEach(function (f, j) {
          if (!v.char || CHAR_FIELDS[f]) leaves.push(leaf(v, f, meta.boosts[j] * w));
        });
        if (v.loose > 0) {
          leaves.push({ k: "disj", min: v.loose, kids: v.looseTerms.map(function (t) {
            return { k: "disj", min: 0, kids: fieldsList.map(function (f, j) { return term(f, t, meta.boosts[j] * w * LOOSE_WEIGHT); }) };
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
        var b = backoff(c, syn, rel);
        if (!b) return;
        var piece = heldPiece(c);
        if (piece) { var v = variantOf(piece, rel.filler); v.loose = 0; v.looseTerms = null; b.variants.push(v); }
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
          var v = variantOf(part.join(""), rel.filler);
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
        var nq = n === 1 ? relaxFiller(cur, syn, rel) : n === 2 ? relaxChars(cur) : relaxAny(cur);
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
          var toks = analyze(d.text || ""), count = new Map();
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

  // ---- snippets -----------------------------------------------------------

  var SNIPPET_RUNES = 100;

  function escapeHTML(s) {
    return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" }[c]; });
  }

  // marks lists [start, end, clause] UTF-16 ranges of text matching the
  // query: a variant's terms, a loose term, a lone character, a prefix, a
  // character of a relaxed word.
  function marks(q, text) {
    var toks = analyze(text), out = [];
    q.clauses.forEach(function (c, ci) {
      c.variants.forEach(function (v) {
        if (v.backoff) { // characters, wherever they stand
          v.terms.forEach(function (ch) {
            for (var at = text.indexOf(ch); at >= 0; at = text.indexOf(ch, at + ch.length)) out.push([at, at + ch.length, ci]);
          });
          return;
        }
        var terms = v.terms.concat(v.looseTerms || []);
        toks.forEach(function (t) {
          var hit = v.char ? t.term.indexOf(v.terms[0]) >= 0 :
            v.prefix ? t.term.slice(0, v.terms[0].length) === v.terms[0] : terms.indexOf(t.term) >= 0;
          if (hit) {
            if (v.char && t.kind === KIND_BIGRAM) {
              var at = text.indexOf(v.terms[0], t.s);
              out.push([at, at + v.terms[0].length, ci]);
            } else out.push([t.s, t.e, ci]);
          }
        });
      });
    });
    return out.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }

  // snippet returns HTML: the window of text with matches of the most
  // clauses, every match in <mark>, everything escaped.
  function snippet(q, doc) {
    var best = null;
    [doc.text, doc.objection, doc.summary].forEach(function (t) {
      if (!t) return;
      var ms = marks(q, t);
      for (var i = 0; i < ms.length; i++) {
        var end = ms[i][0] + SNIPPET_RUNES * 2, seen = {}, n = 0;
        for (var j = i; j < ms.length && ms[j][1] <= end; j++) if (!seen[ms[j][2]]) { seen[ms[j][2]] = true; n++; }
        if (!best || n > best.n) best = { n: n, text: t, at: ms[i][0], marks: ms };
      }
    });
    if (!best) {
      var t0 = doc.summary || doc.text || "";
      var r = runes(t0);
      return escapeHTML(r.slice(0, SNIPPET_RUNES).join("")) + (r.length > SNIPPET_RUNES ? "…" : "");
    }
    var t = best.text, start = best.at;
    // a little context before the first match, not splitting a surrogate pair
    var back = runes(t.slice(Math.max(0, start - 40), start));
    back = back.slice(Math.max(0, back.length - 15));
    start -= back.join("").length;
    var rest = runes(t.slice(start)).slice(0, SNIPPET_RUNES).join("");
    var end = start + rest.length, html = start > 0 ? "…" : "", at = start;
    best.marks.forEach(function (m) {
      if (m[0] < at || m[1] > end) return;
      html += escapeHTML(t.slice(at, m[0])) + "<mark>" + escapeHTML(t.slice(m[0], m[1])) + "</mark>";
      at = m[1];
    });
    html += escapeHTML(t.slice(at, end)) + (end < t.length ? "…" : "");
    return html;
  }

  var api = {
    analyze: analyze, normalize: normalize, exactKey: exactKey, stem: stem, parse: parse,
    SynonymTable: SynonymTable, Engine: Engine, QueryError: QueryError, snippet: snippet,
    escapeHTML: escapeHTML, fnv: fnv
  };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }

  // ---- the page: search box in the header, results page ---------------------

  var doc = root.document;
  if (!doc) return;

  function ui() {
    var form = doc.querySelector("form.search[role=search]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var base = form.getAttribute("action"); // the search folder: index files and results page
    var L = labels(form);
    var engine = new Engine(function (path) {
      return fetch(base + path).then(function (r) {
        // 503: playbook serve is still building the index; say so
        if (r.status === 503) throw new Error(L.busy || "503 " + path);
        if (!r.ok) throw new Error(r.status + " " + path);
        return r.json();
      });
    });

    // "/" (outside fields) and Ctrl+K or ⌘K (anywhere) focus the box
    doc.addEventListener("keydown", function (e) {
      var slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey;
      var ctrlK = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey;
      if (!slash && !ctrlK) return;
      var t = e.target, tag = t && t.tagName;
      if (slash && (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable))) return;
      e.preventDefault();
      input.focus();
      input.select();
    });

    var page = doc.getElementById("search-page");
    if (page) return resultsPage(page, engine, input, L);

    var box = doc.createElement("div");
    box.className = "search-pop";
    box.id = "search-pop";
    box.hidden = true;
    box.setAttribute("role", "region");
    box.setAttribute("aria-live", "polite");
    form.appendChild(box);
    input.setAttribute("aria-controls", "search-pop");
    var state = { types: [] }, seq = 0;
    function run() {
      var q = input.value, my = ++seq;
      if (!q.trim()) { suggest(form, box, base); box.hidden = doc.activeElement !== input; return; }
      render(engine, { q: q, types: state.types, limit: 8 }, box, L, function () { return my === seq; }, function (v) {
        state.types = state.types[0] === v ? [] : [v];
        run();
      }, base + "?q=" + encodeURIComponent(q));
    }
    typing(input, function () { state.types = []; run(); });
    input.addEventListener("focus", function () { if (box.hidden) run(); });
    arrows(input, box, function () { box.hidden = true; });
    box.addEventListener("click", function (e) { if (e.target.closest && e.target.closest("a.hit")) remember(input.value); });
    form.addEventListener("submit", function () { remember(input.value); });
    doc.addEventListener("click", function (e) { if (!form.contains(e.target)) box.hidden = true; });
  }

  // typing calls run once the reader pauses typing, never while an input
  // method is composing (half-typed pinyin is no query: no "没有找到" flash).
  var TYPING_MS = 120;
  function typing(input, run) {
    var composing = false, timer = 0;
    function later() { clearTimeout(timer); timer = setTimeout(run, TYPING_MS); }
    input.addEventListener("compositionstart", function () { composing = true; clearTimeout(timer); });
    input.addEventListener("compositionend", function () { composing = false; later(); });
    input.addEventListener("input", function (e) { if (!composing && !e.isComposing) later(); });
  }

  // arrows lets the arrow keys walk from the box through every hit and
  // suggestion of list and back; Escape calls close and leaves the box
  // (from a hit: back to the box).
  function arrows(input, list, close) {
    function items() {
      return Array.prototype.filter.call(list.querySelectorAll("a.hit, .search-suggest a"), function (a) { return a.offsetParent !== null; });
    }
    function go(i) {
      var all = items();
      if (i < 0) { input.focus(); return; }
      if (i >= all.length) return;
      all[i].focus();
      all[i].scrollIntoView({ block: "nearest" });
    }
    input.addEventListener("keydown", function (e) {
      if (e.isComposing) return;
      if (e.key === "ArrowDown" && items().length) { e.preventDefault(); go(0); }
      if (e.key === "Escape") { close(); input.blur(); }
    });
    list.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        go(items().indexOf(doc.activeElement) + (e.key === "ArrowDown" ? 1 : -1));
      }
      if (e.key === "Escape") { close(); input.focus(); }
    });
  }

  // Recent searches stay on the reader's device (localStorage), newest first.
  var RECENT_KEY = "playbook-recent-searches", RECENT_MAX = 6;
  function recent() {
    try { var l = JSON.parse(root.localStorage.getItem(RECENT_KEY) || "[]"); return Array.isArray(l) ? l.filter(function (q) { return typeof q === "string"; }) : []; } catch (e) { return []; }
  }
  function remember(q) {
    q = (q || "").trim();
    if (!q) return;
    var l = recent().filter(function (x) { return x !== q; });
    l.unshift(q);
    try { root.localStorage.setItem(RECENT_KEY, JSON.stringify(l.slice(0, RECENT_MAX))); } catch (e) { /* private mode: none kept */ }
  }

  // suggest fills el, for an empty box, with the shortcut hint, the recent
  // searches and the most used objections (the header's template).
  function suggest(form, el, base) {
    el.textContent = "";
    var hint = doc.createElement("p");
    hint.className = "search-hint";
    hint.textContent = form.getAttribute("data-hint") || "";
    el.appendChild(hint);
    var qs = recent().map(function (q) { return { text: q, href: base + "?q=" + encodeURIComponent(q) }; });
    group(el, form.getAttribute("data-recent"), qs);
    var tpl = form.querySelector("template.search-objections");
    var links = tpl ? tpl.content.querySelectorAll("a") : [];
    group(el, form.getAttribute("data-objections"), Array.prototype.map.call(links, function (a) {
      return { text: a.textContent, href: a.getAttribute("href") };
    }));
  }

  function group(el, title, items) {
    if (!items.length) return;
    var sec = doc.createElement("section");
    sec.className = "search-suggest";
    var h = doc.createElement("h2");
    h.textContent = title || "";
    var ul = doc.createElement("ul");
    items.forEach(function (it) {
      var li = doc.createElement("li"), a = doc.createElement("a");
      a.href = it.href;
      a.textContent = it.text;
      li.appendChild(a);
      ul.appendChild(li);
    });
    sec.appendChild(h);
    sec.appendChild(ul);
    el.appendChild(sec);
  }

  function labels(form) {
    var L = {};
    try { L = JSON.parse(form.getAttribute("data-labels") || "{}"); } catch (e) { /* defaults */ }
    return L;
  }

  function label(L, kind, v) { return (L[kind] && L[kind][v]) || v; }

  // render runs a search and fills el with facets and hits.
  function render(engine, req, el, L, current, onFacet, more) {
    return engine.search(req).then(function (res) {
      if (!current()) return;
      reportMiss(req, res);
      return Promise.all(res.hits.map(function (h) { return engine.doc(h.doc); })).then(function (docs) {
        if (!current()) return;
        el.textContent = "";
        el.hidden = false;
        var head = doc.createElement("p");
        head.className = "search-count";
        head.textContent = (L.count || "{n}").replace("{n}", res.total);
        el.appendChild(head);
        if (res.facets.type.length > 1 || req.types.length) {
          var fs = doc.createElement("div");
          fs.className = "search-facets";
          fs.setAttribute("role", "group");
          fs.setAttribute("aria-label", L.type_label || "type");
          res.facets.type.forEach(function (f) {
            var b = doc.createElement("button");
            b.type = "button";
            b.className = "chip";
            b.setAttribute("aria-pressed", req.types.indexOf(f.value) >= 0 ? "true" : "false");
            b.setAttribute("data-type", f.value);
            b.textContent = label(L, "types", f.value) + " " + f.count;
            b.addEventListener("click", function (e) { e.stopPropagation(); onFacet(f.value, "type"); });
            fs.appendChild(b);
          });
          el.appendChild(fs);
        }
        if (req.stageFacets && (res.facets.stage.length > 1 || req.stages.length)) {
          var ss = doc.createElement("div");
          ss.className = "search-facets search-stages";
          ss.setAttribute("role", "group");
          ss.setAttribute("aria-label", L.stage_label || "stage");
          res.facets.stage.forEach(function (f) {
            var b = doc.createElement("button");
            b.type = "button";
            b.className = "chip";
            b.setAttribute("aria-pressed", req.stages.indexOf(f.value) >= 0 ? "true" : "false");
            b.setAttribute("data-stage", f.value);
            b.textContent = ((engine.meta.stages && engine.meta.stages[f.value]) || f.value) + " " + f.count;
            b.addEventListener("click", function (e) { e.stopPropagation(); onFacet(f.value, "stage"); });
            ss.appendChild(b);
          });
          el.appendChild(ss);
        }
        var ol = doc.createElement("ol");
        ol.className = "search-hits";
        el.appendChild(ol);
        inChunks(el, res.hits, current, function (h, i) {
          if (h.relaxed && (i === 0 || !res.hits[i - 1].relaxed)) {
            // close matches, after the hits with every word: say so
            if (i === 0) el.removeChild(ol);
            var note = doc.createElement("p");
            note.className = "search-relaxed";
            note.textContent = res.strict ? (L.relaxed_more || "≈") : (L.relaxed || "≈");
            el.appendChild(note);
            ol = doc.createElement("ol");
            ol.className = "search-hits";
            if (i > 0) ol.start = i + 1;
            el.appendChild(ol);
          }
          var d = docs[i], li = doc.createElement("li"), a = doc.createElement("a");
          a.className = "hit";
          a.href = d.say_url || d.url; // a script opens at its talk track
          var t = doc.createElement("span");
          t.className = "hit-title";
          t.textContent = d.title;
          var ty = doc.createElement("span");
          ty.className = "hit-type";
          ty.textContent = label(L, "types", d.type);
          var sn = doc.createElement("span");
          sn.className = "hit-snippet";
          sn.innerHTML = snippet(h.parsed, d); // built from escaped text and <mark> only; marks what h's step looked for
          a.appendChild(t); a.appendChild(ty); a.appendChild(sn);
          li.appendChild(a);
          if (d.say) li.appendChild(sayLine(d.say, L));
          ol.appendChild(li);
        });
        if (!res.hits.length) {
          var none = doc.createElement("p");
          none.className = "search-none";
          none.textContent = L.none || "—";
          el.appendChild(none);
        }
        if (more && res.total > res.hits.length) {
          var m = doc.createElement("a");
          m.className = "search-more";
          m.href = more;
          m.textContent = (L.more || "→ {n}").replace("{n}", res.total);
          el.appendChild(m);
        }
      });
    }).catch(function (err) {
      if (!current()) return;
      el.hidden = false;
      el.textContent = "";
      var p = doc.createElement("p");
      p.className = "search-error";
      p.textContent = err instanceof QueryError ? err.message : (L.error || "search unavailable") + " (" + err.message + ")";
      el.appendChild(p);
    });
  }

  // inChunks calls row for each hit: a screen's worth at once, the rest
  // in small tasks after, so that marking snippets of 50 hits never blocks
  // typing or scrolling for long. el is aria-busy until the last row, and
  // rows stop when the search is no longer current.
  var HITS_AT_ONCE = 5;
  function inChunks(el, hits, current, row) {
    var i = 0;
    function step() {
      for (var end = Math.min(hits.length, i + HITS_AT_ONCE); i < end; i++) row(hits[i], i);
      if (i < hits.length) setTimeout(function () { if (current()) step(); }, 0);
      else el.removeAttribute("aria-busy");
    }
    el.setAttribute("aria-busy", "true");
    step();
  }

  // sayLine shows a script hit's first line to say, answer first, with a
  // button that copies it (through playbook.js's copy, which falls back to
  // execCommand where the clipboard API is missing).
  function sayLine(text, L) {
    var box = doc.createElement("div"), q = doc.createElement("q"), b = doc.createElement("button");
    box.className = "hit-say";
    q.textContent = text;
    b.type = "button";
    b.className = "copy-btn copy-line";
    b.textContent = L.copy_line || "⧉";
    b.addEventListener("click", function (e) {
      e.stopPropagation();
      var copy = root.playbookCopy || function (t) { return root.navigator.clipboard.writeText(t); };
      Promise.resolve().then(function () { return copy(text); }).then(function () {
        b.textContent = L.copied || "✓";
        b.classList.add("copied");
      }, function () {
        b.textContent = L.copy_failed || "×";
      });
    });
    box.appendChild(q);
    box.appendChild(b);
    return box;
  }

  // reportMiss notes what a search found, for the editors' miss report. A
  // search with no type or stage chosen that found nothing, or only relaxed
  // hits, is a miss; it is sent once it settles — no other search for
  // MISS_SETTLE_MS, Enter on the results page, or the page left — with
  // navigator.sendBeacon to the search form's data-report (search.report_url,
  // or playbook serve's own address), at most once per query and page load.
  // Enter in the header box leaves the query to the results page it opens.
  // The body is {time, query, count, relaxed}: nothing about the reader.
  var MISS_SETTLE_MS = 1500, missState = null;
  function reportMiss(req, res) {
    var S = missState, form = doc.querySelector("form.search[role=search]");
    if (!S) {
      S = missState = { sent: {}, pending: null, timer: 0 };
      S.flush = function () {
        var m = S.pending, url = form && form.getAttribute("data-report");
        clearTimeout(S.timer);
        S.pending = null;
        if (!m || !url || S.sent[m.key] || !root.navigator.sendBeacon) return;
        S.sent[m.key] = true;
        root.navigator.sendBeacon(url, JSON.stringify({ time: new Date().toISOString(), query: m.query, count: m.count, relaxed: m.relaxed }));
      };
      if (form) form.addEventListener("submit", function (e) { if (e.defaultPrevented) S.flush(); else S.pending = null; });
      root.addEventListener("pagehide", S.flush);
    }
    // relaxed-only: hits, none holding every word (relaxedHits in
    // builder/preview/misses.go)
    var relaxed = res.total > 0 && !res.strict, q = (req.q || "").trim();
    clearTimeout(S.timer);
    S.pending = null;
    if (!q || (req.types || []).length || (req.stages || []).length || (res.total > 0 && !relaxed)) return;
    S.pending = { key: normalizeWord(q), query: q, count: relaxed ? res.total : 0, relaxed: relaxed };
    S.timer = setTimeout(S.flush, MISS_SETTLE_MS);
  }

  function resultsPage(page, engine, input, L) {
    var out = page.querySelector(".search-results") || page;
    var params = new URLSearchParams(root.location.search);
    var state = { q: params.get("q") || "", types: params.getAll("type"), stages: params.getAll("stage") };
    input.value = state.q;
    var seq = 0;
    function run() {
      var my = ++seq;
      var u = new URLSearchParams();
      if (state.q) u.set("q", state.q);
      state.types.forEach(function (t) { u.append("type", t); });
      state.stages.forEach(function (s) { u.append("stage", s); });
      root.history.replaceState(null, "", "?" + u.toString());
      if (!state.q.trim() && !state.types.length && !state.stages.length) { suggest(input.form, out, input.form.getAttribute("action")); return; }
      render(engine, { q: state.q, types: state.types, stages: state.stages, limit: 50, stageFacets: true }, out, L,
        function () { return my === seq; }, function (v, kind) {
          var list = kind === "stage" ? state.stages : state.types;
          var i = list.indexOf(v);
          if (i >= 0) list.splice(i, 1); else list.push(v);
          run();
        }, null);
    }
    typing(input, function () { state.q = input.value; run(); });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); state.q = input.value; remember(state.q); run(); });
    arrows(input, out, function () {});
    out.addEventListener("click", function (e) { if (e.target.closest && e.target.closest("a.hit")) remember(state.q); });
    run();
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ui);
  else ui();
})(typeof window !== "undefined" ? window : this);
