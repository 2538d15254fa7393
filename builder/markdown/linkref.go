package markdown

import (
	"sort"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkRefs takes link reference definitions ("[label]: /url 'title'") off
// the start of paragraphs. It is goldmark's LinkReferenceParagraphTransformer
// (goldmark v1.8.7, parser/link_ref.go, MIT licence) with two steps made
// linear: goldmark finds the line of each label and title by walking back
// from the paragraph's last line, and moves the paragraph's remaining lines
// once per definition, so a paragraph of n definitions took n² steps.
type linkRefs struct{}

func (linkRefs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	block := text.NewBlockReader(reader.Source(), lines)
	var removes [][2]int // lines of the definitions, [first, after last)
	for {
		ref, start, end := parseLinkRef(block, lines, pc)
		if start < 0 {
			break
		}
		if start == 0 {
			ref.SetBlankPreviousLines(node.HasBlankPreviousLines())
		}
		node.Parent().InsertBefore(node.Parent(), node, ref)
		for i := start + 1; i < end; i++ {
			ref.Lines().Append(lines.At(i))
		}
		seg := ref.Lines().At(ref.Lines().Len() - 1)
		ref.Lines().Set(ref.Lines().Len()-1, seg.TrimRightSpace(reader.Source()))
		removes = append(removes, [2]int{start, max(end, start+1)})
	}
	if removes == nil {
		return
	}
	var keep []text.Segment
	next := 0
	for _, r := range append(removes, [2]int{lines.Len(), lines.Len()}) {
		for i := next; i < min(r[0], lines.Len()); i++ {
			keep = append(keep, lines.At(i))
		}
		next = max(next, r[1])
	}
	if len(keep) == 0 {
		node.Parent().RemoveChild(node.Parent(), node)
		return
	}
	lines.SetSliced(0, 0)
	lines.AppendAll(keep)
}

var linkClosure = text.FindClosureOptions{Nesting: false, Newline: true, Advance: true}

// parseLinkRef reads one definition at the reader's position; start and
// end are its first line and the line after it, or -1.
func parseLinkRef(block text.Reader, lines *text.Segments, pc parser.Context) (*ast.LinkReferenceDefinition, int, int) {
	fail := func() (*ast.LinkReferenceDefinition, int, int) { return nil, -1, -1 }
	block.SkipSpaces()
	line, _ := block.PeekLine()
	if line == nil {
		return fail()
	}
	startLine, startPos := block.Position()
	width, pos := util.IndentWidth(line, 0)
	if width > 3 {
		return fail()
	}
	if width != 0 {
		pos++
	}
	if line[pos] != '[' {
		return fail()
	}
	block.Advance(pos + 1)
	segments, found := block.FindClosure('[', ']', linkClosure)
	if !found {
		return fail()
	}
	label := values(block.Source(), lines, segments)
	if util.IsBlank(label) || block.Peek() != ':' {
		return fail()
	}
	block.Advance(1)
	block.SkipSpaces()
	destination, ok := linkDestination(block)
	if !ok {
		return fail()
	}
	line, _ = block.PeekLine()
	isNewLine := line == nil || util.IsBlank(line)
	endLine, _ := block.Position()
	_, spaces, _ := block.SkipSpaces()
	newRef := func(title []byte) *ast.LinkReferenceDefinition {
		ref := ast.NewLinkReferenceDefinition(label, destination, title)
		ref.Lines().Append(startPos)
		pc.AddReference(parser.NewReference(label, destination, title))
		return ref
	}
	opener := block.Peek()
	if opener != '"' && opener != '\'' && opener != '(' {
		if !isNewLine {
			return fail()
		}
		return newRef(nil), startLine, endLine + 1
	}
	if spaces == 0 {
		return fail()
	}
	block.Advance(1)
	closer := opener
	if opener == '(' {
		closer = ')'
	}
	segments, found = block.FindClosure(opener, closer, linkClosure)
	if !found {
		if !isNewLine {
			return fail()
		}
		block.AdvanceLine()
		return newRef(nil), startLine, endLine + 1
	}
	title := values(block.Source(), lines, segments)
	line, _ = block.PeekLine()
	if line != nil && !util.IsBlank(line) {
		if !isNewLine {
			return fail()
		}
		return newRef(title), startLine, endLine
	}
	endLine, _ = block.Position()
	return newRef(title), startLine, endLine + 1
}

// values joins what segs hold, as goldmark's BlockReader.Value does for
// each, but finding the line of a segment by binary search.
func values(src []byte, lines *text.Segments, segs *text.Segments) []byte {
	var out []byte
	for i := range segs.Len() {
		seg := segs.At(i)
		n := max(sort.Search(lines.Len(), func(j int) bool { return lines.At(j).Start > seg.Start })-1, 0)
		for at := seg.Start; n < lines.Len(); n++ {
			l := lines.At(n)
			if at < 0 {
				at = l.Start
			}
			out = l.ConcatPadding(out)
			for ; at < seg.Stop && at < l.Stop; at++ {
				out = append(out, src[at])
			}
			at = -1
			if l.Stop > seg.Stop {
				break
			}
		}
	}
	return out
}

// linkDestination is goldmark's parseLinkDestination: a destination in <>
// or up to a space or an unbalanced ")".
func linkDestination(block text.Reader) ([]byte, bool) {
	block.SkipSpaces()
	line, _ := block.PeekLine()
	if block.Peek() == '<' {
		for i := 1; i < len(line); i++ {
			switch c := line[i]; {
			case c == '\\' && i < len(line)-1 && util.IsPunct(line[i+1]):
				i++
			case c == '>':
				block.Advance(i + 1)
				return line[1:i], true
			}
		}
		return nil, false
	}
	opened, i := 0, 0
loop:
	for ; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && i < len(line)-1 && util.IsPunct(line[i+1]):
			i++
		case c == '(':
			opened++
		case c == ')':
			if opened--; opened < 0 {
				break loop
			}
		case util.IsSpace(c):
			break loop
		}
	}
	block.Advance(i)
	return line[:i], i != 0
}
