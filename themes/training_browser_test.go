package themes_test

// Browser checks of the training generator on the fixture site
// builder/testdata/sites/training.txtar (a site written from the content
// contract): the quiz is scored in Chromium and remembered, the track page
// shows the progress, the slide deck turns with keys and swipes, and the
// handout prints to an A4 PDF whose text (pdftotext) has the quiz before
// its answer key.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/playbook-sales/playbook/builder"
	"github.com/rogpeppe/go-internal/txtar"
)

// serveTrainingFixture builds the training fixture and serves it at the root.
func serveTrainingFixture(t *testing.T) string {
	t.Helper()
	ar, err := txtar.ParseFile("../builder/testdata/sites/training.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "want" || strings.HasPrefix(f.Name, "extra/") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if _, err := builder.Build(context.Background(), builder.Options{Site: dir, Dest: dest, Now: now}); err != nil {
		t.Fatalf("build training fixture: %v", err)
	}
	srv := httptest.NewServer(notFound(http.FileServer(http.Dir(dest)), dest))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

func TestTrainingInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := serveTrainingFixture(t)
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
	module := site + "training/z-basics/"

	t.Run("right answers score 100%", func(t *testing.T) {
		open(t, ctx, module)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`))
		open(t, ctx, module)
		// Question 1 is single choice (answer 2); question 2 multi (answers 1 and 3).
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`input[name="q1"][value="2"]`)),
			chromedp.Click(chromedp.CSS(`input[name="q2"][value="1"]`)),
			chromedp.Click(chromedp.CSS(`input[name="q2"][value="3"]`)),
			chromedp.Click(chromedp.CSS(`.quiz-form button[type="submit"]`)))
		poll(t, ctx, `document.querySelector(".quiz-result").textContent !== ""`)
		if got := eval[string](t, ctx, `document.querySelector(".quiz-result").textContent`); !strings.Contains(got, "100%") || !strings.Contains(got, "2/2") {
			t.Errorf("result = %q, want 100%% and 2/2", got)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll(".question.is-right").length`); n != 2 {
			t.Errorf("%d questions marked right, want 2", n)
		}
		checkNoOverflow(t, ctx, "module page at 390px")
		screenshot(t, ctx, shots, "training-quiz-right")
	})

	t.Run("reload remembers the result", func(t *testing.T) {
		do(t, ctx, chromedp.Reload())
		poll(t, ctx, `document.readyState === "complete" && document.querySelector(".quiz-result").textContent !== ""`)
		if got := eval[string](t, ctx, `document.querySelector(".quiz-result").textContent`); !strings.Contains(got, "100%") {
			t.Errorf("result after reload = %q, want 100%%", got)
		}
		checked := eval[[]string](t, ctx, `[...document.querySelectorAll(".quiz-form input:checked")].map(i => i.name + "=" + i.value)`)
		if strings.Join(checked, " ") != "q1=2 q2=1 q2=3" {
			t.Errorf("answers after reload = %q, want q1=2 q2=1 q2=3", checked)
		}
		if done := eval[bool](t, ctx, `document.querySelector("[data-module-done] button").getAttribute("aria-pressed") === "true"`); !done {
			t.Error("a quiz answered all right does not mark the module done")
		}
	})

	t.Run("a wrong answer shows the explanation", func(t *testing.T) {
		open(t, ctx, site+"training/a-advanced/")
		if visible := eval[bool](t, ctx, `document.querySelector(".quiz-feedback").offsetParent !== null`); visible {
			t.Fatal("the explanation shows before answering")
		}
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`input[name="q1"][value="1"]`)),
			chromedp.Click(chromedp.CSS(`.quiz-form button[type="submit"]`)))
		poll(t, ctx, `document.querySelector(".quiz-feedback").offsetParent !== null`)
		if got := eval[string](t, ctx, `document.querySelector("#q1 .quiz-feedback").innerText`); !strings.Contains(got, "先弄清比较对象") || !strings.Contains(got, "回答错误") {
			t.Errorf("feedback = %q, want the verdict and the explanation", got)
		}
		if got := eval[string](t, ctx, `document.querySelector(".quiz-result").textContent`); !strings.Contains(got, "0%") {
			t.Errorf("result = %q, want 0%%", got)
		}
		screenshot(t, ctx, shots, "training-quiz-wrong")
		do(t, ctx, chromedp.Reload())
		poll(t, ctx, `document.readyState === "complete" && document.querySelector(".quiz-result").textContent !== ""`)
		if visible := eval[bool](t, ctx, `document.querySelector("#q1 .quiz-feedback").offsetParent !== null`); !visible {
			t.Error("after reload the explanation of the wrong answer is gone")
		}
	})

	t.Run("track page shows progress", func(t *testing.T) {
		open(t, ctx, site+"tracks/新人入职/")
		poll(t, ctx, `document.querySelector("[data-progress-count]").textContent === "1"`)
		steps := eval[[]string](t, ctx, `[...document.querySelectorAll(".track-step")].map(s => s.dataset.module + (s.classList.contains("is-done") ? " done" : ""))`)
		want := []string{"training/z-basics done", "training/m-discovery", "training/a-advanced"}
		if strings.Join(steps, "|") != strings.Join(want, "|") {
			t.Errorf("steps = %q, want %q", steps, want)
		}
		if got := eval[string](t, ctx, `document.querySelector('[data-module="training/a-advanced"] [data-step-result]').textContent`); !strings.Contains(got, "0%") {
			t.Errorf("a-advanced result on the track = %q, want its 0%% quiz", got)
		}
		checkNoOverflow(t, ctx, "track page at 390px")
		screenshot(t, ctx, shots, "training-track")
	})

	t.Run("calendar on a phone", func(t *testing.T) {
		open(t, ctx, site+"training/")
		if got := eval[string](t, ctx, `document.querySelector(".session-next .session-title").textContent`); got != "CRM 录入" {
			t.Errorf("highlighted session = %q, want CRM 录入", got)
		}
		checkNoOverflow(t, ctx, "calendar at 390px")
		screenshot(t, ctx, shots, "training-calendar")
	})

	t.Run("slides turn with keys and swipes", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(1280, 720, chromedp.EmulateScale(1)))
		open(t, ctx, site+"training/m-discovery/slides/")
		counter := func() string {
			return eval[string](t, ctx, `document.querySelector(".deck-counter").textContent.replace(/\s+/g, "")`)
		}
		if got := counter(); got != "1/4" {
			t.Errorf("counter = %q, want 1/4", got)
		}
		if n := eval[int](t, ctx, `[...document.querySelectorAll(".slide")].filter(s => s.offsetParent !== null).length`); n != 1 {
			t.Errorf("%d slides visible, want 1", n)
		}
		do(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
		if got := counter(); got != "2/4" {
			t.Errorf("after → the counter = %q, want 2/4", got)
		}
		if notes := eval[bool](t, ctx, `[...document.querySelectorAll(".slide")].some(s => s.innerText.includes("请学员举例"))`); notes {
			t.Error("speaker notes are on a slide")
		}
		if visible := eval[bool](t, ctx, `document.querySelector(".notes-panel").offsetParent !== null`); visible {
			t.Error("the notes panel shows before the presenter asks")
		}
		do(t, ctx, chromedp.KeyEvent("n"))
		if got := eval[string](t, ctx, `[...document.querySelectorAll(".notes")].filter(n => n.offsetParent !== null).map(n => n.innerText).join("")`); !strings.Contains(got, "请学员举例") {
			t.Errorf("notes shown = %q, want the notes of slide 2", got)
		}
		screenshot(t, ctx, shots, "training-slides-notes")
		swipe := func(dx int) {
			do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
				const at = x => [new Touch({identifier: 1, target: document.body, clientX: x, clientY: 300})];
				document.body.dispatchEvent(new TouchEvent("touchstart", {touches: at(600), changedTouches: at(600), bubbles: true}));
				document.body.dispatchEvent(new TouchEvent("touchend", {touches: [], changedTouches: at(600 + `+strconv.Itoa(dx)+`), bubbles: true}));
			})()`))
		}
		swipe(-200)
		if got := counter(); got != "3/4" {
			t.Errorf("after a left swipe the counter = %q, want 3/4", got)
		}
		swipe(200)
		if got := counter(); got != "2/4" {
			t.Errorf("after a right swipe the counter = %q, want 2/4", got)
		}
		do(t, ctx, chromedp.KeyEvent(kb.End))
		if got := counter(); got != "4/4" {
			t.Errorf("after End the counter = %q, want 4/4", got)
		}
		if hash := eval[string](t, ctx, `location.hash`); hash != "#4" {
			t.Errorf("hash = %q, want #4 (a reload stays on the slide)", hash)
		}
		// Offline: every script and style comes from the site itself.
		foreign := eval[[]string](t, ctx, `[...document.querySelectorAll("script[src], link[href]")].map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))`)
		if len(foreign) > 0 {
			t.Errorf("the deck loads from elsewhere: %q", foreign)
		}
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
		checkNoOverflow(t, ctx, "slides at 390px")
		screenshot(t, ctx, shots, "training-slides-phone")
	})

	t.Run("handout prints to A4 with the answer key last", func(t *testing.T) {
		pdftotext := findTool(t, "pdftotext")
		pdfinfo := findTool(t, "pdfinfo")
		open(t, ctx, module+"print/")
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "handout.pdf")
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		info, err := exec.Command(pdfinfo, file).Output()
		if err != nil {
			t.Fatalf("pdfinfo: %v", err)
		}
		if !strings.Contains(string(info), "(A4)") {
			t.Errorf("the handout is not A4:\n%s", info)
		}
		out, err := exec.Command(pdftotext, file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		order := []string{"产品基础", "学习目标", "说清楚三个版本的区别", "三个版本", "随堂测验", "标准演示的第一页放什么", "客户的原话", "旗舰版相对专业版多了哪些能力", "答案", "A、C", "手机录拜访和报价单是所有版本都有的"}
		at := 0
		for _, w := range order {
			i := strings.Index(text[at:], w)
			if i < 0 {
				t.Fatalf("the PDF text lacks %q after position %d:\n%s", w, at, text)
			}
			at += i + len(w)
		}
		quiz := text[strings.Index(text, "随堂测验"):strings.LastIndex(text, "答案")]
		if strings.Contains(quiz, "从客户的问题开始") || strings.Contains(quiz, "A、C") {
			t.Errorf("the quiz part gives away the answers: %s", quiz)
		}
		if strings.Contains(text, "先问大家用过哪些") {
			t.Error("speaker notes are in the handout")
		}
	})
}

// findTool finds a command-line tool the test needs, or skips (fails in CI).
func findTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Getenv("CI") == "" {
		t.Skipf("%s not found (Debian poppler-utils); the test fails instead when CI is set", name)
	}
	t.Fatalf("%s not found, and CI is set: install poppler-utils", name)
	return ""
}
