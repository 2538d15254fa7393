package markdown

import (
	"slices"

	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// footnotes is goldmark's footnote extension (PHP Markdown Extra
// footnotes, extension.Footnote) with its lookups made linear: goldmark
// finds the definition of each [^ref] by scanning every definition, and
// orders the definitions by insertion into a linked list, so a page of n
// footnotes took n² steps (minutes for a few thousand). Here definitions
// are kept in a map by label and sorted once. Its block parser, AST and
// HTML renderer are goldmark's; the output is the same.
type footnotes struct{}

func (footnotes) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(footnoteBlocks{extension.NewFootnoteBlockParser()}, 999)),
		parser.WithInlineParsers(util.Prioritized(footnoteRefs{}, 101)),
		parser.WithASTTransformers(util.Prioritized(footnoteList{}, 999)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500)))
}

// footnoteState is what one document's parse knows of its footnotes.
type footnoteState struct {
	list  *ast.FootnoteList
	byRef map[string]*ast.Footnote // the first definition of each label
	links []*ast.FootnoteLink      // references, in document order
}

var footnoteKey = parser.NewContextKey()

func footnoteStateOf(pc parser.Context) *footnoteState {
	if s, ok := pc.Get(footnoteKey).(*footnoteState); ok {
		return s
	}
	s := &footnoteState{byRef: map[string]*ast.Footnote{}}
	pc.Set(footnoteKey, s)
	return s
}

// footnoteBlocks parses "[^label]: text" as goldmark does, up to
// maxNesting, and files the definition under its label when it closes.
type footnoteBlocks struct{ parser.BlockParser }

func (b footnoteBlocks) Open(parent gast.Node, reader text.Reader, pc parser.Context) (gast.Node, parser.State) {
	return nestingLimit{b.BlockParser}.Open(parent, reader, pc)
}

func (b footnoteBlocks) Close(node gast.Node, reader text.Reader, pc parser.Context) {
	s := footnoteStateOf(pc)
	parent := node.Parent()
	if s.list == nil {
		s.list = ast.NewFootnoteList()
		parent.InsertBefore(parent, node, s.list)
	}
	parent.RemoveChild(parent, node)
	s.list.AppendChild(s.list, node)
	fn := node.(*ast.Footnote)
	if _, dup := s.byRef[string(fn.Ref)]; !dup {
		s.byRef[string(fn.Ref)] = fn
	}
}

// footnoteLabelLimit is goldmark's, CommonMark's limit of link labels.
const footnoteLabelLimit = 999

// footnoteRefs parses [^label] references to defined footnotes.
type footnoteRefs struct{}

func (footnoteRefs) Trigger() []byte { return []byte{'!', '['} } // "![^1]" is a "!" and a reference

func (footnoteRefs) Parse(parent gast.Node, block text.Reader, pc parser.Context) gast.Node {
	line, segment := block.PeekLine()
	pos := 1
	if len(line) > 0 && line[0] == '!' {
		pos++
	}
	if pos+1 >= len(line) || line[pos] != '^' {
		return nil
	}
	pos++
	closure := util.FindClosure(line[pos:min(len(line), pos+footnoteLabelLimit)], '[', ']', false, false) //nolint:staticcheck // as goldmark does
	if closure < 0 {
		return nil
	}
	label := block.Value(text.NewSegment(segment.Start+pos, segment.Start+pos+closure))
	block.Advance(pos + closure + 1)
	s, _ := pc.Get(footnoteKey).(*footnoteState)
	if s == nil {
		return nil
	}
	def := s.byRef[string(label)]
	if def == nil {
		return nil
	}
	if def.Index < 0 {
		s.list.Count++
		def.Index = s.list.Count
	}
	link := ast.NewFootnoteLink(def.Index)
	s.links = append(s.links, link)
	if line[0] == '!' {
		parent.AppendChild(parent, gast.NewTextSegment(text.NewSegment(segment.Start, segment.Start+1)))
	}
	return link
}

// footnoteList numbers the references, adds back links to the definitions
// and moves the referenced definitions, in order, to the end of the page.
type footnoteList struct{}

func (footnoteList) Transform(doc *gast.Document, reader text.Reader, pc parser.Context) {
	s, _ := pc.Get(footnoteKey).(*footnoteState)
	pc.Set(footnoteKey, nil)
	if s == nil || s.list == nil {
		return
	}
	refs := map[int]int{} // footnote index → references so far
	for _, l := range s.links {
		l.RefIndex = refs[l.Index]
		refs[l.Index]++
	}
	for _, l := range s.links {
		l.RefCount = refs[l.Index]
	}
	var used []*ast.Footnote
	for n := s.list.FirstChild(); n != nil; n = n.NextSibling() {
		if fn := n.(*ast.Footnote); fn.Index >= 0 {
			used = append(used, fn)
			addBacklinks(fn, refs[fn.Index])
		}
	}
	s.list.Parent().RemoveChild(s.list.Parent(), s.list)
	s.list.RemoveChildren(s.list)
	if len(used) == 0 {
		return
	}
	slices.SortFunc(used, func(a, b *ast.Footnote) int { return a.Index - b.Index })
	for _, fn := range used {
		s.list.AppendChild(s.list, fn)
	}
	doc.AppendChild(doc, s.list)
}

// addBacklinks puts one link back to each reference at the end of the
// footnote's last paragraph, or of the footnote.
func addBacklinks(fn *ast.Footnote, refs int) {
	var container gast.Node = fn
	if last := fn.LastChild(); last != nil && gast.IsParagraph(last) {
		container = last
	}
	for i := range max(refs, 1) {
		bl := ast.NewFootnoteBacklink(fn.Index)
		bl.RefCount, bl.RefIndex = refs, i
		container.AppendChild(container, bl)
	}
}
