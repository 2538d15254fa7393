package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Bounds on what goldmark keeps open at once. goldmark does work for every
// open block on every line, and for every open "[" at every "]", so
// without them a line of 100,000 ">" took hours and a paragraph of
// "[[[…]]]" minutes. Past a bound a marker is plain text.
const (
	maxNesting  = 100 // blocks open at once: quotes in quotes, lists in lists, footnotes
	maxBrackets = 100 // "[" and "![" of a paragraph not yet closed by "]"
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
	} else if open >= maxBrackets {
		return nil
	}
	n := p.InlineParser.Parse(parent, block, pc)
	if n != nil && !closing {
		pc.Set(openBracketsKey, open+1)
	}
	return n
}

func (p bracketLimit) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	pc.Set(openBracketsKey, nil)
	p.InlineParser.(parser.CloseBlocker).CloseBlock(parent, block, pc)
}

// newParser is goldmark's default parser with the bounds above.
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
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...))
}
