// Playbook static search, analysis (search/analyzer.go): tokens, stems,
// normal forms and exact keys, to the byte (TestJSAnalyzerGolden). One of
// the client's native ES modules; ui.js says how they fit.

// ---- analysis (search/analyzer.go, Analyze) ---------------------------

var reCJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
var reWord = /[\p{L}\p{N}\p{M}]/u;
var reMark = /\p{M}/u;
export const reSpace = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;
export const reControl = /[\p{Cc}\p{Cf}\uFFFD]/u;

export function fold(cp) {
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

export function isCJK(cp) {
  if (cp < 0x1100) return false;
  if (cp >= 0x4e00 && cp <= 0x9fff) return true;
  return cp === 0x30fc || reCJK.test(String.fromCodePoint(cp));
}

export function isWordRune(cp) {
  if (cp < 0x80) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39);
  return reWord.test(String.fromCodePoint(cp));
}

function isMark(cp) { return cp >= 0x300 && reMark.test(String.fromCodePoint(cp)); }
function isApostrophe(cp) { return cp === 0x27 || cp === 0x2019; }
function utf8Len(cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }
export function isSurrogate(cp) { return cp >= 0xd800 && cp <= 0xdfff; }

export const KIND_WORD = 0, KIND_BIGRAM = 1, KIND_UNIGRAM = 2;

// analyze returns tokens {term, start, end (UTF-8 bytes), pos, kind, run,
// s, e (UTF-16 offsets, for marking text in the page)}. lim is
// meta.query (search/static.go, StaticQuery): every limit, quote and
// filter name the client shares with the Go code comes from there, the
// one declaration, and is passed down as lim.
export function analyze(text, lim) {
  var out = [], runs = 0;
  var word = [], wst = 0, wnd = 0, ws = 0, we = 0;
  var cjk = 0, prevS = 0, prevE = 0, prevB = 0, prevBE = 0, prevCh = "";
  function emit(term, start, end, s, e, kind) {
    out.push({ term: term, start: start, end: end, pos: out.length + 1, kind: kind, run: runs, s: s, e: e });
  }
  function flushWord() {
    if (!word.length) return;
    var w = word.length > lim.maxWordRunes ? word.slice(0, lim.maxWordRunes) : word;
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

export function normalize(s) {
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

export function fields(s) { return s.split(reSpaceRun).filter(Boolean); }
var reSpaceRun = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/;
export function normalizeWord(w) { return fields(normalize(w)).join(" "); }
export function exactKey(s, lim) { return analyze(s, lim).map(function (t) { return t.term; }).join(" "); }

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

export function stem(word) {
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
