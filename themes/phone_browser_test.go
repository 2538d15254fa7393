package themes_test

// Browser checks of the site on a rep's phone (390×844, touch): tap
// targets, the header that stays at hand, the top menu's scroll cue, the
// favicon, and offline reading through the service worker.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/playbook-sales/playbook/builder"
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
				answered(t, ctx, onPage, "价格")
			}
			if small := eval[[]string](t, ctx, smallTargets); len(small) > 0 {
				t.Errorf("/kb/%s: %d tap targets under 44 px: %q", p, len(small), small)
			}
		}
		open(t, ctx, site)
		screenshot(t, ctx, shots, "phone-home")
	})
}

// buildSampleInto builds the sample site at now into dest.
func buildSampleInto(t *testing.T, dest string, now time.Time) {
	t.Helper()
	site, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	o := builder.Options{Site: site, Dest: dest, Now: now, NoGit: true, BaseURL: "https://kb.example.com" + basePath}
	if _, err := builder.Build(context.Background(), o); err != nil {
		t.Fatalf("build sample: %v", err)
	}
}

// serveSample builds the sample site at now into dest and serves it under
// basePath, file by file from dest, so a later build there is served at
// once; the caller closes the server (to go offline for real).
func serveSample(t *testing.T, dest string, now time.Time) *httptest.Server {
	t.Helper()
	buildSampleInto(t, dest, now)
	mux := http.NewServeMux()
	mux.Handle(basePath, http.StripPrefix(strings.TrimSuffix(basePath, "/"), http.FileServer(http.Dir(dest))))
	return httptest.NewServer(mux)
}

// goOffline cuts the tab off the network, its service worker included,
// as DevTools' "Offline" does.
func goOffline(t *testing.T, ctx context.Context) {
	t.Helper()
	yes := true
	offline := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &yes,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
	do(t, ctx, offline)
}

// TestOfflineInBrowser: a rep opens the site and a script on the phone;
// a new build shows "有更新" and replaces the kept pages as a whole only
// when asked; then, with the network gone (emulated offline and the server
// shut down), the kept script opens and search finds it.
func TestOfflineInBrowser(t *testing.T) {
	chromium := findChromium(t)
	dest := filepath.Join(t.TempDir(), "public")
	srv := serveSample(t, dest, fixtureNow)
	defer srv.Close()
	site := srv.URL + basePath
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
	const saved = `(() => { const s = document.querySelector(".offline-saved"); return !!s && s.offsetParent !== null && s.textContent === "已离线保存"; })()`
	const footer = `document.querySelector(".built-at time").getAttribute("datetime")`

	t.Run("pages opened are kept", func(t *testing.T) {
		open(t, ctx, site)
		poll(t, ctx, `!!navigator.serviceWorker.controller`)
		poll(t, ctx, saved)
		open(t, ctx, site+"scripts/price-objection/")
		poll(t, ctx, saved)
		screenshot(t, ctx, shots, "offline-saved")
	})

	t.Run("a new build waits until the reader takes it", func(t *testing.T) {
		before := eval[string](t, ctx, footer)
		buildSampleInto(t, dest, fixtureNow.Add(24*time.Hour)) // a new build goes up
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`navigator.serviceWorker.getRegistration().then(r => r.update())`, chromedp.EvalAwaitPromise))
		poll(t, ctx, `(() => { const u = document.querySelector(".offline-update"); return !!u && u.offsetParent !== null; })()`)
		screenshot(t, ctx, shots, "offline-update")
		open(t, ctx, site+"scripts/price-objection/")
		if got := eval[string](t, ctx, footer); got != before {
			t.Errorf("before the reader takes the update the page shows build %s, want the kept %s", got, before)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(".offline-update")))
		poll(t, ctx, footer+` !== "`+before+`"`)
		open(t, ctx, site)
		if got := eval[string](t, ctx, footer); got == before {
			t.Errorf("after the update the home page still shows build %s", got)
		}
		kept := eval[[]string](t, ctx, `caches.keys()`, chromedp.EvalAwaitPromise)
		if len(kept) != 1 {
			t.Errorf("caches after the update = %q, want only the new build's", kept)
		}
	})

	t.Run("offline: a kept page opens and search finds it", func(t *testing.T) {
		srv.Close()
		goOffline(t, ctx)
		open(t, ctx, site+"scripts/price-objection/")
		if h := eval[string](t, ctx, `document.querySelector("h1").textContent`); !strings.Contains(h, "价格异议") {
			t.Errorf("offline, the kept script shows heading %q", h)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-q")), chromedp.SendKeys(chromedp.CSS("#search-q"), "太贵"))
		answered(t, ctx, inBox, "太贵")
		if first := eval[string](t, ctx, `document.querySelector("#search-pop a.hit .hit-title").textContent`); !strings.HasPrefix(first, "价格异议处理") {
			t.Errorf("offline, first hit for 太贵 = %q", first)
		}
		screenshot(t, ctx, shots, "offline-search")
		open(t, ctx, site+"search/?q=价格")
		answered(t, ctx, onPage, "价格")
	})
}

// modCtrl is Ctrl in the modifier bits of Input.dispatchKeyEvent.
const modCtrl = 2

// key sends one key press with modifiers as a real keyboard does.
func key(k, code string, vk, mods int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Key: k, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk, Modifiers: mods}
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestSearchBoxInBrowser: Ctrl+K focuses the box, an empty box offers the
// shortcut, recent searches and the most used objections, the arrow keys
// walk every hit and Escape closes; half-typed pinyin runs no search.
func TestSearchBoxInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSample(t)
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
	focused := `document.activeElement && document.activeElement.id === "search-q"`

	t.Run("Ctrl+K focuses an empty box that offers objections", func(t *testing.T) {
		open(t, ctx, site+"cases/")
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`))
		do(t, ctx, key("k", "KeyK", 75, modCtrl))
		poll(t, ctx, focused)
		poll(t, ctx, `!document.querySelector("#search-pop").hidden`)
		hint := eval[string](t, ctx, `document.querySelector("#search-pop .search-hint").textContent`)
		if !strings.Contains(hint, "Ctrl+K") || !strings.Contains(hint, "/") {
			t.Errorf("hint = %q, want / and Ctrl+K", hint)
		}
		objections := eval[[]string](t, ctx, `[...document.querySelectorAll("#search-pop .search-suggest a")].map(a => a.textContent)`)
		if len(objections) == 0 || !slices.Contains(objections, "你们太贵了，比别家贵了一大截。") {
			t.Errorf("an empty box offers %q, want the most used objections", objections)
		}
		screenshot(t, ctx, shots, "search-empty")
	})

	t.Run("arrow keys walk every hit, Escape closes", func(t *testing.T) {
		do(t, ctx, chromedp.SendKeys(chromedp.CSS("#search-q"), "价格"))
		answered(t, ctx, inBox, "价格")
		n := eval[int](t, ctx, `document.querySelectorAll("#search-pop a.hit").length`)
		if n < 2 {
			t.Fatalf("%d hits for 价格, want several to walk", n)
		}
		var seen []string
		for range n + 1 { // one more press than hits: focus stays on the last
			do(t, ctx, key("ArrowDown", "ArrowDown", 40, 0))
			seen = append(seen, eval[string](t, ctx, `document.activeElement.getAttribute("href") || document.activeElement.id`))
		}
		hits := eval[[]string](t, ctx, `[...document.querySelectorAll("#search-pop a.hit")].map(a => a.getAttribute("href"))`)
		if !slices.Equal(seen[:n], hits) || seen[n] != hits[n-1] {
			t.Errorf("ArrowDown visited %q, want every hit in order %q", seen, hits)
		}
		for range n {
			do(t, ctx, key("ArrowUp", "ArrowUp", 38, 0))
		}
		poll(t, ctx, focused)
		do(t, ctx, key("Escape", "Escape", 27, 0))
		poll(t, ctx, `document.querySelector("#search-pop").hidden`)
	})

	t.Run("no search while an input method composes", func(t *testing.T) {
		open(t, ctx, site+"cases/")
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-q")))
		compose := func(text string) chromedp.Action[chromedp.Void] {
			return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, input.ImeSetComposition, input.ImeSetCompositionParams{Text: text, SelectionStart: int64(len(text)), SelectionEnd: int64(len(text))})
				return err
			})
		}
		for _, part := range []string{"j", "ji", "jia", "jiag", "jiage"} {
			do(t, ctx, compose(part))
		}
		// the client searches on the keystroke itself (no debounce), marking
		// the box aria-busy at once: a search for pinyin would show here (the
		// focus drew the empty box's suggestions, data-query "")
		if eval[bool](t, ctx, `(b => b.hasAttribute("aria-busy") || !!b.getAttribute("data-query") || !!b.querySelector(".search-none, a.hit"))(document.querySelector("#search-pop"))`) {
			t.Error("while composing pinyin the box searched")
		}
		commit := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: "价格"})
			return err
		})
		do(t, ctx, commit)
		answered(t, ctx, inBox, "价格")
	})

	t.Run("recent searches are offered", func(t *testing.T) {
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("form.search").requestSubmit()`)) // Enter
		pollNav(t, ctx, `location.pathname.endsWith("/search/") && document.readyState === "complete"`)
		open(t, ctx, site+"cases/")
		do(t, ctx, chromedp.Click(chromedp.CSS("#search-q")))
		poll(t, ctx, `[...document.querySelectorAll("#search-pop .search-suggest a")].some(a => a.textContent === "价格")`)
	})

	t.Run("the results page does not move as hits arrive", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(1280, 800))
		open(t, ctx, site+"search/?q=价格")
		answered(t, ctx, onPage, "价格")
		top := eval[float64](t, ctx, `document.querySelector(".site-footer").getBoundingClientRect().top`)
		if top < 800 {
			t.Errorf("the footer starts at %.0f px, inside the first screen: it moves as hits arrive", top)
		}
		open(t, ctx, site+"search/?q="+url.QueryEscape("zzzzqqqq"))
		answered(t, ctx, onPage, "zzzzqqqq")
		if top := eval[float64](t, ctx, `document.querySelector(".site-footer").getBoundingClientRect().top`); top < 800 {
			t.Errorf("with no hits the footer starts at %.0f px, inside the first screen", top)
		}
	})
}
