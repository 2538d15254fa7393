package markdown

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/playbook-sales/playbook/internal/synth"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// FuzzRender renders any text. It must not fail or panic; broken links
// and talk-track lines (as a script) name lines of the input; the HTML and the memory allocated stay within
// a bound proportional to the input; within the bounds of limits.go the
// HTML is stock goldmark's; and the CJK line joining equals the simple
// look-ahead it replaced. Seeds: the golden inputs, the sample site, the
// hostile inputs, and when fuzzing the files under $PLAYBOOK_CORPUS.
//
//	make fuzz   # or: go test ./builder/markdown -run '^$' -fuzz FuzzRender -fuzztime 60s
func FuzzRender(f *testing.F) {
	for _, src := range seeds(f) {
		f.Add(src)
	}
	f.Add("[a](b.md)<!--more-->[c](javascript:x)\n\n<javascript:y>")
	r := New(Options{Unsafe: true})
	f.Fuzz(func(t *testing.T, src string) {
		before := allocated()
		res, err := r.Render([]byte(src), testResolver)
		spent := allocated() - before
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		n := strings.Count(src, "\n") + 1
		for _, b := range res.Broken {
			if b.Line < 1 || b.Line > n {
				t.Fatalf("broken link %+v outside %d lines", b, n)
			}
		}
		// The largest amplifications within the limits: a table of
		// minTableCells cells, minRefBytes of escaped references, about 35
		// bytes of footnote link per "[^1]".
		if len(res.HTML) > 64*len(src)+2<<20 {
			t.Fatalf("%d bytes of HTML for %d of markdown", len(res.HTML), len(src))
		}
		if spent > 4096*uint64(len(src))+128<<20 {
			t.Fatalf("%d bytes allocated for %d of markdown", spent, len(src))
		}
		if withinLimits(src) {
			if want, got := convert(t, stock, []byte(src)), convert(t, ours, []byte(src)); got != want {
				t.Fatalf("ours:\n%s\ngoldmark:\n%s", got, want)
			}
		}
		checkJoinWide(t, []byte(src))
		checkTalk(t, r, src, n)
	})
}

func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// seeds are the golden inputs, the sample site's pages, 2 KB of each
// hostile input and, when fuzzing, the markdown files under
// $PLAYBOOK_CORPUS (such as a clone of pingcap/docs-cn), read in place.
func seeds(f *testing.F) []string {
	var out []string
	for _, g := range []string{"testdata/golden/*.md", "../../content/*/*.md", "../../content/*.md"} {
		files, _ := filepath.Glob(g)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				out = append(out, string(b))
			}
		}
	}
	for _, h := range synth.HostileInputs {
		out = append(out, string(h.Body(2<<10)))
	}
	if dir := os.Getenv("PLAYBOOK_CORPUS"); dir != "" && fuzzing() {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 && utf8.Valid(b) {
					out = append(out, string(b))
				}
			}
			return nil
		})
	}
	return out
}

// fuzzing reports a run with -fuzz: the corpus seeds are too many to run
// as plain tests on every `make test`.
func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}

// checkJoinWide compares joinWideLines with the look-ahead from every line
// break that it replaced, on two parses of src.
func checkJoinWide(t *testing.T, src []byte) {
	src = []byte(strings.ToValidUTF8(string(src), "\uFFFD"))
	p := New(Options{}).md.Parser()
	fast, slow := p.Parse(text.NewReader(src)), p.Parse(text.NewReader(src))
	joinWideLines(fast, src)
	lookAheadJoin(slow, src)
	var a, b []bool
	for _, doc := range []struct {
		n   ast.Node
		out *[]bool
	}{{fast, &a}, {slow, &b}} {
		_ = ast.Walk(doc.n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if tx, ok := n.(*ast.Text); ok && entering {
				*doc.out = append(*doc.out, tx.SoftLineBreak())
			}
			return ast.WalkContinue, nil
		})
	}
	if len(a) != len(b) {
		t.Fatalf("%d texts and %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("text %d: soft line break %v, look-ahead says %v", i, a[i], b[i])
		}
	}
}

// lookAheadJoin is joinWideLines as it was: from every soft line break,
// find the next character written in the paragraph.
func lookAheadJoin(doc ast.Node, src []byte) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok || !t.SoftLineBreak() {
			return ast.WalkContinue, nil
		}
		last, _ := utf8.DecodeLastRune(t.Segment.Value(src))
		for next := n.NextSibling(); next != nil; next = next.NextSibling() {
			var first rune
			found := false
			_ = ast.Walk(next, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
				if tt, isText := c.(*ast.Text); entering && isText && tt.Segment.Len() > 0 {
					first, _ = utf8.DecodeRune(tt.Segment.Value(src))
					found = true
					return ast.WalkStop, nil
				}
				return ast.WalkContinue, nil
			})
			if found {
				if wide(last) && wide(first) {
					t.SetSoftLineBreak(false)
				}
				break
			}
		}
		return ast.WalkContinue, nil
	})
}

// checkTalk renders src as a script: it must not fail, and every line to
// say, internal section and mark it reports names a line of the input.
func checkTalk(t *testing.T, r *Renderer, src string, n int) {
	res, err := r.RenderScript([]byte(src), testResolver)
	if err != nil {
		t.Fatalf("render script: %v", err)
	}
	for _, l := range res.Say {
		if l.Line < 1 || l.Line > n || l.Text == "" {
			t.Fatalf("line to say %+v outside %d lines or empty", l, n)
		}
	}
	for _, s := range res.Internal {
		if s.Line < 1 || s.Line > n {
			t.Fatalf("internal section %+v outside %d lines", s, n)
		}
	}
	for _, s := range append(res.Stray, res.Unmarked...) {
		if s.Line < 1 || s.Line > n {
			t.Fatalf("mark %+v outside %d lines", s, n)
		}
	}
}
