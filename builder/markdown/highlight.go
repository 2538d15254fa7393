package markdown

import (
	"bytes"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// highlighter renders fenced code blocks with chroma, CSS classes only
// (colours come from css/chroma.css). It writes what goldmark-highlighting
// writes, without its cost per block: that extension builds a formatter,
// and with it the CSS of the whole style, for every block, and asks chroma
// for the lexer of a name it does not know (```mermaid, ```log) by matching
// the name against every file pattern of every lexer, some 10 ms a block.
// A page of short blocks took minutes. Attributes after the language
// (```go {linenos=true}) are ignored.
type highlighter struct {
	formatter *chromahtml.Formatter // shared: its style cache is locked
	style     *chroma.Style
}

func (h *highlighter) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(h, 100)))
}

func newHighlighter() *highlighter {
	return &highlighter{formatter: chromahtml.New(chromahtml.WithClasses(true)), style: styles.Get("github")}
}

func (h *highlighter) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, h.render)
}

func (h *highlighter) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(src)
	if i := bytes.IndexByte(lang, '{'); i >= 0 {
		lang = lang[:i]
	}
	var code bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		line := n.Lines().At(i)
		code.Write(line.Value(src))
	}
	if lexer := lexerFor(string(lang)); lexer != nil {
		if it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String()); err == nil {
			return ast.WalkContinue, h.formatter.Format(w, h.style, it)
		}
	}
	_, _ = w.WriteString("<pre><code")
	if len(lang) > 0 {
		_, _ = w.WriteString(` class="language-`)
		html.DefaultWriter.Write(w, lang)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	html.DefaultWriter.RawWrite(w, code.Bytes())
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkContinue, nil
}

// lexerNames holds, lowercased, every name chroma may know a lexer by: its
// names, aliases and the extensions and file names of its simple file
// patterns ("*.py", "Makefile"). A name outside it has no lexer, and is
// answered without asking chroma.
var lexerNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		c := l.Config()
		names[strings.ToLower(c.Name)] = true
		for _, a := range c.Aliases {
			names[strings.ToLower(a)] = true
		}
		for _, g := range append(append([]string{}, c.Filenames...), c.AliasFilenames...) {
			g = strings.TrimPrefix(g, "*.")
			if !strings.ContainsAny(g, `*?[\`) {
				names[strings.ToLower(g)] = true
			}
		}
	}
	return names
})

// lexers found so far, by lowercased name; at most len(lexerNames()).
var lexerCache sync.Map

// lexerFor returns the lexer of a fence's language, or nil.
func lexerFor(lang string) chroma.Lexer {
	lang = strings.ToLower(lang)
	if lang == "" || !lexerNames()[lang] {
		return nil
	}
	if l, ok := lexerCache.Load(lang); ok {
		l, _ := l.(chroma.Lexer) // nil stored as a nil interface: chroma knows none
		return l
	}
	l := lexers.Get(lang)
	if l != nil {
		l = fastLexer(l)
	}
	lexerCache.Store(lang, l)
	return l
}
