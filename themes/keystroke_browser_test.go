package themes_test

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// typeAll sets the search box to each prefix of the query in turn, with an
// input event each, all in one task: keystrokes faster than any search.
const typeAll = `(q => {
  const input = document.getElementById("search-q");
  for (const c of q) { input.value += c; input.dispatchEvent(new Event("input")); }
  return true;
})`

// recordDrawn records every data-query the header box's answers carry.
const recordDrawn = `(() => {
  window.__drawn = [];
  new MutationObserver(ms => ms.forEach(m => window.__drawn.push(m.target.getAttribute("data-query"))))
    .observe(document.getElementById("search-pop"), {attributes: true, attributeFilter: ["data-query"]});
  return true;
})()`

// TestSearchOnKeystroke: the static client searches on the keystroke, with
// no pause for typing to stop; keystrokes during a search are coalesced
// into one search of the newest text, and no answer to an older text is
// drawn; the results page's address follows the answer without a history
// entry per keystroke.
func TestSearchOnKeystroke(t *testing.T) {
	chromium := findChromium(t)
	site := buildSample(t)
	ctx := newBrowser(t, chromium)

	t.Run("a keystroke is answered with the page's timers stopped", func(t *testing.T) {
		open(t, ctx, site+"cases/")
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-q")))
		answered(t, ctx, inBox, "")
		// a client that waited for typing to pause (setTimeout) would never search now
		eval[bool](t, ctx, `window.setTimeout = () => 0, true`)
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#search-q"), "价格"))
		answered(t, ctx, inBox, "价格")
		if n := eval[int](t, ctx, `document.querySelectorAll("#search-pop a.hit").length`); n == 0 {
			t.Error("the answer to 价格 shows no hits")
		}
	})

	t.Run("keystrokes during a search: one search of the newest text", func(t *testing.T) {
		open(t, ctx, site+"cases/")
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-q")))
		answered(t, ctx, inBox, "")
		eval[bool](t, ctx, recordDrawn)
		eval[bool](t, ctx, typeAll+`("价格谈判")`)
		if !eval[bool](t, ctx, `document.getElementById("search-pop").getAttribute("aria-busy") === "true"`) {
			t.Error("the box is not aria-busy right after the keystrokes")
		}
		answered(t, ctx, inBox, "价格谈判")
		// 价 was searched at once, but its answer came after newer text:
		// not drawn; 价格 and 价格谈 were never searched
		if drawn := eval[[]string](t, ctx, `window.__drawn`); !slices.Equal(drawn, []string{"价格谈判"}) {
			t.Errorf("the box drew answers to %q, want only 价格谈判", drawn)
		}
	})

	t.Run("the results page replaces its address, no history entry per keystroke", func(t *testing.T) {
		open(t, ctx, site+"search/?q=价格")
		answered(t, ctx, onPage, "价格")
		entries := eval[int](t, ctx, `history.length`)
		eval[bool](t, ctx, `document.getElementById("search-q").value = "", true`)
		for _, k := range []struct{ key, q string }{{"续", "续"}, {"约", "续约"}} {
			do(t, ctx, chromedp.SendKeys(chromedp.CSS("#search-q"), k.key))
			answered(t, ctx, onPage, k.q)
			if got := eval[string](t, ctx, `new URLSearchParams(location.search).get("q")`); got != k.q {
				t.Errorf("after the answer to %s the address has q=%s", k.q, got)
			}
		}
		if n := eval[int](t, ctx, `history.length`); n != entries {
			t.Errorf("history has %d entries after typing, want %d", n, entries)
		}
	})
}
