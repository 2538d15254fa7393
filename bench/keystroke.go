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
	"strconv"
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

// keystrokeHarness arms a measurement of the header's search box: t0 is
// the input event of the keystroke, the end the first frame after the box
// shows its answer (a count, "nothing found" or an error).
const keystrokeHarness = `(() => {
  const input = document.getElementById("search-q");
  if (!input) throw new Error("no #search-q on the page");
  window.__kb = {
    arm(prefix, timeoutMS) {
      input.value = prefix; // no input event: the client does not search it
      const box = document.getElementById("search-pop");
      if (box) box.textContent = "";
      let t0 = 0, obs;
      input.addEventListener("input", () => { t0 = performance.now(); }, {once: true, capture: true});
      this.done = new Promise((resolve, reject) => {
        const deadline = setTimeout(() => { obs.disconnect(); reject(new Error("no results within " + timeoutMS + " ms")); }, timeoutMS);
        obs = new MutationObserver(() => {
          const b = document.getElementById("search-pop");
          if (!t0 || !b || b.hidden || !b.querySelector(".search-count, .search-none, .search-error")) return;
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
// in dest, served from disk, in one headless Chromium tab: all but its last
// character set at once, the last one typed as a key. It returns the time
// from that keystroke to the results drawn, in ms, of every timed round.
// The client waits for a pause in typing (TYPING_MS in js/search/ui.js) before it
// searches; that wait is part of the time, as a rep sees it.
func keystrokes(ctx context.Context, dest string, qs []string) ([]float64, error) {
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
	var times []float64
	for round := range 1 + keystrokeRounds {
		for _, q := range qs {
			ms, err := keystroke(bctx, q, round == 0)
			if err != nil {
				return nil, fmt.Errorf("query %q: %w", q, err)
			}
			if round > 0 {
				times = append(times, ms)
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

// keystroke times the last character of q. A query of the warm-up round,
// which fetches the client's files, may take longer.
func keystroke(ctx context.Context, q string, warmUp bool) (float64, error) {
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
	arm := fmt.Sprintf("window.__kb.arm(%s, %d)", mustJSON(prefix), limit.Milliseconds())
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

// typingMS reads the client's pause for typing to stop from its page
// module, ui.js.
func typingMS(root string) (float64, error) {
	js, err := os.ReadFile(filepath.Join(root, "themes", "default", "static", "js", "search", "ui.js"))
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`var TYPING_MS = (\d+);`).FindSubmatch(js)
	if m == nil {
		return 0, errors.New("js/search/ui.js: no TYPING_MS")
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// keystrokeSection is the BENCHMARKS.md paragraph of the browser figures.
func keystrokeSection(ctx context.Context, root, dest string, pages int, qs []string) string {
	pause, err := typingMS(root)
	if err != nil {
		return fmt.Sprintf("\nThe static client in the browser was not measured: %v.\n", err)
	}
	times, err := keystrokes(ctx, dest, qs)
	if err != nil {
		return fmt.Sprintf("\nThe static client in the browser was not measured: %v.\n", err)
	}
	slices.Sort(times)
	pct := func(p int) float64 { return times[(len(times)-1)*p/100] }
	ms := func(v float64) string { return fmt.Sprintf("%.0f ms", v) }
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Static search in the browser at %s pages\n\n", thousands(int64(pages)))
	fmt.Fprintf(&b, `The %d queries above typed into the header search box of the built site, served from local disk, in one headless
Chromium tab: all of a query but its last character set at once, then the last one typed; the time runs from that
keystroke's input event to the first frame after the box shows its answer (%d timed rounds after a warm-up round that
loads the client's files). It includes the client's pause for typing to stop (TYPING_MS in `+"`js/search/ui.js`"+`, %.0f ms);
the last columns are the time without it: searching and drawing.

`, len(qs), keystrokeRounds, pause)
	b.WriteString(table([]string{"Keystrokes", "p50", "p95", "max", "p50 less the pause", "p95 less the pause"}, "rrrrrr",
		[][]string{{thousands(int64(len(times))), ms(pct(50)), ms(pct(95)), ms(times[len(times)-1]),
			ms(pct(50) - pause), ms(pct(95) - pause)}}))
	fmt.Fprintf(&b, "\nTarget: p95 under %d ms at 10k pages.\n", keystrokeTargetMS)
	return b.String()
}
