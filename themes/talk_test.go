package themes_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// TestCopyButtonsSayOnlyTalk: in the built sample site, no copy button of
// any script page or of the script library reaches a line of an internal
// section, a table or prose outside the quotes; each script's talk-track
// button copies exactly its lines to say, as pages.json lists them. It
// reads the copy buttons as playbook.js does (data-copy, data-copy-in,
// data-copy-all), with no browser.
func TestCopyButtonsSayOnlyTalk(t *testing.T) {
	dest := buildSamplePublic(t)
	scripts := sampleScripts(t, dest)
	if len(scripts) < 10 {
		t.Fatalf("%d scripts in pages.json, want the sample's", len(scripts))
	}
	for _, s := range scripts {
		t.Run(s.Path, func(t *testing.T) {
			doc := parseHTML(t, filepath.Join(dest, strings.TrimPrefix(s.URL, basePath), "index.html"))
			internal := internalLines(doc)
			copies := copyTexts(t, doc)
			if len(copies) != len(s.Fields.Say)+1 {
				t.Errorf("%d copy buttons, want one per line to say (%d) and one for the talk track", len(copies), len(s.Fields.Say))
			}
			for _, c := range copies {
				checkNoInternal(t, c, internal)
			}
			var want []string
			for _, l := range s.Fields.Say {
				want = append(want, l.Text)
			}
			if got := squash(copies[0]); got != squash(strings.Join(want, "")) {
				t.Errorf("the talk-track button copies\n%s\nwant the lines to say\n%s", copies[0], strings.Join(want, "\n\n"))
			}
		})
	}
	t.Run("script library", func(t *testing.T) {
		doc := parseHTML(t, filepath.Join(dest, "scripts", "index.html"))
		copies := copyTexts(t, doc)
		if len(copies) < len(scripts) {
			t.Errorf("%d copy buttons in the library, want at least one per script (%d)", len(copies), len(scripts))
		}
		internal := internalLines(doc)
		if len(internal) == 0 {
			t.Fatal("no internal section in the library's talk tracks: the test would prove nothing")
		}
		for _, c := range copies {
			checkNoInternal(t, c, internal)
		}
	})
	t.Run("price script", func(t *testing.T) {
		doc := parseHTML(t, filepath.Join(dest, "scripts", "price-objection", "index.html"))
		whole := copyTexts(t, doc)[0]
		if n := strings.Count(whole, "“"); n != 2 {
			t.Errorf("the talk track copies %d quotes, want the page's 2:\n%s", n, whole)
		}
		for _, bad := range []string{"千万别说", "这个价格已经是最低了", "首年低、续费高", "竞品更便宜", "先弄清楚是哪一件"} {
			if strings.Contains(whole, bad) {
				t.Errorf("the talk track copy holds %q (internal, table, link or guidance)", bad)
			}
		}
		if n := utf8.RuneCountInString(whole); n > 200 {
			t.Errorf("the talk track copy is %d characters, want only its two quotes", n)
		}
	})
}

type sampleScript struct {
	Path   string `json:"path"`
	URL    string `json:"url"`
	Type   string `json:"type"`
	Fields struct {
		Say []struct {
			Text string `json:"text"`
		} `json:"say"`
		Internal []struct {
			Heading string `json:"heading"`
		} `json:"internal"`
	} `json:"fields"`
}

func sampleScripts(t *testing.T, dest string) []sampleScript {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dest, "api", "pages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []sampleScript
	if err := json.Unmarshal(data, &pages); err != nil {
		t.Fatal(err)
	}
	var out []sampleScript
	for _, p := range pages {
		if p.Type == "script" {
			out = append(out, p)
		}
	}
	return out
}

func parseHTML(t *testing.T, path string) *html.Node {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

// internalLines is every line of text of the internal sections, but for
// the label-sized ones (a heading of two characters could be anywhere).
func internalLines(doc *html.Node) []string {
	var out []string
	walk(doc, func(n *html.Node) {
		if n.Data == "section" && hasClass(n, "internal") {
			for _, l := range strings.Split(textOf(n), "\n") {
				if l = strings.TrimSpace(l); utf8.RuneCountInString(l) >= 4 {
					out = append(out, l)
				}
			}
		}
	})
	return out
}

func checkNoInternal(t *testing.T, copied string, internal []string) {
	t.Helper()
	if strings.TrimSpace(copied) == "" {
		t.Error("a copy button copies nothing")
	}
	for _, l := range internal {
		if strings.Contains(squash(copied), squash(l)) {
			t.Errorf("a copy button copies the internal line %q:\n%s", l, copied)
		}
	}
}

// copyTexts is what each copy button of doc copies, in document order.
func copyTexts(t *testing.T, doc *html.Node) []string {
	t.Helper()
	var out []string
	walk(doc, func(btn *html.Node) {
		sel, ok := attr(btn, "data-copy")
		if !ok {
			return
		}
		scope := doc
		if in, ok := attr(btn, "data-copy-in"); ok {
			scope = closestClass(btn, strings.TrimPrefix(in, "."))
			if scope == nil || !strings.HasPrefix(in, ".") {
				t.Fatalf("data-copy-in=%q: the test knows only .class of an ancestor", in)
			}
		}
		_, all := attr(btn, "data-copy-all")
		var texts []string
		for _, el := range selectTargets(t, scope, sel) {
			if all && closestClass(el, "internal") != nil {
				continue // playbook.js leaves these out of data-copy-all
			}
			texts = append(texts, strings.TrimSpace(textOf(el)))
			if !all {
				break
			}
		}
		out = append(out, strings.Join(texts, "\n\n"))
	})
	return out
}

// selectTargets supports the selectors the theme's copy buttons use.
func selectTargets(t *testing.T, scope *html.Node, sel string) []*html.Node {
	var out []*html.Node
	switch sel {
	case "blockquote":
		walk(scope, func(n *html.Node) {
			if n.Data == "blockquote" && n != scope {
				out = append(out, n)
			}
		})
	case ".say > blockquote":
		walk(scope, func(n *html.Node) {
			if n.Data == "blockquote" && n.Parent != nil && hasClass(n.Parent, "say") {
				out = append(out, n)
			}
		})
	default:
		t.Fatalf("copy selector %q: teach the test what it selects", sel)
	}
	return out
}

func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

func closestClass(n *html.Node, class string) *html.Node {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && hasClass(p, class) {
			return p
		}
	}
	return nil
}

// textOf is the text under n, a newline after each block.
func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
		switch n.Data {
		case "p", "li", "h1", "h2", "h3", "h4", "tr", "br", "blockquote", "div", "section":
			b.WriteByte('\n')
		}
	}
	rec(n)
	return b.String()
}

// squash drops white space, which innerText and the HTML's text place
// differently.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}
