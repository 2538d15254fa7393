package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// Updating an index in place, for the serve mode: after a save only the
// pages that changed are indexed again, in milliseconds, where a new index
// of 10,000 pages takes seconds.
//
// An *Index answers from one snapshot of the documents: its facet table
// holds internal document numbers, which change with every update. So an
// update does not change an *Index; Apply returns a new one, pinned to the
// snapshot the update made, and the old one keeps answering from its own
// until its caller closes it, once searches in flight are done.

// OpenWritable opens the index at dir (written by Build) for Apply.
func OpenWritable(dir string) (*Index, error) {
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	bi, err := bleve.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open search index %s: %w", dir, err)
	}
	x := newIndex(bi, m)
	if err := x.pin(); err != nil {
		bi.Close()
		return nil, err
	}
	x.owner = &owner{}
	return x, nil
}

// readMeta reads and checks the index's playbook.json.
func readMeta(dir string) (Meta, error) {
	var m Meta
	data, err := os.ReadFile(filepath.Join(dir, metaFile))
	if errors.Is(err, os.ErrNotExist) {
		return m, fmt.Errorf("%w at %s", ErrNoIndex, dir)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Format != Format {
		return m, fmt.Errorf("%w at %s: format %d, want %d", ErrNoIndex, dir, m.Format, Format)
	}
	return m, nil
}

// owner counts the *Index values that share one bleve index through
// Apply; the last Close closes it.
type owner struct {
	mu   sync.Mutex
	refs int // values not yet closed, besides the first
}

// Apply indexes docs (new or changed pages) and deletes the pages at
// removed, and returns the index that answers with them. x must come from
// OpenWritable or an earlier Apply; it keeps answering from the documents
// it had, and must still be closed.
func (x *Index) Apply(docs []Doc, removed []string) (*Index, error) {
	if x.owner == nil {
		return nil, errors.New("search index: not opened for updates")
	}
	b := x.bi.NewBatch()
	for _, d := range dedupe(docs) {
		if err := b.Index(d.Path, d.fields()); err != nil {
			return nil, fmt.Errorf("index %s: %w", d.Path, err)
		}
	}
	for _, p := range removed {
		b.Delete(p)
	}
	if err := x.bi.Batch(b); err != nil {
		return nil, fmt.Errorf("update search index: %w", err)
	}
	n, err := x.bi.DocCount()
	if err != nil {
		return nil, err
	}
	m := x.meta
	m.Docs = int(n)
	next := newIndex(x.bi, m)
	if err := next.pin(); err != nil {
		return nil, err
	}
	x.owner.mu.Lock()
	x.owner.refs++
	x.owner.mu.Unlock()
	next.owner = x.owner
	return next, nil
}

// pin keeps the reader of the index's current snapshot for every search.
func (x *Index) pin() error {
	ai, err := x.bi.Advanced()
	if err != nil {
		return err
	}
	x.pinned, err = ai.Reader()
	return err
}

// reader returns the reader a search or export reads from and a func that
// releases it: the pinned snapshot, or bleve's current one.
func (x *Index) reader() (index.IndexReader, func(), error) {
	if x.pinned != nil {
		return x.pinned, func() {}, nil
	}
	ai, err := x.bi.Advanced()
	if err != nil {
		return nil, nil, err
	}
	r, err := ai.Reader()
	if err != nil {
		return nil, nil, err
	}
	return r, func() { r.Close() }, nil
}
