package preview

// The search miss report in serve. The search box reads the static
// search's files, so the server does not see what it finds: the box tells
// it, by POST to MissPath, when a query settles on nothing (or only on
// relaxed hits); /api/search misses are logged as they are answered. Both
// go to the site's .playbook/search-misses.jsonl (package search/misses),
// which the health page shows, rendered anew when it is next asked for.
//
// Only the preview's own pages may report (the data guard of guard.go:
// Host, then Sec-Fetch-Site or Origin), in small bodies, at a bounded
// rate. What is logged is the query, its hit count, whether the hits were
// relaxed and the server's clock: nothing about who searched, and the
// limit is one for the whole server, so not even an address is held.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/search"
	"github.com/playbook-sales/playbook/search/misses"
	"golang.org/x/time/rate"
)

// MissPath is where the search box reports a miss.
const MissPath = "/_playbook/search-miss"

// maxMissBody bounds a report: a query of search.MaxQueryRunes characters
// each escaped as \uXXXX, the other fields and room to spare.
const maxMissBody = 4 << 10

// A reader settles on a query every few seconds at most; a burst covers a
// few tabs reporting at once. Past it a report is refused (429) and an
// /api/search miss goes unlogged, so a script in a loop cannot fill the log.
const (
	missRate  = rate.Limit(1) // reports a second, sustained
	missBurst = 30
)

// missReporter logs search misses for one server.
type missReporter struct {
	log   *misses.Log
	limit *rate.Limiter
	dirty atomic.Bool // logged since the health page was last rendered
	now   func() time.Time
}

func newMissReporter(site string) *missReporter {
	return &missReporter{log: misses.NewLog(site), limit: rate.NewLimiter(missRate, missBurst), now: time.Now}
}

// record logs e; a full log or a failing disk is serve's log's business,
// not the reader's.
func (m *missReporter) record(e misses.Event) error {
	if err := m.log.Append(e); err != nil {
		slog.Error("search miss", "err", err)
		return err
	}
	m.dirty.Store(true)
	return nil
}

// missReport is the body the search box sends: misses.Event's fields.
// Its time is the browser's, for collectors that have no clock of their
// own to trust; serve stamps its own.
type missReport struct {
	Query   string `json:"query"`
	Count   int    `json:"count"`
	Relaxed bool   `json:"relaxed"`
	Time    string `json:"time"` // ignored
}

// serveMiss answers POST MissPath: 204 once logged; 405 for another
// method, 415 for a body that is not text/plain or JSON, 413 over
// maxMissBody, 400 for one that is no miss, 429 over the rate.
func (s *Server) serveMiss(w http.ResponseWriter, r *http.Request) {
	m := s.misses
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "text/plain" && ct != "application/json" {
		http.Error(w, "want a JSON body as text/plain or application/json", http.StatusUnsupportedMediaType)
		return
	}
	if !m.limit.Allow() {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many search miss reports; try again in a moment", http.StatusTooManyRequests)
		return
	}
	e, err := readMissReport(http.MaxBytesReader(w, r.Body, maxMissBody), m.now())
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, fmt.Sprintf("a search miss report has at most %d bytes", maxMissBody), http.StatusRequestEntityTooLarge)
	case err != nil:
		http.Error(w, err.Error(), http.StatusBadRequest)
	case m.record(e) != nil:
		http.Error(w, "the search miss could not be logged; serve's log says why", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// readMissReport decodes one report, fields of misses.Event only.
func readMissReport(body io.Reader, now time.Time) (misses.Event, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return misses.Event{}, err
	}
	var rep missReport
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil || dec.More() {
		return misses.Event{}, fmt.Errorf("want one JSON object {query, count, relaxed, time}: %v", orExtra(err))
	}
	return misses.NewEvent(rep.Query, rep.Count, rep.Relaxed, now)
}

func orExtra(err error) error {
	if err == nil {
		return errors.New("more after it")
	}
	return err
}

// missSearcher is the server's Searcher for /api/search: it logs the
// searches that miss.
type missSearcher struct{ s *Server }

func (ms missSearcher) Search(ctx context.Context, r search.Request) (*search.Result, error) {
	res, err := ms.s.Search(ctx, r)
	if err == nil {
		ms.s.misses.searched(r, res)
	}
	return res, err
}

// searched logs a search of /api/search that missed: one that found
// nothing, or only relaxed hits, with no type or stage chosen (a filter
// that empties a list says nothing about the words). Over the rate it is
// not logged.
func (m *missReporter) searched(r search.Request, res *search.Result) {
	relaxed := relaxedHits(res)
	if len(r.Types) > 0 || len(r.Stages) > 0 || res.Total > 0 && !relaxed || !m.limit.Allow() {
		return
	}
	count := 0
	if relaxed {
		count = res.Total
	}
	if e, err := misses.NewEvent(r.Query, count, relaxed, m.now()); err == nil {
		m.record(e)
	}
}

// relaxedHits reports whether a result's hits are all relaxed: it has
// hits and none matches every word of the query. Strict hits followed by
// relaxed ones are no miss.
func relaxedHits(res *search.Result) bool { return res.Total > 0 && res.Strict == 0 }

// freshMisses renders the outputs that show the search misses anew when
// one of them is asked for and a miss was logged since they were.
func (s *Server) freshMisses(urlPath string) {
	if !s.misses.dirty.Load() {
		return
	}
	name, ok := fileName(urlPath, s.basePath())
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if !ok || !render.ShowsMisses(name) || !s.misses.dirty.CompareAndSwap(true, false) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.live.RefreshMisses(context.Background()); err != nil {
		fmt.Fprintf(s.log, "search misses: %v\n", err)
		return
	}
	st := s.state.Load()
	s.state.Store(&state{snap: s.live.Snapshot(), err: st.err})
}
