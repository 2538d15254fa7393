package markdown

// Talk tracks: which parts of a body may be said to a customer.
//
// A section whose heading carries the class internal (`## 千万别说
// {.internal}`) is internal guidance: it and everything under it, up to the
// next heading of the same or a higher level, renders inside
// <section class="internal">, which the theme marks "内部 · 勿对客户说" on
// screen and in print. In a script (RenderScript), each quote (`> …`)
// outside internal sections is a line to say: it renders inside
// <div class="say"> with a copy button for that line, and the whole-talk-track
// copy button copies these quotes and nothing else. Prose, lists, tables and
// links outside quotes are guidance for the rep: shown, never copied.

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// InternalClass marks a heading whose section is internal guidance.
const InternalClass = "internal"

// Line is one line to say: a quote outside internal sections.
type Line struct {
	Text string // plain text, on one line per paragraph
	Line int    // line of the quote in the markdown source, from 1
}

// Section is one internal section.
type Section struct {
	Heading string
	Text    string // plain text of the section, heading excluded
	Line    int    // line of its heading in the markdown source, from 1
}

// StrayMark is a heading marked {.internal} that cannot open a section
// because it sits inside a list or a quote.
type StrayMark struct {
	Heading string
	Line    int
}

// internalWords make a heading read like internal guidance: a script's
// heading holding one, unmarked, is worth a warning (builder/model/talk.go).
var internalWords = []string{"内部", "千万别说", "不要说", "别说", "不能说", "切忌", "禁忌", "忌说", "禁用语", "internal", "don't say", "do not say"}

// unmarkedInternal lists the headings outside internal sections whose
// words read like internal guidance.
func unmarkedInternal(doc ast.Node, src []byte, lines *lineIndex) []StrayMark {
	var out []StrayMark
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == KindInternal {
			return ast.WalkSkipChildren, nil
		}
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		t := strings.TrimSpace(inlineText(h, src))
		lower := strings.ToLower(t)
		for _, w := range internalWords {
			if strings.Contains(lower, w) {
				out = append(out, StrayMark{Heading: t, Line: lines.of(h)})
				break
			}
		}
		return ast.WalkSkipChildren, nil
	})
	return out
}

// KindInternal and KindSay are the nodes the talk pass adds.
var (
	KindInternal = ast.NewNodeKind("Internal")
	KindSay      = ast.NewNodeKind("Say")
)

// internalNode holds an internal section: its heading and what follows.
type internalNode struct{ ast.BaseBlock }

func (n *internalNode) Kind() ast.NodeKind         { return KindInternal }
func (n *internalNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// sayNode holds one quote that is a line to say.
type sayNode struct{ ast.BaseBlock }

func (n *sayNode) Kind() ast.NodeKind         { return KindSay }
func (n *sayNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// isInternalHeading reports a heading with the class internal.
func isInternalHeading(n ast.Node) (*ast.Heading, bool) {
	h, ok := n.(*ast.Heading)
	if !ok {
		return nil, false
	}
	v, ok := h.AttributeString("class")
	if !ok {
		return nil, false
	}
	b, _ := v.([]byte)
	return h, hasWord(string(b), InternalClass)
}

func hasWord(list, w string) bool {
	for _, f := range strings.Fields(list) {
		if f == w {
			return true
		}
	}
	return false
}

// wrapInternal moves each internal section of doc's top level into an
// internalNode and returns the marks it could not use.
func wrapInternal(doc ast.Node, src []byte, lines *lineIndex) (stray []StrayMark) {
	var open ast.Node
	level := 0
	for c := doc.FirstChild(); c != nil; {
		next := c.NextSibling()
		if h, ok := c.(*ast.Heading); ok && open != nil && h.Level <= level {
			open = nil
		}
		if h, ok := isInternalHeading(c); ok && open == nil {
			open, level = &internalNode{}, h.Level
			doc.InsertBefore(doc, c, open)
		}
		if open != nil {
			doc.RemoveChild(doc, c)
			open.AppendChild(open, c)
		}
		c = next
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := isInternalHeading(n); entering && ok && n.Parent().Kind() != KindInternal {
			stray = append(stray, StrayMark{Heading: strings.TrimSpace(inlineText(h, src)), Line: lines.of(h)})
		}
		return ast.WalkContinue, nil
	})
	return stray
}

// wrapSay puts each outermost quote outside internal sections into a
// sayNode and returns their text.
func wrapSay(doc ast.Node, src []byte, lines *lineIndex) []Line {
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch {
		case !entering:
			return ast.WalkContinue, nil
		case n.Kind() == KindInternal:
			return ast.WalkSkipChildren, nil
		case n.Kind() == ast.KindBlockquote:
			quotes = append(quotes, n.(*ast.Blockquote))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	out := make([]Line, 0, len(quotes))
	for _, q := range quotes {
		text := strings.TrimSpace(blockText(q, src))
		if text == "" {
			continue
		}
		say := &sayNode{}
		q.Parent().ReplaceChild(q.Parent(), q, say)
		say.AppendChild(say, q)
		out = append(out, Line{Text: text, Line: lines.of(q)})
	}
	return out
}

// internalSections lists the internal sections of doc with their text.
func internalSections(doc ast.Node, src []byte, lines *lineIndex) []Section {
	var out []Section
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Kind() != KindInternal {
			continue
		}
		h := c.FirstChild()
		var parts []string
		for n := h.NextSibling(); n != nil; n = n.NextSibling() {
			if t := strings.TrimSpace(PlainText(n, src)); t != "" {
				parts = append(parts, t)
			}
		}
		out = append(out, Section{Heading: strings.TrimSpace(inlineText(h, src)), Text: strings.Join(parts, "\n"), Line: lines.of(h)})
	}
	return out
}

// blockText is the text of a quote's blocks, one line per paragraph and
// per hard line break, as the browser's innerText gives it.
func blockText(n ast.Node, src []byte) string {
	var parts []string
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (c.Kind() == ast.KindParagraph || c.Kind() == ast.KindTextBlock || c.Kind() == ast.KindHeading) {
			if t := strings.TrimSpace(hardLines(c, src)); t != "" {
				parts = append(parts, t)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(parts, "\n")
}

// hardLines is inlineText with each hard line break kept as a newline.
func hardLines(n ast.Node, src []byte) string {
	return strings.ReplaceAll(joinLines(walkText(n, src, true)), string(hardBreak), "\n")
}

// hardBreak stands for a hard line break while joinLines joins the soft
// ones: U+2028 LINE SEPARATOR, which no text of a quote keeps.
const hardBreak = '\u2028'

// talkRenderer writes the two nodes. The copy button of a line has no
// words: the theme's script carries them (data-copy-line on an ancestor),
// in the site's language, and shows the button, which stays hidden where
// scripts do not run.
type talkRenderer struct{}

func (talkRenderer) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(KindInternal, renderInternal)
	r.Register(KindSay, renderSay)
}

func renderInternal(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<section class=\"internal\">\n")
	} else {
		_, _ = w.WriteString("</section>\n")
	}
	return ast.WalkContinue, nil
}

// sayButton copies the quote of its .say parent (see playbook.js).
const sayButton = `<button class="copy-btn copy-line" type="button" data-copy="blockquote" data-copy-in=".say" hidden>` +
	`<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><rect x="8" y="8" width="12" height="13" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><path d="M16 8V5a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h2" fill="none" stroke="currentColor" stroke-width="2"/></svg>` +
	`<span class="copy-label"></span></button><span class="copy-status sr-only" role="status" aria-live="polite"></span>` + "\n"

func renderSay(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<div class=\"say\">\n")
	} else {
		_, _ = w.WriteString(sayButton + "</div>\n")
	}
	return ast.WalkContinue, nil
}

// talkExtension registers the renderer of the talk nodes.
type talkExtension struct{}

func (talkExtension) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(talkRenderer{}, 500)))
}
