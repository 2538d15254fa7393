package themes_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// internalJS lists the lines of the page's internal sections (through
// textContent: a folded talk track has no innerText).
const internalJS = `[...document.querySelectorAll("section.internal")]
	.flatMap(s => s.textContent.split("\n")).map(s => s.trim()).filter(s => s.length >= 4)`

// TestTalkTrackInBrowser: on a phone, every copy button of a script, of
// the script library and of a search hit puts on the clipboard only lines
// to say, never a line of an internal section; internal sections are
// marked on screen and in print; a script hit shows its first line to say
// and opens the page at the talk track.
func TestTalkTrackInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSample(t)
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))

	t.Run("each copy button of a script copies lines to say only", func(t *testing.T) {
		open(t, ctx, site+"scripts/price-objection/")
		grantClipboard(t, ctx, site)
		internal := eval[[]string](t, ctx, internalJS)
		if len(internal) < 3 {
			t.Fatalf("internal lines on the price script = %q, want its 千万别说 section", internal)
		}
		quotes := eval[[]string](t, ctx, `[...document.querySelectorAll(".talk-track .say > blockquote")].map(q => q.innerText.trim())`)
		copies := clickCopyButtons(t, ctx, ".talk-track [data-copy]")
		if len(copies) != len(quotes)+1 || len(quotes) != 2 {
			t.Fatalf("%d copy buttons for %d quotes, want 2 quotes and a button each plus one for the talk track", len(copies), len(quotes))
		}
		if want := strings.Join(quotes, "\n\n"); copies[0] != want {
			t.Errorf("复制话术 copied\n%s\nwant the two quotes\n%s", copies[0], want)
		}
		for i, q := range quotes {
			if copies[i+1] != q {
				t.Errorf("the copy button of line %d copied %q, want %q", i+1, copies[i+1], q)
			}
		}
		for _, c := range copies {
			for _, l := range internal {
				if strings.Contains(c, l) {
					t.Errorf("a copy button copied the internal line %q", l)
				}
			}
		}
		label := eval[string](t, ctx, `document.querySelector(".say .copy-btn").innerText.trim()`)
		if label != "复制这句" && label != "已复制" {
			t.Errorf("a line's copy button reads %q, want 复制这句", label)
		}
		checkNoOverflow(t, ctx, "price script at 390px")
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(".say").scrollIntoView({block: "center"})`))
		screenshot(t, ctx, shots, "talk-say-phone")
	})

	t.Run("internal sections are marked on screen and in print", func(t *testing.T) {
		open(t, ctx, site+"scripts/price-objection/")
		mark := `getComputedStyle(document.querySelector("section.internal"), "::before").content`
		if got := eval[string](t, ctx, mark); !strings.Contains(got, "内部") {
			t.Errorf("the internal section's mark on screen = %s, want 内部 · 勿对客户说", got)
		}
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("section.internal").scrollIntoView({block: "center"})`))
		screenshot(t, ctx, shots, "talk-internal-phone")
		do(t, ctx, media("print"))
		defer do(t, ctx, media(""))
		if got := eval[string](t, ctx, mark); !strings.Contains(got, "内部") {
			t.Errorf("the internal section's mark in print = %s, want 内部 · 勿对客户说", got)
		}
		if got := eval[string](t, ctx, `getComputedStyle(document.querySelector(".say > blockquote"), "::before").content`); !strings.Contains(got, "对客户说") {
			t.Errorf("a line to say in print is marked %s, want 对客户说", got)
		}
		if n := eval[int](t, ctx, `[...document.querySelectorAll(".copy-btn")].filter(b => b.offsetParent !== null).length`); n != 0 {
			t.Errorf("%d copy buttons print", n)
		}
	})

	t.Run("the script library copies lines to say only", func(t *testing.T) {
		open(t, ctx, site+"scripts/")
		internal := eval[[]string](t, ctx, internalJS)
		if len(internal) == 0 {
			t.Fatal("no internal section in the library's talk tracks")
		}
		copies := clickCopyButtons(t, ctx, `.script-copy [data-copy]`)
		if len(copies) < 10 {
			t.Fatalf("%d talk-track buttons in the library, want one per script", len(copies))
		}
		for _, c := range copies {
			for _, l := range internal {
				if strings.Contains(c, l) {
					t.Errorf("a library copy button copied the internal line %q", l)
				}
			}
		}
	})

	t.Run("a script hit answers first and opens at the talk track", func(t *testing.T) {
		open(t, ctx, site+"cases/")
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-q")), chromedp.SendKeys(chromedp.CSS("#search-q"), "太贵"))
		answered(t, ctx, inBox, "太贵")
		first := `document.querySelector("#search-pop .search-hits > li")`
		say := eval[string](t, ctx, first+`.querySelector(".hit-say q")?.textContent || ""`)
		if !strings.Contains(say, "谨慎是对的") {
			t.Errorf("the first hit for 太贵 shows %q, want the price script's first line to say", say)
		}
		checkNoOverflow(t, ctx, "answer-first hits at 390px")
		screenshot(t, ctx, shots, "talk-search-phone")
		copies := clickCopyButtons(t, ctx, "#search-pop .search-hits > li:first-child .hit-say .copy-btn")
		if len(copies) != 1 || copies[0] != say {
			t.Errorf("the hit's copy button copied %q, want %q", copies, say)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-pop a.hit")))
		pollNav(t, ctx, `location.hash === "#h-track" && document.readyState === "complete"`)
		top := eval[float64](t, ctx, `document.getElementById("h-track").getBoundingClientRect().top`)
		if top < 0 || top > 200 {
			t.Errorf("the talk track's heading is at %.0fpx after the tap, want at the top of the screen", top)
		}
		screenshot(t, ctx, shots, "talk-landed-phone")
	})

	t.Run("the results page answers first", func(t *testing.T) {
		open(t, ctx, site+"search/?q="+url.QueryEscape("预算用完"))
		answered(t, ctx, onPage, "预算用完")
		href := eval[string](t, ctx, `document.querySelector(".search-results .hit-say").closest("li").querySelector("a.hit").getAttribute("href")`)
		if !strings.HasSuffix(href, "/#h-track") {
			t.Errorf("a hit with a line to say links to %s, want the page's talk track", href)
		}
		screenshot(t, ctx, shots, "talk-results-phone")
	})
}

// clickCopyButtons clicks each button sel names, as a reader taps it, and
// returns what each put on the clipboard.
func clickCopyButtons(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	n := eval[int](t, ctx, fmt.Sprintf(`[...document.querySelectorAll(%q)].map((b, i) => b.setAttribute("data-test-copy", i)).length`, sel))
	var out []string
	for i := range n {
		btn := fmt.Sprintf(`[data-test-copy="%d"]`, i)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).closest("details")?.setAttribute("open", "")`, btn)),
			chromedp.ScrollIntoView(chromedp.CSS(btn)), chromedp.Click(chromedp.CSS(btn)))
		poll(t, ctx, fmt.Sprintf(`document.querySelector(%q).classList.contains("copied")`, btn))
		out = append(out, eval[string](t, ctx, `navigator.clipboard.readText().catch(() => "")`, chromedp.EvalAwaitPromise))
	}
	return out
}
