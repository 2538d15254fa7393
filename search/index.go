package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/playbook-sales/playbook/internal/stage"
)

// Doc is one published page as the index sees it.
type Doc struct {
	Path        string   // content path without .md: the document's ID
	URL         string   // with the site's base path, as links use it
	Type        string   // script, case, competitor, training, retro, page
	Title       string   //
	Aliases     []string // other names: URL aliases, a battlecard's competitor name
	Objection   string   // a script's objection, in the customer's words
	Answers     []string // found like an objection: a retro's problems, the symptoms reps type
	Summary     string   //
	Headings    []string //
	Body        string   // plain text of the body
	Details     []string // type fields worth finding: a case's customer, a battlecard's strengths and traps …
	Stages      []string // keys, e.g. negotiation
	Roles       []string // keys, e.g. rep
	Industries  []string //
	Regions     []string //
	Tags        []string //
	Competitors []string // competitor names the page is about or mentions in front matter
	Customer    string   // a case's customer: read in pinyin like its title (see pinyinText)
	// Say is a script's first line to say to the customer, shown (and
	// copied) in its hit; stored, not searched: the answer field is what a
	// script is found by.
	Say    string
	SayURL string // the page at its talk track, where the hit leads when Say is set
}

// Index field names. The three text fields use the zh/en analyzer and hold
// what a page is called, what it is about and what it says; keyword fields
// hold whole normalised values for filters and facets; the rest are only
// stored, for results and snippets.
const (
	fieldName = "name" // title and aliases
	fieldLead = "lead" // objection, answers, summary, headings, tags, industries, regions, competitors
	fieldText = "text" // body and details; stored for snippets
	// fieldAnswer is what a page answers: a script's objection or a
	// retro's problems (Doc.Answers), and its tags; empty for others.
	fieldAnswer = "answer"
	// fieldChars holds each CJK character of name and lead as a term of its
	// own, for words no page holds (see relaxChars): how rare a character
	// is, is its IDF here.
	fieldChars = "chars"

	fieldType       = "type"
	fieldStage      = "stage"
	fieldRole       = "role"
	fieldIndustry   = "industry"
	fieldRegion     = "region"
	fieldTag        = "tag"
	fieldCompetitor = "competitor"
	fieldExact      = "exact" // the page's names, analysed and joined: see exactKeys

	fieldTitle     = "title"
	fieldURL       = "url"
	fieldSummary   = "summary"
	fieldObjection = "objection"
	fieldSay       = "say"
	fieldSayURL    = "say_url"
)

// Format is the version of the index layout; Open refuses other versions,
// so a binary never reads an index it would misunderstand.
const Format = 6

// metaFile is written beside bleve's files in the index folder.
const metaFile = "playbook.json"

// ErrNoIndex is returned by Open when there is no index at the path, or one
// of another format; build it again.
var ErrNoIndex = errors.New("no search index")

// Meta is what an index records about itself besides its documents.
type Meta struct {
	Format   int               `json:"format"`
	Built    time.Time         `json:"built"`
	Docs     int               `json:"docs"`
	Synonyms [][]string        `json:"synonyms"`         // every group in effect: built in and the site's
	Stages   map[string]string `json:"stages,omitempty"` // key → display name; filters accept either
	Roles    map[string]string `json:"roles,omitempty"`
	Source   map[string]string `json:"source,omitempty"` // the caller's notes, e.g. a content fingerprint
}

// Option configures Build and NewMemory.
type Option func(*Meta)

// WithSynonyms sets the synonym groups in effect (default: BuiltinSynonyms).
func WithSynonyms(groups [][]string) Option {
	return func(m *Meta) { m.Synonyms = groups }
}

// WithLabels gives the display names of stage and role keys, so that
// stage:谈判 filters like stage:negotiation.
func WithLabels(stages, roles map[string]string) Option {
	return func(m *Meta) { m.Stages, m.Roles = stages, roles }
}

// WithSource records notes of the caller in the index's Meta.
func WithSource(notes map[string]string) Option {
	return func(m *Meta) { m.Source = notes }
}

// OptionsMeta is the Meta that opts give an index, but for its clock and
// document count: two indexes with equal OptionsMeta analyse and expand
// queries alike.
func OptionsMeta(opts ...Option) Meta {
	m := newMeta(0, opts)
	m.Built = time.Time{}
	return m
}

func newMeta(n int, opts []Option) Meta {
	m := Meta{Format: Format, Built: time.Now().UTC(), Docs: n, Synonyms: BuiltinSynonyms()}
	for _, o := range opts {
		o(&m)
	}
	return m
}

// Index is an open search index. It is safe for concurrent use.
type Index struct {
	bi   bleve.Index
	meta Meta
	syn  *synonymTable
	onceFacets
	pinned index.IndexReader // the snapshot searches read, for an index that Apply updates
	owner  *owner            // shared by the values of an index Apply updates
	terms  termCache         // see charQuery
}

// Meta returns what the index records about itself.
func (x *Index) Meta() Meta { return x.meta }

// Close releases the index. Of an index Apply updates, the values share
// one bleve index, closed with the last of them.
func (x *Index) Close() error {
	if x.pinned != nil {
		x.pinned.Close()
	}
	if x.owner != nil {
		x.owner.mu.Lock()
		defer x.owner.mu.Unlock()
		if x.owner.refs > 0 {
			x.owner.refs--
			return nil
		}
	}
	return x.bi.Close()
}

// Build writes an index of docs to dir, replacing whatever is there at once:
// the index is built in a temporary folder beside dir and swapped in, so a
// reader sees the old index or the new one, never a mix. The result is one
// merged segment, so its size does not depend on timing.
func Build(dir string, docs []Doc, opts ...Option) (err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	stage.Sweep(parent, buildPrefix) // what killed builds left; never a running build's
	st, err := stage.New(parent, buildPrefix)
	if err != nil {
		return fmt.Errorf("index build folder: %w", err)
	}
	defer st.Close() // after the swap, it holds the previous index
	tmp := st.Path
	docs = dedupe(docs)
	out := filepath.Join(tmp, "index")
	if len(docs) == 0 { // bleve's offline builder panics on Close without documents
		idx, err := bleve.New(out, newMapping())
		if err != nil {
			return fmt.Errorf("create index: %w", err)
		}
		if err := idx.Close(); err != nil {
			return fmt.Errorf("write index: %w", err)
		}
	} else if err := buildDocs(out, tmp, docs); err != nil {
		return err
	}
	data, err := json.MarshalIndent(newMeta(len(docs), opts), "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, metaFile), data, 0o644); err != nil {
		return err
	}
	return stage.Swap(out, dir)
}

// buildPrefix names the stage folders of Build, beside the index.
const buildPrefix = ".index-build-"

// buildDocs writes an index of docs to out with bleve's offline builder.
func buildDocs(out, tmp string, docs []Doc) error {
	// Small batches: the builder holds a whole batch of analysed documents in
	// memory; 100 instead of its default 1000 cut a 10k-page build's peak
	// RSS roughly in half at the same speed (make bench).
	b, err := bleve.NewBuilder(out, newMapping(), map[string]any{"buildPathPrefix": tmp, "batchSize": 100})
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	for _, d := range docs {
		if err := b.Index(d.Path, d.fields()); err != nil {
			b.Close()
			return fmt.Errorf("index %s: %w", d.Path, err)
		}
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	return nil
}

// Open opens the index at dir for reading. Several processes may have it
// open at once; Build may replace it meanwhile.
func Open(dir string) (*Index, error) {
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open search index %s: %w", dir, err)
	}
	return newIndex(bi, m), nil
}

// NewMemory indexes docs in memory, for the serve mode and tests.
func NewMemory(docs []Doc, opts ...Option) (*Index, error) {
	bi, err := bleve.NewUsing("", newMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultIndexType, nil) // scorch in memory: same engine as on disk
	if err != nil {
		return nil, err
	}
	docs = dedupe(docs)
	batch := bi.NewBatch()
	for _, d := range docs {
		if err := batch.Index(d.Path, d.fields()); err != nil {
			bi.Close()
			return nil, fmt.Errorf("index %s: %w", d.Path, err)
		}
	}
	if err := bi.Batch(batch); err != nil {
		bi.Close()
		return nil, err
	}
	return newIndex(bi, newMeta(len(docs), opts)), nil
}

func newIndex(bi bleve.Index, m Meta) *Index {
	return &Index{bi: bi, meta: m, syn: newSynonymTable(m.Synonyms)}
}

// dedupe keeps the last Doc of each path, in first-seen order, and drops
// docs without a path.
func dedupe(docs []Doc) []Doc {
	at := make(map[string]int, len(docs))
	out := make([]Doc, 0, len(docs))
	for _, d := range docs {
		if d.Path == "" {
			continue
		}
		if i, ok := at[d.Path]; ok {
			out[i] = d
			continue
		}
		at[d.Path] = len(out)
		out = append(out, d)
	}
	return out
}

// fields is the document bleve maps.
func (d Doc) fields() map[string]any {
	lead := make([]string, 0, 2+len(d.Answers)+len(d.Headings)+len(d.Tags)+len(d.Industries)+len(d.Regions)+len(d.Competitors))
	lead = append(append(append(lead, d.Objection), d.Answers...), d.Summary)
	lead = append(append(append(append(append(lead, d.Headings...), d.Tags...), d.Industries...), d.Regions...), d.Competitors...)
	name := append([]string{d.Title}, d.Aliases...)
	var answer []string
	if d.Objection != "" || len(d.Answers) > 0 {
		answer = append(append([]string{d.Objection}, d.Answers...), d.Tags...)
	}
	return map[string]any{
		fieldAnswer:     answer,
		fieldName:       name,
		fieldLead:       lead,
		fieldChars:      cjkChars(append(name, lead...)),
		fieldText:       append([]string{d.Body}, d.Details...),
		fieldType:       d.Type,
		fieldStage:      d.Stages,
		fieldRole:       d.Roles,
		fieldIndustry:   d.Industries,
		fieldRegion:     d.Regions,
		fieldTag:        d.Tags,
		fieldCompetitor: d.Competitors,
		fieldExact:      exactKeys(d),
		fieldTitle:      d.Title,
		fieldURL:        d.URL,
		fieldSummary:    d.Summary,
		fieldObjection:  d.Objection,
		fieldSay:        d.Say,
		fieldSayURL:     d.SayURL,
		fieldPinyin:     pinyinText(d),
	}
}

// cjkChars is every CJK character of texts, in order, separated by
// spaces: analysed, each is a term of its own.
func cjkChars(texts []string) string {
	var b strings.Builder
	for _, t := range texts {
		for _, r := range t {
			if isCJK(fold(r)) {
				b.WriteRune(r)
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// exactKeys are the names of a page a query must equal, token for token, to
// put the page first: its title, the title before a colon (东林银行 of
// "东林银行：七周上线"), each alias and an alias's last URL segment.
func exactKeys(d Doc) []string {
	var keys []string
	add := func(s string) {
		if k := exactKey(s); k != "" {
			keys = append(keys, k)
		}
	}
	add(d.Title)
	if i := strings.IndexAny(d.Title, ":："); i > 0 {
		add(d.Title[:i])
	}
	for _, a := range d.Aliases {
		add(a)
		if seg := lastSegment(a); seg != a {
			add(seg)
		}
	}
	return keys
}

func lastSegment(p string) string {
	p = strings.Trim(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// exactKey is the analysed terms of s joined by spaces.
func exactKey(s string) string {
	toks := analyze(s)
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = t.Term
	}
	return strings.Join(terms, " ")
}

// newMapping is the index mapping: only the fields above, no _all field,
// term vectors on every text field (phrases and snippets need positions).
func newMapping() *mapping.IndexMappingImpl {
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = AnalyzerName
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = true
		f.DocValues = false
		return f
	}
	chars := func() *mapping.FieldMapping { // no phrase reaches it: no positions
		f := text(false)
		f.IncludeTermVectors = false
		return f
	}
	keyword := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = KeywordAnalyzerName
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index, f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, true, false, false, false
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	add := func(name string, f *mapping.FieldMapping) { dm.AddFieldMappingsAt(name, f) }
	add(fieldName, text(false))
	add(fieldLead, text(false))
	add(fieldText, text(true))
	add(fieldAnswer, text(false))
	add(fieldChars, chars())
	add(fieldType, keyword(true, true))
	add(fieldStage, keyword(false, true))
	for _, f := range []string{fieldRole, fieldIndustry, fieldRegion, fieldTag, fieldCompetitor, fieldExact} {
		add(f, keyword(false, false))
	}
	for _, f := range []string{fieldTitle, fieldURL, fieldSummary, fieldObjection, fieldSay, fieldSayURL} {
		add(f, stored())
	}
	add(fieldPinyin, pinyinMapping())
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	m := bleve.NewIndexMapping()
	m.DefaultMapping = dm
	m.DefaultAnalyzer = AnalyzerName
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	m.ScoringModel = scoringModel
	return m
}
