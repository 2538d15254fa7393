package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Bounds on what goldmark keeps open at once. goldmark does work for every
// open block on every line, for every open "[" at every "]", and reads the
// destination of every "](" to its end, so without them a line of 100,000
// ">" took hours and a paragraph of "[[[…]]]" or of "[a](" minutes. Past a
// bound a marker is plain text.
const (
	maxNesting  = 100 // blocks open at once: quotes in quotes, lists in lists, footnotes
	maxBrackets = 100 // "[" and "![" of a paragraph not yet closed by "]"
	maxParens   = 32  // parentheses nested in a link destination, as cmark allows
	// minTableCells is how many cells any table may have; a bigger one may
	// have as many as it has bytes. goldmark gives every row a cell per
	// column of the header, so 64 KB of one-cell rows under a header of
	// 5,000 columns took 14 GB. Past it the lines stay a paragraph.
	minTableCells = 10000
	// minRefBytes is how much text links to reference definitions ("[a]"
	// with "[a]: /url 'title'" elsewhere) may copy into a page; a bigger
	// page may copy its own size. Each use copies the definition's URL and
	// title, so 128 KB of "[a]" under a 50 KB URL made 1 GB of HTML. Past
	// it a reference is text.
	minRefBytes = 100 << 10
)

// nestingLimit refuses to open a container block once maxNesting blocks
// are open.
type nestingLimit struct{ parser.BlockParser }

func (p nestingLimit) Open(parent ast.Node, r text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if len(pc.OpenedBlocks()) >= maxNesting {
		return nil, parser.NoChildren
	}
	return p.BlockParser.Open(parent, r, pc)
}

// bracketLimit is goldmark's link parser reading "[" as text once
// maxBrackets of them wait for their "]".
type bracketLimit struct{ parser.InlineParser }

var openBracketsKey = parser.NewContextKey()

func (p bracketLimit) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	open, _ := pc.Get(openBracketsKey).(int)
	closing := line[0] == ']'
	if closing {
		pc.Set(openBracketsKey, max(open-1, 0)) // a "]" closes one "[", link or not
		pc = refBudget{pc, max(minRefBytes, len(block.Source()))}
		if len(line) > 1 && line[1] == '(' && !destinationEnds(block) {
			// goldmark then reads the "(" as it reads one that starts no link.
			_, pos := block.Position()
			block = hiddenParen{block, pos.Start + 1}
		}
	} else if open >= maxBrackets {
		return nil
	}
	n := p.InlineParser.Parse(parent, block, pc)
	if n != nil && !closing {
		pc.Set(openBracketsKey, open+1)
	}
	return n
}

// destinationEnds reports whether the "(" after the "]" at the reader's
// position is followed by a link destination CommonMark allows: <…> without
// "<" on one line, or text with at most maxParens nested parentheses.
// goldmark is more lenient, and reads on to the end of the line.
func destinationEnds(block text.Reader) bool {
	line, pos := block.Position()
	defer block.SetPosition(line, pos)
	block.Advance(2) // "]("
	block.SkipSpaces()
	rest, _ := block.PeekLine()
	if len(rest) > 0 && rest[0] == '<' {
		return angleEnds(rest)
	}
	depth := 0
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '\\' && i+1 < len(rest) && util.IsPunct(rest[i+1]):
			i++
		case c == '(':
			if depth++; depth > maxParens {
				return false
			}
		case c == ')' && depth == 0, util.IsSpace(c):
			return true
		case c == ')':
			depth--
		}
	}
	return true
}

// angleEnds reports whether "<…>" at the start of s closes on its line
// before another "<".
func angleEnds(s []byte) bool {
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && util.IsPunct(s[i+1]):
			i++
		case c == '>':
			return true
		case c == '<' || c == '\n':
			return false
		}
	}
	return false
}

// refBudget is a parse context that finds reference definitions until
// the links to them have copied limit bytes.
type refBudget struct {
	parser.Context
	limit int
}

var refBytesKey = parser.NewContextKey()

func (c refBudget) Reference(label string) (parser.Reference, bool) {
	r, ok := c.Context.Reference(label)
	if !ok {
		return r, ok
	}
	used, _ := c.Get(refBytesKey).(int)
	used += len(label) + len(r.Destination()) + len(r.Title())
	if used > c.limit {
		return nil, false
	}
	c.Set(refBytesKey, used)
	return r, ok
}

// hiddenParen shows goldmark no "(" at offset at.
type hiddenParen struct {
	text.Reader
	at int
}

func (r hiddenParen) Peek() byte {
	if _, pos := r.Reader.Position(); pos.Start == r.at && pos.Padding == 0 {
		return 0
	}
	return r.Reader.Peek()
}

func (p bracketLimit) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	pc.Set(openBracketsKey, nil)
	p.InlineParser.(parser.CloseBlocker).CloseBlock(parent, block, pc)
}

// tableLimit is goldmark's table transformer, skipped for a table of more
// than max(minTableCells, its bytes) cells.
type tableLimit struct{ parser.ParagraphTransformer }

func (t tableLimit) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines, src := node.Lines(), reader.Source()
	for i := 1; i < lines.Len(); i++ {
		// goldmark takes the first line that looks like a delimiter row.
		row := lines.At(i)
		cols := delimiterColumns(row.Value(src))
		if cols == 0 {
			continue
		}
		rows, size := lines.Len()-i, 0 // the header and the rows under it
		for j := i - 1; j < lines.Len(); j++ {
			line := lines.At(j)
			size += line.Len()
		}
		if rows*cols > max(minTableCells, size) {
			return
		}
		break
	}
	t.ParagraphTransformer.Transform(node, reader, pc)
}

// delimiterColumns counts the columns of a table's delimiter row such as
// "|:--|--:|", or returns 0 for a line that cannot be one.
func delimiterColumns(line []byte) int {
	dash := false
	for _, c := range line {
		if c != '|' && c != '-' && c != ':' && !util.IsSpace(c) {
			return 0
		}
		dash = dash || c == '-'
	}
	if !dash {
		return 0
	}
	cols := bytes.Split(bytes.TrimSpace(line), []byte{'|'})
	if len(cols) > 0 && len(bytes.TrimSpace(cols[0])) == 0 {
		cols = cols[1:]
	}
	if len(cols) > 0 && len(bytes.TrimSpace(cols[len(cols)-1])) == 0 {
		cols = cols[:len(cols)-1]
	}
	return len(cols)
}

// gfm is goldmark's GitHub Flavored Markdown with tableLimit.
type gfm struct{}

func (gfm) Extend(m goldmark.Markdown) {
	extension.Linkify.Extend(m)
	m.Parser().AddOptions(
		parser.WithParagraphTransformers(util.Prioritized(tableLimit{extension.NewTableParagraphTransformer()}, 200)),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(extension.NewTableHTMLRenderer(), 500)))
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// newParser is goldmark's default parser with the bounds above, and with
// link reference definitions read in linear time (linkref.go).
func newParser() parser.Parser {
	blocks := parser.DefaultBlockParsers()
	for i, b := range blocks {
		if b.Value == parser.NewListParser() || b.Value == parser.NewBlockquoteParser() {
			blocks[i].Value = nestingLimit{b.Value.(parser.BlockParser)}
		}
	}
	inlines := parser.DefaultInlineParsers()
	for i, in := range inlines {
		if in.Value == parser.NewLinkParser() {
			inlines[i].Value = bracketLimit{in.Value.(parser.InlineParser)}
		}
	}
	return parser.NewParser(parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(util.Prioritized(linkRefs{}, 100)))
}
