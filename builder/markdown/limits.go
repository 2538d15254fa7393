package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
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
