package search

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func get(t *testing.T, h http.Handler, rawQuery string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/api/search?"+rawQuery, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", rawQuery, err, rec.Body.String())
	}
	return rec, body
}

func TestHandler(t *testing.T) {
	h := Handler(fixtureIndex(t))
	rec, body := get(t, h, "q="+url.QueryEscape("价格")+"&limit=2")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff header")
	}
	if body["query"] != "价格" || body["total"].(float64) < 2 {
		t.Errorf("body %v", body)
	}
	hits := body["hits"].([]any)
	if len(hits) != 2 {
		t.Fatalf("%d hits, want 2 (limit)", len(hits))
	}
	hit := hits[0].(map[string]any)
	for _, k := range []string{"path", "url", "title", "type", "score", "snippet"} {
		if _, ok := hit[k]; !ok {
			t.Errorf("hit has no %q: %v", k, hit)
		}
	}
	facets := body["facets"].(map[string]any)
	if _, ok := facets["type"].([]any); !ok {
		t.Errorf("facets %v", facets)
	}
	if _, ok := facets["stage"].([]any); !ok {
		t.Errorf("facets %v", facets)
	}
}

// A relaxed answer says so: strict 0, the step, and each hit's step; a
// strict one has no relaxed hit.
func TestHandlerRelaxed(t *testing.T) {
	h := Handler(fixtureIndex(t))
	_, body := get(t, h, "q="+url.QueryEscape("客户说太贵怎么办"))
	if body["strict"] != 0.0 || body["relaxed"] != float64(RelaxFiller) {
		t.Errorf("strict %v, relaxed %v; want 0, %d", body["strict"], body["relaxed"], RelaxFiller)
	}
	hits := body["hits"].([]any)
	if len(hits) == 0 || hits[0].(map[string]any)["relaxed"] != float64(RelaxFiller) {
		t.Errorf("hits %v, want the first relaxed", hits)
	}
	_, body = get(t, h, "q="+url.QueryEscape("价格"))
	if body["relaxed"] != 0.0 || body["strict"] != body["total"] {
		t.Errorf("价格: strict %v of %v, relaxed %v", body["strict"], body["total"], body["relaxed"])
	}
	for _, hit := range body["hits"].([]any) {
		if _, ok := hit.(map[string]any)["relaxed"]; ok {
			t.Errorf("strict hit says relaxed: %v", hit)
		}
	}
}

func TestHandlerFilters(t *testing.T) {
	h := Handler(fixtureIndex(t))
	_, body := get(t, h, "q="+url.QueryEscape("价格")+"&type=training,page&type=case&stage=negotiation")
	hits := body["hits"].([]any)
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	for _, hit := range hits {
		if typ := hit.(map[string]any)["type"]; typ != "training" && typ != "page" && typ != "case" {
			t.Errorf("hit of type %v", typ)
		}
	}
	// filters alone list pages
	rec, body := get(t, h, "type=script")
	if rec.Code != http.StatusOK || body["total"].(float64) != 2 {
		t.Errorf("type=script: %d %v", rec.Code, body)
	}
}

func TestHandlerEscapes(t *testing.T) {
	h := Handler(fixtureIndex(t))
	for _, q := range []string{"<script>alert(1)</script> 正文", `"><img src=x onerror=alert(1)> 转义`, "二次开发"} {
		rec, body := get(t, h, "q="+url.QueryEscape(q))
		if rec.Code != http.StatusOK {
			t.Fatalf("%q: status %d", q, rec.Code)
		}
		raw := rec.Body.String()
		if strings.ContainsAny(raw, "<>") {
			t.Errorf("%q: raw JSON holds < or >: %s", q, raw)
		}
		for _, hit := range body["hits"].([]any) {
			checkSnippetHTML(t, hit.(map[string]any)["snippet"].(string))
		}
	}
}

func TestHandlerBadRequests(t *testing.T) {
	h := Handler(fixtureIndex(t))
	tests := []struct {
		name, query string
		code        int
	}{
		{"empty", "q=", 400},
		{"missing", "", 400},
		{"spaces", "q=" + url.QueryEscape("   "), 400},
		{"only syntax", "q=" + url.QueryEscape("+-:^~*()[]{}"), 400},
		{"too long", "q=" + strings.Repeat("a", 10000), 400},
		{"too long chinese", "q=" + url.QueryEscape(strings.Repeat("价格", 5000)), 400},
		{"too many words", "q=" + url.QueryEscape(manyWords(MaxClauses+1)), 400},
		{"limit not a number", "q=a&limit=ten", 400},
		{"unbalanced quote", "q=" + url.QueryEscape(`"价格`), 200},
		{"syntax around words", "q=" + url.QueryEscape(`+价格 -异议 title:(a OR b)^2 ~星图* [1 TO 2] {x}`), 200},
		{"control characters", "q=" + url.QueryEscape("价\x00格\x1b[31m"), 200},
		{"invalid utf-8", "q=%ff%fe%e4%bb%b7", 200},
		{"limit clamped high", "q=a&limit=100000", 200},
		{"limit clamped low", "q=a&limit=-3", 200},
		{"unknown type", "q=a&type=nope", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, body := get(t, h, tt.query)
			if rec.Code != tt.code {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.code, rec.Body)
			}
			if tt.code == 400 {
				if msg, _ := body["error"].(string); msg == "" {
					t.Errorf("no error message: %v", body)
				}
			} else if q, _ := body["query"].(string); !utf8.ValidString(q) || strings.ContainsAny(q, "\x00\x1b") {
				t.Errorf("query echoed as %q", q)
			}
		})
	}
}

func TestHandlerMethod(t *testing.T) {
	h := Handler(fixtureIndex(t))
	req := httptest.NewRequest(http.MethodPost, "/api/search?q=a", strings.NewReader("q=b"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") == "" {
		t.Errorf("POST: %d %v", rec.Code, rec.Header())
	}
}

// failing is a Searcher whose searches fail.
type failing struct{ err error }

func (f failing) Search(context.Context, Request) (*Result, error) { return nil, f.err }

func TestHandlerSearchFailure(t *testing.T) {
	rec, body := get(t, Handler(failing{errors.New("disk on fire")}), "q=a")
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "disk") {
		t.Errorf("%d %v: internal errors must not leak", rec.Code, body)
	}
	rec, _ = get(t, Handler(failing{context.DeadlineExceeded}), "q=a")
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("timeout: %d", rec.Code)
	}
}

// FuzzQuery: no query panics, fails with anything but a QueryError, yields
// a snippet with markup other than <mark>, or puts a relaxed hit before a
// strict one.
func FuzzQuery(f *testing.F) {
	for _, s := range []string{
		"价格异议", "太贵", "价", `"价格 异议`, "type:script 价格", `tag:"异议 处理"`, "stage:谈判",
		"+-:^~*()[]{}", "\x00\x1b", "\xff", "negot", "CRM系统", "ＣＲＭ", "a:b:c", "“”「」『』",
		"回款流程", "cold call", strings.Repeat("价格 ", 30), "<script>", "🎉", "' OR 1=1 --",
		"客户说贵怎么办", "嫌贵", "案例", "cases 星图", "how to 降价", strings.Repeat("价的", 60), "怎么办",
		"xingtu怎么办", "zzqx xingtu", "竞品分析", "客户案例 银行", "培训机构",
	} {
		f.Add(s)
	}
	idx, err := NewMemory(fixtureDocs)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { idx.Close() })
	f.Fuzz(func(t *testing.T, q string) {
		res, err := idx.Search(context.Background(), Request{Query: q, Limit: 5})
		var qe *QueryError
		if err != nil {
			if !errors.As(err, &qe) {
				t.Fatalf("%q: %v", q, err)
			}
			return
		}
		if !utf8.ValidString(res.Query) {
			t.Errorf("%q: query echoed as invalid UTF-8", q)
		}
		for _, h := range res.Hits {
			checkSnippetHTML(t, h.Snippet.HTML())
		}
		checkOrder(t, res)
	})
}
