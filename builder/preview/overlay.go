package preview

import (
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
)

// overlayWords are the overlay's own words in one language.
type overlayWords struct {
	title    string
	problems func(n int) string // "3 个问题 (3 problems)"
	showing  string             // the page under it is the last good build
	fold     string             // the title folds the overlay
	fixFirst string             // under a cause's folded knock-on errors
}

func problemsEN(n int) string {
	return fmt.Sprintf("%d %s", n, map[bool]string{true: "problem", false: "problems"}[n == 1])
}

var (
	wordsEN = overlayWords{
		title: "Build failed", problems: problemsEN, showing: "showing the last good build",
		fold: "tap to fold", fixFirst: "fix the line above first",
	}
	// wordsZh keeps the English beside each phrase, as editors search for it.
	wordsZh = overlayWords{
		title:    "构建失败 (Build failed)",
		problems: func(n int) string { return fmt.Sprintf("%d 个问题 (%s)", n, problemsEN(n)) },
		showing:  "仍在显示上一次成功的构建 (showing the last good build)",
		fold:     "点此收起 (tap to fold)",
		fixFirst: "先修上面这一处 (fix the line above first)",
	}
)

// Overlay is the markup that shows a failed build over a page: causes
// first, each problem with its file:line, knock-on errors folded under
// their cause, all of it escaped. It is a <details>, so a reader on a phone
// can fold it away, and it carries its own styles, so a broken theme
// cannot hide it. On a site in Chinese (lang zh-CN) its words and each
// message are in Chinese first, the English message kept below it for
// search; otherwise they are English.
func Overlay(err error, lang string) string {
	zh := content.IsZh(lang)
	w := wordsEN
	if zh {
		w = wordsZh
	}
	var items []string
	var ce content.Errors
	if errors.As(err, &ce) {
		for _, e := range ce {
			items = append(items, overlayItem(e, w, zh))
		}
	} else {
		for _, line := range strings.Split(err.Error(), "\n") {
			items = append(items, `<li>`+html.EscapeString(line)+`</li>`)
		}
	}
	return `<details open id="playbook-error" role="alert" lang="` + html.EscapeString(lang) + `" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:60vh;overflow:auto;` +
		`margin:0;padding:.75em 1.25em;background:#fff0f0;color:#5c0000;border-top:4px solid #c00;font:15px/1.5 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.2)">` +
		`<summary style="cursor:pointer;min-height:44px;display:list-item;padding-top:.5em"><strong>` + html.EscapeString(w.title) + `</strong>: ` +
		html.EscapeString(w.problems(max(len(ce), len(items)))+" — "+w.showing+"; "+w.fold) + `</summary>` +
		`<ul style="margin:.5em 0 0;padding-left:1.25em;font-family:ui-monospace,monospace;font-size:14px;white-space:pre-wrap">` +
		strings.Join(items, "") + `</ul></details>`
}

// overlayItem is one error, with its knock-on errors folded in a
// <details> under it.
func overlayItem(e *content.Error, w overlayWords, zh bool) string {
	item := `<li>` + overlayLine(e, zh)
	if len(e.KnockOn) > 0 {
		item += `<details style="margin:.25em 0"><summary style="cursor:pointer;min-height:44px">` +
			html.EscapeString(content.KnockOnSummary(len(e.KnockOn), zh)+"; "+w.fixFirst) + `</summary><ul>`
		for _, k := range e.KnockOn {
			item += `<li>` + overlayLine(k, zh) + `</li>`
		}
		item += `</ul></details>`
	}
	return item + `</li>`
}

// overlayLine is an error's place and message: on a zh site the Chinese
// text first, then the English line as build prints it, for search.
func overlayLine(e *content.Error, zh bool) string {
	at := `<code>` + html.EscapeString(fmt.Sprintf("%s:%d", e.File, e.Line)) + `</code> `
	en := html.EscapeString(e.Field + ": " + e.Msg)
	if line := e.ZhLine(); zh && line != "" {
		return at + `<span class="zh">` + html.EscapeString(line) + `</span><br><span lang="en" class="en" style="opacity:.75">` + en + `</span>`
	}
	if zh {
		return at + html.EscapeString(content.FieldZh(e.Field)+": "+e.Msg)
	}
	return at + en
}

// errorText is err as the terminal shows it: content errors with their
// Chinese text on a zh-CN site, as build prints them.
func errorText(err error, lang string) string {
	var ce content.Errors
	if errors.As(err, &ce) {
		return ce.Text(lang)
	}
	return err.Error()
}
