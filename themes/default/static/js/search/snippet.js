// Playbook static search, snippets: the window of a page's text with
// matches of the most clauses, marked. One of the client's modules; see
// ui.js.

import { KIND_BIGRAM, analyze } from "./analyze.js";
import { runes } from "./query.js";

// ---- snippets -----------------------------------------------------------

export function escapeHTML(s) {
  return s.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" }[c]; });
}

// marks lists [start, end, clause] UTF-16 ranges of text matching the
// query: a variant's terms, a loose term, a lone character, a prefix, a
// character of a relaxed word.
function marks(q, text, lim) {
  var toks = analyze(text, lim), out = [];
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
export function snippet(q, doc, lim) {
  var best = null;
  [doc.text, doc.objection, doc.summary].forEach(function (t) {
    if (!t) return;
    var ms = marks(q, t, lim);
    for (var i = 0; i < ms.length; i++) {
      var end = ms[i][0] + lim.snippetRunes * 2, seen = {}, n = 0;
      for (var j = i; j < ms.length && ms[j][1] <= end; j++) if (!seen[ms[j][2]]) { seen[ms[j][2]] = true; n++; }
      if (!best || n > best.n) best = { n: n, text: t, at: ms[i][0], marks: ms };
    }
  });
  if (!best) {
    var t0 = doc.summary || doc.text || "";
    var r = runes(t0);
    return escapeHTML(r.slice(0, lim.snippetRunes).join("")) + (r.length > lim.snippetRunes ? "…" : "");
  }
  var t = best.text, start = best.at;
  // a little context before the first match, not splitting a surrogate pair
  var back = runes(t.slice(Math.max(0, start - 40), start));
  back = back.slice(Math.max(0, back.length - 15));
  start -= back.join("").length;
  var rest = runes(t.slice(start)).slice(0, lim.snippetRunes).join("");
  var end = start + rest.length, html = start > 0 ? "…" : "", at = start;
  best.marks.forEach(function (m) {
    if (m[0] < at || m[1] > end) return;
    html += escapeHTML(t.slice(at, m[0])) + "<mark>" + escapeHTML(t.slice(m[0], m[1])) + "</mark>";
    at = m[1];
  });
  html += escapeHTML(t.slice(at, end)) + (end < t.length ? "…" : "");
  return html;
}
