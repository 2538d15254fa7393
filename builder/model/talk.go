package model

// Talk tracks: what of a script may be said to a customer (its quotes
// outside {.internal} sections, builder/markdown/talk.go) and what is
// internal. The script page, the script library, the search results, the
// print view and pages.json all take them from here.

import (
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/markdown"
)

// TalkAnchor is the id of a script page's talk track: search hits for a
// script open the page there.
const TalkAnchor = "h-track"

// talk is what a page's body says to customers and keeps in.
type talk struct {
	say      []markdown.Line    // lines to say, Line counted in the file
	internal []markdown.Section // Line counted in the file
	unmarked []markdown.StrayMark
}

// newTalk takes the talk track of a rendered body, its lines moved from
// the body's to the file's.
func newTalk(p *Page, res markdown.Result) talk {
	t := talk{say: res.Say, internal: res.Internal, unmarked: res.Unmarked}
	for i := range t.say {
		t.say[i].Line += p.BodyLine - 1
	}
	for i := range t.internal {
		t.internal[i].Line += p.BodyLine - 1
	}
	for i := range t.unmarked {
		t.unmarked[i].Line += p.BodyLine - 1
	}
	return t
}

// strayMarkErrors are the {.internal} marks of a body that mark nothing.
func strayMarkErrors(p *Page, res markdown.Result) content.Errors {
	var errs content.Errors
	for _, s := range res.Stray {
		errs = append(errs, content.NewError(p.File, p.BodyLine+s.Line-1, "body", content.KindInternalInList, s.Heading))
	}
	return errs
}

// FirstSay is the first line to say, or "": the answer of a search hit.
func (p *Page) FirstSay() string {
	if len(p.talk.say) == 0 {
		return ""
	}
	return p.talk.say[0].Text
}

// TalkURL is the page's URL at its talk track.
func (p *Page) TalkURL() string { return p.RelURL() + "#" + TalkAnchor }

// TalkAnchor is the id of the talk track, for the script template.
func (p *Page) TalkAnchor() string { return TalkAnchor }

// Say are the lines of the talk track to say to customers, each with its
// line in the file.
func (p *Page) Say() []markdown.Line { return p.talk.say }

// Internal are the body's {.internal} sections, each with its line in the file.
func (p *Page) Internal() []markdown.Section { return p.talk.internal }
