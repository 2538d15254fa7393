package preview

import (
	"strings"
	"testing"
	"unicode"

	"github.com/playbook-sales/playbook/builder/content"
)

// overlayErrors is one broken page, a link that fails because of it, and
// a value error whose text an author could have made hostile.
func overlayErrors() error {
	cause := content.NewError("content/scripts/price.md", 3, "front matter", content.KindInvalidSyntax, "YAML", "did not find expected key")
	knock := content.NewError("content/guides/intro.md", 6, "link", content.KindLinkMissing, "../scripts/price.md")
	knock.Target = "scripts/price"
	hostile := content.NewError("content/cases/<a>.md", 4, "outcome", content.KindWantOneOf, "won|lost|open", `<img src=x onerror=alert(1)>`)
	return content.Errors{knock, hostile, cause}.Err()
}

func TestOverlayLanguage(t *testing.T) {
	tests := []struct {
		lang    string
		want    []string // in this order
		notWant []string
	}{
		{"zh-CN", []string{
			`lang="zh-CN"`, "构建失败 (Build failed)", "2 个问题 (2 problems)", "仍在显示上一次成功的构建", "点此收起 (tap to fold)",
			`<code>content/scripts/price.md:3</code>`,
			"前置信息 front matter：YAML 格式有误：did not find expected key", "front matter: invalid YAML: did not find expected key",
			"1 处链接指向此页 (1 link to this page); 先修上面这一处 (fix the line above first)",
			"链接 link：../scripts/price.md 不存在；", "link: ../scripts/price.md does not exist;",
			`<code>content/cases/&lt;a&gt;.md:4</code>`,
			`结果 outcome：应为 won|lost|open 之一，实际是 &#34;&lt;img src=x onerror=alert(1)&gt;&#34;`,
			`outcome: want one of won|lost|open, got &#34;&lt;img src=x onerror=alert(1)&gt;&#34;`,
		}, []string{"<img", "<a>"}},
		{"en", []string{
			`lang="en"`, "Build failed", "2 problems — showing the last good build; tap to fold",
			"front matter: invalid YAML: did not find expected key",
			"1 link to this page; fix the line above first",
			"link: ../scripts/price.md does not exist;",
			`outcome: want one of won|lost|open, got &#34;&lt;img src=x onerror=alert(1)&gt;&#34;`,
		}, []string{"<img", "<a>", "构建失败", "处链接", "格式有误"}},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			o := Overlay(overlayErrors(), tc.lang)
			at := 0
			for _, w := range tc.want {
				i := strings.Index(o[at:], w)
				if i < 0 {
					t.Fatalf("overlay lacks %q after byte %d:\n%s", w, at, o)
				}
				at += i + len(w)
			}
			for _, w := range tc.notWant {
				if strings.Contains(o, w) {
					t.Errorf("overlay holds %q:\n%s", w, o)
				}
			}
		})
	}
}

// An English site's overlay has no Chinese word of its own: every Han
// character in it comes from the content.
func TestOverlayEnglishHasNoChinese(t *testing.T) {
	o := Overlay(content.Errors{content.NewError("content/a.md", 2, "title", content.KindTitleRequired)}.Err(), "en")
	if strings.ContainsFunc(o, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("English overlay holds Chinese:\n%s", o)
	}
}
