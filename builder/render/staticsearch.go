package render

// The static search step: the build's search index (builder/searchindex.go) is
// exported into public/search/ (search.ExportStatic) for the theme's
// search client. The site is rendered while the index is being built, so
// the outputs here wait for the index to be written and then share one
// export.

import (
	"context"
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

	export sync.Once
	files  map[string][]byte
	ferr   error
}

func (st *StaticSearch) init() { st.once.Do(func() { st.ready = make(chan struct{}) }) }

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

// get waits for the index and exports it once.
func (st *StaticSearch) get() (map[string][]byte, error) {
	st.init()
	<-st.ready
	if st.err != nil {
		return nil, st.err
	}
	st.export.Do(func() {
		idx, err := search.Open(st.dir)
		if err != nil {
			st.ferr = err
			return
		}
		defer idx.Close()
		st.files, st.ferr = idx.ExportStatic(context.Background())
	})
	return st.files, st.ferr
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
			files, err := s.static.get()
			if err != nil {
				return fmt.Errorf("static search: %w", err)
			}
			data, ok := files[name]
			if !ok {
				return fmt.Errorf("static search: the index has no %s (is it out of step with the pages?)", name)
			}
			_, err = w.Write(data)
			return err
		}})
	}
	return outs
}
