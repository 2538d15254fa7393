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
// A text field's list of at least staticTiers.min postings is split
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
// Which shard holds what (Engine.shard in the theme's search.js mirrors it):
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
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// StaticFormat is the version of the static export; the client checks it.
const StaticFormat = 7

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
	K []string                              `json:"k"`
	T map[string]map[string]json.RawMessage `json:"t"`
}

// staticTiers decides which text postings are split into a head and tails.
// A common term's frequencies and field lengths are most of what a query
// fetches (the doc numbers alone gzip to almost nothing), yet only the
// pages that can reach the top of the list need them: the head carries the
// postings that score highest on their own, and the rest wait in tail
// files, by block of pages, until the client finds that one of their pages
// could still make the top. Tests lower these to exercise the tails on a
// small site.
var staticTiers = struct {
	min   int // split lists of at least this many postings
	head  int // postings kept in the head
	upper int // tail postings after them with a bound class of their own
	block int // pages per tail block
	// noTextFromDocs ships the text field's tails too, as an export must
	// when a page's stored text does not give the index's counts back.
	noTextFromDocs bool
}{min: 256, head: 64, upper: 256, block: 1024}

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
// to the search folder; ExportStatic writes every one of them. The build
// knows them from the page count before the index exists.
func StaticFiles(n int) []string {
	names := []string{"meta.json", "facets.json"}
	for i := range StaticShards(n) {
		names = append(names, "s/"+strconv.Itoa(i)+".json", "p/"+strconv.Itoa(i)+".json")
	}
	for j := range staticCharFiles(n) {
		names = append(names, "c/"+strconv.Itoa(j)+".json", "u/"+strconv.Itoa(j)+".json")
	}
	for j := range staticSynonymFiles {
		names = append(names, "w/"+strconv.Itoa(j)+".json")
	}
	for j := range staticGroupFiles(n) {
		names = append(names, "g/"+strconv.Itoa(j)+".json")
	}
	for j := range staticLongFiles(n) {
		names = append(names, "l/"+strconv.Itoa(j)+".json")
	}
	blocks, buckets := (n+staticTiers.block-1)/staticTiers.block, staticTailBuckets(n)
	for b := range blocks {
		for j := range buckets {
			names = append(names, tailFile("r", b, j), tailFile("ur", b, j))
		}
	}
	names = append(names, staticPinyinNames(n)...)
	for i := range docFiles(n) {
		names = append(names, "d/"+strconv.Itoa(i)+".json")
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
}

// StaticRelax is the relaxation's word lists and numbers (relax.go), from
// their one declaration.
type StaticRelax struct {
	Below        int         `json:"below"`        // RelaxBelow
	Filler       []string    `json:"filler"`       // fillerWords
	Lone         []string    `json:"lone"`         // loneFillers
	Types        [][2]string `json:"types"`        // typeWords: word, type
	TypeBoost    float64     `json:"typeBoost"`    // typePreference
	BackoffBoost float64     `json:"backoffBoost"` // backoffBoost
	BackoffLoose int         `json:"backoffLoose"` // backoffLoose
	MinHeldPiece int         `json:"minHeldPiece"` // minHeldPiece
	MaxHeldPiece int         `json:"maxHeldPiece"` // maxHeldPiece
}

func staticRelax() StaticRelax {
	return StaticRelax{Below: RelaxBelow, Filler: fillerWords, Lone: loneFillers, Types: typeWords, TypeBoost: typePreference,
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

type shard struct {
	T map[string]map[string]json.RawMessage `json:"t,omitempty"`
	X map[string]map[string][]string        `json:"x,omitempty"`
	// L lists the terms of the shard whose split lists are in l/J.json.
	L []string `json:"l,omitempty"`
	p map[string]map[string]json.RawMessage
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
	r, release, err := x.reader()
	if err != nil {
		return nil, err
	}
	defer release()

	// number the pages densely in path order
	var ids []string
	num := map[string]int{} // internal ID → page number
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	internal := map[string]string{}
	for {
		id, err := dr.Next()
		if err != nil {
			dr.Close()
			return nil, err
		}
		if id == nil {
			break
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			dr.Close()
			return nil, err
		}
		internal[ext] = string(id)
		ids = append(ids, ext)
	}
	dr.Close()
	sort.Strings(ids)
	for i, ext := range ids {
		num[internal[ext]] = i
	}

	// the pages' texts on a second core while the postings are read
	docsDone := make(chan docsResult, 1)
	go func() {
		f, lens, err := exportDocs(x, ids)
		docsDone <- docsResult{f, lens, err}
	}()
	var docs *docsResult

	k := StaticShards(len(ids))
	shards := make([]*shard, k)
	for i := range shards {
		shards[i] = &shard{}
	}
	meta := StaticMeta{Format: StaticFormat, Docs: len(ids), Shards: k, SynonymFiles: staticSynonymFiles, GroupFiles: staticGroupFiles(len(ids)),
		Stages: x.meta.Stages, Roles: x.meta.Roles, Block: staticTiers.block, Buckets: staticTailBuckets(len(ids))}
	blocks := (len(ids) + meta.Block - 1) / meta.Block
	tails := make([][]map[string]map[string]json.RawMessage, blocks) // [block][bucket] → field → term → tail
	textTails := make([][]map[string]map[string]json.RawMessage, blocks)
	for b := range tails {
		tails[b] = make([]map[string]map[string]json.RawMessage, meta.Buckets)
		textTails[b] = make([]map[string]map[string]json.RawMessage, meta.Buckets)
	}
	meta.TextFromDocs = !staticTiers.noTextFromDocs
	meta.Longs = staticLongFiles(len(ids))
	longs := make([]map[string]map[string]json.RawMessage, meta.Longs) // l/J.json: field → term → head
	meta.DocGroup = staticDocGroup(len(ids))
	meta.Chars = staticCharFiles(len(ids))
	chars := make([]map[string]map[string]map[string]json.RawMessage, meta.Chars) // c/J.json: char → field → term → postings
	meta.Fields, meta.Boosts = fieldsAndBoosts()
	meta.Relax = staticRelax()
	units := make([]map[string]json.RawMessage, meta.Chars) // u/J.json: char → postings
	groupKeys, groupsOf := exportGroups(x.meta.Synonyms)
	groupFiles := make([]map[string]*staticGroup, meta.GroupFiles) // g/J.json: group index → entry
	for i, ks := range groupKeys {
		f := &groupFiles[i%meta.GroupFiles]
		if *f == nil {
			*f = map[string]*staticGroup{}
		}
		(*f)[strconv.Itoa(i)] = &staticGroup{K: append([]string{}, ks...), T: map[string]map[string]json.RawMessage{}}
	}

	read := func(field, term string, withLength, vectors bool) ([]posting, error) {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, withLength, vectors)
		if err != nil {
			return nil, err
		}
		defer tfr.Close()
		var out []posting
		for {
			p, err := tfr.Next(nil)
			if err != nil {
				return nil, err
			}
			if p == nil {
				break
			}
			n, ok := num[string(p.ID)]
			if !ok {
				return nil, fmt.Errorf("search export: %s %q: posting of an unknown page", field, term)
			}
			q := posting{doc: n, freq: int(p.Freq)}
			if withLength {
				if q.length, err = fieldLength(p.Norm); err != nil {
					return nil, fmt.Errorf("search export: %s %q: %w", field, term, err)
				}
			}
			if vectors {
				for _, v := range p.Vectors {
					ap := 0
					if len(v.ArrayPositions) > 0 {
						ap = int(v.ArrayPositions[0])
					}
					q.pos = append(q.pos, ap, int(v.Pos))
				}
			}
			out = append(out, q)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].doc < out[j].doc })
		return out, nil
	}
	put := func(m *map[string]map[string]json.RawMessage, field, term string, v json.RawMessage) {
		if *m == nil {
			*m = map[string]map[string]json.RawMessage{}
		}
		if (*m)[field] == nil {
			(*m)[field] = map[string]json.RawMessage{}
		}
		(*m)[field][term] = v
	}
	// a group term's postings go to its groups' files too (its head, when
	// split: its tails stay in r/, placed by the term as any other's)
	toGroups := func(field, term string, enc json.RawMessage) {
		for _, i := range groupsOf[term] {
			g := groupFiles[i%meta.GroupFiles][strconv.Itoa(i)]
			put(&g.T, field, term, enc)
		}
	}

	// the chars field: split like a text field's lists, in u/J.json and
	// ur/B/J.json, apart from what strict queries fetch
	unitTails := make([][]map[string]map[string]json.RawMessage, blocks)
	for b := range unitTails {
		unitTails[b] = make([]map[string]map[string]json.RawMessage, meta.Buckets)
	}
	terms, err := fieldTerms(r, fieldChars)
	if err != nil {
		return nil, err
	}
	for _, term := range terms {
		ps, err := read(fieldChars, term, true, false)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			continue // a character of pages deleted or changed in place (see below)
		}
		enc := encodePostings(ps, true)
		if len(ps) >= staticTiers.min {
			var rest []json.RawMessage
			enc, rest = encodeTiered(ps, meta.Block, blocks)
			j := ShardOf("t"+term, meta.Buckets)
			for b, tail := range rest {
				if tail != nil {
					put(&unitTails[b][j], fieldChars, term, tail)
				}
			}
		}
		u := &units[ShardOf("u"+term, meta.Chars)]
		if *u == nil {
			*u = map[string]json.RawMessage{}
		}
		(*u)[term] = enc
	}

	docFacets := make([][2][]int, len(ids)) // per page: type indexes, stage indexes
	for _, field := range append(append([]string(nil), textFields...), keywordFields...) {
		text := contains(textFields, field)
		if field == fieldText {
			d := <-docsDone
			if d.err != nil {
				return nil, d.err
			}
			docs = &d
		}
		terms, err := fieldTerms(r, field)
		if err != nil {
			return nil, err
		}
		for _, term := range terms {
			ps, err := read(field, term, text, text)
			if err != nil {
				return nil, err
			}
			if len(ps) == 0 {
				// The dictionary of an index updated in place (Apply) keeps
				// the terms of deleted and changed pages until its segments
				// merge; they have no live postings, and a fresh index of
				// the same pages has no such term.
				continue
			}
			enc := encodePostings(ps, text)
			if !text {
				put(&shards[ShardOf(field+":"+term, k)].T, field, term, enc)
				switch field {
				case fieldType:
					for _, p := range ps {
						docFacets[p.doc][0] = append(docFacets[p.doc][0], len(meta.Types))
					}
					meta.Types = append(meta.Types, term)
				case fieldStage:
					for _, p := range ps {
						docFacets[p.doc][1] = append(docFacets[p.doc][1], len(meta.StageValues))
					}
					meta.StageValues = append(meta.StageValues, term)
				}
				continue
			}
			s := shards[ShardOf("t"+term, k)]
			if len(ps) >= staticTiers.min {
				head, rest := encodeTiered(ps, meta.Block, blocks)
				enc = head // in the char lists too: the tails are the term's own
				put(&longs[ShardOf("t"+term, meta.Longs)], field, term, head)
				s.L = append(s.L, term) // once per field: deduplicated when written
				j := ShardOf("t"+term, meta.Buckets)
				to := tails
				if field == fieldText {
					to = textTails
				}
				for b, tail := range rest {
					if tail != nil {
						put(&to[b][j], field, term, tail)
					}
				}
			} else {
				put(&s.T, field, term, enc)
			}
			toGroups(field, term, enc)
			if field == fieldText {
				for _, p := range ps {
					if p.length != docs.lens[p.doc] {
						meta.TextFromDocs = false // the text does not give the index's counts back: ship the tails
					}
				}
			}
			put(&s.p, field, term, encodePositions(ps))
			if charFields[field] {
				// a lone character's query, ^.?C.?$, matches C and the
				// bigrams with C on either side, held by a live page (terms
				// without one were left out above): list them under each C
				rs := []rune(term)
				for i, c := range rs {
					if !isCJK(c) || len(rs) > 2 || i == 1 && rs[0] == c {
						continue
					}
					cf := &chars[ShardOf("c"+string(c), meta.Chars)]
					if *cf == nil {
						*cf = map[string]map[string]map[string]json.RawMessage{}
					}
					cm := (*cf)[string(c)]
					if cm == nil {
						cm = map[string]map[string]json.RawMessage{}
						(*cf)[string(c)] = cm
					}
					if cm[field] == nil {
						cm[field] = map[string]json.RawMessage{}
					}
					cm[field][term] = enc
				}
			}
			if len(term) >= 2 && isLower(term[0]) && isLower(term[1]) {
				pre := term[:2]
				xs := shards[ShardOf("x"+pre, k)]
				if xs.X == nil {
					xs.X = map[string]map[string][]string{}
				}
				if xs.X[pre] == nil {
					xs.X[pre] = map[string][]string{}
				}
				xs.X[pre][field] = append(xs.X[pre][field], term)
			}
		}
	}

	meta.Pinyin = staticPinyinFiles(len(ids))
	pinyinFiles, err := exportPinyin(r, len(ids), func(field, term string) ([]posting, error) { return read(field, term, true, false) })
	if err != nil {
		return nil, err
	}

	typeOf := make([]byte, len(ids))
	sets := map[string]int{}
	var facets StaticFacets
	facets.Of = make([]int, len(ids))
	for i, f := range docFacets {
		typeOf[i] = '-'
		if len(f[0]) > 0 {
			if f[0][0] > 'z'-'0' {
				return nil, fmt.Errorf("search export: %d page types, at most %d", len(meta.Types), 'z'-'0'+1)
			}
			typeOf[i] = byte('0' + f[0][0])
		}
		key := fmt.Sprint(f[1])
		c, ok := sets[key]
		if !ok {
			c = len(facets.Sets)
			sets[key] = c
			facets.Sets = append(facets.Sets, append([]int{}, f[1]...))
		}
		facets.Of[i] = c
	}
	meta.TypeOf = string(typeOf)

	files := map[string][]byte{}
	write := func(path string, v any) error {
		b, err := encodeJSON(v)
		if err != nil {
			return fmt.Errorf("search export %s: %w", path, err)
		}
		files[path] = b
		return nil
	}
	if err := write("meta.json", meta); err != nil {
		return nil, err
	}
	if err := write("facets.json", facets); err != nil {
		return nil, err
	}
	for i, s := range shards {
		s.L = dedupeSorted(s.L)
		if err := write("s/"+strconv.Itoa(i)+".json", s); err != nil {
			return nil, err
		}
		if err := write("p/"+strconv.Itoa(i)+".json", s.p); err != nil {
			return nil, err
		}
	}
	for j, g := range exportSynonyms(x.meta.Synonyms) {
		if err := write("w/"+strconv.Itoa(j)+".json", g); err != nil {
			return nil, err
		}
	}
	for j, g := range groupFiles {
		if g == nil {
			g = map[string]*staticGroup{}
		}
		if err := write("g/"+strconv.Itoa(j)+".json", g); err != nil {
			return nil, err
		}
	}
	for j, l := range longs {
		if l == nil {
			l = map[string]map[string]json.RawMessage{}
		}
		if err := write("l/"+strconv.Itoa(j)+".json", l); err != nil {
			return nil, err
		}
	}
	for path, v := range pinyinFiles {
		if err := write(path, v); err != nil {
			return nil, err
		}
	}
	for j, c := range chars {
		if c == nil {
			c = map[string]map[string]map[string]json.RawMessage{}
		}
		if err := write("c/"+strconv.Itoa(j)+".json", c); err != nil {
			return nil, err
		}
		u := units[j]
		if u == nil {
			u = map[string]json.RawMessage{}
		}
		if err := write("u/"+strconv.Itoa(j)+".json", u); err != nil {
			return nil, err
		}
	}
	for b := range tails {
		for j, t := range tails[b] {
			if !meta.TextFromDocs && textTails[b][j] != nil {
				if t == nil {
					t = map[string]map[string]json.RawMessage{}
				}
				t[fieldText] = textTails[b][j][fieldText]
			}
			if t == nil {
				t = map[string]map[string]json.RawMessage{} // every listed file exists
			}
			if err := write(tailFile("r", b, j), t); err != nil {
				return nil, err
			}
			u := unitTails[b][j]
			if u == nil {
				u = map[string]map[string]json.RawMessage{}
			}
			if err := write(tailFile("ur", b, j), u); err != nil {
				return nil, err
			}
		}
	}
	for p, b := range docs.files {
		files[p] = b
	}
	return files, nil
}

func encodeJSON(v any) ([]byte, error) {
	b := jsonBuffers.Get().(*bytes.Buffer)
	defer jsonBuffers.Put(b)
	b.Reset()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false) // JSON read by fetch, never inlined in HTML
	err := enc.Encode(v)
	return bytes.Clone(b.Bytes()), err
}

// jsonBuffers are encodeJSON's scratch buffers. The export keeps every file
// until it is written; a buffer's spare capacity (up to as much again as
// its bytes) kept with each made a third of the peak heap of a 10k-page
// build, so each file is kept as an exact-size copy instead.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

type docsResult struct {
	files map[string][]byte
	lens  []int // tokens of each page's text
	err   error
}

// exportDocs writes d/N.json for the pages in path order, with its own
// reader, beside the postings.
func exportDocs(x *Index, ids []string) (map[string][]byte, []int, error) {
	r, release, err := x.reader()
	if err != nil {
		return nil, nil, err
	}
	defer release()
	files := make(map[string][]byte, docFiles(len(ids)))
	lens := make([]int, len(ids))
	g := staticDocGroup(len(ids))
	group := make([]StaticDoc, 0, g)
	for i, ext := range ids {
		d, err := r.Document(ext)
		if err != nil {
			return nil, nil, err
		}
		if d == nil {
			return nil, nil, fmt.Errorf("search export: page %s has no stored fields", ext)
		}
		sd := StaticDoc{Path: ext}
		var text []string
		d.VisitFields(func(f index.Field) {
			v := string(f.Value())
			switch f.Name() {
			case fieldURL:
				sd.URL = v
			case fieldTitle:
				sd.Title = v
			case fieldType:
				sd.Type = v
			case fieldObjection:
				sd.Objection = v
			case fieldSummary:
				sd.Summary = v
			case fieldSay:
				sd.Say = v
			case fieldSayURL:
				sd.SayURL = v
			case fieldText:
				text = append(text, v)
			}
		})
		sd.Text = strings.Join(text, "\n") // a separator: no token spans two values
		lens[i] = len(analyze(sd.Text))
		group = append(group, sd)
		if len(group) < g && i < len(ids)-1 {
			continue
		}
		b, err := encodeJSON(group)
		if err != nil {
			return nil, nil, err
		}
		files["d/"+strconv.Itoa(i/g)+".json"] = b
		group = group[:0]
	}
	return files, lens, nil
}

func isLower(b byte) bool { return 'a' <= b && b <= 'z' }

func fieldsAndBoosts() ([]string, []float64) {
	var fs []string
	var bs []float64
	for _, fb := range fieldBoosts {
		fs, bs = append(fs, fb.field), append(bs, fb.boost)
	}
	return fs, bs
}

func fieldTerms(r index.IndexReader, field string) ([]string, error) {
	fd, err := r.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	var out []string
	for {
		de, err := fd.Next()
		if err != nil {
			return nil, err
		}
		if de == nil {
			return out, nil
		}
		if utf8.ValidString(de.Term) {
			out = append(out, de.Term)
		}
	}
}

// fieldLength recovers the field length from bleve's norm, 1/√length
// stored as a float32, and checks that the client can compute the very
// same norm back.
func fieldLength(norm float64) (int, error) {
	if norm <= 0 {
		return 0, fmt.Errorf("norm %v", norm)
	}
	n := int(math.Round(1 / (norm * norm)))
	for _, c := range []int{n, n - 1, n + 1} {
		if c > 0 && float64(float32(1/math.Sqrt(float64(c)))) == norm {
			return c, nil
		}
	}
	return 0, fmt.Errorf("norm %v is not 1/√n for a whole n", norm)
}

func encodePostings(ps []posting, withLength bool) json.RawMessage {
	b := []byte{'['}
	prev := 0
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(p.doc-prev), 10)
		prev = p.doc
		if withLength {
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(p.freq), 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(p.length), 10)
		}
	}
	return append(b, ']')
}

// impact is a posting's own share of its score, √freq·norm, computed as
// the client computes it (norm rounded to float32), so the client gets
// bounds that hold to the bit.
func impact(p posting) float64 {
	return math.Sqrt(float64(p.freq)) * float64(float32(1/math.Sqrt(float64(p.length))))
}

// encodeTiered splits a long text posting list: the head,
// {"d": [doc …], "h": [index, freq, len …], "c": [index, class …], "m":
// [freq, len …]}, has every doc (delta-coded), the freq and len of the
// staticTiers.head postings of highest impact (index delta-coded into d),
// the bound class (see boundClasses) of the staticTiers.upper tail postings
// of highest impact (index delta-coded into d; every other tail posting
// is in the last class), and per class the freq and len of the class's
// posting of highest impact (0, 1 for an empty class), from which the
// client bounds a tail posting until its tail is fetched. The tails,
// [freq, len …] per block in doc order, are what the head leaves out.
func encodeTiered(ps []posting, block, blocks int) (json.RawMessage, []json.RawMessage) {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return impact(ps[order[a]]) > impact(ps[order[b]]) })
	rank := make([]int, len(ps)) // place in order
	for r, i := range order {
		rank[i] = r
	}
	head, upper := staticTiers.head, staticTiers.head+staticTiers.upper
	top := 0.0 // the tail's highest impact
	if len(ps) > head {
		top = impact(ps[order[head]])
	}
	num := func(b []byte, v int) []byte {
		if len(b) > 1 {
			b = append(b, ',')
		}
		return strconv.AppendInt(b, int64(v), 10)
	}
	d, h, c := []byte{'['}, []byte{'['}, []byte{'['}
	var best [boundClasses]int // index+1 of the class's tail posting of highest impact
	rest := make([][]byte, blocks)
	prevDoc, prevHead, prevClass := 0, 0, 0
	for i, p := range ps {
		d = num(d, p.doc-prevDoc)
		prevDoc = p.doc
		if rank[i] < head {
			h = num(num(num(h, i-prevHead), p.freq), p.length)
			prevHead = i
			continue
		}
		k := boundClasses - 1
		if rank[i] < upper {
			k = min(boundClass(impact(p), top), boundClasses-2)
			c = num(num(c, i-prevClass), k)
			prevClass = i
		}
		if best[k] == 0 || impact(p) > impact(ps[best[k]-1]) {
			best[k] = i + 1
		}
		b := p.doc / block
		if rest[b] == nil {
			rest[b] = []byte{'['}
		}
		rest[b] = num(num(rest[b], p.freq), p.length)
	}
	m := []byte{'['}
	for _, i := range best {
		if i == 0 {
			m = num(num(m, 0), 1)
		} else {
			m = num(num(m, ps[i-1].freq), ps[i-1].length)
		}
	}
	out := append([]byte(`{"d":`), append(d, ']')...)
	out = append(append(out, `,"h":`...), append(h, ']')...)
	out = append(append(out, `,"c":`...), append(c, ']')...)
	out = append(append(out, `,"m":`...), append(m, ']')...)
	out = append(out, '}')
	tails := make([]json.RawMessage, blocks)
	for b, r := range rest {
		if r != nil {
			tails[b] = append(r, ']')
		}
	}
	return out, tails
}

// boundClasses is the number of classes a split list's tail postings are
// bounded by. Of the staticTiers.upper tail postings of highest impact,
// class k holds the impacts in (top·boundRatio^(k+1), top·boundRatio^k],
// class boundClasses-2 everything lower; the last class holds the rest of
// the tail. The client scores a tail posting with its class's highest
// impact, close to its own where pages rank, so few pages look as if they
// could reach the top and few tails or pages are fetched to rank them
// (with one bound per block of 1,024 pages, a common word's tails made a
// query fetch hundreds of pages). Listing the classes of the upper postings
// only keeps a common word's head small: the rest of a tail bounded by the
// (head+upper)th impact is rarely near the top.
const boundClasses = 20

const boundRatio = 0.9

// boundClass is the class of a tail posting of impact v, top the tail's
// highest impact. Any split is correct (the bound is the class's own
// highest impact); this one keeps the bounds tight where pages rank.
func boundClass(v, top float64) int {
	k := 0
	for t := top * boundRatio; k < boundClasses-1 && v <= t; t *= boundRatio {
		k++
	}
	return k
}

func encodePositions(ps []posting) json.RawMessage {
	b := []byte{'['}
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, v := range p.pos {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(v), 10)
		}
		b = append(b, ']')
	}
	return append(b, ']')
}
