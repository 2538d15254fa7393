package preview

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
)

// newServer builds smallSite in memory, without an HTTP server: the tests
// here set the Host and other headers a browser would send.
func newServer(t *testing.T) *Server {
	t.Helper()
	site := writeSite(t, smallSite)
	live, err := builder.NewLive(context.Background(), builder.Options{Site: site, Drafts: true, Future: true, NowText: "2026-11-23"})
	if err != nil {
		t.Fatal(err)
	}
	s := New(live, nil, io.Discard)
	t.Cleanup(s.Close)
	return s
}

// do sends a request to h with the given Host and headers ("Name: value").
func do(h http.Handler, method, host, target string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	r.Host = host
	for _, kv := range headers {
		k, v, _ := strings.Cut(kv, ": ")
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// The preview shows drafts: through DNS rebinding a web page could read it
// under a name of its own, so only the names of its own address are
// answered, with 403 and a plain reason otherwise.
func TestHostNamesAnswered(t *testing.T) {
	s := newServer(t)
	machine, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	machine = strings.ToLower(machine)
	short, _, _ := strings.Cut(machine, ".")
	loopback, every := Access{Bind: "127.0.0.1"}, Access{Bind: "0.0.0.0"}
	tests := []struct {
		name   string
		access Access
		host   string
		want   int
	}{
		{"loopback address", loopback, "127.0.0.1:1313", 200},
		{"localhost", loopback, "localhost:1313", 200},
		{"localhost, no port", loopback, "localhost", 200},
		{"localhost, another port (a forwarded one)", loopback, "localhost:8080", 200},
		{"localhost in capitals, fully qualified", loopback, "LocalHost.:1313", 200},
		{"a name under .localhost", loopback, "kb.localhost:1313", 200},
		{"IPv6 loopback", loopback, "[::1]:1313", 200},
		{"IPv6 loopback, no port", loopback, "[::1]", 200},
		{"another loopback address", loopback, "127.0.0.2:1313", 200},
		{"the zero Access is loopback only", Access{}, "localhost:1313", 200},
		{"the zero Access refuses a LAN address", Access{}, "192.168.1.5:1313", 403},
		{"a rebound name", loopback, "evil.example.com:1313", 403},
		{"a rebound name, no port", loopback, "evil.example.com", 403},
		{"a name that starts like localhost", loopback, "localhost.evil.example.com", 403},
		{"a name made of the address", loopback, "127.0.0.1.nip.io:1313", 403},
		{"no Host", loopback, "", 403},
		{"the machine's name on loopback", loopback, short + ":1313", 403},
		{"a LAN address on loopback", loopback, "192.168.1.5:1313", 403},
		{"every interface: a LAN address", every, "192.168.1.5:1313", 200},
		{"every interface: an IPv6 address", every, "[fe80::1]:1313", 200},
		{"every interface: the machine's name", every, machine + ":1313", 200},
		{"every interface: the machine's short name", every, short + ":1313", 200},
		{"every interface: its mDNS name", every, short + ".local:1313", 200},
		{"every interface: a rebound name", every, "evil.example.com:1313", 403},
		{"IPv6 every interface: a LAN address", Access{Bind: "::"}, "10.0.0.7:1313", 200},
		{"one address: itself", Access{Bind: "192.168.1.5"}, "192.168.1.5:1313", 200},
		{"one address: another", Access{Bind: "192.168.1.5"}, "192.168.1.6:1313", 403},
		{"one address: the machine's name", Access{Bind: "192.168.1.5"}, machine, 200},
		{"bound by name: the name", Access{Bind: "kb.lan"}, "kb.lan:1313", 200},
		{"bound by name: another", Access{Bind: "kb.lan"}, "evil.lan:1313", 403},
		{"--allow-host", Access{Bind: "127.0.0.1", Hosts: []string{"Preview.Example.com"}}, "preview.example.com:443", 200},
		{"--allow-host is exact", Access{Bind: "127.0.0.1", Hosts: []string{"preview.example.com"}}, "x.preview.example.com", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(s.Handler(tt.access), "GET", tt.host, "/api/pages.json")
			if w.Code != tt.want {
				t.Fatalf("Host %q with --bind %q: %d, want %d: %s", tt.host, tt.access.Bind, w.Code, tt.want, w.Body)
			}
			body := w.Body.String()
			if tt.want == 403 {
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(body, "--allow-host") {
					t.Errorf("403 is %s %q, want plain text naming --allow-host", ct, body)
				}
				if strings.Contains(body, "续约草稿") {
					t.Error("the 403 shows a draft")
				}
			} else if !strings.Contains(body, "续约草稿话术") {
				t.Errorf("200 without the draft's title: %.200s", body)
			}
			if w.Header().Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy")
			}
		})
	}
}

// The data answers (API files, search, the event stream) go only to the
// preview's own pages and to addresses typed in: a page of another site
// cannot read them through its users' browsers. Pages themselves may be
// linked from anywhere.
func TestDataOnlyToOwnPages(t *testing.T) {
	s := newServer(t)
	s.IndexSearch()
	h := s.Handler(Access{Bind: "127.0.0.1"})
	const host = "127.0.0.1:1313"
	tests := []struct {
		name    string
		target  string
		headers []string
		want    int
	}{
		{"API, same origin", "/api/pages.json", []string{"Sec-Fetch-Site: same-origin"}, 200},
		{"API, typed in", "/api/pages.json", []string{"Sec-Fetch-Site: none"}, 200},
		{"API, curl", "/api/pages.json", nil, 200},
		{"API, another site", "/api/pages.json", []string{"Sec-Fetch-Site: cross-site"}, 403},
		{"API, another port of localhost", "/api/pages.json", []string{"Sec-Fetch-Site: same-site"}, 403},
		{"API, another origin by Origin", "/api/pages.json", []string{"Origin: http://evil.example.com"}, 403},
		{"API, a sandboxed page", "/api/pages.json", []string{"Origin: null"}, 403},
		{"API, own Origin", "/api/pages.json", []string{"Origin: http://" + host}, 200},
		{"search, another site", "/api/search?q=价格", []string{"Sec-Fetch-Site: cross-site"}, 403},
		{"search, same origin", "/api/search?q=价格", []string{"Sec-Fetch-Site: same-origin"}, 200},
		{"static search, another site", "/search/meta.json", []string{"Sec-Fetch-Site: cross-site"}, 403},
		{"static search, same origin", "/search/meta.json", []string{"Sec-Fetch-Site: same-origin"}, 200},
		{"reload script, another site", ScriptPath, []string{"Sec-Fetch-Site: cross-site"}, 403},
		{"page, linked from another site", "/scripts/price/", []string{"Sec-Fetch-Site: cross-site"}, 200},
		{"results page, linked from another site", "/search/", []string{"Sec-Fetch-Site: cross-site"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if w := do(h, "GET", host, tt.target, tt.headers...); w.Code != tt.want {
				t.Errorf("%s %v: %d, want %d: %.200s", tt.target, tt.headers, w.Code, tt.want, w.Body)
			}
		})
	}
	t.Run("event stream, another site", func(t *testing.T) {
		if w := do(h, "GET", host, EventsPath, "Sec-Fetch-Site: cross-site"); w.Code != 403 {
			t.Errorf("%d, want 403", w.Code)
		}
	})
}

// The event stream is only for GET (EventSource): anything else is 405
// with Allow: GET.
func TestEventsOnlyGet(t *testing.T) {
	h := newServer(t).Handler(Access{})
	for _, m := range []string{"POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"} {
		t.Run(m, func(t *testing.T) {
			w := do(h, m, "localhost:1313", EventsPath)
			if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET" {
				t.Errorf("%s %s: %d, Allow %q; want 405, Allow GET", m, EventsPath, w.Code, w.Header().Get("Allow"))
			}
		})
	}
}

// Every answer carries a Content-Security-Policy; a page's allows its own
// inline scripts by hash, never every inline script.
func TestEveryAnswerHasCSP(t *testing.T) {
	s := newServer(t)
	s.IndexSearch()
	h := s.Handler(Access{})
	tests := []struct {
		name, method, host, target string
		code                       int
	}{
		{"page", "GET", "localhost", "/scripts/price/", 200},
		{"home", "GET", "localhost", "/", 200},
		{"404 page", "GET", "localhost", "/nope/", 404},
		{"stylesheet", "GET", "localhost", "/css/site.css", 200},
		{"API", "GET", "localhost", "/api/pages.json", 200},
		{"search", "GET", "localhost", "/api/search?q=价格", 200},
		{"static search", "GET", "localhost", "/search/meta.json", 200},
		{"reload script", "GET", "localhost", ScriptPath, 200},
		{"405", "POST", "localhost", "/scripts/price/", 405},
		{"403", "GET", "evil.example.com", "/", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, tt.method, tt.host, tt.target)
			csp := w.Header().Get("Content-Security-Policy")
			if w.Code != tt.code || csp == "" {
				t.Fatalf("%d with policy %q, want %d with a policy", w.Code, csp, tt.code)
			}
			if src := directive(csp, "script-src"); strings.Contains(src, "unsafe") || !strings.HasPrefix(src, "script-src 'self'") {
				t.Errorf("script-src is %q, want 'self' and hashes only", src)
			}
			for _, d := range []string{"default-src 'self'", "base-uri 'self'", "frame-ancestors 'self'", "form-action 'self'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("policy %q lacks %s", csp, d)
				}
			}
		})
	}
	t.Run("a page's inline script by its hash", func(t *testing.T) {
		w := do(h, "GET", "localhost", "/scripts/price/")
		m := regexp.MustCompile(`<script>([^<]+)</script>`).FindStringSubmatch(w.Body.String())
		if m == nil {
			t.Fatal("the theme's page has no inline script to check")
		}
		if want := hashSource(m[1]); !strings.Contains(directive(w.Header().Get("Content-Security-Policy"), "script-src"), want) {
			t.Errorf("script-src lacks %s, the hash of %q", want, m[1])
		}
	})
}

func directive(policy, name string) string {
	for _, d := range strings.Split(policy, "; ") {
		if d == name || strings.HasPrefix(d, name+" ") {
			return d
		}
	}
	return ""
}

func hashSource(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// pagePolicy hashes exactly what a browser runs inline: the text of each
// <script> without src and each <style>, newlines normalised, and nothing
// that only looks like one.
func TestPagePolicy(t *testing.T) {
	tests := []struct {
		name          string
		page          string
		scripts, nots []string // texts whose hashes script-src must have, and must not
		styles        []string
	}{
		{"inline script", `<p>x</p><script>a()</script>`, []string{"a()"}, nil, nil},
		{"capitals and attributes", `<SCRIPT type="module">b()</SCRIPT>`, []string{"b()"}, nil, nil},
		{"a script with src runs no inline text", `<script src="/x.js">c()</script>`, nil, []string{"c()"}, nil},
		{"CRLF as LF", "<script>d()\r\ne()</script>", []string{"d()\ne()"}, []string{"d()\r\ne()"}, nil},
		{"markup inside a script is text", `<script>if (a < b) f("</p>")</script>`, []string{`if (a < b) f("</p>")`}, nil, nil},
		{"a script in an attribute is none", `<div title="<script>g()</script>">x</div>`, nil, []string{"g()"}, nil},
		{"a script in a comment is none", `<!-- <script>h()</script> -->`, nil, []string{"h()"}, nil},
		{"empty script", `<script></script>`, []string{""}, nil, nil},
		{"style element", `<style>p{color:red}</style>`, nil, []string{"p{color:red}"}, []string{"p{color:red}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			csp := pagePolicy([]byte(tt.page))
			scripts, styles := directive(csp, "script-src"), directive(csp, "style-src")
			for _, s := range tt.scripts {
				if !strings.Contains(scripts, hashSource(s)) {
					t.Errorf("%q: script-src %q lacks the hash of %q", tt.page, scripts, s)
				}
			}
			for _, s := range tt.nots {
				if strings.Contains(scripts, hashSource(s)) {
					t.Errorf("%q: script-src %q allows %q", tt.page, scripts, s)
				}
			}
			for _, s := range tt.styles {
				if !strings.Contains(styles, hashSource(s)) {
					t.Errorf("%q: style-src %q lacks the hash of %q", tt.page, styles, s)
				}
			}
		})
	}
}

// Until the search index exists (seconds after serve starts on a large
// site), search says so: 503 with Retry-After and the reason, from
// /api/search and from the static search's files the search box reads.
func TestSearchWhileIndexing(t *testing.T) {
	s := newServer(t)
	h := s.Handler(Access{})
	for _, target := range []string{"/api/search?q=价格", "/search/meta.json", "/search/s/0.json"} {
		t.Run(target, func(t *testing.T) {
			w := do(h, "GET", "localhost", target)
			var body struct{ Error string }
			err := json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || err != nil ||
				!strings.Contains(body.Error, "being built") {
				t.Errorf("before the index: %d, Retry-After %q, body %s; want 503, Retry-After, a JSON reason",
					w.Code, w.Header().Get("Retry-After"), w.Body)
			}
		})
	}
	s.IndexSearch()
	for _, target := range []string{"/api/search?q=价格", "/search/meta.json"} {
		if w := do(h, "GET", "localhost", target); w.Code != 200 {
			t.Errorf("%s once indexed: %d, want 200", target, w.Code)
		}
	}
}
