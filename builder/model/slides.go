package model

import (
	"html/template"
	"regexp"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/markdown"
)

// Slide is one slide of a deck: what the audience sees and the speaker's notes.
type Slide struct {
	HTML  template.HTML
	Notes template.HTML // "" when the slide has none
}

// slidePart is one slide's markdown before rendering.
type slidePart struct {
	Body, Notes string
}

// notesRE starts the speaker notes of a slide: a line beginning "Note:",
// "Notes:" or "备注：" (as reveal.js and Marp users write them).
var notesRE = regexp.MustCompile(`^(?i:notes?|备注)\s*[:：]\s?`)

// splitSlides cuts a module body into slides at lines that are exactly
// "---" outside fenced code. It splits the source itself rather than
// looking for goldmark's thematic breaks: in markdown a "---" right under a
// line of text makes that line a setext heading, and the break is lost.
func splitSlides(body string) []slidePart {
	var parts []slidePart
	var cur, notes []string
	inNotes := false
	fence := ""
	flush := func() {
		b, n := strings.TrimSpace(strings.Join(cur, "\n")), strings.TrimSpace(strings.Join(notes, "\n"))
		if b != "" || n != "" {
			parts = append(parts, slidePart{Body: b, Notes: n})
		}
		cur, notes, inNotes = nil, nil, false
	}
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if fence == "" && trimmed == "---" {
			flush()
			continue
		}
		if f := fenceOf(trimmed); f != "" {
			switch {
			case fence == "":
				fence = f
			case strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "":
				fence = ""
			}
		}
		if fence == "" && !inNotes && notesRE.MatchString(trimmed) {
			inNotes = true
			line = notesRE.ReplaceAllString(trimmed, "")
		}
		if inNotes {
			notes = append(notes, line)
		} else {
			cur = append(cur, line)
		}
	}
	flush()
	return parts
}

// fenceOf returns the fence a line opens or closes (``` or ~~~, at least
// three), or "".
func fenceOf(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// renderSlides renders the slide decks of modules part by part, and gives the module
// page the slides joined by rules, since the whole body rendered at once
// loses breaks to setext headings. Other modules get their body as one
// part, for the handout. Links to content files become page URLs, as in
// the page body; the body's own render already reported broken ones.
func (s *Site) renderSlides(md *markdown.Renderer, modules ...*Page) {
	var all *content.Site
	for _, p := range modules {
		if !p.Training.Slides {
			p.slides = []Slide{{HTML: p.Content}}
			continue
		}
		if all == nil {
			all = content.NewSite(s.ContentPages())
		}
		resolve := func(dest string) (string, markdown.LinkStatus) {
			t, frag, isContent := all.ResolveLink(p.Page, dest)
			switch {
			case !isContent && strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//"):
				return s.Rel(dest), markdown.Resolved
			case !isContent:
				return "", markdown.NotContent
			case t == nil:
				return "", markdown.Hidden // unpublished: the body's render said so
			}
			u := s.Rel(t.URL)
			if frag != "" {
				u += "#" + frag
			}
			return u, markdown.Resolved
		}
		render := func(src string) template.HTML {
			if src == "" {
				return ""
			}
			res, err := md.Render([]byte(src), resolve)
			if err != nil { // the whole body rendered: a part cannot fail
				return template.HTML(template.HTMLEscapeString(src))
			}
			return htmlOf(res.HTML)
		}
		p.slides = nil
		for _, part := range splitSlides(string(p.Body)) {
			p.slides = append(p.slides, Slide{HTML: render(part.Body), Notes: render(part.Notes)})
		}
		p.Content = htmlSlides(p.slides)
	}
}
