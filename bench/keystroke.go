package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// keystrokeTargetMS is the static client's target at 10k pages (issue 13):
// from a keystroke to its results drawn, p95.
const keystrokeTargetMS = 100

// keystrokeRounds: one warm-up round over the queries (the client loads
// its index files), then these timed rounds.
const keystrokeRounds = 2

// A lastKey is how the timed keystroke, a query's last character, meets
// the client (js/search/ui.js searches on the keystroke itself, one search
// in flight at a time, the box's newest text next).
type lastKey struct {
	name   string // the report's row
	during bool   // the text before the key was typed just before it: its search has just started
}

// lastKeys are the cases the section measures: the best and the worst
// moment for a key to arrive.
var lastKeys = []lastKey{
	{"after a pause", false},
	{"mid-search", true},
}

// keystrokeHarness arms a measurement of the header's search box: t0 is
// the input event of the keystroke, the end the first frame after the box
// shows the whole answer to the whole query (ui.js's signal: its
// data-query is the query and it is not aria-busy).
const keystrokeHarness = `(() => {
  const input = document.getElementById("search-q");
  if (!input) throw new Error("no #search-q on the page");
  const box = () => document.getElementById("search-pop");
  window.__kb = {
    arm(prefix, q, during, timeoutMS) {
      input.value = prefix;
      const b = box();
      if (b) { b.textContent = ""; b.removeAttribute("data-query"); }
      if (during) input.dispatchEvent(new Event("input")); // the client searches prefix now
      let t0 = 0, obs;
      input.addEventListener("input", () => { t0 = performance.now(); }, {once: true, capture: true});
      const answered = () => { const b = box(); return t0 && b && !b.hidden && b.getAttribute("data-query") === q && !b.hasAttribute("aria-busy"); };
      this.done = new Promise((resolve, reject) => {
        const deadline = setTimeout(() => { obs.disconnect(); reject(new Error("no answer to " + q + " within " + timeoutMS + " ms")); }, timeoutMS);
        obs = new MutationObserver(() => {
          if (!answered()) return;
          obs.disconnect();
          clearTimeout(deadline);
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        });
        obs.observe(document.body, {childList: true, subtree: true, attributes: true});
      });
      return true;
    },
  };
  input.focus();
  return true;
})()`

// keystrokes types each query into the header search box of the built site
// in dest, served from disk, in one headless Chromium tab, once per case of
// lastKeys a round. It returns, per case, the time in ms from a query's
// last keystroke to the whole answer drawn, of every timed round.
func keystrokes(ctx context.Context, dest string, qs []string) ([][]float64, error) {
	prefix, err := sitePath(dest)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(dest))))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	bctx, stop, err := newBrowser(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+prefix), chromedp.WaitReady("#search-q")); err != nil {
		return nil, fmt.Errorf("open the site: %w", err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](keystrokeHarness)); err != nil {
		return nil, fmt.Errorf("open the site: %w", err)
	}
	times := make([][]float64, len(lastKeys))
	for round := range 1 + keystrokeRounds {
		for _, q := range qs {
			for i, k := range lastKeys {
				ms, err := keystroke(bctx, q, k, round == 0)
				if err != nil {
					return nil, fmt.Errorf("query %q, %s: %w", q, k.name, err)
				}
				if round > 0 {
					times[i] = append(times[i], ms)
				}
			}
		}
	}
	return times, nil
}

// sitePath returns the path the built site in dest is served under (a
// site's baseURL may have one, as the synthetic sites' /sales/ does), from
// its home page's link to the search client's entry, js/search/ui.js.
func sitePath(dest string) (string, error) {
	html, err := os.ReadFile(filepath.Join(dest, "index.html"))
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`<script type="module" src="([^"]*/)js/search/ui\.js"`).FindSubmatch(html)
	if m == nil {
		return "", fmt.Errorf("%s: the home page loads no js/search/ui.js", filepath.Join(dest, "index.html"))
	}
	return string(m[1]), nil
}

// keystroke times the last character of q, typed as k says. A query of
// the warm-up round, which fetches the client's files, may take longer.
func keystroke(ctx context.Context, q string, k lastKey, warmUp bool) (float64, error) {
	rs := []rune(strings.TrimSpace(q))
	if len(rs) == 0 {
		return 0, errors.New("empty query")
	}
	prefix, last := string(rs[:len(rs)-1]), string(rs[len(rs)-1])
	limit := 10 * time.Second
	if warmUp {
		limit = 60 * time.Second
	}
	tctx, cancel := context.WithTimeout(ctx, limit+5*time.Second)
	defer cancel()
	arm := fmt.Sprintf("window.__kb.arm(%s, %s, %t, %d)", mustJSON(prefix), mustJSON(string(rs)), k.during, limit.Milliseconds())
	if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](arm)); err != nil {
		return 0, err
	}
	typeLast := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: last})
		return err
	})
	if err := chromedp.Do(tctx, typeLast); err != nil {
		return 0, err
	}
	return chromedp.Run(tctx, chromedp.Evaluate[float64]("window.__kb.done", chromedp.EvalAwaitPromise))
}

// keystrokeSection is the BENCHMARKS.md paragraph of the browser figures.
func keystrokeSection(ctx context.Context, dest string, pages int, qs []string) string {
	loadBefore := loadAvg()
	times, err := keystrokes(ctx, dest, qs)
	if err != nil {
		return fmt.Sprintf("\nThe static client in the browser was not measured: %v.\n", err)
	}
	ms := func(v float64) string { return fmt.Sprintf("%.0f ms", v) }
	var rows [][]string
	for i, k := range lastKeys {
		ts := slices.Sorted(slices.Values(times[i]))
		pct := func(p int) float64 { return ts[(len(ts)-1)*p/100] }
		rows = append(rows, []string{k.name, thousands(int64(len(ts))), ms(pct(50)), ms(pct(95)), ms(ts[len(ts)-1])})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Static search in the browser at %s pages\n\n", thousands(int64(pages)))
	fmt.Fprintf(&b, `The %d queries above typed into the header search box of the built site, served from local disk, in one headless
Chromium tab. The client searches on the keystroke itself, with no pause for typing to stop (`+"`js/search/ui.js`"+`); the
time runs from a query's last keystroke (its input event) to the first frame after the box shows the whole answer to
the whole query (the box's data-query is the query and it is no longer aria-busy), over %d timed rounds after a
warm-up round that loads the client's files. *After a pause*: all of the query but its last character is in the box,
unsearched, when the last one is typed. *Mid-search*: the text before the last character is typed first and its
search has just started when the last one arrives; the client finishes that search, then searches the whole query
(one search in flight at a time), so this is the slowest moment for a key to arrive.

`, len(qs), keystrokeRounds)
	b.WriteString(table([]string{"Last key", "Keystrokes", "p50", "p95", "max"}, "lrrrr", rows))
	fmt.Fprintf(&b, "\nTarget: p95 under %d ms at 10k pages. System load average (1, 5, 15 min) before: %s; after: %s.\n",
		keystrokeTargetMS, loadBefore, loadAvg())
	return b.String()
}
