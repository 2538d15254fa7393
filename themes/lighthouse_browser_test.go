package themes_test

// Browser checks of what Lighthouse scores, fast enough to run with every
// test: on the pages `make bench` scores (cmd/benchsite/lighthouse.go), as
// a phone and as a desktop, nothing moves as the page fills in, every
// control has a name a screen reader can say, and every image has its size.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// lighthousePages are the pages benchsite's lighthouse section scores.
var lighthousePages = []string{"", "scripts/price-objection/", "cases/", "training/spin-discovery/", "search/?q=价格"}

// maxLayoutShift is Lighthouse's "good" cumulative layout shift.
const maxLayoutShift = 0.1

// watchShifts sums, from the next page on, every layout shift not caused
// by the reader's input into window.layoutShift.
const watchShifts = `window.layoutShift = 0;
new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.layoutShift += e.value; })
	.observe({type: "layout-shift", buffered: true});`

// namedRoles are the roles of controls a reader operates; each needs a name.
var namedRoles = map[string]bool{"link": true, "button": true, "textbox": true, "searchbox": true, "combobox": true,
	"checkbox": true, "radio": true, "switch": true, "tab": true, "menuitem": true, "listbox": true, "slider": true}

func TestLighthousePropertiesInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSample(t)
	ctx := newBrowser(t, chromium)
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchShifts})
		return err
	}))
	for _, vp := range []struct {
		name string
		emu  chromedp.Action[chromedp.Void]
	}{
		{"phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1))},
		{"desktop", chromedp.EmulateViewport(1280, 800)},
	} {
		t.Run(vp.name, func(t *testing.T) {
			do(t, ctx, vp.emu)
			for _, p := range lighthousePages {
				openFilled(t, ctx, site+p)
				if shift := eval[float64](t, ctx, `window.layoutShift`); shift >= maxLayoutShift {
					t.Errorf("/kb/%s: layout shift %.3f as the page fills in, want under %g", p, shift, maxLayoutShift)
				}
				if unnamed := unnamedControls(t, ctx); len(unnamed) > 0 {
					t.Errorf("/kb/%s: controls without an accessible name: %q", p, unnamed)
				}
				if unsized := eval[[]string](t, ctx, `[...document.images].filter(i => !i.getAttribute("width") || !i.getAttribute("height")).map(i => i.src)`); len(unsized) > 0 {
					t.Errorf("/kb/%s: images without width and height (they move the page as they load): %q", p, unsized)
				}
			}
		})
	}
}

// openFilled opens url and waits until the page has filled in: loaded,
// and on the results page the whole answer to its query drawn.
func openFilled(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	open(t, ctx, url)
	if _, q, ok := strings.Cut(url, "/search/?q="); ok {
		answered(t, ctx, onPage, q)
	}
}

// unnamedControls lists the controls in the page's accessibility tree that
// have no name, each as its role and the start of its HTML.
func unnamedControls(t *testing.T, ctx context.Context) []string {
	t.Helper()
	var out []string
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		if err != nil {
			return fmt.Errorf("accessibility tree: %w", err)
		}
		for _, n := range res.Nodes {
			if n.Ignored || n.Role == nil || !namedRoles[axString(n.Role)] {
				continue
			}
			if n.Name == nil || strings.TrimSpace(axString(n.Name)) == "" {
				out = append(out, axString(n.Role)+" "+outerHTML(ctx, tg, n.BackendDOMNodeID))
			}
		}
		return nil
	}))
	return out
}

// axString is an accessibility value's text ("" for none or a non-string).
func axString(v *accessibility.Value) string {
	var s string
	if v == nil || len(v.Value) == 0 {
		return ""
	}
	_ = json.Unmarshal(v.Value, &s)
	return s
}

// outerHTML is the start of the DOM node's HTML, to find it in a report.
func outerHTML(ctx context.Context, tg *chromedp.Target, id cdp.BackendNodeID) string {
	res, err := cdp.Call(ctx, tg, dom.GetOuterHTML, dom.GetOuterHTMLParams{BackendNodeID: id})
	if err != nil {
		return fmt.Sprintf("node %d", id)
	}
	h := []rune(res.OuterHTML)
	return string(h[:min(len(h), 120)])
}

// TestMenuScrollCueInBrowser: on a phone the section tabs scroll sideways;
// the strip says on which sides there is more, follows the reader's
// scrolling, and opens with the current section's tab in view.
func TestMenuScrollCueInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSample(t)
	ctx := newBrowser(t, chromium)
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
	const more = `document.querySelector(".site-nav").getAttribute("data-more")`
	const curInView = `(() => {
		const strip = document.querySelector(".site-nav ul").getBoundingClientRect();
		const cur = document.querySelector(".site-nav [aria-current]").getBoundingClientRect();
		return cur.left >= strip.left - 0.5 && cur.right <= strip.right + 0.5;
	})()`
	for _, tc := range []struct {
		name, path, want string
	}{
		{"home page: more to the right", "", "right"},
		{"last section: its tab in view, more to the left", "actions/", "left"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			open(t, ctx, site+tc.path)
			poll(t, ctx, more+` !== null`)
			if got := strings.TrimSpace(eval[string](t, ctx, more)); got != tc.want {
				t.Errorf("data-more = %q, want %q", got, tc.want)
			}
			if tc.path != "" && !eval[bool](t, ctx, curInView) {
				t.Errorf("the current section's tab is outside the strip")
			}
		})
	}
	t.Run("scrolled to the end: more to the left only", func(t *testing.T) {
		open(t, ctx, site)
		poll(t, ctx, more+` !== null`)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`(s => s.scrollLeft = s.scrollWidth)(document.querySelector(".site-nav ul"))`))
		poll(t, ctx, more+` === "left "`)
	})
}
