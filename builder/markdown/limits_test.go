package markdown

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
)

// TestLimits: past each bound of limits.go the marker is text; up to it,
// markdown means what it always meant.
func TestLimits(t *testing.T) {
	quotes := func(n int) string { return strings.Repeat(">", n) + " x\n" }
	tests := []struct {
		name  string
		src   string
		count string // an element to count in the HTML
		want  int
	}{
		{"quotes up to the bound", quotes(maxNesting), "<blockquote>", maxNesting},
		{"quotes past the bound", quotes(maxNesting + 50), "<blockquote>", maxNesting},
		{"lists past the bound", strings.Repeat("- ", maxNesting+50) + "x\n", "<ul>", maxNesting / 2}, // a list and its item are two blocks
		{"footnotes past the bound", strings.Repeat("[^a]: ", maxNesting+50) + "x\n\n正文[^a]\n", `class="footnote-ref"`, 1},
		{"open brackets up to the bound", strings.Repeat("[", maxBrackets-1) + "[a](b)", `<a href="b">a</a>`, 1},
		{"open brackets past the bound", strings.Repeat("[", maxBrackets) + "[a](b)", `<a href="b">a</a>`, 0}, // "[a" is the link's text
		{"brackets closed as they go", strings.Repeat("[x] ", 3*maxBrackets) + "[a](b)", "<a href", 1},
		{"parentheses up to the bound", "[a](" + strings.Repeat("(", maxParens) + "b" + strings.Repeat(")", maxParens) + ")", "<a href", 1},
		{"parentheses past the bound", "[a](" + strings.Repeat("(", maxParens+1) + "b" + strings.Repeat(")", maxParens+1) + ")", "<a href", 0},
		{"a destination in <> without <", "[a](<b c>)", `<a href="b%20c">`, 1},
		{"a destination in <> with <", "[a](<b<c>)", "<a href", 0},
		{"a shortcut reference after a failed destination", "[a](<b<c\n\n[a]: /u\n", `<a href="/u">`, 1},
		{"a table within the bound", table(100, 99), "<td", 100 * 99}, // the header's cells count
		{"a table past the bound", table(5000, 10), "<table>", 0},
		{"a wide table of full rows", strings.Repeat("|a", 5000) + "|\n" + strings.Repeat("|-", 5000) + "|\n" + strings.Repeat("|b", 5000) + "|\n", "<td>", 5000},
		{"references within the budget", "[a]: /" + strings.Repeat("x", 1000) + "\n\n" + strings.Repeat("[a] ", 50), "<a href", 50},
		{"references past the budget", "[a]: /" + strings.Repeat("x", 50000) + "\n\n" + strings.Repeat("[a] ", 50), "<a href", 2},
	}
	r := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.Render([]byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(res.HTML, tt.count); got != tt.want {
				t.Errorf("%d × %s, want %d", got, tt.count, tt.want)
			}
		})
	}
}

// table is a table of cols columns whose rows hold one cell each.
func table(cols, rows int) string {
	return strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat("|x|\n", rows)
}

// stock is goldmark with its own extensions, which ours must equal within
// the bounds of limits.go.
var stock = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList,
		extension.NewCJK(extension.WithEastAsianLineBreaks(extension.EastAsianLineBreaksNone), extension.WithEscapedSpace())),
	goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()))

// ours is the renderer's goldmark without code highlighting.
var ours = goldmark.New(goldmark.WithParser(newParser()), goldmark.WithExtensions(extensions()...),
	goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()))

func convert(t testing.TB, md goldmark.Markdown, src []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := md.Convert(src, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// withinLimits reports inputs too small to reach a bound of limits.go:
// on them our goldmark must write what stock goldmark writes.
func withinLimits(src string) bool {
	markers := 0
	for _, c := range []byte(src) {
		if strings.IndexByte(">-+*:[]0123456789^", c) >= 0 {
			markers++
		}
	}
	return markers < maxParens && // nesting, brackets and parentheses
		!(strings.Contains(src, "<") && strings.Contains(src, "](")) && // <…> destinations with "<"
		!(strings.Contains(src, "|") && len(src) >= 200) && // tables of over 10,000 cells
		!(strings.Contains(src, "]:") && len(src) >= 400) // 100 KB of references
}

// TestSameAsGoldmark: the rewritten footnotes, link reference definitions
// and the bounds change nothing goldmark writes for ordinary pages: the
// golden inputs, the sample site and small tricky cases.
func TestSameAsGoldmark(t *testing.T) {
	inputs := map[string]string{
		"footnotes in order":           "a[^1] b[^2]\n\n[^1]: one\n[^2]: two\n",
		"footnotes out of order":       "a[^2] b[^1] c[^2]\n\n[^1]: one\n\n[^2]: two\n    more\n",
		"footnote defined twice":       "a[^x]\n\n[^x]: first\n\n[^x]: second\n",
		"footnote unused":              "a\n\n[^x]: unused\n",
		"footnote in a quote":          "> [^q]: quoted\n\nref[^q]\n",
		"footnote image-like":          "![^1]\n\n[^1]: note\n",
		"references":                   "[a]\n[b][]\n[text][c]\n\n[a]: /a\n[B]: /b 'title'\n[c]: </c d> (paren)\n",
		"reference with title lines":   "[a]: /u\n'title\ngoes on'\n\n[a]\n",
		"reference title rejected":     "[a]: /u\n'title' junk\n[b]: /v\n\n[a] [b]\n",
		"reference label on two lines": "[a\nb]: /u\n\n[a b]\n",
		"references then text":         "[a]: /u\n[b]: /v\ntext [a]\n",
		"not a reference":              "[a]: \n\n[a]\n",
		"link destinations":            "[a](b) [c](<d e>) [f](g \"h\") [i](j(k)l) [m]( n ) ![o](p)",
		"links across lines":           "[a](\n/u\n'title')\n",
		"nested lists and quotes":      "- a\n  > b\n  > - c\n    - d\n",
		"table":                        "| a | b |\n|:-|-:|\n| 1 | 2 |\n| 3 |\n",
	}
	globs := []string{"testdata/golden/*.md", "../../content/*/*.md", "../../content/*.md"}
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				inputs[f] = string(b)
			}
		}
	}
	if len(inputs) < 40 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			if want, got := convert(t, stock, []byte(src)), convert(t, ours, []byte(src)); got != want {
				t.Errorf("ours:\n%s\ngoldmark:\n%s", got, want)
			}
		})
	}
}

// TestHighlighter: code blocks come out as goldmark-highlighting wrote
// them, for known languages, their aliases and letter case, and names
// chroma does not know.
func TestHighlighter(t *testing.T) {
	ref := goldmark.New(goldmark.WithExtensions(highlighting.NewHighlighting(
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)), highlighting.WithGuessLanguage(false))))
	mine := goldmark.New(goldmark.WithExtensions(newHighlighter()))
	for _, lang := range []string{"go", "Go", "SQL", "sql", "python", "py", "bash", "shell", "yaml", "toml",
		"json", "text", "plain", "mermaid", "ebnf+diagram", "", "tsx", "Dockerfile", "makefile", "c++", "<x>"} {
		t.Run(lang, func(t *testing.T) {
			src := fmt.Sprintf("```%s\nSELECT 1; -- <b> & \"x\"\nfunc main() {}\n```\n", lang)
			if want, got := convert(t, ref, []byte(src)), convert(t, mine, []byte(src)); got != want {
				t.Errorf("ours:\n%s\ngoldmark-highlighting:\n%s", got, want)
			}
		})
	}
}
