package render

// The static search step: the build's search index (builder/searchindex.go) is
// exported into public/search/ (search.ExportStatic) for the theme's
// search client. The site is rendered while the index is being built, so
// the outputs here wait for the index to be written, then take the
// export's files one by one as it streams them (StaticSearch.take).

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/playbook-sales/playbook/builder/theme"
	"github.com/playbook-sales/playbook/search"
)

// KindSearch is the layout of the results page.
const KindSearch = "search"

// StaticSearchDir is the folder of the static search under the output.
const StaticSearchDir = "search/"

// StaticSearch is the hand-over from the index build to the outputs.
type StaticSearch struct {
	once  sync.Once
	ready chan struct{} // closed when the index is written (or failed)
	dir   string        // the index
	err   error

	export  sync.Once
	ended   chan struct{} // closed when the export has closed the index
	mu      sync.Mutex
	change  *sync.Cond        // a file exported or taken, a taker waiting, the end
	files   map[string][]byte // exported, not yet taken
	pending int               // their bytes
	waiting int               // takers waiting for a file not yet exported
	done    bool              // the export has ended
	stopped bool              // the build is over: no one will take more
	ferr    error
}

// maxPendingSearch bounds the bytes of exported files not yet taken: the
// export waits for the outputs to write them out, unless one of them waits
// for a file still to come.
const maxPendingSearch = 16 << 20

// errSearchStopped ends an export whose build is over.
var errSearchStopped = errors.New("static search: the build ended before the export")

func (st *StaticSearch) init() {
	st.once.Do(func() { st.ready, st.change = make(chan struct{}), sync.NewCond(&st.mu) })
}

// Indexed records that the index build finished, with its error.
func (st *StaticSearch) Indexed(dir string, err error) {
	st.init()
	select {
	case <-st.ready: // Reindex after a build: keep the first
	default:
		st.dir, st.err = dir, err
		close(st.ready)
	}
}

// take waits for the index, starts its export once and hands over the
// file name when it is exported. Each file is taken once, by its output,
// which writes it and lets it go: the export's files, written in the
// order the outputs list them, are never all held at once (at 50k pages
// they were most of a gigabyte).
func (st *StaticSearch) take(name string) ([]byte, error) {
	st.init()
	<-st.ready
	if st.err != nil {
		return nil, st.err
	}
	st.export.Do(func() {
		st.mu.Lock()
		st.ended = make(chan struct{})
		st.mu.Unlock()
		go st.run()
	})
	st.mu.Lock()
	defer st.mu.Unlock()
	for {
		if data, ok := st.files[name]; ok {
			delete(st.files, name)
			st.pending -= len(data)
			st.change.Broadcast()
			return data, nil
		}
		if st.done {
			if st.ferr != nil {
				return nil, st.ferr
			}
			return nil, fmt.Errorf("the index has no %s (is it out of step with the pages?)", name)
		}
		st.waiting++
		st.change.Broadcast()
		st.change.Wait()
		st.waiting--
	}
}

// run exports the index, file by file, for take.
func (st *StaticSearch) run() {
	defer close(st.ended)
	err := st.exportTo(st.hold)
	st.mu.Lock()
	defer st.mu.Unlock()
	st.done, st.ferr = true, err
	st.change.Broadcast()
}

// hold keeps an exported file for its taker, first waiting while too
// many bytes wait to be taken and no taker waits for a file to come.
func (st *StaticSearch) hold(name string, data []byte) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for st.pending > maxPendingSearch && st.waiting == 0 && !st.stopped {
		st.change.Wait()
	}
	if st.stopped {
		return errSearchStopped
	}
	if st.files == nil {
		st.files = map[string][]byte{}
	}
	st.files[name], st.pending = data, st.pending+len(data)
	st.change.Broadcast()
	return nil
}

// Stop ends an export the build no longer takes files from (its outputs
// were cancelled) and waits until it has closed the index.
func (st *StaticSearch) Stop() {
	st.init()
	st.mu.Lock()
	st.stopped = true
	st.change.Broadcast()
	ended := st.ended
	st.mu.Unlock()
	if ended != nil {
		<-ended
	}
}

func (st *StaticSearch) exportTo(put func(string, []byte) error) error {
	idx, err := search.Open(st.dir)
	if err != nil {
		return err
	}
	defer idx.Close()
	return idx.ExportStaticTo(context.Background(), put)
}

// IsStaticSearchData reports whether an output path is one of the static
// search's data files (not its results page). Serve leaves them out of its
// in-memory builds and exports them from its own index, which catches up
// after saves pause (builder/preview).
func IsStaticSearchData(path string) bool {
	return strings.HasPrefix(path, StaticSearchDir) && path != StaticSearchDir && path != StaticSearchDir+"index.html"
}

// WithoutSearchData drops the static search's data files from outs, for
// the builds that have no index of their own to export (serve, check).
func WithoutSearchData(outs []Output) []Output {
	return slices.DeleteFunc(outs, func(o Output) bool { return IsStaticSearchData(o.path) })
}

// staticSearchOutputs lists the files of the static search: they are known
// from the number of published pages before the index exists.
func (s *rendering) staticSearchOutputs(th *theme.Theme) []Output {
	paths := map[string]bool{}
	for _, p := range s.Pages {
		if p.Path != "" {
			paths[p.Path] = true
		}
	}
	names := search.StaticFiles(len(paths))
	outs := make([]Output, 0, len(names)+1)
	if th.Has(KindSearch) { // the results page, /search/?q=
		d := &Data{Site: s.Site, Kind: KindSearch, Title: th.T("search.title"), URL: "/" + StaticSearchDir}
		outs = append(outs, Output{path: StaticSearchDir + "index.html", claim: generated("(search page)"), deps: none, render: func(w io.Writer) error {
			return th.Execute(w, KindSearch, d)
		}})
	}
	for _, name := range names {
		outs = append(outs, Output{path: StaticSearchDir + name, claim: generated("(search index)"), render: func(w io.Writer) error {
			data, err := s.static.take(name)
			if err != nil {
				return fmt.Errorf("static search: %w", err)
			}
			_, err = w.Write(data)
			return err
		}})
	}
	return outs
}
