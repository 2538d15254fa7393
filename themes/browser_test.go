package themes_test

// Browser checks of the default theme: what a person sees in Chromium on a
// phone. The test builds a small site of every page type under a sub-path
// base URL (https://kb.example.com/kb/), serves it with httptest and drives
// headless Chromium with chromedp.
//
// Without Chromium the test is skipped, unless CI is set: then it fails.
// Set PLAYBOOK_SCREENSHOTS=DIR to keep screenshots of what it checked.

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/views"
	"github.com/playbook-sales/playbook/themes"
	"go.yaml.in/yaml/v3"
)

// basePath is where the test server mounts the site, as a sub-path host would.
const basePath = "/kb/"

// fixture is a small site with every page type. Its texts are Chinese, as
// the sample's are, and a few are long to test line wrapping on a phone.
var fixture = map[string]string{
	"playbook.yaml": `title: 测试销售手册
description: 浏览器测试用的小站点
baseURL: https://kb.example.com/kb/
language: zh-CN
`,
	"content/_index.md": `---
title: 测试销售手册
---

欢迎使用。先看 [价格异议](scripts/price.md)。
`,
	"content/scripts/_index.md": `---
title: 话术库
summary: 按阶段整理的话术。
---

每篇话术对应一句客户的原话。
`,
	"content/scripts/price.md": `---
title: 价格异议处理
objection: 你们太贵了，比别家贵了一大截。
channel: phone
stages: [negotiation, proposal]
tags: [价格, 高频]
industries: [制造业]
owner: 陈静
reviewed: 2026-10-12
---

## 确认

> “理解，花几十万上一套系统，谨慎是对的。您说贵，是跟哪个方案比？”

## 算三年账

| 项目 | 云帆CRM | 常见竞品 | 备注 | 另一列 | 再一列 |
|---|---|---|---|---|---|
| 软件费（三年） | 按合同 | 首年低、续费高 | 续费常涨价百分之二十以上 | 很长很长的一段说明文字 | 还有更多的说明文字 |

一个很长的链接：https://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbbb

~~~go
func main() { fmt.Println("这一行代码很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长") }
~~~

见 [东林银行案例](../cases/acme.md)。
`,
	"content/scripts/email.md": `---
title: 年底预算用完
objection: 今年的预算已经用完了，明年再说吧。
channel: email
stages: [closing]
tags: [预算]
---

## 邮件模板

您好，……
`,
	"content/scripts/visit.md": `---
title: 首次拜访开场
objection: 你们是做什么的？
channel: visit
stages: [contact]
---

## 开场

先介绍自己。
`,
	"content/cases/acme.md": `---
title: 东林银行：七周上线
customer: 东林银行股份有限公司
industries: [金融]
regions: [华东]
deal_size: 1280000
outcome: won
cycle_days: 186
closed: 2026-03-18
team: [陈静, 刘洋]
products: [云帆CRM 旗舰版]
competitors: [competitors/rival]
stages: [proposal]
---

## 背景

城商行零售信贷部。
`,
	"content/cases/lost.md": `---
title: 启明教育：输给了简道
customer: 启明教育
industries: [教育]
deal_size: 86000
currency: USD
outcome: lost
competitors: [competitors/rival]
---

过早让价。
`,
	"content/competitors/rival.md": `---
title: 星图CRM 竞品卡
competitor: 星图CRM
website: https://xingtu.example.cn
segment: 大型企业与金融机构
pricing: 980 元/人/年起
strengths: [品牌知名度高]
weaknesses: [实施周期长]
our_edge: [六到八周上线]
traps: [上一个同等规模的客户从签约到上线用了多少天？, 实施费按人天算还是固定总价？]
---

## 应对策略

算三年账。
`,
	"content/training/basics.md": `---
title: 产品基础与演示
session: 2026-12-04T15:00:00+08:00
duration: 90
trainer: 刘洋
audience: [rep, csm]
objectives: [说清楚三个版本的区别]
tracks: [新人入职]
materials: [cases/acme]
quiz:
  - question: 标准演示的第一页放什么？
    choices: [公司介绍, 客户的原话, 价格表]
    answer: 2
    explain: 从客户的问题开始。
---

## 内容

三个版本。
`,
	"content/training/advanced.md": `---
title: 竞品攻防
session: 2026-12-11T15:00:00+08:00
duration: 60
trainer: 赵敏
prerequisites: [training/basics]
tracks: [进阶]
---

## 内容
`,
	"content/retros/q3.md": `---
title: 2026 Q3 季度复盘
date: 2026-10-10
period: 2026 年第三季度
facilitator: 许诺
participants: [陈静, 刘洋]
wins: [金融行业赢单率提升]
problems: [制造业商机停滞]
whys: [商机停滞, 客户看不懂方案, 模板按金融行业写的, 没有制造业背景的售前]
actions:
  - what: 写一套制造业方案模板
    owner: 刘洋
    due: 2026-11-15
    status: open
  - what: 招聘制造业售前
    owner: 王磊
    due: 2026-12-31
    status: open
  - what: 审批提速
    owner: 许诺
    due: 2026-10-31
    status: done
related: [cases/acme]
---

本季度推进商机 41 个。
`,
	"content/guides/handbook.md": `---
title: 新人手册
owner: 许诺
reviewed: 2025-01-01
review_every: 90d
tags: [新人必读]
---

## 第一周

读完话术库。脚注[^1]。

[^1]: 一个脚注。
`,
}

func TestDefaultThemeInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildFixture(t)
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")

	t.Run("script page on a phone", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
		open(t, ctx, site+"scripts/price/")
		objection := eval[string](t, ctx, `document.querySelector(".objection blockquote").innerText`)
		if !strings.Contains(objection, "你们太贵了") {
			t.Errorf("objection card = %q, want the objection text", objection)
		}
		above := eval[bool](t, ctx, `document.querySelector(".objection").getBoundingClientRect().bottom <= document.querySelector("#track-body").getBoundingClientRect().top`)
		if !above {
			t.Error("the objection is not above the talk track")
		}
		checkNoOverflow(t, ctx, "scripts/price/ at 390px")
		screenshot(t, ctx, shots, "script-phone-light")
	})

	t.Run("copy button copies the talk track", func(t *testing.T) {
		open(t, ctx, site+"scripts/price/")
		grantClipboard(t, ctx, site)
		do(t, ctx, chromedp.Click(chromedp.CSS(".copy-btn")))
		poll(t, ctx, `document.querySelector(".copy-btn .copy-label").textContent === "已复制"`)
		copied := eval[string](t, ctx, `navigator.clipboard.readText().catch(() => "")`, chromedp.EvalAwaitPromise)
		if !strings.Contains(copied, "谨慎是对的") || strings.Contains(copied, "复制话术") {
			t.Errorf("clipboard = %q, want the talk track", copied)
		}
	})

	t.Run("copy button without the clipboard API", func(t *testing.T) {
		open(t, ctx, site+"scripts/price/")
		// On plain http (no secure context) navigator.clipboard is missing;
		// the textarea fallback must still copy.
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`Object.defineProperty(navigator, "clipboard", {value: undefined, configurable: true})`))
		do(t, ctx, chromedp.Click(chromedp.CSS(".copy-btn")))
		poll(t, ctx, `document.querySelector(".copy-btn").classList.contains("copied") || document.querySelector(".copy-btn").classList.contains("copy-failed")`)
		if label := eval[string](t, ctx, `document.querySelector(".copy-btn .copy-label").textContent`); label != "已复制" {
			t.Errorf("copy feedback without navigator.clipboard = %q, want 已复制", label)
		}
	})

	t.Run("dark mode toggle persists", func(t *testing.T) {
		open(t, ctx, site)
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`))
		open(t, ctx, site)
		if got := eval[string](t, ctx, `document.documentElement.getAttribute("data-theme") || ""`); got != "" {
			t.Fatalf("data-theme before any choice = %q, want none (follow the system)", got)
		}
		lightBG := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
		do(t, ctx, chromedp.Click(chromedp.CSS(".theme-toggle")))
		if got := eval[string](t, ctx, `document.documentElement.getAttribute("data-theme")`); got != "dark" {
			t.Fatalf("data-theme after toggle = %q, want dark", got)
		}
		if darkBG := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); darkBG == lightBG {
			t.Errorf("background stayed %s in dark mode", darkBG)
		}
		do(t, ctx, chromedp.Reload())
		if got := eval[string](t, ctx, `document.documentElement.getAttribute("data-theme")`); got != "dark" {
			t.Errorf("data-theme after reload = %q, want dark", got)
		}
		open(t, ctx, site+"scripts/price/")
		screenshot(t, ctx, shots, "script-phone-dark")
		// Back to light on a light system is following the system again
		// (TestDarkModeFollowsSystemAgainInBrowser).
		do(t, ctx, chromedp.Click(chromedp.CSS(".theme-toggle")))
		if got := eval[string](t, ctx, `document.documentElement.getAttribute("data-theme") || "system"`); got != "system" {
			t.Errorf("data-theme after second toggle = %q, want none: the light system's own mode", got)
		}
	})

	t.Run("section filter chips", func(t *testing.T) {
		open(t, ctx, site+"scripts/")
		total := eval[int](t, ctx, `document.querySelectorAll("[data-filter-list] > li").length`)
		if total != 3 {
			t.Fatalf("scripts listed = %d, want 3", total)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`.fchip[data-facet="channel"][data-value="email"]`)))
		shown := eval[[]string](t, ctx, `[...document.querySelectorAll("[data-filter-list] > li")].filter(li => li.offsetParent !== null).map(li => li.querySelector(".script-objection").textContent)`)
		if len(shown) != 1 || shown[0] != "“今年的预算已经用完了，明年再说吧。”" {
			t.Errorf("after the 邮件 chip the list shows %q, want only the script of 今年的预算已经用完了", shown)
		}
		if q := eval[string](t, ctx, `location.search`); !strings.Contains(q, "channel=email") {
			t.Errorf("query after filtering = %q, want channel=email", q)
		}
		screenshot(t, ctx, shots, "scripts-filtered")
		do(t, ctx, chromedp.Reload())
		if n := eval[int](t, ctx, `[...document.querySelectorAll("[data-filter-list] > li")].filter(li => !li.hidden).length`); n != 1 {
			t.Errorf("after reload with ?channel=email %d items show, want 1", n)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`[data-filter-clear]`)))
		if n := eval[int](t, ctx, `[...document.querySelectorAll("[data-filter-list] > li")].filter(li => !li.hidden).length`); n != total {
			t.Errorf("after clearing %d items show, want %d", n, total)
		}
	})

	t.Run("no horizontal scroll at 360px and links stay under the base path", func(t *testing.T) {
		do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(1)))
		for _, p := range []string{"", "scripts/", "scripts/price/", "cases/", "cases/acme/", "competitors/rival/",
			"training/basics/", "training/advanced/", "retros/q3/", "guides/handbook/", "tags/", "stages/negotiation/", "no/such/page/"} {
			open(t, ctx, site+p)
			checkNoOverflow(t, ctx, "/kb/"+p+" at 360px")
			bad := eval[[]string](t, ctx, `[...document.querySelectorAll("a[href], link[href], script[src], form[action]")]
				.map(e => e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action"))
				.filter(u => !/^(#|https?:|mailto:)/.test(u) && !u.startsWith("/kb/"))`)
			if len(bad) > 0 {
				t.Errorf("/kb/%s: links outside the base path: %q", p, bad)
			}
		}
	})
}

// TestDefaultThemeStrings checks that every UI string the layouts use exists
// in every translation, including the keys built with printf from field values.
// It needs no browser.
func TestDefaultThemeStrings(t *testing.T) {
	dynamic := map[string][]string{ // printf "PREFIX.%s" → the values it gets
		"type.":        content.Types,
		"channel.":     {"phone", "email", "visit", "im", "meeting"},
		"outcome.":     {"won", "lost", "open"},
		"case.closed.": {"won", "lost", "open"},
		"status.":      {"open", "done", "dropped"},
		"taxonomy.":    {"stages", "roles", "industries", "regions", "tags"},
		"currency.":    nil, // unknown codes fall back to the code itself
		"shared.":      {"competitor", "track", "customer", "industry", "stage", "tag", "region", "role"},
		"deal.":        views.DealBands,
	}
	want := map[string]bool{"notfound.title": true, "footer.built": true}
	for _, s := range []string{"scripts", "cases", "competitors", "training", "retros", "guides"} {
		want["section."+s] = true
	}
	static := regexp.MustCompile(`\bT "([^"]+)"`)
	printf := regexp.MustCompile(`T \(printf "([^"%]+)%s"`)
	err := fs.WalkDir(themes.Default, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(themes.Default, p)
		if err != nil {
			return err
		}
		for _, m := range static.FindAllStringSubmatch(string(src), -1) {
			want[m[1]] = true
		}
		for _, m := range printf.FindAllStringSubmatch(string(src), -1) {
			values, ok := dynamic[m[1]]
			if !ok {
				t.Errorf("%s: T (printf %q) has no list of values in this test", p, m[1]+"%s")
			}
			for _, v := range values {
				want[m[1]+v] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh-CN", "en"} {
		data, err := fs.ReadFile(themes.Default, "i18n/"+lang+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]string{}
		if err := yaml.Unmarshal(data, &have); err != nil {
			t.Fatalf("i18n/%s.yaml: %v", lang, err)
		}
		var missing []string
		for k := range want {
			if _, ok := have[k]; !ok {
				missing = append(missing, k)
			}
		}
		slices.Sort(missing)
		if len(missing) > 0 {
			t.Errorf("i18n/%s.yaml lacks %d keys: %s", lang, len(missing), strings.Join(missing, ", "))
		}
	}
}

// findChromium returns the browser to drive, or skips the test when there is
// none and CI is unset.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("chromium not found; set CHROMIUM to its path (the test fails instead when CI is set)")
	}
	t.Fatal("chromium not found, and CI is set: install chromium or set CHROMIUM")
	return ""
}

// buildFixture writes and builds the fixture site and serves it under
// basePath; it returns the site's URL, ending in a slash.
func buildFixture(t *testing.T) string { return buildSite(t, fixture) }

// fixtureNow is the build clock of the fixture sites.
var fixtureNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// buildSite writes and builds a site of files and serves it under basePath;
// it returns the site's URL, ending in a slash.
func buildSite(t *testing.T, site map[string]string) string {
	t.Helper()
	return buildSiteAt(t, site, fixtureNow)
}

// buildPublic writes the files of a site into a temporary folder, builds
// it with the clock at now and returns its output folder.
func buildPublic(t *testing.T, site map[string]string, now time.Time) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range site {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := builder.Build(context.Background(), builder.Options{Site: dir, Dest: dest, Now: now}); err != nil {
		t.Fatalf("build fixture: %v", err)
	}
	return dest
}

// buildSiteAt is buildSite with the build clock at now.
func buildSiteAt(t *testing.T, site map[string]string, now time.Time) string {
	t.Helper()
	dest := buildPublic(t, site, now)
	files := http.FileServer(http.Dir(dest))
	mux := http.NewServeMux()
	mux.Handle(basePath, http.StripPrefix(strings.TrimSuffix(basePath, "/"), notFound(files, dest)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + basePath
}

// notFound serves 404.html for paths with no file, as static hosts do.
func notFound(files http.Handler, dest string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dest, filepath.FromSlash(r.URL.Path))
		if _, err := os.Stat(p); err != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			data, _ := os.ReadFile(filepath.Join(dest, "404.html"))
			w.Write(data)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// newBrowser starts headless Chromium with a light colour scheme and returns
// the context of its tab.
func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	light := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}},
		})
		return err
	})
	do(t, ctx, light)
	// The pages redo their date marks at the browser's clock (clock.js),
	// never earlier than the build's: a clock before every fixture's build
	// shows each as built, whatever day the test runs.
	setClock(t, ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return ctx
}

// clockScripts remembers, per browser tab, the script that sets its clock.
var clockScripts = map[context.Context]page.ScriptIdentifier{}

// setClock makes Date in the tab's pages read at, ticking on from there,
// from the next page loaded on: the site as a reader sees it that day.
func setClock(t *testing.T, ctx context.Context, at time.Time) {
	t.Helper()
	src := fmt.Sprintf(`(() => {
		const Real = Date, shift = %d - Real.now();
		class ReaderDate extends Real {
			constructor(...a) { if (a.length) super(...a); else super(Real.now() + shift); }
			static now() { return Real.now() + shift; }
		}
		window.Date = ReaderDate;
	})();`, at.UnixMilli())
	tab := ctx
	set := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if id, ok := clockScripts[tab]; ok {
			if _, err := cdp.Call(ctx, tg, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: id}); err != nil {
				return err
			}
		}
		res, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		if err != nil {
			return err
		}
		clockScripts[tab] = res.Identifier
		return nil
	})
	do(t, ctx, set)
}

// grantClipboard lets the page write and read the clipboard without asking.
func grantClipboard(t *testing.T, ctx context.Context, site string) {
	t.Helper()
	origin := strings.TrimSuffix(site, basePath)
	for _, name := range []string{"clipboard-write", "clipboard-read"} {
		_, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:    "granted",
			Origin:     origin,
		})
		if err != nil {
			t.Logf("grant %s: %v (the copy falls back to execCommand)", name, err)
		}
	}
}

func open(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(url))
	// playbook.js runs deferred; the toggle and copy buttons show once it has.
	poll(t, ctx, `document.readyState === "complete"`)
}

func checkNoOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	dims := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if dims[0] > dims[1] {
		wide := eval[[]string](t, ctx, `[...document.querySelectorAll("body *")]
			.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + "." + e.className)`)
		t.Errorf("%s: page scrolls sideways: scrollWidth %d > clientWidth %d; too wide: %q", what, dims[0], dims[1], wide)
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// pollFor is how long poll waits: the offline worker registers a few
// seconds after load (offline.js), and a race build under load is slow.
const pollFor = 30 * time.Second

// poll waits until js is true. It evaluates again after an error, since a
// navigation still under way tears down the execution context ("Cannot find
// context with specified id"), which says nothing about the page.
func poll(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(pollFor)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", js, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// Results regions of the static search (js/search/ui.js): the header
// box's pop-up and the results page's list.
const (
	inBox  = "#search-pop"
	onPage = ".search-results"
)

// answered waits until the results region shows the whole answer to the
// query q: its data-query is q and it is not aria-busy. The client searches
// on every keystroke, so an answer drawn on the way, to a prefix of q, does
// not count.
func answered(t *testing.T, ctx context.Context, region, q string) {
	t.Helper()
	poll(t, ctx, fmt.Sprintf(`(el => !!el && el.getAttribute("data-query") === %s && !el.hasAttribute("aria-busy"))(document.querySelector(%s))`,
		strconv.Quote(q), strconv.Quote(region)))
}

// screenshot saves the viewport as DIR/NAME.png when DIR is set.
func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log("screenshot:", p)
}
