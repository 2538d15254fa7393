package preview

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/search/misses"
	"golang.org/x/time/rate"
)

// post sends body to h as the search box would: same origin, text/plain,
// unless headers say otherwise ("Name: value"; an empty value removes it).
func post(h http.Handler, host, target, body string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", target, strings.NewReader(body))
	r.Host = host
	r.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, kv := range headers {
		k, v, _ := strings.Cut(kv, ": ")
		if v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// logged returns the queries of the site's search miss log, oldest first.
func logged(t *testing.T, s *Server) []misses.Event {
	t.Helper()
	events, skipped, err := misses.Read(s.live.Options().Site)
	if err != nil || skipped != 0 {
		t.Fatalf("read the log: %d skipped, %v", skipped, err)
	}
	return events
}

var serverNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// TestMissReport: the search box's report of a miss is logged only from
// the preview's own pages, as a small JSON object that is a miss, by POST;
// what is logged is the query, count, relaxed flag and the server's clock.
func TestMissReport(t *testing.T) {
	s := newServer(t)
	s.misses.now = func() time.Time { return serverNow }
	h := s.Handler(Access{Bind: "127.0.0.1"})
	const host = "127.0.0.1:1313"
	ok := `{"query":"嫌贵","count":0,"relaxed":false,"time":"1999-01-01T00:00:00Z"}`
	tests := []struct {
		name    string
		host    string
		body    string
		headers []string
		want    int
		logs    string // the query logged, if any
	}{
		{"the search box", host, ok, nil, 204, "嫌贵"},
		{"relaxed hits", host, `{"query":" 客户说贵怎么办 ","count":3,"relaxed":true}`, nil, 204, "客户说贵怎么办"},
		{"as JSON, from curl", host, `{"query":"便宜点","count":0}`, []string{"Content-Type: application/json", "Sec-Fetch-Site: "}, 204, "便宜点"},
		{"own Origin, no fetch metadata", host, `{"query":"打个折"}`, []string{"Sec-Fetch-Site: ", "Origin: http://" + host}, 204, "打个折"},
		{"another site's page", host, ok, []string{"Sec-Fetch-Site: cross-site"}, 403, ""},
		{"another port of localhost", host, ok, []string{"Sec-Fetch-Site: same-site"}, 403, ""},
		{"another origin by Origin", host, ok, []string{"Sec-Fetch-Site: ", "Origin: http://evil.example.com"}, 403, ""},
		{"a rebound name", "evil.example.com:1313", ok, nil, 403, ""},
		{"a form of another site", host, "query=x", []string{"Content-Type: application/x-www-form-urlencoded"}, 415, ""},
		{"no content type", host, ok, []string{"Content-Type: "}, 415, ""},
		{"over the size limit", host, `{"query":"` + strings.Repeat("贵", maxMissBody) + `"}`, nil, 413, ""},
		{"not JSON", host, "嫌贵", nil, 400, ""},
		{"more than one object", host, ok + ok, nil, 400, ""},
		{"a field about the person", host, `{"query":"嫌贵","count":0,"ip":"10.0.0.1"}`, nil, 400, ""},
		{"strict hits are no miss", host, `{"query":"价格","count":2,"relaxed":false}`, nil, 400, ""},
		{"no query", host, `{"query":"  ","count":0}`, nil, 400, ""},
		{"a query too long to search", host, `{"query":"` + strings.Repeat("贵", 201) + `"}`, nil, 400, ""},
		{"a negative count", host, `{"query":"嫌贵","count":-1}`, nil, 400, ""},
	}
	var want []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := post(h, tt.host, MissPath, tt.body, tt.headers...)
			if w.Code != tt.want {
				t.Errorf("%d, want %d: %.200s", w.Code, tt.want, w.Body)
			}
			if tt.logs != "" {
				want = append(want, tt.logs)
			}
			var got []string
			for _, e := range logged(t, s) {
				got = append(got, e.Query)
				if !e.Time.Equal(serverNow) {
					t.Errorf("logged at %v, want the server's clock %v", e.Time, serverNow)
				}
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("log %q, want %q", got, want)
			}
		})
	}
	t.Run("only POST", func(t *testing.T) {
		for _, m := range []string{"GET", "HEAD", "PUT", "DELETE", "OPTIONS"} {
			w := do(h, m, host, MissPath, "Sec-Fetch-Site: same-origin")
			if w.Code != 405 || w.Header().Get("Allow") != "POST" {
				t.Errorf("%s: %d, Allow %q; want 405, POST", m, w.Code, w.Header().Get("Allow"))
			}
		}
	})
	t.Run("the line holds those four fields only", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(s.live.Options().Site, misses.FileName))
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(data), "\n")
		if first != `{"time":"2026-11-23T09:30:00Z","query":"嫌贵","count":0,"relaxed":false}` {
			t.Errorf("line %s", first)
		}
	})
}

// TestMissRate: past the burst, reports are refused with 429 and
// /api/search misses go unlogged, so a loop cannot fill the log.
func TestMissRate(t *testing.T) {
	s := newServer(t)
	s.IndexSearch()
	s.misses.limit = rate.NewLimiter(0, 3) // no refill: the test needs no clock
	h := s.Handler(Access{})
	for i, want := range []int{204, 204, 204, 429} {
		w := post(h, "localhost", MissPath, `{"query":"嫌贵"}`)
		if w.Code != want {
			t.Errorf("report %d: %d, want %d", i+1, w.Code, want)
		}
		if want == 429 && w.Header().Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	do(h, "GET", "localhost", "/api/search?q=zzqx")
	if n := len(logged(t, s)); n != 3 {
		t.Errorf("%d events logged, want the 3 within the burst", n)
	}
}

// TestAPISearchMisses: /api/search logs a search that found nothing, or
// only relaxed hits, with
// no filter chosen, and the health page, asked for next, lists them.
func TestAPISearchMisses(t *testing.T) {
	s := newServer(t)
	s.IndexSearch()
	h := s.Handler(Access{})
	relaxed := "q=" + url.QueryEscape("客户说太贵怎么办") // no page has every word; 太贵 is the price script's
	for _, q := range []string{"q=" + url.QueryEscape("价格"), "q=zzqx", "q=zzqx&type=script", "q=zzqx&stage=negotiation", "q=ZZQX", relaxed} {
		if w := do(h, "GET", "localhost", "/api/search?"+q); w.Code != 200 {
			t.Fatalf("%s: %d", q, w.Code)
		}
	}
	var got []string
	for _, e := range logged(t, s) {
		got = append(got, fmt.Sprintf("%s %d %v", e.Query, e.Count, e.Relaxed))
	}
	if strings.Join(got, "|") != "zzqx 0 false|ZZQX 0 false|客户说太贵怎么办 2 true" { // 太贵 finds 价格 too (synonyms.yaml)
		t.Errorf("logged %q, want the two unfiltered misses and the relaxed one", got)
	}
	w := do(h, "GET", "localhost", "/api/health.json")
	var health struct {
		Misses []misses.Miss `json:"search_misses"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &health); err != nil || len(health.Misses) != 2 ||
		health.Misses[0].Query != "zzqx" || health.Misses[0].Count != 2 ||
		health.Misses[1].Query != "客户说太贵怎么办" || health.Misses[1].Relaxed != 1 {
		t.Errorf("health.json search_misses = %+v, %v; want zzqx twice, then the relaxed one", health.Misses, err)
	}
	post(h, "localhost", MissPath, `{"query":"便宜点"}`)
	if body := do(h, "GET", "localhost", "/health/").Body.String(); !strings.Contains(body, `<q class="miss-query">便宜点</q>`) {
		t.Error("the health page does not list the miss the search box reported")
	}
}
