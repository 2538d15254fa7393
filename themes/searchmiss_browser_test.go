package themes_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// recordBeacons wraps navigator.sendBeacon in every page the tab opens, so
// a test can count the calls right after the event that should (or should
// not) make one, without waiting for the network.
const recordBeacons = `(() => {
  window.__beacons = [];
  const send = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, body) => { window.__beacons.push({url: String(url), body: String(body)}); return send(url, body); };
})();`

// buildWithCollector builds files as a site served under basePath, with a
// collector of search miss reports at basePath+"collect/miss" whose bodies
// arrive on the returned channel, after the path of the page that sent
// them (its Referer) and a space.
func buildWithCollector(t *testing.T, files map[string]string) (string, <-chan string) {
	t.Helper()
	dest := buildPublic(t, files, fixtureNow)
	got := make(chan string, 16)
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+basePath+"collect/miss", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		from, _ := url.Parse(r.Referer())
		got <- from.Path + " " + string(b)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.Handle(basePath, http.StripPrefix(strings.TrimSuffix(basePath, "/"), http.FileServer(http.Dir(dest))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + basePath, got
}

// missSite is a small site whose search finds 价格 and nothing for the
// made-up words the test types.
func missSite(reportURL string) map[string]string {
	files := maps.Clone(map[string]string{
		"playbook.yaml":            "title: 未命中测试\nbaseURL: https://kb.example.com" + basePath + "\n",
		"content/_index.md":        "---\ntitle: 首页\n---\n看[价格话术](scripts/price.md)。\n",
		"content/scripts/price.md": "---\ntitle: 价格异议处理\nobjection: 你们太贵了\n---\n先问客户在和谁比价格。\n",
	})
	if reportURL != "" {
		files["playbook.yaml"] += "search:\n  report_url: " + reportURL + "\n"
	}
	return files
}

func beacons(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `window.__beacons.map(b => b.url + " " + b.body)`)
}

// receive waits for the collector's next report.
func receive(t *testing.T, got <-chan string, what string) string {
	t.Helper()
	select {
	case b := <-got:
		return b
	case <-time.After(15 * time.Second):
		t.Fatalf("%s: no report reached the collector", what)
		return ""
	}
}

// TestSearchMissBeacon: the static search reports a miss to
// search.report_url once the query settles — after a pause, on Enter on
// the results page, or when the page is left — once per query and page
// load, never for the keystrokes on the way, never for a search with
// strict hits (only relaxed ones are a miss), and not at all without
// report_url.
func TestSearchMissBeacon(t *testing.T) {
	chromium := findChromium(t)
	site, got := buildWithCollector(t, missSite("/collect/miss"))
	ctx := newBrowser(t, chromium)
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: recordBeacons})
		return err
	}))

	t.Run("results page: sent once it settles, once", func(t *testing.T) {
		open(t, ctx, site+"search/?q=xqzv")
		answered(t, ctx, onPage, "xqzv")
		var body struct {
			Time    string
			Query   string
			Count   *int
			Relaxed *bool
		}
		from, raw, _ := strings.Cut(receive(t, got, "a settled miss"), " ")
		if from != basePath+"search/" {
			t.Errorf("report from %s, want the results page", from)
		}
		if err := json.Unmarshal([]byte(raw), &body); err != nil || body.Query != "xqzv" || body.Count == nil || *body.Count != 0 ||
			body.Relaxed == nil || *body.Relaxed || body.Time == "" {
			t.Errorf("report %s (%v), want {time, query: xqzv, count: 0, relaxed: false}", raw, err)
		}
		var keys map[string]any
		json.Unmarshal([]byte(raw), &keys)
		if len(keys) != 4 {
			t.Errorf("report %s has %d fields, want time, query, count, relaxed only", raw, len(keys))
		}
		// Enter on the same query, searched again, and leaving the page
		// send nothing more.
		eval[bool](t, ctx, `document.querySelector(".search-results").textContent = "", document.querySelector("form.search").requestSubmit(), true`)
		answered(t, ctx, onPage, "xqzv")
		if n := eval[int](t, ctx, `window.dispatchEvent(new Event("pagehide")), window.__beacons.length`); n != 1 {
			t.Errorf("%d beacons after Enter and pagehide on the same query, want 1: %q", n, beacons(t, ctx))
		}
	})

	t.Run("results page: Enter sends a new miss at once", func(t *testing.T) {
		eval[bool](t, ctx, `document.querySelector(".search-results").textContent = "", true`)
		do(t, ctx, chromedp.SetValue("#search-q", "wqzv"), chromedp.Evaluate[chromedp.Void](`document.querySelector("#search-q").dispatchEvent(new Event("input"))`))
		answered(t, ctx, onPage, "wqzv")
		if n := eval[int](t, ctx, `document.querySelector("form.search").requestSubmit(), window.__beacons.length`); n != 2 {
			t.Errorf("%d beacons right after Enter, want 2: %q", n, beacons(t, ctx))
		}
		if b := receive(t, got, "Enter"); !strings.Contains(b, `"query":"wqzv"`) {
			t.Errorf("report %s, want wqzv", b)
		}
	})

	t.Run("header box: only the query typed to the end", func(t *testing.T) {
		open(t, ctx, site)
		do(t, ctx, chromedp.Click("#search-q"), chromedp.SendKeys("#search-q", "xq"))
		answered(t, ctx, inBox, "xq")
		eval[bool](t, ctx, `document.querySelector("#search-pop").textContent = "", true`)
		if n := eval[int](t, ctx, `window.__beacons.length`); n != 0 {
			t.Errorf("a beacon while typing: %q", beacons(t, ctx))
		}
		do(t, ctx, chromedp.SendKeys("#search-q", "zv"))
		answered(t, ctx, inBox, "xqzv")
		eval[bool](t, ctx, `window.dispatchEvent(new Event("pagehide")), true`)
		if b := beacons(t, ctx); len(b) != 1 || !strings.HasPrefix(b[0], basePath+"collect/miss ") || !strings.Contains(b[0], `"query":"xqzv"`) {
			t.Errorf("beacons %q, want one for xqzv to %scollect/miss", b, basePath)
		}
		if b := receive(t, got, "pagehide"); !strings.Contains(b, `"query":"xqzv"`) {
			t.Errorf("report %s, want xqzv", b)
		}
	})

	t.Run("header box: Enter leaves the query to the results page", func(t *testing.T) {
		open(t, ctx, site+"scripts/price/")
		do(t, ctx, chromedp.Click("#search-q"), chromedp.SendKeys("#search-q", "pqzv"))
		answered(t, ctx, inBox, "pqzv")
		do(t, ctx, chromedp.SendKeys("#search-q", "\r"))
		b := receive(t, got, "the results page after Enter")
		if from, body, _ := strings.Cut(b, " "); from != basePath+"search/" || !strings.Contains(body, `"query":"pqzv"`) {
			t.Errorf("first report %s, want pqzv from the results page alone, not the page the box was on", b)
		}
	})

	t.Run("relaxed hits only: a miss with their count", func(t *testing.T) {
		open(t, ctx, site+"search/?q="+url.QueryEscape("客户说太贵怎么办"))
		answered(t, ctx, onPage, "客户说太贵怎么办")
		if b := receive(t, got, "relaxed hits only"); !strings.Contains(b, `"query":"客户说太贵怎么办","count":1,"relaxed":true`) {
			t.Errorf("report %s, want 客户说太贵怎么办 with 1 relaxed hit", b)
		}
	})

	t.Run("a search with hits is no miss", func(t *testing.T) {
		open(t, ctx, site+"search/?q="+"%E4%BB%B7%E6%A0%BC")
		answered(t, ctx, onPage, "价格")
		if n := eval[int](t, ctx, `window.dispatchEvent(new Event("pagehide")), window.__beacons.length`); n != 0 {
			t.Errorf("beacons for a search with hits: %q", beacons(t, ctx))
		}
	})

	t.Run("without report_url nothing is sent", func(t *testing.T) {
		plain, _ := buildWithCollector(t, missSite(""))
		open(t, ctx, plain+"search/?q=xqzv")
		answered(t, ctx, onPage, "xqzv")
		n := eval[int](t, ctx, `document.querySelector("form.search").requestSubmit(), window.dispatchEvent(new Event("pagehide")), window.__beacons.length`)
		if n != 0 || eval[bool](t, ctx, `document.querySelector("form.search").hasAttribute("data-report")`) {
			t.Errorf("%d beacons without report_url: %q", n, beacons(t, ctx))
		}
	})
	select {
	case b := <-got:
		t.Errorf("a report more than expected: %s", b)
	default:
	}
}
