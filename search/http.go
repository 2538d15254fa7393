package search

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Searcher runs searches; *Index is one. The serve mode may pass a value
// that swaps indexes as the site is rebuilt.
type Searcher interface {
	Search(ctx context.Context, r Request) (*Result, error)
}

// requestTimeout bounds one search.
const requestTimeout = 5 * time.Second

// Handler serves GET /api/search?q=&type=&stage=&limit= (mount it at that
// path). The answer is JSON: {query, total, hits: [{path, url, title, type,
// score, snippet}], facets: {type: [{value, count}], stage: [...]}}, where
// snippet is HTML with matches in <mark> and everything else escaped.
// type and stage may repeat or hold comma-separated values. A query that
// cannot be searched (empty, too long) gets 400 with {"error": message};
// one before the index exists (s returns ErrNotReady) gets 503 with
// Retry-After; other methods than GET and HEAD get 405.
func Handler(s Searcher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{"use GET"})
			return
		}
		req, err := parseRequest(r)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody{err.Error()})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()
		res, err := s.Search(ctx, req)
		var qe *QueryError
		switch {
		case errors.As(err, &qe):
			writeJSON(w, http.StatusBadRequest, errorBody{qe.Msg})
		case errors.Is(err, ErrNotReady):
			NotReady(w)
		case errors.Is(err, context.DeadlineExceeded):
			writeJSON(w, http.StatusServiceUnavailable, errorBody{"the search took too long; try fewer words"})
		case err != nil:
			slog.Error("search", "query", req.Query, "err", err)
			writeJSON(w, http.StatusInternalServerError, errorBody{"search failed"})
		default:
			if res.Hits == nil {
				res.Hits = []Hit{}
			}
			writeJSON(w, http.StatusOK, res)
		}
	})
}

// ErrNotReady is what a Searcher returns while its index is still being
// built (serve, just after it starts). Handler answers it with NotReady.
var ErrNotReady = errors.New("the search index is being built; try again in a moment")

// NotReady answers a search that came before the index: 503 with
// Retry-After and {"error": ErrNotReady's message}.
func NotReady(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "2")
	writeJSON(w, http.StatusServiceUnavailable, errorBody{ErrNotReady.Error()})
}

type errorBody struct {
	Error string `json:"error"`
}

// parseRequest reads the query parameters; limit must be a number and is
// clamped to 1..MaxLimit.
func parseRequest(r *http.Request) (Request, error) {
	v := r.URL.Query()
	req := Request{Query: v.Get("q"), Types: listParam(v["type"]), Stages: listParam(v["stage"])}
	if l := strings.TrimSpace(v.Get("limit")); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return req, &QueryError{"limit must be a number"}
		}
		req.Limit = min(max(n, 1), MaxLimit)
	}
	return req, nil
}

func listParam(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w) // escapes <, > and & as \u003c …, so the JSON is inert as HTML
	_ = enc.Encode(v)
}
