package search

// The static export's steps (the layout is in static.go): an exporter
// numbers the pages, reads each field's postings from bleve into the file
// families they belong to, and encodes each family and hands its files
// over as soon as nothing more goes into them (the pages' records, the
// chars field, pinyin, then the text fields pass by pass), so it never
// holds every posting list nor every file at once.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"

	index "github.com/blevesearch/bleve_index_api"
)

// termPostings maps a term to its encoded postings: a whole list, a split
// list's head, or a tail.
type termPostings map[string]json.RawMessage

// put sets term's postings, making the map on first use.
func (m *termPostings) put(term string, v json.RawMessage) {
	if *m == nil {
		*m = termPostings{}
	}
	(*m)[term] = v
}

// fieldPostings maps a field to its terms' postings: a shard's "t", a
// group's "t", an l/J.json and a tail file.
type fieldPostings map[string]termPostings

// put sets field's term, making the maps it needs.
func (m *fieldPostings) put(field, term string, v json.RawMessage) {
	if *m == nil {
		*m = fieldPostings{}
	}
	t := (*m)[field]
	t.put(term, v)
	(*m)[field] = t
}

// charPostings is c/J.json: per lone CJK character, the postings of every
// name and lead term it matches.
type charPostings map[string]fieldPostings

func (m *charPostings) put(char, field, term string, v json.RawMessage) {
	if *m == nil {
		*m = charPostings{}
	}
	f := (*m)[char]
	f.put(field, term, v)
	(*m)[char] = f
}

// prefixTerms is a shard's "x": per two leading letters, per text field,
// the terms starting with them.
type prefixTerms map[string]map[string][]string

func (m *prefixTerms) add(pre, field, term string) {
	if *m == nil {
		*m = prefixTerms{}
	}
	if (*m)[pre] == nil {
		(*m)[pre] = map[string][]string{}
	}
	(*m)[pre][field] = append((*m)[pre][field], term)
}

// shardFile is s/K.json, with its positions, p/K.json.
type shardFile struct {
	T fieldPostings `json:"t,omitempty"`
	X prefixTerms   `json:"x,omitempty"`
	// L lists the terms of the shard whose split lists are in l/J.json.
	L []string `json:"l,omitempty"`
	p fieldPostings
}

// tailFiles holds the tails of split lists by block of pages and bucket of
// terms: r/B/J.json, ur/B/J.json or q/B/J.json.
type tailFiles [][]fieldPostings

func newTailFiles(blocks, buckets int) tailFiles {
	t := make(tailFiles, blocks)
	for b := range t {
		t[b] = make([]fieldPostings, buckets)
	}
	return t
}

// put files a term's tails, one per block (nil for a block without any),
// in the term's bucket.
func (t tailFiles) put(bucket int, field, term string, tails []json.RawMessage) {
	for b, tail := range tails {
		if tail != nil {
			t[b][bucket].put(field, term, tail)
		}
	}
}

// groupFiles is g/J.json by J: group index → entry.
type groupFiles []map[string]*staticGroup

// newGroupFiles files each synonym group's terms (exportGroups), its
// postings to come.
func newGroupFiles(keys [][]string, n int) groupFiles {
	files := make(groupFiles, n)
	for i, ks := range keys {
		f := &files[i%n]
		if *f == nil {
			*f = map[string]*staticGroup{}
		}
		(*f)[strconv.Itoa(i)] = &staticGroup{K: append([]string{}, ks...), T: fieldPostings{}}
	}
	return files
}

// exporter builds the static export of one reader's snapshot.
type exporter struct {
	ctx    context.Context
	r      index.IndexReader
	tiers  tiers
	num    map[string]int // internal ID → page number, in path order
	meta   StaticMeta
	blocks int

	shards    []*shardFile
	longs     []fieldPostings // l/J.json
	tails     tailFiles       // r/B/J.json
	textTails tailFiles       // the text field's, in r/ unless meta.TextFromDocs
	textSplit []string        // the text field's terms with split lists
	chars     []charPostings  // c/J.json
	units     []termPostings  // u/J.json: the chars field
	unitTails tailFiles       // ur/B/J.json
	groups    groupFiles
	groupsOf  map[string][]int // term → the synonym groups holding it
	pinyin    []termPostings   // y/J.json
	pinTails  tailFiles        // q/B/J.json
	docFacets [][2][]int       // per page: type indexes, stage indexes

	put       func(name string, data []byte) error // serialised by putMu
	putMu     sync.Mutex
	docsDone  chan docsResult // d/N.json, made on a second core
	docs      docsResult
	docsTaken bool // docs holds what docsDone sent
}

// exportStatic encodes the export of one snapshot, handing each file to
// put as soon as it is encoded and letting go of what it was made from.
func (x *Index) exportStatic(ctx context.Context, t tiers, put func(name string, data []byte) error) (err error) {
	r, release, err := x.reader()
	if err != nil {
		return err
	}
	defer release()
	ids, num, err := numberPages(r)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	e := newExporter(ctx, x, r, t, ids, num, put)
	defer func() {
		cancel() // the pages' records stop early when the postings failed
		if werr := e.waitDocs(); err == nil {
			err = werr
		}
	}()
	for _, step := range []func() error{e.writeUnits, e.writePinyin, e.readKeywords, e.writeText} {
		if err := step(); err != nil {
			return err
		}
	}
	return e.write(x.meta.Synonyms)
}

// collectFiles gathers an export's files by path.
func collectFiles(export func(put func(string, []byte) error) error) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := export(func(name string, data []byte) error {
		files[name] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// numberPages returns the pages' paths in order and numbers them densely
// in that order, by internal ID.
func numberPages(r index.IndexReader) ([]string, map[string]int, error) {
	dr, err := r.DocIDReaderAll()
	if err != nil {
		return nil, nil, err
	}
	defer dr.Close()
	var ids []string
	internal := map[string]string{} // path → internal ID
	for {
		id, err := dr.Next()
		if err != nil {
			return nil, nil, err
		}
		if id == nil {
			break
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, nil, err
		}
		internal[ext] = string(id)
		ids = append(ids, ext)
	}
	sort.Strings(ids)
	num := make(map[string]int, len(ids))
	for i, ext := range ids {
		num[internal[ext]] = i
	}
	return ids, num, nil
}

// newExporter sizes every file family for the pages ids and starts
// writing the pages' records beside the postings.
func newExporter(ctx context.Context, x *Index, r index.IndexReader, t tiers, ids []string, num map[string]int, put func(string, []byte) error) *exporter {
	n := len(ids)
	meta := newStaticMeta(x, n, t)
	e := &exporter{ctx: ctx, r: r, tiers: t, num: num, meta: meta, blocks: t.blocks(n),
		shards: make([]*shardFile, meta.Shards), longs: make([]fieldPostings, meta.Longs),
		chars: make([]charPostings, meta.Chars), units: make([]termPostings, meta.Chars),
		pinyin: make([]termPostings, meta.Pinyin), docFacets: make([][2][]int, n),
		put: put, docsDone: make(chan docsResult, 1)}
	for i := range e.shards {
		e.shards[i] = &shardFile{}
	}
	for _, t := range []*tailFiles{&e.tails, &e.textTails, &e.unitTails, &e.pinTails} {
		*t = newTailFiles(e.blocks, meta.Buckets)
	}
	var keys [][]string
	keys, e.groupsOf = exportGroups(x.meta.Synonyms)
	e.groups = newGroupFiles(keys, meta.GroupFiles)
	go func() {
		lens, err := exportDocs(ctx, x, ids, e.putFile)
		e.docsDone <- docsResult{lens, err}
	}()
	return e
}

// putFile hands an encoded file over, one at a time: the pages' records
// are made beside the postings.
func (e *exporter) putFile(name string, data []byte) error {
	e.putMu.Lock()
	defer e.putMu.Unlock()
	return e.put(name, data)
}

// waitDocs waits for the pages' records to be written and returns their
// error; the export returns no sooner, so no file comes after it.
func (e *exporter) waitDocs() error {
	if !e.docsTaken {
		e.docs, e.docsTaken = <-e.docsDone, true
	}
	return e.docs.err
}

// newStaticMeta is meta.json but for the facet values, known once the
// postings are read.
func newStaticMeta(x *Index, n int, t tiers) StaticMeta {
	meta := StaticMeta{Format: StaticFormat, Docs: n, Shards: StaticShards(n), SynonymFiles: staticSynonymFiles,
		GroupFiles: staticGroupFiles(n), Stages: x.meta.Stages, Roles: x.meta.Roles, Block: t.block,
		Buckets: staticTailBuckets(n), TextFromDocs: !t.noTextFromDocs, Longs: staticLongFiles(n),
		DocGroup: staticDocGroup(n), Chars: staticCharFiles(n), Pinyin: staticPinyinFiles(n), Relax: staticRelax(),
		Query: staticQuery()}
	meta.Fields, meta.Boosts = fieldsAndBoosts()
	return meta
}

// postings reads the live postings of a field's term in page order, with
// field lengths and positions if asked.
func (e *exporter) postings(field, term string, withLength, vectors bool) ([]posting, error) {
	tfr, err := e.r.TermFieldReader(e.ctx, []byte(term), field, true, withLength, vectors)
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
		q, err := e.posting(p, withLength, vectors)
		if err != nil {
			return nil, fmt.Errorf("search export: %s %q: %w", field, term, err)
		}
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].doc < out[j].doc })
	return out, nil
}

func (e *exporter) posting(p *index.TermFieldDoc, withLength, vectors bool) (posting, error) {
	n, ok := e.num[string(p.ID)]
	if !ok {
		return posting{}, fmt.Errorf("posting of an unknown page")
	}
	q := posting{doc: n, freq: int(p.Freq)}
	if withLength {
		var err error
		if q.length, err = fieldLength(p.Norm); err != nil {
			return posting{}, err
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
	return q, nil
}

// eachTerm calls add with the live postings of every term of field.
func (e *exporter) eachTerm(field string, withLength, vectors bool, add func(term string, ps []posting)) error {
	terms, err := fieldTerms(e.r, field)
	if err != nil {
		return err
	}
	return e.eachOf(terms, field, withLength, vectors, add)
}

// eachOf calls add with the live postings of each of field's terms.
func (e *exporter) eachOf(terms []string, field string, withLength, vectors bool, add func(term string, ps []posting)) error {
	for _, term := range terms {
		ps, err := e.postings(field, term, withLength, vectors)
		if err != nil {
			return err
		}
		if len(ps) == 0 {
			// The dictionary of an index updated in place (Apply) keeps
			// the terms of deleted and changed pages until its segments
			// merge; they have no live postings, and a fresh index of
			// the same pages has no such term.
			continue
		}
		add(term, ps)
	}
	return nil
}

// split encodes a list with freq and len: whole, or, with at least
// tiers.min postings, its head, its tails filed in to by the term's bucket.
func (e *exporter) split(field, term string, ps []posting, to tailFiles) (enc json.RawMessage, isSplit bool) {
	if len(ps) < e.tiers.min {
		return encodePostings(ps, true), false
	}
	head, rest := encodeTiered(ps, e.tiers, e.blocks)
	if to != nil {
		to.put(ShardOf("t"+term, e.meta.Buckets), field, term, rest)
	}
	return head, true
}

// readChars reads the chars field: split like a text field's lists, in
// u/J.json and ur/B/J.json, apart from what strict queries fetch.
func (e *exporter) readChars() error {
	return e.eachTerm(fieldChars, true, false, func(term string, ps []posting) {
		enc, _ := e.split(fieldChars, term, ps, e.unitTails)
		e.units[ShardOf("u"+term, e.meta.Chars)].put(term, enc)
	})
}

// readKeywords reads the keyword fields into their shards.
func (e *exporter) readKeywords() error {
	for _, field := range keywordFields {
		if err := e.eachTerm(field, false, false, func(term string, ps []posting) { e.keywordTerm(field, term, ps) }); err != nil {
			return err
		}
	}
	return nil
}

// exportPasses is the number of passes over the text fields' terms. Pass
// q reads the terms of the shards K ≡ q (mod exportPasses) and writes
// their positions and split heads, p/K.json and l/K.json, most of the
// export, before the next pass: the export holds a share of them at once
// (all at once, they were most of its heap, a gigabyte at 50k pages).
// Shards and long files are as many, a power of two from 16 on: a
// multiple of it.
const exportPasses = 16

// writeText reads the text fields' postings, pass by pass, and writes the
// positions and split heads of each pass's shards.
func (e *exporter) writeText() error {
	if e.meta.Shards%exportPasses != 0 || e.meta.Longs%exportPasses != 0 {
		return fmt.Errorf("search export: %d shards and %d long files are not passes of %d", e.meta.Shards, e.meta.Longs, exportPasses)
	}
	terms := make([][][]string, len(textFields)) // field → pass → terms
	for i, field := range textFields {
		all, err := fieldTerms(e.r, field)
		if err != nil {
			return err
		}
		terms[i] = make([][]string, exportPasses)
		for _, term := range all {
			q := ShardOf("t"+term, e.meta.Shards) % exportPasses
			terms[i][q] = append(terms[i][q], term)
		}
	}
	for q := range exportPasses {
		for i, field := range textFields {
			if err := e.eachOf(terms[i][q], field, true, true, func(term string, ps []posting) { e.textTerm(field, term, ps) }); err != nil {
				return err
			}
			terms[i][q] = nil
		}
		if err := e.writePass(q); err != nil {
			return err
		}
	}
	return nil
}

// writePass writes p/K.json and l/K.json of the shards of pass q.
func (e *exporter) writePass(q int) error {
	for k := q; k < len(e.shards); k += exportPasses {
		if err := e.file("p/"+strconv.Itoa(k)+".json", e.shards[k].p); err != nil {
			return err
		}
		e.shards[k].p = nil
	}
	for j := q; j < len(e.longs); j += exportPasses {
		if err := e.file("l/"+strconv.Itoa(j)+".json", orEmpty(e.longs[j])); err != nil {
			return err
		}
		e.longs[j] = nil
	}
	return nil
}

// keywordTerm files a keyword value's postings in its shard, and a type
// or stage as a facet value.
func (e *exporter) keywordTerm(field, term string, ps []posting) {
	e.shards[ShardOf(field+":"+term, e.meta.Shards)].T.put(field, term, encodePostings(ps, false))
	switch field {
	case fieldType:
		e.meta.Types = e.addFacet(0, e.meta.Types, term, ps)
	case fieldStage:
		e.meta.StageValues = e.addFacet(1, e.meta.StageValues, term, ps)
	}
}

// addFacet appends a facet value to values and records it for its pages.
func (e *exporter) addFacet(dim int, values []string, value string, ps []posting) []string {
	for _, p := range ps {
		e.docFacets[p.doc][dim] = append(e.docFacets[p.doc][dim], len(values))
	}
	return append(values, value)
}

// textTerm files a text term's postings: in its shard or, split, in
// l/J.json and the tails; its positions; and where its synonym groups,
// characters and leading letters find it.
func (e *exporter) textTerm(field, term string, ps []posting) {
	s := e.shards[ShardOf("t"+term, e.meta.Shards)]
	to := e.tails
	if field == fieldText {
		// the text's tails wait for the end of the passes: only then is
		// it known whether they ship (readTextTails); most often not
		to = nil
		e.checkTextLengths(ps)
	}
	enc, isSplit := e.split(field, term, ps, to)
	if isSplit && field == fieldText {
		e.textSplit = append(e.textSplit, term)
	}
	if isSplit {
		e.longs[ShardOf("t"+term, e.meta.Longs)].put(field, term, enc)
		s.L = append(s.L, term) // once per field: deduplicated when written
	} else {
		s.T.put(field, term, enc)
	}
	s.p.put(field, term, encodePositions(ps))
	// a group term's postings go to its groups' files too (its head, when
	// split: its tails stay in r/, placed by the term as any other's)
	for _, i := range e.groupsOf[term] {
		e.groups[i%e.meta.GroupFiles][strconv.Itoa(i)].T.put(field, term, enc)
	}
	if charFields[field] {
		e.toChars(field, term, enc) // the char lists get the head too: the tails are the term's own
	}
	if len(term) >= 2 && isLower(term[0]) && isLower(term[1]) {
		pre := term[:2]
		e.shards[ShardOf("x"+pre, e.meta.Shards)].X.add(pre, field, term)
	}
}

// checkTextLengths ships the text field's tails when a page's stored text
// does not give the index's counts back.
func (e *exporter) checkTextLengths(ps []posting) {
	for _, p := range ps {
		if p.length != e.docs.lens[p.doc] {
			e.meta.TextFromDocs = false
		}
	}
}

// toChars lists a term under each lone character whose query, ^.?C.?$,
// matches it: C itself and the bigrams with C on either side, held by a
// live page (terms without one were left out).
func (e *exporter) toChars(field, term string, enc json.RawMessage) {
	rs := []rune(term)
	for i, c := range rs {
		if !isCJK(c) || len(rs) > 2 || i == 1 && rs[0] == c {
			continue
		}
		e.chars[ShardOf("c"+string(c), e.meta.Chars)].put(string(c), field, term, enc)
	}
}

// readPinyin reads the pinyin keys: y/J.json is {key: postings}, postings
// as a text field's (with freq and field length), a long list split into a
// head there and tails in q/B/J.json, {"pinyin": {key: tail}}.
func (e *exporter) readPinyin() error {
	return e.eachTerm(fieldPinyin, true, false, func(key string, ps []posting) {
		enc, _ := e.split(fieldPinyin, key, ps, e.pinTails)
		e.pinyin[ShardOf("y"+key, e.meta.Pinyin)].put(key, enc)
	})
}

// facets returns facets.json and sets meta.TypeOf.
func (e *exporter) facets() (StaticFacets, error) {
	typeOf := make([]byte, len(e.docFacets))
	sets := map[string]int{}
	var facets StaticFacets
	facets.Of = make([]int, len(e.docFacets))
	for i, f := range e.docFacets {
		typeOf[i] = '-'
		if len(f[0]) > 0 {
			if f[0][0] > 'z'-'0' {
				return facets, fmt.Errorf("search export: %d page types, at most %d", len(e.meta.Types), 'z'-'0'+1)
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
	e.meta.TypeOf = string(typeOf)
	return facets, nil
}

// file encodes v and hands it over as path.
func (e *exporter) file(path string, v any) error {
	if err := e.waitDocs(); err != nil { // the pages' records come first
		return err
	}
	b, err := encodeJSON(v)
	if err != nil {
		return fmt.Errorf("search export %s: %w", path, err)
	}
	return e.putFile(path, b)
}

// orEmpty gives a file without entries as {}: every listed file exists.
func orEmpty[M ~map[K]V, K comparable, V any](m M) M {
	if m == nil {
		return M{}
	}
	return m
}

// write encodes the files the passes over the postings left: the
// shards, the tails, the groups and characters, then meta.json,
// facets.json and the synonyms (written last: the postings decide the
// facets and whether the text's tails ship).
func (e *exporter) write(synonyms [][]string) error {
	for _, step := range []func() error{e.writeShards, e.writeTails, e.writeGroups, e.writeChars} {
		if err := step(); err != nil {
			return err
		}
	}
	facets, err := e.facets()
	if err != nil {
		return err
	}
	if err := e.file("meta.json", e.meta); err != nil {
		return err
	}
	if err := e.file("facets.json", facets); err != nil {
		return err
	}
	for j, g := range exportSynonyms(synonyms) {
		if err := e.file("w/"+strconv.Itoa(j)+".json", g); err != nil {
			return err
		}
	}
	return nil
}

// writeShards writes s/K.json. Each "x" list is in dictionary order, as
// one pass over a field would have listed it.
func (e *exporter) writeShards() error {
	for i, s := range e.shards {
		s.L = dedupeSorted(s.L)
		for _, byField := range s.X {
			for _, terms := range byField {
				sort.Strings(terms)
			}
		}
		if err := e.file("s/"+strconv.Itoa(i)+".json", s); err != nil {
			return err
		}
		e.shards[i] = nil
	}
	return nil
}

func (e *exporter) writeGroups() error {
	for j, g := range e.groups {
		if err := e.file("g/"+strconv.Itoa(j)+".json", orEmpty(g)); err != nil {
			return err
		}
		e.groups[j] = nil
	}
	return nil
}

// writeChars writes c/J.json.
func (e *exporter) writeChars() error {
	for j, c := range e.chars {
		if err := e.file("c/"+strconv.Itoa(j)+".json", orEmpty(c)); err != nil {
			return err
		}
		e.chars[j] = nil
	}
	return nil
}

// writeUnits reads the chars field and writes u/J.json and ur/B/J.json.
func (e *exporter) writeUnits() error {
	if err := e.readChars(); err != nil {
		return err
	}
	for j, u := range e.units {
		if err := e.file("u/"+strconv.Itoa(j)+".json", orEmpty(u)); err != nil {
			return err
		}
		e.units[j] = nil
	}
	for b := range e.unitTails {
		for j, t := range e.unitTails[b] {
			if err := e.file(tailFile("ur", b, j), orEmpty(t)); err != nil {
				return err
			}
			e.unitTails[b][j] = nil
		}
	}
	return nil
}

// readTextTails reads the text field's tails again when they ship: they
// were left out of the passes, which would otherwise have held them all
// (a quarter of a gigabyte at 50k pages) to find out at the end that the
// client counts them in the pages' texts.
func (e *exporter) readTextTails() error {
	for _, term := range e.textSplit {
		ps, err := e.postings(fieldText, term, true, false)
		if err != nil {
			return err
		}
		_, rest := encodeTiered(ps, e.tiers, e.blocks)
		e.textTails.put(ShardOf("t"+term, e.meta.Buckets), fieldText, term, rest)
	}
	e.textSplit = nil
	return nil
}

// writeTails writes r/B/J.json, with the text field's tails unless the
// client counts them in the pages' texts.
func (e *exporter) writeTails() error {
	if !e.meta.TextFromDocs {
		if err := e.readTextTails(); err != nil {
			return err
		}
	}
	for b := range e.tails {
		for j, t := range e.tails[b] {
			if text := e.textTails[b][j]; !e.meta.TextFromDocs && text != nil {
				t = orEmpty(t)
				t[fieldText] = text[fieldText]
			}
			if err := e.file(tailFile("r", b, j), orEmpty(t)); err != nil {
				return err
			}
			e.tails[b][j], e.textTails[b][j] = nil, nil
		}
	}
	return nil
}

// writePinyin reads the pinyin keys and writes y/J.json and q/B/J.json.
func (e *exporter) writePinyin() error {
	if err := e.readPinyin(); err != nil {
		return err
	}
	for j, y := range e.pinyin {
		if err := e.file("y/"+strconv.Itoa(j)+".json", orEmpty(y)); err != nil {
			return err
		}
		e.pinyin[j] = nil
	}
	for b := range e.pinTails {
		for j, t := range e.pinTails[b] {
			if err := e.file(pinyinTailFile(b, j), orEmpty(t)); err != nil {
				return err
			}
			e.pinTails[b][j] = nil
		}
	}
	return nil
}
