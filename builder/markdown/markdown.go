// Package markdown renders page bodies with goldmark: GitHub-flavoured
// markdown, footnotes, CJK line breaks, readable Chinese heading IDs, a table
// of contents, chroma highlighting with CSS classes, links between content
// files rewritten to page URLs, and the plain text of the page for search.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configure the renderer.
type Options struct {
	// Unsafe lets raw HTML in markdown through. Off by default: content is
	// written by many hands and pasted from mail and chat.
	Unsafe bool
}

// Renderer renders markdown; it is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
}

// New returns a renderer with Playbook's extensions.
func New(o Options) *Renderer {
	opts := []goldmark.Option{
		goldmark.WithParser(newParser()),
		goldmark.WithExtensions(append(extensions(), newHighlighter(), talkExtension{})...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	}
	if o.Unsafe {
		opts = append(opts, goldmark.WithRendererOptions(html.WithUnsafe()))
	}
	return &Renderer{md: goldmark.New(opts...)}
}

// extensions are goldmark's GFM, footnotes, definition lists and CJK, the
// first two with the bounds of limits.go and linear lookups.
func extensions() []goldmark.Extender {
	return []goldmark.Extender{
		gfm{},
		footnotes{},
		extension.DefinitionList,
		// Soft line breaks between two wide characters are dropped by
		// joinWideLines below; goldmark's own modes either keep a space
		// after ，“” (simple) or fuse English after punctuation (CSS3 draft).
		extension.NewCJK(extension.WithEastAsianLineBreaks(extension.EastAsianLineBreaksNone), extension.WithEscapedSpace()),
	}
}

// LinkStatus says what a link destination points at.
type LinkStatus int

const (
	NotContent LinkStatus = iota // a web address, an anchor, a relative file: left alone
	Resolved                     // rewritten: a content file to its page URL, a site path to base path + path
	Hidden                       // a content file not published in this build: link text kept, link dropped
	Missing                      // names a content file that does not exist: an error
)

// Resolver maps a link destination to a page URL.
type Resolver func(dest string) (url string, status LinkStatus)

// Heading is one entry of the table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// BrokenLink is a link to a content file that does not exist.
type BrokenLink struct {
	Dest string
	Line int // line within the markdown source, from 1
}

// Result is a rendered page body.
type Result struct {
	HTML     string
	TOC      []Heading
	Text     string // plain text, blocks separated by newlines
	Summary  string // plain text before <!--more-->, else of the first paragraph
	Links    []string
	Broken   []BrokenLink
	Headings []string
	Say      []Line      // a script's lines to say (RenderScript only), in order
	Internal []Section   // the internal sections ({.internal} headings)
	Stray    []StrayMark // {.internal} marks that open no section
	Unmarked []StrayMark // a script's headings that read internal but are not marked
}

var moreRE = regexp.MustCompile(`<!--\s*more\s*-->`)

// Render renders src; resolve may be nil when there are no content links.
func (r *Renderer) Render(src []byte, resolve Resolver) (Result, error) {
	return r.render(src, resolve, false)
}

// RenderScript renders a script's body: as Render, and each quote outside
// internal sections is a line to say, with its own copy button (talk.go).
func (r *Renderer) RenderScript(src []byte, resolve Resolver) (Result, error) {
	return r.render(src, resolve, true)
}

func (r *Renderer) render(src []byte, resolve Resolver, script bool) (Result, error) {
	var res Result
	var before []byte
	// goldmark's CJK line breaks panic on invalid UTF-8 (content.Parse
	// rejects such files, but Render must not trust its caller).
	src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	if loc := moreRE.FindIndex(src); loc != nil {
		before = src[:loc[0]]
		// Cut the marker but keep its line breaks, so line numbers stay true
		// and "摘要。<!--more-->其余" leaves no space between the two.
		keep := bytes.Repeat([]byte("\n"), bytes.Count(src[loc[0]:loc[1]], []byte("\n")))
		src = append(append(append([]byte{}, src[:loc[0]]...), keep...), src[loc[1]:]...)
	}
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	doc := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	joinWideLines(doc, src)
	res.rewriteLinks(doc, src, resolve)
	res.collectHeadings(doc, src)
	lines := &lineIndex{src: src}
	res.Stray = wrapInternal(doc, src, lines)
	res.Internal = internalSections(doc, src, lines)
	if script {
		res.Say = wrapSay(doc, src, lines)
		res.Unmarked = unmarkedInternal(doc, src, lines)
	}
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, src, doc); err != nil {
		return res, fmt.Errorf("render markdown: %w", err)
	}
	res.HTML = buf.String()
	res.Text = PlainText(doc, src)
	if before != nil {
		bdoc := r.md.Parser().Parse(text.NewReader(before))
		res.Summary = blocksText(bdoc, before)
	} else {
		res.Summary = firstParagraph(doc, src)
	}
	return res, nil
}

func (res *Result) rewriteLinks(doc ast.Node, src []byte, resolve Resolver) {
	var unwrap []*ast.Link
	var unsafeAuto []*ast.AutoLink
	lines := &lineIndex{src: src}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if img, ok := n.(*ast.Image); ok {
			if dangerous(string(img.Destination)) {
				img.Destination = nil
			} else if resolve != nil {
				if url, status := resolve(string(img.Destination)); status == Resolved {
					img.Destination = []byte(url)
				}
			}
			return ast.WalkContinue, nil
		}
		if al, ok := n.(*ast.AutoLink); ok && dangerous(string(al.URL(src))) {
			unsafeAuto = append(unsafeAuto, al)
			return ast.WalkContinue, nil
		}
		link, ok := n.(*ast.Link)
		if !ok {
			return ast.WalkContinue, nil
		}
		dest := string(link.Destination)
		if dangerous(dest) {
			unwrap = append(unwrap, link)
			return ast.WalkContinue, nil
		}
		if resolve == nil {
			return ast.WalkContinue, nil
		}
		url, status := resolve(dest)
		switch status {
		case Resolved:
			link.Destination = []byte(url)
			res.Links = append(res.Links, url)
		case Hidden:
			unwrap = append(unwrap, link)
		case Missing:
			res.Broken = append(res.Broken, BrokenLink{Dest: dest, Line: lines.of(link)})
		}
		return ast.WalkContinue, nil
	})
	for _, l := range unwrap {
		parent := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, l, c)
			c = next
		}
		parent.RemoveChild(parent, l)
	}
	for _, al := range unsafeAuto { // keep the text, drop the link
		al.Parent().ReplaceChild(al.Parent(), al, ast.NewString(al.Label(src)))
	}
}

// dangerous reports link schemes that run code in the reader's browser,
// also when written with character references (&#106;avascript:).
func dangerous(dest string) bool {
	dest = string(util.ResolveNumericReferences(util.ResolveEntityNames([]byte(dest))))
	d := strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, dest))
	for _, s := range []string{"javascript:", "vbscript:", "file:"} {
		if strings.HasPrefix(d, s) {
			return true
		}
	}
	return strings.HasPrefix(d, "data:") && !strings.HasPrefix(d, "data:image/")
}

// lineIndex finds the line of a node by a binary search over the starts of
// lines, made on first use: counting the newlines before every broken link
// took the square of the length of a page of them.
type lineIndex struct {
	src    []byte
	starts []int // offset of each line's first byte
}

// of finds the source line of an inline node through its first text.
func (li *lineIndex) of(n ast.Node) int {
	for c := n; c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return li.line(t.Segment.Start)
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return li.line(p.Lines().At(0).Start)
		}
	}
	return 1
}

// line returns the line, from 1, of the byte at offset off.
func (li *lineIndex) line(off int) int {
	if li.starts == nil {
		li.starts = []int{0}
		for i, c := range li.src {
			if c == '\n' {
				li.starts = append(li.starts, i+1)
			}
		}
	}
	n, found := slices.BinarySearch(li.starts, off)
	if found {
		return n + 1
	}
	return n
}

func (res *Result) collectHeadings(doc ast.Node, src []byte) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		t := strings.TrimSpace(inlineText(h, src))
		res.Headings = append(res.Headings, t)
		if h.Level >= 2 && h.Level <= 3 {
			res.TOC = append(res.TOC, Heading{Level: h.Level, ID: string(idb), Text: t})
		}
		return ast.WalkSkipChildren, nil
	})
}

// inlineText concatenates the text inside an inline container. A line
// break becomes a space, except between two wide (CJK) characters, as the
// CJK extension renders it: "这是常见的⏎价格异议" reads 这是常见的价格异议.
func inlineText(n ast.Node, src []byte) string {
	return joinLines(walkText(n, src, false))
}

// walkText writes the text of n's inline nodes, each line break as '\n'.
// asShown gives the text as the HTML shows it — escapes and entities
// resolved (1\. reads 1.) — and a hard line break as hardBreak.
func walkText(n ast.Node, src []byte, asShown bool) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			v := t.Segment.Value(src)
			if asShown && !t.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			switch {
			case asShown && t.HardLineBreak():
				b.WriteRune(hardBreak)
			case t.SoftLineBreak() || t.HardLineBreak():
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// joinLines puts text on one line: a line break becomes a space, except
// between two wide or full-width characters (CJK text and punctuation such
// as "，"), where it disappears, as in CSS's segment break rules.
func joinLines(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if r != '\n' {
			b.WriteRune(r)
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		next, _ := utf8.DecodeRuneInString(s[i+1:])
		if !wideRune(prev) || !wideRune(next) {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// wideRune reports East Asian width F, W or H, Hangul excepted (Korean
// separates words with spaces).
func wideRune(r rune) bool {
	switch util.EastAsianWidth(r) {
	case "F", "W", "H":
		return !unicode.Is(unicode.Hangul, r)
	}
	return false
}

// PlainText extracts the words of a document for search and summaries.
// Blocks are separated by newlines so words of two blocks never fuse.
func PlainText(doc ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := t.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(src))
		}
		return ast.WalkContinue, nil
	})
	// The text is kept for the whole build (search indexes it after the
	// pages render): a copy at its size, not the builder's grown buffer.
	return strings.Clone(strings.TrimSpace(b.String()))
}

const summaryRunes = 160

// blocksText is the text of the paragraphs under n on one line, blocks
// separated by a space; headings and code are left out of a summary.
func blocksText(n ast.Node, src []byte) string {
	var parts []string
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c.Kind() {
		case ast.KindHeading, ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindHTMLBlock:
			return ast.WalkSkipChildren, nil
		case ast.KindParagraph, ast.KindTextBlock:
			if t := strings.TrimSpace(inlineText(c, src)); t != "" {
				parts = append(parts, t)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(parts, " ")
}

func firstParagraph(doc ast.Node, src []byte) string {
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Kind() == ast.KindParagraph {
			return Truncate(strings.TrimSpace(inlineText(c, src)), summaryRunes)
		}
	}
	return ""
}

// Truncate shortens s to at most n runes, ending with "…" when cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

// joinWideLines drops a soft line break between two wide characters
// (Chinese, kana, hangul, full-width and CJK punctuation, curly quotes), so
// "这是常见的⏎价格异议" shows no stray space, while English lines keep theirs.
func joinWideLines(doc ast.Node, src []byte) { joinWide(doc, src) }

// joinWide joins the lines under n and returns the first character written
// in n. It visits the children last to first, so the character after each
// line break is known when the break is reached: looking ahead from every
// break instead took the square of the length of a paragraph of images.
func joinWide(n ast.Node, src []byte) (first rune, ok bool) {
	if t, isText := n.(*ast.Text); isText {
		if t.Segment.Len() == 0 {
			return 0, false
		}
		r, _ := utf8.DecodeRune(t.Segment.Value(src))
		return r, true
	}
	for c := n.LastChild(); c != nil; c = c.PreviousSibling() {
		if t, isText := c.(*ast.Text); isText && ok && t.SoftLineBreak() {
			if last, _ := utf8.DecodeLastRune(t.Segment.Value(src)); wide(last) && wide(first) {
				t.SetSoftLineBreak(false)
			}
		}
		if r, found := joinWide(c, src); found {
			first, ok = r, true
		}
	}
	return first, ok
}

func wide(r rune) bool {
	switch {
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return true
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF: // CJK punctuation, full-width forms
		return true
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·':
		return true
	}
	return false
}
