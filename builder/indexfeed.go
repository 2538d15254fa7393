package builder

// Build writes the search index while the markdown is still rendering:
// bleve's builder is one goroutine, the longest single step of a build,
// and the static search export (staticsearch.go) waits for it. The index
// takes the published pages in Site.Pages order, each as soon as its body
// is rendered, and is swapped into place only once the whole site has
// loaded and planned without error; otherwise it is abandoned and the
// previous index stays.

import (
	"errors"
	"sync"
)

// errAbandoned ends an index build whose site failed to load or plan.
var errAbandoned = errors.New("the build failed")

// indexFeed hands Build's pages to the search index as they are rendered.
type indexFeed struct {
	ready    chan struct{} // closed by start: site and order are set
	planned  chan struct{} // closed by commit: the site loaded and planned
	stop     chan struct{} // closed by abandon: the build failed
	stopOnce sync.Once

	site     *Site
	order    []*Page                 // the published pages, as Site.Pages will hold them
	rendered map[*Page]chan struct{} // closed when the page's body is set
}

func newIndexFeed() *indexFeed {
	return &indexFeed{ready: make(chan struct{}), planned: make(chan struct{}), stop: make(chan struct{})}
}

// start is called once the site knows its published pages (byPath) and
// before their markdown renders.
func (f *indexFeed) start(s *Site) {
	for _, p := range s.byPath {
		if !p.IsSection { // what assemble puts in Site.Pages
			f.order = append(f.order, p)
		}
	}
	sortPages(f.order) // on front matter only: the same order assemble gives
	f.rendered = make(map[*Page]chan struct{}, len(f.order))
	for _, p := range f.order {
		f.rendered[p] = make(chan struct{})
	}
	f.site = s
	close(f.ready)
}

// first reorders pages (a copy) so that those the index takes come first,
// in the order it takes them: the index waits less.
func (f *indexFeed) first(pages []*Page) []*Page {
	out := make([]*Page, 0, len(pages))
	out = append(out, f.order...)
	for _, p := range pages {
		if f.rendered[p] == nil {
			out = append(out, p)
		}
	}
	return out
}

// done records that p's body is rendered; pages outside the order (hidden
// ones, sections) are ignored.
func (f *indexFeed) done(p *Page) {
	if ch := f.rendered[p]; ch != nil {
		close(ch)
	}
}

// commit lets the index be swapped into place.
func (f *indexFeed) commit() { close(f.planned) }

// abandon stops the index build without touching the previous index.
func (f *indexFeed) abandon() { f.stopOnce.Do(func() { close(f.stop) }) }

// wait returns when p is rendered, or with errAbandoned.
func (f *indexFeed) wait(p *Page) error {
	select {
	case <-f.rendered[p]:
		return nil
	case <-f.stop:
		return errAbandoned
	}
}

// waitPlanned returns when the site planned, or with errAbandoned.
func (f *indexFeed) waitPlanned() error {
	select {
	case <-f.planned:
		return nil
	case <-f.stop:
		return errAbandoned
	}
}

// index writes the search index (searchindex.go) from the fed pages.
func (f *indexFeed) index(o Options, fingerprint string) error {
	select {
	case <-f.ready:
	case <-f.stop:
		return errAbandoned
	}
	return indexPages(o, f.site, f.order, fingerprint, f)
}
