package themes_test

// Browser checks of the site on a rep's phone (390×844, touch): tap
// targets, the header that stays at hand, the top menu's scroll cue, the
// favicon, and offline reading through the service worker.

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// smallTargets lists the visible links, buttons and fields of the page
// smaller than 44×44 CSS pixels, but for links inside running text (WCAG
// 2.5.5 exempts those: their size is the text's).
const smallTargets = `[...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, summary, textarea")]
	.filter(e => {
		const r = e.getBoundingClientRect();
		if (e.disabled || e.classList.contains("skip")) return false; // a task list's box; the skip link shows on focus
		const label = e.closest("label");
		if (label && label.getBoundingClientRect().height >= 43.5) return false; // the label is the target
		if (!r.width || !r.height || getComputedStyle(e).visibility === "hidden") return false;
		if (e.tagName === "A" && e.closest("p, li:not(.item):not([class]) > p, td, .prose p, .prose li") && !e.closest("nav, .chips, .term-list")) return false;
		return r.width < 43.5 || r.height < 43.5;
	})
	.map(e => e.tagName.toLowerCase() + "." + (e.className || "") + " " + JSON.stringify((e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 16)) + " " + Math.round(e.getBoundingClientRect().width) + "×" + Math.round(e.getBoundingClientRect().height))`

func TestPhoneInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSample(t)
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))

	t.Run("tap targets at least 44 px", func(t *testing.T) {
		for _, p := range []string{"", "scripts/", "scripts/price-objection/", "cases/", "training/", "search/?q=价格"} {
			open(t, ctx, site+p)
			if strings.HasPrefix(p, "search/") {
				poll(t, ctx, `document.querySelectorAll(".search-results a.hit").length > 0`)
			}
			if small := eval[[]string](t, ctx, smallTargets); len(small) > 0 {
				t.Errorf("/kb/%s: %d tap targets under 44 px: %q", p, len(small), small)
			}
		}
		open(t, ctx, site)
		screenshot(t, ctx, shots, "phone-home")
	})
}
