// Package preview is Playbook's serve mode: it keeps a site built in memory
// (builder.Live), watches its sources, rebuilds what a save changed and
// tells the open pages to reload.
//
// The flow is one way: Watcher → batch of changed paths → Live.Update (one
// at a time; changes during a build make one more) → a new snapshot swapped
// in at once → Hub broadcasts "reload", or "css" when only stylesheets
// changed. A page is always served whole from one snapshot, never half of
// one build and half of the next.
//
// When an update fails the last good snapshot keeps being served, and every
// HTML page carries an overlay naming each problem by file:line until a
// save fixes it. The reload script and the overlay are added as pages are
// served; the snapshot itself is byte for byte what `playbook build` writes.
//
// Only files of the snapshot are served: a request path with "..", a
// backslash or a NUL, whatever its encoding, is 404, there are no folder
// listings, and static files that are symlinks leading out of static/ are
// left out of the snapshot.
//
// The preview shows drafts, so it answers only its own origin: requests
// whose Host names its address (guard.go, Access), the data answers (API,
// search, events) only to its own pages, and every answer carries a
// Content-Security-Policy under which only the site's own scripts and the
// page's inline <script> elements run (csp.go).
//
// Searches that miss — from /api/search, and reported by the search box to
// MissPath — are logged to the site's search miss log for the health page
// (misses.go).
package preview

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/search"
)

// Paths the server answers besides the site's files.
const (
	EventsPath = "/_playbook/events"  // the SSE stream
	ScriptPath = "/_playbook/live.js" // the reload script
	SearchPath = "/api/search"
)

// Server serves a Live build and rebuilds it on changes.
type Server struct {
	live   *builder.Live
	hub    Hub
	state  atomic.Pointer[state]
	search *liveIndex // the search index and static search files of the builds (index.go)
	log    io.Writer
	misses *missReporter // the search miss log (misses.go)
	mu     sync.Mutex    // serialises Live updates
}

// state is what is served: the last good snapshot and the error of the
// last update, if it failed.
type state struct {
	snap     *builder.Snapshot
	err      error
	policies sync.Map // page name → its Content-Security-Policy (pagePolicy)
}

// New serves live, which holds its first build (or the error that stopped
// it). Build progress is logged to log.
func New(live *builder.Live, firstErr error, log io.Writer) *Server {
	s := &Server{live: live, log: log, search: newLiveIndex(), misses: newMissReporter(live.Options().Site)}
	s.state.Store(&state{snap: live.Snapshot(), err: firstErr})
	s.queueSearch()
	return s
}

// Hub is the server's event hub, for tests and benchmarks.
func (s *Server) Hub() *Hub { return &s.hub }

// Close ends the event streams and removes the search index.
func (s *Server) Close() {
	s.hub.Close()
	s.search.close()
}

// Run rebuilds on every batch from w until ctx ends, and keeps the search
// index in step.
func (s *Server) Run(ctx context.Context, w *Watcher) {
	go s.search.loop(ctx)
	for batch := range w.Batches() {
		s.Update(ctx, batch)
	}
}

// Update rebuilds after changes to the given paths and tells the pages.
// It returns how much it rebuilt and the build's error, which the pages
// show until a save fixes it.
func (s *Server) Update(ctx context.Context, changed []string) (builder.Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	kind, err := s.live.Update(ctx, changed)
	if kind == builder.ChangeNone && err == nil {
		return kind, nil
	}
	st := &state{snap: s.live.Snapshot(), err: err}
	s.state.Store(st)
	if err != nil {
		fmt.Fprintf(s.log, "build failed, still serving the last good build:\n%s\n", errorText(err, st.lang()))
		s.hub.Broadcast(EventReload) // the overlay comes with the page
		return kind, err
	}
	if kind == builder.ChangeCSS {
		s.hub.Broadcast(EventCSS)
	} else {
		s.hub.Broadcast(EventReload)
	}
	fmt.Fprintf(s.log, "rebuilt (%s, %d files changed) in %s\n", kind, len(changed), time.Since(start).Round(time.Millisecond))
	if kind >= builder.ChangeBody {
		s.queueSearch()
	}
	return kind, nil
}

// queueSearch hands the current pages to the indexer, replacing any
// documents it has not started on.
func (s *Server) queueSearch() {
	docs, opts, err := s.live.SearchInput()
	if err != nil || docs == nil {
		return
	}
	s.search.queue(searchInput{docs, opts})
}

// IndexSearch brings the search index and the static search's files up to
// date with the current build now, for callers that do not Run.
func (s *Server) IndexSearch() { s.search.now() }

// Search searches the index of the latest build indexed. Until there is
// one it returns search.ErrNotReady.
func (s *Server) Search(ctx context.Context, r search.Request) (*search.Result, error) {
	return s.search.search(ctx, r)
}

// Handler serves the site, the reload stream and script, search and the
// search box's miss reports, to requests whose Host header a allows (403
// otherwise), and the data answers (isData) only to the preview's own
// pages. It routes by exact path
// itself: http.ServeMux would answer "/../x" with a redirect to the
// cleaned path, where a preview must simply say 404.
func (s *Server) Handler(a Access) http.Handler {
	hosts := newHostPolicy(a)
	searchHandler := search.Handler(missSearcher{s})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secure(w.Header())
		if !hosts.allows(r.Host) {
			forbid(w, fmt.Sprintf("playbook serve answers only the names of its own address, not %q (see serve --allow-host)", r.Host))
			return
		}
		if crossOrigin(r) && isData(r.URL.Path, s.basePath()) {
			forbid(w, "playbook serve answers this only to its own pages")
			return
		}
		switch r.URL.Path {
		case EventsPath:
			if r.Method != http.MethodGet {
				w.Header().Set("Allow", http.MethodGet)
				http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
				return
			}
			s.hub.ServeHTTP(w, r)
		case ScriptPath:
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			io.WriteString(w, liveJS)
		case SearchPath:
			searchHandler.ServeHTTP(w, r)
		case MissPath:
			s.serveMiss(w, r)
		default:
			s.freshMisses(r.URL.Path)
			s.serveFile(w, r)
		}
	})
}

func (s *Server) basePath() string {
	if snap := s.state.Load().snap; snap != nil {
		return snap.Site.BasePath
	}
	return "/"
}

// secure sets the headers every answer carries; an HTML page's
// Content-Security-Policy adds its inline scripts' hashes (writeHTML).
func secure(h http.Header) {
	h.Set("Content-Security-Policy", basePolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cache-Control", "no-store") // a preview changes under the reader
}

// serveFile answers a request from the current snapshot.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	st := s.state.Load()
	if st.snap == nil {
		s.writeHTML(w, r, st, http.StatusServiceUnavailable, "", []byte("<!doctype html><title>Playbook</title><body><p>No build yet.</p></body>"))
		return
	}
	base := st.snap.Site.BasePath
	if r.URL.Path == "/" && base != "/" {
		http.Redirect(w, r, base, http.StatusFound)
		return
	}
	name, ok := fileName(r.URL.Path, base)
	if !ok {
		s.notFound(w, r, st)
		return
	}
	data, found := st.snap.Files[name]
	if render.IsStaticSearchData(name) {
		files := s.search.static.Load()
		if files == nil {
			s.searchNotReady(w)
			return
		}
		data, found = (*files)[strings.TrimPrefix(name, render.StaticSearchDir)]
	}
	if !found && name != "" && !strings.HasSuffix(name, "/") {
		if _, isDir := st.snap.Files[name+"/index.html"]; isDir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
	}
	if strings.HasSuffix(name, "/") || name == "" {
		data, found = st.snap.Files[name+"index.html"]
		name += "index.html"
	}
	if !found {
		s.notFound(w, r, st)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	if strings.HasPrefix(ctype, "text/html") {
		s.writeHTML(w, r, st, http.StatusOK, name, data)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// fileName turns a request path into a snapshot name: "" for the root,
// "cases/" for a folder. It refuses anything that could name a file
// outside the output: "..", ".", empty segments, backslashes and NULs,
// after URL decoding (so %2e%2e and %5c too).
func fileName(urlPath, base string) (string, bool) {
	if !strings.HasPrefix(urlPath, base) {
		return "", false
	}
	rest := strings.TrimPrefix(urlPath, base)
	if strings.ContainsAny(rest, "\\\x00") {
		return "", false
	}
	for i, seg := range strings.Split(rest, "/") {
		last := i == strings.Count(rest, "/")
		if seg == "." || seg == ".." || (seg == "" && !last) {
			return "", false
		}
	}
	return rest, true
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *state) {
	page := []byte("<!doctype html><title>404</title><body><h1>404</h1></body>")
	if b, ok := st.snap.Files["404.html"]; ok {
		page = b
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	s.writeHTML(w, r, st, http.StatusNotFound, "404.html", page)
}

// searchNotReady answers a static search file asked for before the first
// export: 503 while the index is being built, like /api/search.
func (s *Server) searchNotReady(w http.ResponseWriter) {
	if s.search.failed.Load() {
		http.Error(w, errSearchFailed.Error(), http.StatusInternalServerError)
		return
	}
	search.NotReady(w)
}

// writeHTML writes a page with the reload script and, after a failed
// build, the error overlay, both before </body>. name is the page's name
// in the snapshot, "" for one made here, for the cache of policies.
func (s *Server) writeHTML(w http.ResponseWriter, r *http.Request, st *state, code int, name string, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", st.policy(name, page))
	extra := `<script src="` + ScriptPath + `" defer></script>`
	if st.err != nil {
		extra = Overlay(st.err, st.lang()) + extra
	}
	i := strings.LastIndex(string(page), "</body>")
	if i < 0 {
		i = len(page)
	}
	w.WriteHeader(code)
	if r.Method == http.MethodHead {
		return
	}
	w.Write(page[:i])
	io.WriteString(w, extra)
	w.Write(page[i:])
}

// lang is the site's language, for the overlay: that of the last good
// build, or the default when no build has succeeded yet.
func (st *state) lang() string {
	if st.snap != nil && st.snap.Site != nil && st.snap.Site.Config != nil {
		return st.snap.Site.Config.Language
	}
	return config.Default().Language
}

// policy returns the Content-Security-Policy of a page of the snapshot,
// worked out once per page and snapshot.
func (st *state) policy(name string, page []byte) string {
	if name == "" {
		return pagePolicy(page)
	}
	if p, ok := st.policies.Load(name); ok {
		return p.(string)
	}
	p := pagePolicy(page)
	st.policies.Store(name, p)
	return p
}

// liveJS reloads the page after a build and swaps the stylesheets after a
// CSS-only change. EventSource reconnects by itself after a restart.
const liveJS = `(function () {
  var es = new EventSource("` + EventsPath + `");
  es.onmessage = function (e) {
    if (e.data === "css") {
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
        var u = new URL(l.href, location.href);
        if (u.origin !== location.origin) return;
        u.searchParams.set("_pb", Date.now());
        var n = l.cloneNode();
        n.href = u.href;
        n.onload = function () { l.remove(); };
        l.after(n);
      });
    } else if (e.data === "reload") {
      location.reload();
    }
  };
  // The search box reports misses here, for the health page, and never to
  // the site's search.report_url; it reads the address when it reports.
  var f = document.querySelector("form.search[role=search]");
  if (f) f.setAttribute("data-report", "` + MissPath + `");
})();
`
