package preview

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/playbook-sales/playbook/search"
)

// liveIndex keeps serve's search in step with its builds: a bleve index
// for /api/search, updated in place page by page after each save, and the
// static search's files the theme's search box reads, exported from it
// once saves pause. Server hands it each build's documents (queue) and
// asks it (search, static); it never waits on it.
type liveIndex struct {
	index atomic.Pointer[search.Index]
	// static holds the static search's files (render.IsStaticSearchData)
	// exported from index, keyed by their path under search/.
	static atomic.Pointer[map[string][]byte]
	// failed is set while the last index build or export failed (serve's
	// log says why), so search is not said to be coming.
	failed atomic.Bool

	reindex chan searchInput // the latest documents to index; capacity 1
	root    string           // temporary folder holding the search indexes
	dir     string           // the index in use, under root
	count   int              // indexes built so far, to name the next folder
	meta    search.Meta      // the options the index was built with (search.OptionsMeta)
	indexed map[string]search.Doc
	mu      sync.Mutex // guards the five above: indexing against close
}

// searchInput is what one build gives search: its documents and options.
type searchInput struct {
	docs []search.Doc
	opts []search.Option
}

// searchQuiet is how long saves must stop before the static search's files
// are exported again. Exporting reads the whole index (seconds at 10,000
// pages), and on a small machine doing it while an author saves again and
// again would slow down the reloads; the search box catches up once they
// pause. /api/search is up to date as soon as the page is.
const searchQuiet = time.Second

// loop keeps the search index in step with the builds, off the build
// path: the page reloads first, search follows a moment later.
func (x *liveIndex) loop(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case in := <-x.reindex:
			if x.indexNow(in) {
				timer.Reset(searchQuiet)
			}
		case <-timer.C:
			x.exportNow()
		}
	}
}

// indexNow brings the search index up to date with the documents and
// reports whether it changed. When the index options (synonyms, stage and
// role names) are those it was built with, only the pages that differ are
// indexed again, in place; otherwise a new index is written to a new
// temporary folder: on disk, read through mmap, it costs the server a
// fraction of the memory an in-memory index of 10,000 pages would.
func (x *liveIndex) indexNow(in searchInput) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	meta := search.OptionsMeta(in.opts...)
	if cur := x.index.Load(); cur != nil && reflect.DeepEqual(meta, x.meta) {
		changed, removed := diffDocs(x.indexed, in.docs)
		if len(changed) == 0 && len(removed) == 0 {
			return false
		}
		next, err := cur.Apply(changed, removed)
		if err == nil {
			x.index.Store(next)
			for _, d := range changed {
				x.indexed[d.Path] = d
			}
			for _, p := range removed {
				delete(x.indexed, p)
			}
			retire(cur, "")
			return true
		}
		slog.Error("search index update, indexing every page", "err", err)
	}
	idx, dir, err := x.newIndex(in)
	if err != nil {
		slog.Error("search index", "err", err)
		x.failed.Store(true)
		return false
	}
	old, oldDir := x.index.Swap(idx), x.dir
	x.dir, x.meta, x.indexed = dir, meta, byPath(in.docs)
	if old != nil {
		retire(old, oldDir)
	}
	return true
}

// newIndex writes an index of every page to a new folder under root.
func (x *liveIndex) newIndex(in searchInput) (*search.Index, string, error) {
	if x.root == "" {
		root, err := os.MkdirTemp("", "playbook-serve-index-")
		if err != nil {
			return nil, "", err
		}
		x.root = root
	}
	x.count++
	dir := filepath.Join(x.root, strconv.Itoa(x.count))
	if err := search.Build(dir, in.docs, in.opts...); err != nil {
		return nil, "", err
	}
	idx, err := search.OpenWritable(dir)
	return idx, dir, err
}

// retireAfter is how long a replaced index stays open for searches in
// flight (they take milliseconds). Each one pins its snapshot of the
// index, segments included, so while saves come every second a long wait
// holds many of them in memory.
const retireAfter = 2 * time.Second

// retire closes an index that is no longer current once searches in
// flight are done with it, and removes its folder when it has one.
func retire(x *search.Index, dir string) {
	time.AfterFunc(retireAfter, func() {
		x.Close()
		if dir != "" {
			os.RemoveAll(dir)
		}
	})
}

// exportNow writes the static search's files from the current index: the
// theme's search box reads them, not /api/search.
func (x *liveIndex) exportNow() {
	x.mu.Lock()
	idx := x.index.Load()
	x.mu.Unlock()
	if idx == nil {
		return
	}
	files, err := idx.ExportStatic(context.Background())
	if err != nil {
		slog.Error("static search", "err", err)
		x.failed.Store(true)
		return
	}
	x.static.Store(&files)
	x.failed.Store(false)
}

// diffDocs returns the documents of next that are new or differ from those
// indexed, and the paths of the indexed ones next no longer has.
func diffDocs(indexed map[string]search.Doc, next []search.Doc) (changed []search.Doc, removed []string) {
	seen := make(map[string]bool, len(next))
	for _, d := range next {
		seen[d.Path] = true
		if old, ok := indexed[d.Path]; !ok || !reflect.DeepEqual(old, d) {
			changed = append(changed, d)
		}
	}
	for p := range indexed {
		if !seen[p] {
			removed = append(removed, p)
		}
	}
	sort.Strings(removed)
	return changed, removed
}

func byPath(docs []search.Doc) map[string]search.Doc {
	m := make(map[string]search.Doc, len(docs))
	for _, d := range docs {
		m[d.Path] = d
	}
	return m
}

func newLiveIndex() *liveIndex { return &liveIndex{reindex: make(chan searchInput, 1)} }

// queue hands in the documents to index, replacing any it has not started on.
func (x *liveIndex) queue(in searchInput) {
	select {
	case <-x.reindex:
	default:
	}
	x.reindex <- in
}

// now indexes and exports what is queued at once, for callers that do not
// run loop.
func (x *liveIndex) now() {
	select {
	case in := <-x.reindex:
		x.indexNow(in)
		x.exportNow()
	default:
	}
}

// errSearchFailed: the index could not be built; serve's log says why.
var errSearchFailed = errors.New("the search index could not be built; serve's log says why")

// search searches the latest index. Until there is one it returns
// search.ErrNotReady.
func (x *liveIndex) search(ctx context.Context, r search.Request) (*search.Result, error) {
	idx := x.index.Load()
	switch {
	case idx != nil:
		return idx.Search(ctx, r)
	case x.failed.Load():
		return nil, errSearchFailed
	}
	return nil, search.ErrNotReady
}

// close closes the index and removes every index folder.
func (x *liveIndex) close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if idx := x.index.Swap(nil); idx != nil {
		idx.Close()
	}
	if x.root != "" {
		os.RemoveAll(x.root)
	}
}
