// Package search is Playbook's full-text search: a bleve index of the
// published pages, a query language for reps, ranking, snippets and an HTTP
// handler. The same analysis and the same scores are meant to be reproduced
// by the static search client from exported postings; this package
// documents them exactly, and its tests pin them down.
//
// # Index
//
// Build writes the index of a list of Doc (the builder passes the pages a
// build publishes) to a folder, atomically; Open reads it, and needs nothing
// but this package linked in (it registers its analyzers with bleve).
// playbook build puts it at SITE/.playbook/index; NewMemory keeps one in
// memory. Each page is four text fields — name (title, aliases), answer (a
// script's objection and tags), lead (objection, summary, headings, tags,
// industries, regions, competitors) and text (body, type-specific fields
// such as a battlecard's traps) — with term vectors and no _all field, the
// chars field (each CJK character of name and lead, for relaxed queries),
// keyword fields for filters and facets (type, stage, role, tag, industry,
// region, competitor), stored fields for results and snippets, and the
// pinyin keys of the page's names (see pinyin.go).
//
// # Analysis
//
// One analyzer for Chinese and English (Analyze): width folding, lower
// case, words of letters and digits stemmed with Porter when plain a–z,
// and CJK text as overlapping bigrams, a lone CJK character as itself. The
// rules are listed on Analyze; testdata/tokens.golden holds their output
// for the client's tests.
//
// # Queries
//
// Every word must match; "quoted words" match as a phrase; key:value
// filters (type, stage, role, tag, industry, region, competitor); anything
// else is only a separator, so no input is a syntax error (see Query). A
// run of Chinese characters matches where its bigrams are all in one field,
// and loosely, ranked lower, where most of its two-character words are
// (续约降价 finds 续约…降价). A number typed in digits also matches its
// Chinese numeral (90 finds 九十). A lone character matches any term containing it
// in a page's name or lead. The last a–z word also matches as a prefix.
// Words of a synonym group (synonyms.yaml, built in, plus a site's own
// SITE/synonyms.yaml, stored in the index) match each other, ranked below
// the words typed. A word of Latin letters also matches the pages whose
// title, aliases, tags or competitor names read so in pinyin: in full, by
// first letters or in between (xingtu, xt, xingt for 星图). A page whose
// title, title before a colon, alias or competitor name equals the query
// comes first. A type word (案例, 话术 …, case, script …) is a preference
// for pages of that type, not a word to find.
//
// # Relaxation
//
// A query that fewer than RelaxBelow pages match is searched again, looser,
// in steps (relax.go): without question and filler words, then with a word
// no page holds backed off to its characters by their IDF, then with any
// word matching. The pages each step adds come after those found before,
// marked with the step (Hit.Relaxed). A word of Latin letters keeps its
// pinyin key in every step: a page holding it as pinyin holds the word.
//
// # Ranking
//
// bleve's TF-IDF over the query tree described in search.go, with field
// boosts name 10, answer 3, lead 3, text 1. Ties are broken by path. testdata/
// queries.yaml holds rep-style queries against the sample site and
// TestQuality keeps their MRR@10 above a floor.
//
// # Results
//
// Search returns the total, the best hits with an HTML snippet (matches in
// <mark>, the rest escaped) and facet counts by type and stage; a filtered
// dimension is counted without its own filter. Handler serves the same as
// JSON at /api/search; a query that cannot be searched (empty, longer than
// MaxQueryRunes, more than MaxClauses words) is a *QueryError, which the
// handler answers with 400.
package search
