package preview

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
)

// writeSite writes files (slash paths relative to the site) into a new
// temporary site folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var smallSite = map[string]string{
	"playbook.yaml":            "title: 测试手册\nlanguage: zh-CN\n",
	"content/_index.md":        "---\ntitle: 测试手册\n---\n\n欢迎。\n",
	"content/scripts/price.md": "---\ntitle: 价格异议处理\nobjection: 你们太贵了\nchannel: phone\nstages: [negotiation]\n---\n\n先确认客户在和谁比较。\n",
	"content/scripts/draft.md": "---\ntitle: 续约草稿话术\ndraft: true\n---\n\n还没写完的续约话术。\n",
	"content/guides/intro.md":  "---\ntitle: 新人第一周\n---\n\n第一周先读[价格异议](../scripts/price.md)。\n",
	"static/css/site.css":      "body { color: black; }\n",
}

// startServer builds site in memory and serves it with httptest.
func startServer(t *testing.T, site string) (*Server, *httptest.Server) {
	t.Helper()
	live, err := builder.NewLive(context.Background(), builder.Options{Site: site, Drafts: true, Future: true, NowText: "2026-11-23"})
	if live == nil {
		t.Fatal(err)
	}
	s := New(live, err, io.Discard)
	hs := httptest.NewServer(s.Handler(Access{}))
	t.Cleanup(func() { s.Close(); hs.Close() })
	return s, hs
}

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestServeOnlyFilesOfTheBuild(t *testing.T) {
	site := writeSite(t, smallSite) // links leading out of the site: TestServeSourceRule
	os.WriteFile(filepath.Join(site, "static", "inner.txt"), []byte("inner"), 0o644)
	if err := os.Symlink(filepath.Join(site, "static", "inner.txt"), filepath.Join(site, "static", "ok.txt")); err != nil {
		t.Fatal(err)
	}
	_, hs := startServer(t, site)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		name, path string
		code       int
	}{
		{"home", "/", 200},
		{"page", "/scripts/price/", 200},
		{"folder without slash redirects", "/scripts/price", 301},
		{"static file", "/css/site.css", 200},
		{"symlink inside static", "/ok.txt", 200},
		{"dot dot", "/../playbook.yaml", 404},
		{"dot dot deeper", "/scripts/../../playbook.yaml", 404},
		{"encoded dots", "/%2e%2e/playbook.yaml", 404},
		{"encoded dots mixed case", "/scripts/%2E%2e/%2e%2E/content/_index.md", 404},
		{"backslash", "/scripts/..\\..\\playbook.yaml", 404},
		{"encoded backslash", "/scripts/..%5c..%5cplaybook.yaml", 404},
		{"nul", "/index.html%00.css", 404},
		{"source file", "/content/scripts/price.md", 404},
		{"double slash", "//scripts/price/", 404},
		{"single dot", "/./index.html", 404},
		{"missing", "/nothing/here/", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", hs.URL+tc.path, nil)
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.code {
				t.Errorf("GET %s = %d, want %d", tc.path, resp.StatusCode, tc.code)
			}
			if strings.Contains(string(body), "title: 测试手册\nlanguage") {
				t.Errorf("GET %s leaked a file from outside the output", tc.path)
			}
			for _, h := range []string{"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("GET %s: no %s header", tc.path, h)
				}
			}
		})
	}
}

func TestReloadScriptOnlyInServe(t *testing.T) {
	site := writeSite(t, smallSite)
	s, hs := startServer(t, site)
	_, page, _ := get(t, hs.URL+"/scripts/price/")
	if !strings.Contains(page, `<script src="`+ScriptPath+`"`) {
		t.Fatalf("served page has no reload script:\n%s", page)
	}
	if i, j := strings.Index(page, ScriptPath), strings.LastIndex(page, "</body>"); i > j {
		t.Errorf("reload script after </body>")
	}
	if strings.Contains(string(s.state.Load().snap.Files["scripts/price/index.html"]), "_playbook") {
		t.Error("the snapshot itself carries the reload script")
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := builder.Build(context.Background(), builder.Options{Site: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dest, "scripts", "price", "index.html"))
	if len(b) == 0 || strings.Contains(string(b), "_playbook") || strings.Contains(string(b), "EventSource") {
		t.Error("playbook build output carries the reload script")
	}
	code, js, hdr := get(t, hs.URL+ScriptPath)
	if code != 200 || !strings.Contains(js, "EventSource") || !strings.HasPrefix(hdr.Get("Content-Type"), "text/javascript") {
		t.Errorf("reload script: %d %s %q", code, hdr.Get("Content-Type"), js)
	}
}

// events reads the event stream and sends each event's data on a channel.
func events(t *testing.T, url string) <-chan string {
	t.Helper()
	resp, err := http.Get(url + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: content type %q", ct)
	}
	out := make(chan string, 16)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				out <- d
			}
		}
		close(out)
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return out
}

func waitClients(t *testing.T, s *Server, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); s.hub.Clients() < n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d pages connected, want %d", s.hub.Clients(), n)
		}
	}
}

func next(t *testing.T, ev <-chan string) string {
	t.Helper()
	select {
	case e := <-ev:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event")
		return ""
	}
}

func TestEventsAfterBuilds(t *testing.T) {
	site := writeSite(t, smallSite)
	s, hs := startServer(t, site)
	ev := events(t, hs.URL)
	waitClients(t, s, 1)
	ctx := context.Background()

	css := filepath.Join(site, "static", "css", "site.css")
	os.WriteFile(css, []byte("body { color: navy; }\n"), 0o644)
	if kind, _ := s.Update(ctx, []string{css}); kind != builder.ChangeCSS {
		t.Errorf("stylesheet change: %s, want css", kind)
	}
	if e := next(t, ev); e != EventCSS {
		t.Errorf("stylesheet change sent %q, want %q", e, EventCSS)
	}
	if _, body, _ := get(t, hs.URL+"/css/site.css"); !strings.Contains(body, "navy") {
		t.Errorf("new stylesheet not served: %q", body)
	}

	md := filepath.Join(site, "content", "scripts", "price.md")
	os.WriteFile(md, []byte(smallSite["content/scripts/price.md"]+"\n再算一笔三年总账。\n"), 0o644)
	if kind, _ := s.Update(ctx, []string{md}); kind != builder.ChangeBody {
		t.Errorf("body edit: %s, want body", kind)
	}
	if e := next(t, ev); e != EventReload {
		t.Errorf("page edit sent %q, want %q", e, EventReload)
	}
	if _, page, _ := get(t, hs.URL+"/scripts/price/"); !strings.Contains(page, "再算一笔三年总账") {
		t.Error("edited text not served")
	}
}

func TestErrorOverlayKeepsLastGoodBuild(t *testing.T) {
	site := writeSite(t, smallSite)
	s, hs := startServer(t, site)
	ctx := context.Background()
	md := filepath.Join(site, "content", "scripts", "price.md")
	good := smallSite["content/scripts/price.md"]
	broken := strings.Replace(good, "channel: phone", "channel: [phone", 1)
	os.WriteFile(md, []byte(broken+"\n坏掉之后写的字。\n"), 0o644)
	s.Update(ctx, []string{md})
	for _, path := range []string{"/", "/scripts/price/", "/guides/intro/", "/no/such/page/"} {
		_, page, _ := get(t, hs.URL+path)
		if !strings.Contains(page, `id="playbook-error"`) {
			t.Fatalf("%s: no error overlay after a broken save", path)
		}
		if !strings.Contains(page, "content/scripts/price.md:") {
			t.Errorf("%s: overlay does not name the file and line", path)
		}
	}
	_, page, _ := get(t, hs.URL+"/scripts/price/")
	if !strings.Contains(page, "先确认客户在和谁比较") || strings.Contains(page, "坏掉之后写的字") {
		t.Error("the last good build is not what is served")
	}
	if _, css, _ := get(t, hs.URL+"/css/site.css"); strings.Contains(css, "playbook-error") {
		t.Error("overlay injected into a stylesheet")
	}

	os.WriteFile(md, []byte(good+"\n修好了。\n"), 0o644)
	s.Update(ctx, []string{md})
	_, page, _ = get(t, hs.URL+"/scripts/price/")
	if strings.Contains(page, "playbook-error") {
		t.Error("overlay still shown after the fix")
	}
	if !strings.Contains(page, "修好了") {
		t.Error("the fixed page is not served")
	}
}

func TestOverlayEscapes(t *testing.T) {
	o := Overlay(errString("content/<x>.md:3: title: <script>alert(1)</script>"), "zh-CN")
	if strings.Contains(o, "<script>") || !strings.Contains(o, "&lt;script&gt;") {
		t.Errorf("overlay does not escape the message: %s", o)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestSearchCoversWhatIsShown(t *testing.T) {
	site := writeSite(t, smallSite)
	s, hs := startServer(t, site)
	s.IndexSearch()
	code, body, _ := get(t, hs.URL+SearchPath+"?q=续约草稿")
	if code != 200 {
		t.Fatalf("search: %d %s", code, body)
	}
	var res struct {
		Hits []struct{ Path string } `json:"hits"`
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Path != "scripts/draft" {
		t.Errorf("the draft shown in serve is not found by search: %s", body)
	}
	// The search box's static files come from the same index, so the
	// draft is in them too.
	if code, body, _ := get(t, hs.URL+"/search/meta.json"); code != 200 {
		t.Fatalf("static search meta.json: %d %s", code, body)
	}
	var docs strings.Builder
	for i := 0; ; i++ {
		code, body, _ := get(t, hs.URL+"/search/d/"+strconv.Itoa(i)+".json")
		if code != 200 {
			break
		}
		docs.WriteString(body)
	}
	if !strings.Contains(docs.String(), "续约草稿") {
		t.Errorf("the draft shown in serve is not in the static search's documents")
	}
	// An edit reaches the index too.
	md := filepath.Join(site, "content", "scripts", "price.md")
	os.WriteFile(md, []byte(smallSite["content/scripts/price.md"]+"\n提到竞品鲲鹏系统的时候。\n"), 0o644)
	s.Update(context.Background(), []string{md})
	s.IndexSearch()
	_, body, _ = get(t, hs.URL+SearchPath+"?q=鲲鹏")
	if !strings.Contains(body, `"scripts/price"`) {
		t.Errorf("edited text not found by search: %s", body)
	}
	// A page deleted leaves the index; the static documents follow.
	os.Remove(filepath.Join(site, "content", "scripts", "draft.md"))
	s.Update(context.Background(), []string{filepath.Join(site, "content", "scripts", "draft.md")})
	s.IndexSearch()
	if _, body, _ = get(t, hs.URL+SearchPath+"?q=续约草稿"); strings.Contains(body, `"scripts/draft"`) {
		t.Errorf("a deleted page is still found: %s", body)
	}
	// New synonyms change how every query is expanded: the index follows.
	syn := filepath.Join(site, "synonyms.yaml")
	os.WriteFile(syn, []byte("- [鲲鹏, 大鹏系统]\n"), 0o644)
	s.Update(context.Background(), []string{syn})
	s.IndexSearch()
	if _, body, _ = get(t, hs.URL+SearchPath+"?q=大鹏系统"); !strings.Contains(body, `"scripts/price"`) {
		t.Errorf("a synonym added in synonyms.yaml does not find the page: %s", body)
	}
}

// A site that is broken when serve starts is served as an overlay over a
// placeholder until the first save that fixes it.
func TestFirstBuildBroken(t *testing.T) {
	files := map[string]string{}
	for k, v := range smallSite {
		files[k] = v
	}
	files["content/scripts/price.md"] = "---\ntitle: [价格\n---\n\n正文。\n"
	site := writeSite(t, files)
	s, hs := startServer(t, site)
	code, page, _ := get(t, hs.URL+"/")
	if code != http.StatusServiceUnavailable || !strings.Contains(page, `id="playbook-error"`) || !strings.Contains(page, "content/scripts/price.md:") {
		t.Fatalf("broken first build: %d, want 503 with the overlay naming the file:\n%s", code, page)
	}
	md := filepath.Join(site, "content", "scripts", "price.md")
	os.WriteFile(md, []byte(smallSite["content/scripts/price.md"]), 0o644)
	if kind, err := s.Update(context.Background(), []string{md}); kind != builder.ChangeFull || err != nil {
		t.Errorf("fix after a broken start: %s, %v, want full, no error", kind, err)
	}
	code, page, _ = get(t, hs.URL+"/scripts/price/")
	if code != 200 || strings.Contains(page, "playbook-error") {
		t.Errorf("after the fix: %d, overlay %v", code, strings.Contains(page, "playbook-error"))
	}
}

// TestSearchAfterEditFacetsAndCharacters: what the search index works out
// once per index and keeps (the pages' types and stages for facets and
// filters, the terms a lone character matches) follows an edit in serve.
func TestSearchAfterEditFacetsAndCharacters(t *testing.T) {
	site := writeSite(t, smallSite)
	s, hs := startServer(t, site)
	s.IndexSearch()
	type result struct {
		Total int `json:"total"`
		Hits  []struct {
			Path string `json:"path"`
		} `json:"hits"`
		Facets struct {
			Stage []struct {
				Value string `json:"value"`
				Count int    `json:"count"`
			} `json:"stage"`
		} `json:"facets"`
	}
	search := func(query string) result {
		t.Helper()
		code, body, _ := get(t, hs.URL+SearchPath+"?"+query)
		if code != 200 {
			t.Fatalf("search %s: %d %s", query, code, body)
		}
		var r result
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	stages := func(r result) map[string]int {
		m := map[string]int{}
		for _, f := range r.Facets.Stage {
			m[f.Value] = f.Count
		}
		return m
	}
	if r := search("q=价格"); stages(r)["negotiation"] != 1 || stages(r)["closing"] != 0 {
		t.Fatalf("before the edit: stage facets %v", r.Facets.Stage)
	}
	if r := search("q=价格&stage=negotiation"); r.Total != 1 {
		t.Fatalf("before the edit: stage=negotiation finds %d", r.Total)
	}
	if r := search("q=鲲"); r.Total != 0 {
		t.Fatalf("before the edit: 鲲 finds %d", r.Total)
	}

	md := filepath.Join(site, "content", "scripts", "price.md")
	edited := strings.Replace(smallSite["content/scripts/price.md"], "stages: [negotiation]", "stages: [closing]", 1)
	edited = strings.Replace(edited, "title: 价格异议处理", "title: 价格异议处理（鲲鹏）", 1)
	if err := os.WriteFile(md, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Update(context.Background(), []string{md})
	s.IndexSearch()

	r := search("q=价格")
	if st := stages(r); st["closing"] != 1 || st["negotiation"] != 0 {
		t.Errorf("after the edit: stage facets %v, want closing 1 and no negotiation", r.Facets.Stage)
	}
	if r := search("q=价格&stage=negotiation"); r.Total != 0 {
		t.Errorf("after the edit: stage=negotiation still finds %d", r.Total)
	}
	if r := search("q=价格&stage=closing"); r.Total != 1 || r.Hits[0].Path != "scripts/price" {
		t.Errorf("after the edit: stage=closing finds %+v", r.Hits)
	}
	if r := search("q=鲲"); r.Total != 1 || r.Hits[0].Path != "scripts/price" {
		t.Errorf("after the edit: 鲲 finds %+v", r.Hits)
	}
}

// One typo: the overlay names the cause first, folds the links that fail
// because of it under it, and can itself be folded away on a phone.
func TestOverlayLeadsToTheCause(t *testing.T) {
	errs := content.Errors{
		{File: "content/cases/a.md", Line: 5, Field: "link", Msg: "../scripts/price.md does not exist", Target: "scripts/price"},
		{File: "content/cases/b.md", Line: 5, Field: "link", Msg: "../scripts/price.md does not exist", Target: "scripts/price"},
		{File: "content/scripts/price.md", Line: 3, Field: "front matter", Msg: "invalid YAML"},
	}
	o := Overlay(errs.Err(), "zh-CN")
	cause := strings.Index(o, "content/scripts/price.md:3")
	knock := strings.Index(o, "content/cases/a.md:5")
	switch {
	case cause < 0 || knock < 0 || cause > knock:
		t.Errorf("the cause is not listed before its knock-on errors:\n%s", o)
	case !strings.Contains(o, "2 处链接指向此页 (2 links to this page)"):
		t.Errorf("the knock-on errors are not counted under their cause:\n%s", o)
	case !strings.HasPrefix(o, "<details open") || !strings.Contains(o, "<summary"):
		t.Errorf("the overlay cannot be folded:\n%s", o)
	case !strings.Contains(o, "前置信息 front matter") || !strings.Contains(o, "1 个问题 (1 problem)"):
		t.Errorf("the overlay is not in the site's language with the English kept:\n%s", o)
	}
}
