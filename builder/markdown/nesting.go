package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// maxNesting bounds how many blocks may be open at once: quotes in quotes,
// lists in lists, footnotes in footnotes. goldmark tries the block parsers
// again at every open level of every line, so a line of 100,000 ">" took
// hours. Past the bound a marker is text.
const maxNesting = 100

// nestingLimit refuses to open a container block once maxNesting blocks
// are open.
type nestingLimit struct{ parser.BlockParser }

func (p nestingLimit) Open(parent ast.Node, r text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if len(pc.OpenedBlocks()) >= maxNesting {
		return nil, parser.NoChildren
	}
	return p.BlockParser.Open(parent, r, pc)
}

// newParser is goldmark's default parser with lists and block quotes
// limited to maxNesting.
func newParser() parser.Parser {
	blocks := parser.DefaultBlockParsers()
	for i, b := range blocks {
		if b.Value == parser.NewListParser() || b.Value == parser.NewBlockquoteParser() {
			blocks[i].Value = nestingLimit{b.Value.(parser.BlockParser)}
		}
	}
	return parser.NewParser(parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...))
}
