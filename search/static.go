package search

// Static export: the index's term dictionary and postings written as JSON
// files a browser fetches piecemeal, so search works on any static host.
// The bleve index stays the source of truth: everything here is read back
// from it through bleve's reader API, so the static client sees exactly the
// terms, frequencies and norms bleve scores with.
//
// Layout (under the site's search/ folder):
//
//	meta.json   docs, shard count, stage/role labels,
//	            facet values and each page's type, tail block and buckets
//	facets.json each page's stages, for the results page's stage facet
//	s/K.json    posting shard K: {"t": {field: {term: postings}},
//	            "x": {pre: {field: [term …]}}, "l": [term …]}
//	w/J.json    [[index, synonym group] …] of the groups with a word or a
//	            word's key starting with a character in J
//	g/J.json    {I: {"k": [term …], "t": {field: {term: postings}}}}:
//	            the text postings (a split list's head) of the terms of
//	            synonym group I's words, J = I mod meta.groupFiles
//	            (see staticGroupFiles)
//	l/J.json    {field: {term: head}}: the heads of the split lists of the
//	            terms in J, which their shards list under "l"
//	c/J.json    {char: {field: {term: postings}}} of the lone characters in J
//	y/J.json    {key: postings} of the pinyin keys in J (see pinyin.go)
//	q/B/J.json  tails of the split pinyin postings, as r/B/J.json
//	u/J.json    {char: postings} of the chars field, for relaxed queries
//	ur/B/J.json the tails of the chars field's split lists, as r/B/J.json
//	p/K.json    positions of the terms of shard K, only read for phrases
//	r/B/J.json  tails of the split postings of the terms in bucket J, for
//	            the pages of block B: {field: {term: [freq, len …]}}
//	d/N.json    pages N·docGroup to N·docGroup+docGroup-1 (numbered in path
//	            order, see staticDocGroup): a list of their path, url,
//	            title, type, the stored texts snippets are cut from, and a
//	            script's first line to say with the URL of its talk track
//
// Postings are flat arrays [doc, freq, len, doc, freq, len …] with doc
// numbers delta-coded and len the field length, from which the client gets
// bleve's norm exactly: float32(1/√len). Positions are, per posting, a flat
// [arrayPosition, position …] list.
//
// A text field's list of at least tiers.min postings is split
// (encodeTiered): {"d": every doc, "h": freq and len of the head, the
// postings of highest √freq·norm, "c": the bound class of the next ones,
// "m": per class the freq and len of its best posting}. The rest, the
// tail, is in r/B/J.json, J = FNV-1a("t"+term) mod buckets, per block B of
// meta.block pages. Matching, totals, facets and positions need only the
// docs; the client scores a page with a tail posting from its class's
// bound, an upper bound, and
// fetches tails only for the pages that could then still reach its top.
// The text field's tails stay out of r/ when meta.textFromDocs: the
// client counts them in the page's stored text (d/N.json), which the
// export checked gives every page's field length back.
//
// Which shard holds what (Engine.shard in the theme's js/search/engine.js
// mirrors it):
//   - a term of a text field (name, answer, lead, text): FNV-1a("t"+term) mod K;
//   - a keyword field value (type, stage … and exact): FNV-1a(field+":"+value);
//   - c/J.json[C]: every name and lead term a lone CJK character C matches
//     (bleve's regexp ^.?C.?$: C itself and the bigrams holding C), in file
//     J = FNV-1a("c"+C) mod meta.chars, postings included;
//   - "x"[ab]: the terms of every text field starting with the two letters
//     ab, in shard FNV-1a("x"+ab), for prefix queries;
//   - y/J.json[key]: a pinyin key's postings, J = FNV-1a("y"+key) mod
//     meta.pinyin; the tails of a long list are in q/B/J.json, placed as a
//     text term's in r/ (apart, so that no other query pays for them);
//   - u/J.json[C]: the postings of C in the chars field (split like a text
//     field's), in file J = FNV-1a("u"+C) mod meta.chars: only a relaxed
//     query fetches them (see relax.go).

import (
	"context"
	"hash/fnv"
	"sort"
	"strconv"
	"unicode/utf8"
)

// StaticFormat is the version of the static export; the client checks it.
const StaticFormat = 8

// staticGroupFiles is the number of g/J.json files of an export of n
// pages: the text postings of the terms of synonym group I's words are in
// file J = I mod this, so a query whose word expands to a group fetches
// the group's terms in one request, not one shard each (价格 and its
// group's words took eight shards and four heads at 10k pages). With no
// more groups than files, a file holds one group, whose terms the query
// reads anyway; hashed, one group in eight shared its file, and a query
// paid for the other's common words (15 KB for 客户成功 上线). A small site
// has as few as it has shards: its lists are short, and 512 files, most of
// them empty, would have doubled its file count.
func staticGroupFiles(n int) int { return min(512, StaticShards(n)) }

// exportGroups returns, per synonym group, the terms its words analyse to,
// and per term the groups holding it: the keys of g/J.json.
func exportGroups(groups [][]string) ([][]string, map[string][]int) {
	keys := make([][]string, len(groups))
	of := map[string][]int{}
	for i, g := range groups {
		seen := map[string]bool{}
		for _, w := range normalizeGroup(g) {
			for _, t := range analyze(w) {
				if !seen[t.Term] {
					seen[t.Term] = true
					keys[i] = append(keys[i], t.Term)
					of[t.Term] = append(of[t.Term], i)
				}
			}
		}
	}
	return keys, of
}

// staticGroup is one group's entry in g/J.json: its terms ("k"), for each
// of which the file is authoritative (a field missing under "t" means no
// page has the term there), and their postings, a split list's head
// inline.
type staticGroup struct {
	K []string      `json:"k"`
	T fieldPostings `json:"t"`
}

// tiers decides which text postings are split into a head and tails.
// A common term's frequencies and field lengths are most of what a query
// fetches (the doc numbers alone gzip to almost nothing), yet only the
// pages that can reach the top of the list need them: the head carries the
// postings that score highest on their own, and the rest wait in tail
// files, by block of pages, until the client finds that one of their pages
// could still make the top. Every export uses defaultTiers; tests lower
// them (export_test.go) to exercise the tails on a small site.
type tiers struct {
	min   int // split lists of at least this many postings
	head  int // postings kept in the head
	upper int // tail postings after them with a bound class of their own
	block int // pages per tail block
	// noTextFromDocs ships the text field's tails too, as an export must
	// when a page's stored text does not give the index's counts back.
	noTextFromDocs bool
}

func defaultTiers() tiers { return tiers{min: 256, head: 64, upper: 256, block: 1024} }

// blocks is the number of tail blocks of an export of n pages.
func (t tiers) blocks(n int) int { return (n + t.block - 1) / t.block }

// staticTailBuckets is the number of tail files per block of pages: a
// common term's tails are in bucket FNV-1a("t"+term) mod this. A query
// fetches the tails of its own terms with those of the rest of the bucket:
// at 10k pages, a sixty-fourth of the shards (256) made that about fifteen
// other terms' tails, and a first query of two common words fetched 14 KiB
// of tails; a sixteenth makes it about four.
func staticTailBuckets(n int) int { return max(16, StaticShards(n)/16) }

// staticLongFiles is the number of l/J.json files of an export of n pages:
// the heads of the split lists, a common term's, J = FNV-1a("t"+term) mod
// this, while its shard lists the term under "l". In a shard, a common
// term's head (several KB) rode along with every query of a rare term that
// shared the shard; apart, it is fetched by the queries of that term or of
// the few other common terms in its file, at the price of a second round.
// As many files as shards: at 10k pages about 3,900 terms have split lists,
// and a quarter as many files made each carry about one other.
func staticLongFiles(n int) int { return StaticShards(n) }

// staticSynonymFiles is the number of w/J.json files.
const staticSynonymFiles = 128

// exportSynonyms returns w/J.json by J: [[index, group] …], each group
// with its index in the list (the client keeps their order, which orders a
// word's alternatives), in the files of the first character of each of
// its words and of each word's analysed key, J = FNV-1a("w"+char) mod
// staticSynonymFiles. Every word a query can be matched against (a part of
// a query word, or the key of a run of words) starts with a character of
// the query, folded as the analyzer folds it, so the files of the query's
// characters hold every group its parse can use, and their groups make the
// same table as the whole list.
func exportSynonyms(groups [][]string) [][][2]any {
	files := make([][][2]any, staticSynonymFiles)
	held := map[rune]bool{} // CJK characters whose first holding group is filed
	for i, g := range groups {
		seen := map[int]bool{}
		file := func(r rune) {
			if j := ShardOf("w"+string(r), staticSynonymFiles); !seen[j] {
				seen[j] = true
				files[j] = append(files[j], [2]any{i, g})
			}
		}
		for _, w := range g {
			w = normalizeWord(w)
			for _, key := range []string{w, exactKey(w)} {
				if r, n := utf8.DecodeRuneInString(key); n > 0 {
					file(r)
				}
			}
		}
		// holding (a lone character's back-off) reads the first group with
		// a word holding the character anywhere: file it under that character.
		for _, r := range holdsFirst(normalizeGroup(g), held) {
			file(r)
		}
	}
	for j := range files {
		if files[j] == nil {
			files[j] = [][2]any{} // every listed file exists
		}
	}
	return files
}

// holdsFirst returns the CJK characters of g's words that no earlier group
// held, marking them in held: the characters whose holding word g gives,
// as synonymTable.addChars decides it.
func holdsFirst(g []string, held map[rune]bool) []rune {
	var rs []rune
	for _, w := range g {
		for _, r := range w {
			if isCJK(r) && !held[r] {
				held[r] = true
				rs = append(rs, r)
			}
		}
	}
	return rs
}

// dedupeSorted sorts xs and drops repeats.
func dedupeSorted(xs []string) []string {
	sort.Strings(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// staticCharFiles is the number of c/J.json files of an export of n pages.
func staticCharFiles(n int) int { return max(16, StaticShards(n)/4) }

// StaticFiles lists the files of the export of n pages, by path relative
// to the search folder, in the order ExportStaticTo writes them;
// ExportStatic writes every one of them. The build knows them from the
// page count before the index exists.
func StaticFiles(n int) []string { return staticFiles(n, defaultTiers()) }

func staticFiles(n int, t tiers) []string {
	var names []string
	for i := range docFiles(n) {
		names = append(names, "d/"+strconv.Itoa(i)+".json")
	}
	for j := range staticCharFiles(n) {
		names = append(names, "u/"+strconv.Itoa(j)+".json")
	}
	names = append(names, tailNames("ur", n, t)...)
	names = append(names, staticPinyinNames(n, t)...)
	for q := range exportPasses {
		for k := q; k < StaticShards(n); k += exportPasses {
			names = append(names, "p/"+strconv.Itoa(k)+".json")
		}
		for j := q; j < staticLongFiles(n); j += exportPasses {
			names = append(names, "l/"+strconv.Itoa(j)+".json")
		}
	}
	for k := range StaticShards(n) {
		names = append(names, "s/"+strconv.Itoa(k)+".json")
	}
	names = append(names, tailNames("r", n, t)...)
	for j := range staticGroupFiles(n) {
		names = append(names, "g/"+strconv.Itoa(j)+".json")
	}
	for j := range staticCharFiles(n) {
		names = append(names, "c/"+strconv.Itoa(j)+".json")
	}
	names = append(names, "meta.json", "facets.json")
	for j := range staticSynonymFiles {
		names = append(names, "w/"+strconv.Itoa(j)+".json")
	}
	return names
}

// tailNames lists the tail files of dir, block by block.
func tailNames(dir string, n int, t tiers) []string {
	var names []string
	for b := range t.blocks(n) {
		for j := range staticTailBuckets(n) {
			names = append(names, tailFile(dir, b, j))
		}
	}
	return names
}

// A results page shows up to 50 hits, each with its page's text for the
// snippet. On a small site they are most of the pages, and one file per
// page made a results page one request per hit: there, the pages' records
// are grouped docGroupPages to a file, so a results page fetches one or
// two (eight files of seven pages made 价格's results page on the sample
// site eight requests for its pages). On a larger site the hits of one
// query are scattered, a group would cost the bytes of pages nobody asked
// for, and a page has a file of its own (a group of one).
const (
	docGroupPages    = 64  // pages per d/N.json of a site of at most docGroupMaxPages
	docGroupMaxPages = 128 // larger sites: one page per file
)

// staticDocGroup is the number of pages per d/N.json of an export of n
// pages: d/N.json holds pages N·g to N·g+g-1, in path order.
func staticDocGroup(n int) int {
	if n > docGroupMaxPages {
		return 1
	}
	return docGroupPages
}

// docFiles is the number of d/N.json files of an export of n pages.
func docFiles(n int) int {
	g := staticDocGroup(n)
	return (n + g - 1) / g
}

// tailFile is the file of the tails of a block of pages and a bucket of
// terms: in dir r for the text fields, ur for the chars field, whose lists
// only relaxed queries read.
func tailFile(dir string, block, bucket int) string {
	return dir + "/" + strconv.Itoa(block) + "/" + strconv.Itoa(bucket) + ".json"
}

// StaticShards is the number of posting shards of an export of n pages:
// the power of two at or above n (16 to 16384). A query fetches whole
// shards, so what it pays for besides its own terms is the rest of each
// shard: about one term per shard keeps that small. (Before postings were
// split into heads and tails, n/4 shards cost a first query at 10k pages a
// median of 120 KB gzip and n shards 81 KB; BENCHMARKS.md has today's.)
func StaticShards(n int) int {
	k := 16
	for k < n && k < 16384 {
		k *= 2
	}
	return k
}

// textFields are the fields exported with positions, in scoring order.
var textFields = []string{fieldName, fieldAnswer, fieldLead, fieldText}

// keywordFields are exported as postings only.
var keywordFields = []string{fieldType, fieldStage, fieldRole, fieldIndustry, fieldRegion, fieldTag, fieldCompetitor, fieldExact}

// StaticMeta is meta.json.
type StaticMeta struct {
	Format int       `json:"format"`
	Docs   int       `json:"docs"`
	Shards int       `json:"shards"`
	Fields []string  `json:"fields"` // text fields
	Boosts []float64 `json:"boosts"` // their boosts
	// SynonymFiles is the number of w/J.json files, the synonym groups
	// (see exportSynonyms): apart, since every first query fetched the
	// whole list in meta.json (5.4 KB of its 5.9 KB gzip).
	SynonymFiles int `json:"synonymFiles"`
	// GroupFiles is the number of g/J.json files (staticGroupFiles).
	GroupFiles int               `json:"groupFiles"`
	Stages     map[string]string `json:"stages,omitempty"`
	Roles      map[string]string `json:"roles,omitempty"`
	// Types and StageValues are the facet values; TypeOf has one
	// character per page: "0" + its index in Types, or "-" for none.
	// Stages per page are in facets.json, which only the results page
	// (stage facets) fetches.
	Types       []string `json:"types"`
	StageValues []string `json:"stageValues"`
	TypeOf      string   `json:"typeOf"`
	// Block and Buckets place the tails of split postings: r/B/J.json
	// holds, for the pages B·Block to (B+1)·Block-1, the tails of the
	// terms in bucket J. With TextFromDocs, the tails of the text field
	// are not there: the client counts a page's terms and length in the
	// text of d/N.json, which are the very tokens the index counted.
	Block        int  `json:"block"`
	Buckets      int  `json:"buckets"`
	TextFromDocs bool `json:"textFromDocs"`
	// Chars is the number of c/J.json files, the lists of a lone CJK
	// character: apart from the shards, whose queries would otherwise pay
	// for a common character's many bigrams riding along.
	Chars int `json:"chars"`
	// Pinyin is the number of y/J.json files, the postings of the pinyin
	// keys (see pinyin.go), fetched only for words of Latin letters.
	Pinyin int `json:"pinyin"`
	// Longs is the number of l/J.json files, the heads of the split
	// lists: apart from the shards (see staticLongFiles).
	Longs int `json:"longs"`
	// DocGroup is the number of pages per d/N.json (staticDocGroup).
	DocGroup int `json:"docGroup"`
	// Relax is what the client needs to relax a query as Index.Search
	// does.
	Relax StaticRelax `json:"relax"`
	// Query is what the client needs to analyse and parse a query, score
	// it and cut snippets as this package does.
	Query StaticQuery `json:"query"`
}

// StaticQuery is the limits, weights, fields and filter names the client
// shares with the analyzer, the parser, the scoring and the snippets, from
// their one declaration: the client declares none of them.
type StaticQuery struct {
	MaxWordRunes    int               `json:"maxWordRunes"`    // MaxWordRunes
	MaxQueryRunes   int               `json:"maxQueryRunes"`   // MaxQueryRunes
	MaxClauses      int               `json:"maxClauses"`      // MaxClauses
	MaxSynonymWords int               `json:"maxSynonymWords"` // maxSynonymWords
	MaxVariants     int               `json:"maxVariants"`     // maxVariants
	MinLooseBigrams int               `json:"minLooseBigrams"` // minLooseBigrams
	LooseShare      int               `json:"looseShare"`      // looseShare
	Quotes          map[string]string `json:"quotes"`          // quotePairs: opening quote → its closers
	FilterKeys      map[string]string `json:"filterKeys"`      // filterKeys: name typed before ":" → field
	PinyinBoost     float64           `json:"pinyinBoost"`     // pinyinBoost
	SynonymWeight   float64           `json:"synonymWeight"`   // synonymWeight
	LooseWeight     float64           `json:"looseWeight"`     // looseWeight
	CharFields      []string          `json:"charFields"`      // charFields, sorted
	SnippetRunes    int               `json:"snippetRunes"`    // snippetRunes
}

func staticQuery() StaticQuery {
	quotes := make(map[string]string, len(quotePairs))
	for open, closers := range quotePairs {
		quotes[string(open)] = closers
	}
	var chars []string
	for f := range charFields {
		chars = append(chars, f)
	}
	sort.Strings(chars)
	return StaticQuery{MaxWordRunes: MaxWordRunes, MaxQueryRunes: MaxQueryRunes, MaxClauses: MaxClauses,
		MaxSynonymWords: maxSynonymWords, MaxVariants: maxVariants, MinLooseBigrams: minLooseBigrams,
		LooseShare: looseShare, Quotes: quotes, FilterKeys: filterKeys, PinyinBoost: pinyinBoost,
		SynonymWeight: synonymWeight, LooseWeight: looseWeight, CharFields: chars, SnippetRunes: snippetRunes}
}

// StaticRelax is the relaxation's word lists and numbers (relax.go), from
// their one declaration.
type StaticRelax struct {
	Below        int         `json:"below"`        // RelaxBelow
	Filler       []string    `json:"filler"`       // fillerWords
	Lone         []string    `json:"lone"`         // loneFillers
	Types        [][2]string `json:"types"`        // typeWords: word, type
	TypeBoost    float64     `json:"typeBoost"`    // typePreference
	NameTypes    []string    `json:"nameTypes"`    // nameTypes
	Why          []string    `json:"why"`          // whyWords
	BackoffBoost float64     `json:"backoffBoost"` // backoffBoost
	BackoffLoose int         `json:"backoffLoose"` // backoffLoose
	MinHeldPiece int         `json:"minHeldPiece"` // minHeldPiece
	MaxHeldPiece int         `json:"maxHeldPiece"` // maxHeldPiece
}

func staticRelax() StaticRelax {
	return StaticRelax{Below: RelaxBelow, Filler: fillerWords, Lone: loneFillers, Types: typeWords, TypeBoost: typePreference, NameTypes: nameTypes, Why: whyWords,
		BackoffBoost: backoffBoost, BackoffLoose: backoffLoose, MinHeldPiece: minHeldPiece, MaxHeldPiece: maxHeldPiece}
}

// StaticFacets is facets.json: the distinct stage sets as lists of
// indexes into StageValues, and each page's set.
type StaticFacets struct {
	Sets [][]int `json:"sets"`
	Of   []int   `json:"of"`
}

// StaticDoc is a page's record: d/N.json is a list of them, the pages
// N·meta.docGroup onwards.
type StaticDoc struct {
	Path      string `json:"path"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Type      string `json:"type"`
	Objection string `json:"objection,omitempty"`
	Summary   string `json:"summary,omitempty"`
	Text      string `json:"text,omitempty"`
	Say       string `json:"say,omitempty"`     // a script's first line to say
	SayURL    string `json:"say_url,omitempty"` // the page at its talk track
}

type posting struct {
	doc, freq, length int
	pos               []int // array position, position, …
}

// ShardOf is the shard of a key ("t"+term, field+":"+value, "c"+char,
// "x"+two letters) among k.
func ShardOf(key string, k int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(k))
}

// ExportStatic returns the files of the static search, by path relative
// to the search folder.
func (x *Index) ExportStatic(ctx context.Context) (map[string][]byte, error) {
	return collectFiles(func(put func(string, []byte) error) error { return x.ExportStaticTo(ctx, put) })
}

// ExportStaticTo writes the files of the static search to put, by path
// relative to the search folder, as it encodes them: first the pages'
// records, then the rest in the order of StaticFiles, one call at a time.
// It keeps none of them, and drops the postings of each file once it is
// encoded, so a caller that writes each file out and lets it go holds
// about the postings of the export, not them and the files besides (at
// 10k pages the files alone were a third of a build's peak heap). The
// first error of put ends the export.
func (x *Index) ExportStaticTo(ctx context.Context, put func(name string, data []byte) error) error {
	return x.exportStatic(ctx, defaultTiers(), put)
}
