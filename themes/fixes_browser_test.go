package themes_test

// Browser checks of the reading defects of issue 11, as a rep, a trainer and
// an editor meet them on a phone (390×844, touch): filter chips that count
// what they would show, dark mode that can follow the system again, a quiz
// that really starts over and a module that can be un-marked, a slide deck
// that keeps its swipes and ends on the quiz and the handout, and what the
// competitor overview and a script look like printed on A4 (PrintToPDF,
// read back with pdftotext). PLAYBOOK_SCREENSHOTS=DIR keeps screenshots.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

var phoneView = chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1))

func TestFilterChipsCountInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSite(t, viewsSite)
	ctx := newBrowser(t, chromium)
	do(t, ctx, phoneView)
	open(t, ctx, site+"cases/")
	chip := func(facet, value string) string {
		return eval[string](t, ctx, `document.querySelector('.fchip[data-facet="`+facet+`"][data-value="`+value+`"] .n').textContent`)
	}
	// Five cases: 星图 is named by 东林银行 (won), 安和保险 (lost), 百味连锁 (open);
	// 海鸥 by 瑞丰精密 (won) and 百味连锁 (open).
	if got := chip("competitor", "competitors/star") + " " + chip("competitor", "competitors/gull") + " " + chip("outcome", "won"); got != "3 2 3" {
		t.Errorf("counts before filtering (星图 海鸥 赢单) = %q, want 3 2 3", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.fchip[data-facet="outcome"][data-value="lost"]`)))
	// Lost cases: only 安和保险, against 星图. The outcome chips still count
	// what choosing them would add (their own facet is not narrowed).
	if got := chip("competitor", "competitors/star") + " " + chip("competitor", "competitors/gull") + " " + chip("outcome", "won"); got != "1 0 3" {
		t.Errorf("counts with 丢单 chosen (星图 海鸥 赢单) = %q, want 1 0 3", got)
	}
	if dim := eval[bool](t, ctx, `document.querySelector('.fchip[data-facet="competitor"][data-value="competitors/gull"]').classList.contains("fchip-none")`); !dim {
		t.Error("a chip that would show nothing is not marked as such")
	}
	screenshot(t, ctx, os.Getenv("PLAYBOOK_SCREENSHOTS"), "fixes-chips-phone")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-filter-clear]`)))
	if got := chip("competitor", "competitors/gull"); got != "2" {
		t.Errorf("海鸥 after clearing = %q, want 2 again", got)
	}
}

func TestDarkModeFollowsSystemAgainInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSite(t, viewsSite)
	ctx := newBrowser(t, chromium) // the system is light
	do(t, ctx, phoneView)
	open(t, ctx, site)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`))
	open(t, ctx, site)
	state := func() string {
		return eval[string](t, ctx, `(document.documentElement.getAttribute("data-theme") || "system") + " " + (localStorage.getItem("playbook-theme") || "none")`)
	}
	bg := func() string { return eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`) }
	light := bg()
	if got := eval[string](t, ctx, `document.querySelector(".theme-toggle").getAttribute("aria-label")`); strings.Contains(got, "跟随系统") {
		t.Errorf("the toggle of a light system offers dark as %q: a dark choice is no following", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.theme-toggle`)))
	if got := state(); got != "dark dark" {
		t.Errorf("after one tap: %q, want dark, stored", got)
	}
	if got := eval[string](t, ctx, `document.querySelector(".theme-toggle").getAttribute("aria-label")`); !strings.Contains(got, "恢复跟随系统") {
		t.Errorf("the toggle of a dark page on a light system says %q; want it to say it goes back to the system", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.theme-toggle`)))
	if got := state(); got != "system none" {
		t.Errorf("after a second tap: %q, want the system's mode and nothing stored", got)
	}
	if bg() != light {
		t.Errorf("back on the system's light mode the page is %s, was %s", bg(), light)
	}
	// Following the system: when it turns dark, so does the page, also
	// after a reload.
	setScheme(t, ctx, "dark")
	open(t, ctx, site)
	if bg() == light {
		t.Error("the system turned dark and the page stayed light: it does not follow the system")
	}
}

// setScheme emulates the system's colour scheme.
func setScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

func TestQuizStartsOverInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := serveTrainingFixture(t)
	ctx := newBrowser(t, chromium)
	do(t, ctx, phoneView)
	module := site + "training/z-basics/"
	open(t, ctx, module)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`))
	open(t, ctx, module)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`input[name="q1"][value="2"]`)),
		chromedp.Click(chromedp.CSS(`input[name="q2"][value="1"]`)),
		chromedp.Click(chromedp.CSS(`input[name="q2"][value="3"]`)),
		chromedp.Click(chromedp.CSS(`.quiz-form button[type="submit"]`)))
	poll(t, ctx, `document.querySelector(".quiz-result").textContent.includes("100%")`)

	t.Run("重新作答 forgets the attempt, also after a reload", func(t *testing.T) {
		do(t, ctx, chromedp.Click(chromedp.CSS(`[data-quiz-reset]`)))
		do(t, ctx, chromedp.Reload())
		poll(t, ctx, `document.readyState === "complete" && !document.querySelector("[data-module-done]").hidden`)
		if n := eval[int](t, ctx, `document.querySelectorAll(".quiz-form input:checked").length`); n != 0 {
			t.Errorf("%d answers come back after 重新作答 and a reload, want none", n)
		}
		if got := eval[string](t, ctx, `document.querySelector(".quiz-result").textContent`); got != "" {
			t.Errorf("the result comes back after 重新作答 and a reload: %q", got)
		}
		if n := eval[int](t, ctx, `[...document.querySelectorAll(".quiz-feedback")].filter(f => !f.hidden).length`); n != 0 {
			t.Errorf("%d explanations show on a fresh quiz, want none", n)
		}
		open(t, ctx, site+"tracks/新人入职/")
		if got := eval[string](t, ctx, `document.querySelector('[data-module="training/z-basics"] [data-step-result]').textContent`); got != "" {
			t.Errorf("the track still shows the forgotten score %q", got)
		}
	})

	t.Run("a done module can be un-marked", func(t *testing.T) {
		open(t, ctx, module)
		pressed := func() string {
			return eval[string](t, ctx, `document.querySelector("[data-module-done] button").getAttribute("aria-pressed")`)
		}
		if got := pressed(); got != "true" {
			t.Fatalf("the module answered all right is not done (aria-pressed %s)", got)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`[data-module-done] button`)))
		if got := pressed(); got != "false" {
			t.Errorf("after tapping 已完成 the module is still done (aria-pressed %s)", got)
		}
		screenshot(t, ctx, os.Getenv("PLAYBOOK_SCREENSHOTS"), "fixes-module-unmarked")
		open(t, ctx, site+"tracks/新人入职/")
		poll(t, ctx, `document.querySelector("[data-progress-count]").textContent === "0"`)
		open(t, ctx, module)
		do(t, ctx, chromedp.Click(chromedp.CSS(`[data-module-done] button`)))
		if got := pressed(); got != "true" {
			t.Errorf("marking it done again: aria-pressed %s", got)
		}
	})
}

// touchSwipe swipes with a finger through the browser's own input, as a
// person does, from x0 to x1 across the middle of the screen.
func touchSwipe(t *testing.T, ctx context.Context, x0, x1 float64) {
	t.Helper()
	at := func(x float64) []*input.TouchPoint { return []*input.TouchPoint{{X: x, Y: 400}} }
	events := []input.DispatchTouchEventParams{{Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: at(x0)}}
	for i := 1; i <= 8; i++ {
		events = append(events, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchMove, TouchPoints: at(x0 + (x1-x0)*float64(i)/8)})
	}
	events = append(events, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}})
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, e := range events {
			if _, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, e); err != nil {
				return err
			}
		}
		return nil
	}))
}

func TestSlidesOnAPhoneInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := serveTrainingFixture(t)
	ctx := newBrowser(t, chromium)
	do(t, ctx, phoneView, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5})
		return err
	}))
	deck := site + "training/z-basics/slides/"
	open(t, ctx, site+"training/z-basics/")
	open(t, ctx, deck) // the module is in the history: a swipe-back would go there
	counter := func() string {
		return eval[string](t, ctx, `document.querySelector(".deck-counter").textContent.replace(/\s+/g, "")`)
	}

	t.Run("a swipe turns the slide and never leaves the deck", func(t *testing.T) {
		css := eval[string](t, ctx, `getComputedStyle(document.querySelector(".deck")).touchAction + " | " + getComputedStyle(document.documentElement).overscrollBehaviorX`)
		if !strings.Contains(css, "pan-y") || !strings.HasSuffix(css, "| none") {
			t.Errorf("deck touch-action | overscroll = %q; want pan-y and none, so the browser keeps no sideways gesture", css)
		}
		touchSwipe(t, ctx, 4, 330) // from the left edge, rightwards: the browser's back gesture
		if got := eval[string](t, ctx, `location.pathname`); !strings.HasSuffix(got, "/slides/") {
			t.Fatalf("a rightward swipe from the edge left the deck for %s", got)
		}
		if got := counter(); got != "1/2" {
			t.Errorf("after a rightward swipe on the first slide the counter = %q, want 1/2", got)
		}
		touchSwipe(t, ctx, 330, 40)
		if got := counter(); got != "2/2" {
			t.Errorf("after a leftward swipe the counter = %q, want 2/2", got)
		}
		// A sideways move is the deck's: the page cancels it, so no
		// browser gesture starts from it.
		cancelled := eval[bool](t, ctx, `(() => {
			const at = x => [new Touch({identifier: 7, target: document.body, clientX: x, clientY: 300})];
			document.body.dispatchEvent(new TouchEvent("touchstart", {touches: at(300), changedTouches: at(300), bubbles: true, cancelable: true}));
			const ok = document.body.dispatchEvent(new TouchEvent("touchmove", {touches: at(200), changedTouches: at(200), bubbles: true, cancelable: true}));
			document.body.dispatchEvent(new TouchEvent("touchcancel", {touches: [], changedTouches: at(200), bubbles: true}));
			return !ok;
		})()`)
		if !cancelled {
			t.Error("a sideways touchmove in the deck is not cancelled")
		}
		touchSwipe(t, ctx, 330, 40)
		if got := eval[string](t, ctx, `location.pathname`); !strings.HasSuffix(got, "/slides/") {
			t.Errorf("swiping past the last slide left the deck for %s", got)
		}
	})

	t.Run("the last slide offers the quiz and the handout", func(t *testing.T) {
		if got := counter(); got != "2/2" {
			t.Fatalf("counter = %q, want the last slide 2/2", got)
		}
		links := eval[[]string](t, ctx, `[...document.querySelectorAll(".slide.current .deck-end a")].map(a => a.textContent.trim() + " " + new URL(a.href).pathname + new URL(a.href).hash)`)
		want := []string{"做随堂测验 → /training/z-basics/#h-quiz", "打开讲义（可打印） → /training/z-basics/print/"}
		if strings.Join(links, "|") != strings.Join(want, "|") {
			t.Errorf("links on the last slide = %q, want %q", links, want)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll(".slide:not(:last-child) .deck-end").length`); n != 0 {
			t.Errorf("%d other slides carry the end links, want only the last", n)
		}
		small := eval[[]string](t, ctx, `[...document.querySelectorAll(".slide.current .deck-end a")].filter(a => a.getBoundingClientRect().height < 44).map(a => a.textContent)`)
		if len(small) > 0 {
			t.Errorf("end links smaller than 44 px: %q", small)
		}
		checkNoOverflow(t, ctx, "last slide at 390px")
		screenshot(t, ctx, os.Getenv("PLAYBOOK_SCREENSHOTS"), "fixes-slides-last-phone")
		do(t, ctx, chromedp.Click(chromedp.CSS(`.slide.current .deck-end a[href$="#h-quiz"]`)))
		poll(t, ctx, `location.pathname.endsWith("/training/z-basics/") && document.readyState === "complete"`)
		if !eval[bool](t, ctx, `!!document.querySelector("form[data-quiz]")`) {
			t.Error("the quiz link does not lead to the quiz")
		}
	})

	t.Run("a deck without a quiz offers the handout only", func(t *testing.T) {
		open(t, ctx, site+"training/m-discovery/slides/#4")
		links := eval[[]string](t, ctx, `[...document.querySelectorAll(".slide.current .deck-end a")].map(a => new URL(a.href).pathname + new URL(a.href).hash)`)
		if strings.Join(links, "|") != "/training/m-discovery/print/" {
			t.Errorf("links on the last slide of a module without a quiz = %q, want the handout only", links)
		}
	})
}

// printText prints the open page to an A4 PDF and returns its text,
// without white space.
func printText(t *testing.T, ctx context.Context, name string, opts ...chromedp.PDFOption) string {
	t.Helper()
	pdftotext := findTool(t, "pdftotext")
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(append([]chromedp.PDFOption{chromedp.PDFPaper(chromedp.PaperA4)}, opts...)...))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), name+".pdf")
	if dir := os.Getenv("PLAYBOOK_SCREENSHOTS"); dir != "" {
		file = filepath.Join(dir, name+".pdf")
	}
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext puts a space between Chinese and Latin letters ("星图 CRM"):
	// compare without any.
	return strings.Join(strings.Fields(string(out)), "")
}

// fiveCompetitors is the views fixture with five battlecards, as many as
// the printout that lost two of them.
func fiveCompetitors() map[string]string {
	site := map[string]string{}
	for k, v := range viewsSite {
		site[k] = v
	}
	site["content/competitors/wolf.md"] = "---\ntitle: 北极狼CRM\ncompetitor: 北极狼CRM\nsegment: 中小企业\nstrengths: [便宜]\nowner: 王磊\nreviewed: 2026-11-01\n---\n"
	site["content/competitors/yak.md"] = "---\ntitle: 牦牛云\ncompetitor: 牦牛云\nsegment: 西部地区政企\nweaknesses: [没有移动端]\nowner: 王磊\nreviewed: 2026-11-01\n---\n"
	return site
}

func TestPrintInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSite(t, fiveCompetitors())
	ctx := newBrowser(t, chromium)
	do(t, ctx, chromedp.EmulateViewport(1280, 900))

	// A4 as people print it: portrait with the browser's margins, with
	// none (wide enough for the on-screen side-by-side layout), landscape.
	for _, paper := range []struct {
		name string
		opts []chromedp.PDFOption
	}{
		{"portrait", nil},
		{"portrait-no-margins", []chromedp.PDFOption{chromedp.PDFMargin(0)}},
		{"landscape", []chromedp.PDFOption{chromedp.PDFLandscape()}},
	} {
		t.Run("the competitor overview prints every competitor on A4 "+paper.name, func(t *testing.T) {
			open(t, ctx, site+"competitors/")
			if !eval[bool](t, ctx, `document.querySelector(".matrix-hint").offsetParent !== null`) {
				t.Fatal("the scroll hint does not show on screen: nothing to leave out of print")
			}
			text := printText(t, ctx, "fixes-competitors-"+paper.name, paper.opts...)
			for _, name := range []string{"星图CRM", "海鸥SCRM", "孤狼", "北极狼CRM", "牦牛云", "西部地区政企", "没有移动端", "移动端与企业微信打通"} {
				if !strings.Contains(text, name) {
					t.Errorf("the printout lacks %q:\n%s", name, text)
				}
			}
			if strings.Contains(text, "左右滑动") {
				t.Error("the printout carries the on-screen hint 左右滑动")
			}
		})
	}

	t.Run("a script prints without backlinks and similar pages", func(t *testing.T) {
		open(t, ctx, site+"scripts/price/")
		onScreen := eval[string](t, ctx, `document.body.innerText`)
		if !strings.Contains(onScreen, "引用本页的页面") {
			t.Fatal("the script shows no backlinks on screen: nothing to leave out of print")
		}
		text := printText(t, ctx, "fixes-script")
		if !strings.Contains(text, "谨慎是对的") || !strings.Contains(text, "再算三年账") {
			t.Errorf("the printout lacks the talk track:\n%s", text)
		}
		for _, gone := range []string{"引用本页的页面", "相似内容", "新人手册"} {
			if strings.Contains(text, gone) {
				t.Errorf("the printout carries %q:\n%s", gone, text)
			}
		}
	})
}
