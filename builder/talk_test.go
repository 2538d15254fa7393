package builder_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/playbook-sales/playbook/builder"
)

// TestTalkWarnings: check warns, naming file and line, about a script with
// no line to say and about a heading that reads like internal guidance but
// carries no {.internal} mark; a script that follows the convention, and
// any page that is not a script, gets no talk warning.
func TestTalkWarnings(t *testing.T) {
	site := writeSite(t, map[string]string{
		"playbook.yaml":            "title: x\n",
		"content/scripts/good.md":  "---\ntitle: 好\nowner: a\n---\n> “您好”\n\n## 千万别说 {.internal}\n\n- 最低价\n",
		"content/scripts/bare.md":  "---\ntitle: 空\nowner: a\n---\n只有说明，没有引用。\n",
		"content/scripts/loose.md": "---\ntitle: 松\nowner: a\n---\n> “您好”\n\n## 千万别说\n\n> “这是最低价”\n",
		"content/guides/g.md":      "---\ntitle: 指南\nowner: a\n---\n## 内部\n\n没有引用。\n",
	})
	_, warnings, err := builder.Check(context.Background(), builder.Options{Site: site, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warnings {
		if w.Kind == "talk" {
			got = append(got, fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message))
		}
	}
	want := []string{
		`content/scripts/bare.md:5: body: no line to say: quote what the rep says to the customer with "> " so that copy buttons have it`,
		`content/scripts/loose.md:7: body: heading "千万别说" reads like internal guidance; end it with {.internal} so that none of it is copied`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("talk warnings:\n%q\nwant\n%q", got, want)
	}
}
