package render

import (
	"crypto/sha1"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/gorilla/feeds"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/theme"
)

// writeICS writes an RFC 5545 calendar of the sessions of pages. The
// library folds lines at 75 octets on UTF-8 character boundaries and
// escapes text; we ask it for CRLF line ends. Times are written in UTC.
func (s *rendering) writeICS(w io.Writer, pages []*model.Page) error {
	cal := ics.NewCalendarFor("Playbook")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName(s.Config.Title)
	cal.SetXWRTimezone(s.Config.Location.String())
	for _, p := range pages {
		t := p.Training
		ev := cal.AddEvent(s.sessionUID(p))
		ev.SetDtStampTime(s.stamp(p))
		ev.SetStartAt(t.Session)
		ev.SetEndAt(p.SessionEnd())
		ev.SetSummary(p.Title)
		ev.SetDescription(s.sessionDescription(p))
		ev.SetURL(p.Permalink())
		if !p.Lastmod.IsZero() {
			ev.SetModifiedAt(p.Lastmod)
		}
	}
	return cal.SerializeTo(w, ics.WithNewLine("\r\n")) // the library's default is a bare LF
}

// sessionUID names a session for calendar apps: the same module keeps the
// same UID across builds and when its time moves, so an update replaces
// the entry instead of adding a second one.
func (s *rendering) sessionUID(p *model.Page) string {
	host := "playbook"
	if u, err := url.Parse(s.BaseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return fmt.Sprintf("%x@%s", sha1.Sum([]byte("training/"+p.Path)), host)
}

// stamp is DTSTAMP: when the entry last changed. It comes from the page,
// not the clock, so rebuilding unchanged content gives the same file.
func (s *rendering) stamp(p *model.Page) time.Time {
	for _, t := range []time.Time{p.Lastmod, p.Date} {
		if !t.IsZero() {
			return t
		}
	}
	return p.Training.Session
}

func (s *rendering) sessionDescription(p *model.Page) string {
	var b strings.Builder
	if p.Summary != "" {
		b.WriteString(p.Summary + "\n\n")
	}
	if p.Training.Trainer != "" {
		fmt.Fprintf(&b, "%s: %s\n", s.label("讲师", "Trainer"), p.Training.Trainer)
	}
	b.WriteString(p.Permalink())
	return b.String()
}

func (s *rendering) label(zh, en string) string {
	if s.Config.Language == "en" {
		return en
	}
	return zh
}

// writeSessionsRSS writes /training/index.xml: one item per module, the
// latest session first, dated when the module was published.
func (s *rendering) writeSessionsRSS(w io.Writer, th *theme.Theme) error {
	f := s.newFeed(th.T("section.training"), "/training/")
	mods := s.Modules()
	sort.SliceStable(mods, func(i, j int) bool { return mods[i].Training.Session.After(mods[j].Training.Session) })
	for _, p := range mods {
		item := s.feedItem(p)
		if !p.Training.Session.IsZero() {
			item.Title = p.Title + " · " + s.formatDateTime(p.Training.Session)
			if item.Created.IsZero() {
				item.Created = p.Training.Session
			}
		}
		f.Items = append(f.Items, item)
	}
	return f.WriteRss(w)
}

// changesFeedSize is how many recently changed pages /index.xml lists.
const changesFeedSize = 30

// writeChangesRSS writes /index.xml: the most recently changed pages of
// the whole site.
func (s *rendering) writeChangesRSS(w io.Writer, th *theme.Theme) error {
	f := s.newFeed(s.Config.Title, "/")
	for _, p := range s.Recent(changesFeedSize) {
		item := s.feedItem(p)
		item.Title = p.Title + " · " + th.T("type."+p.Type)
		if !p.Lastmod.IsZero() {
			item.Created = p.Lastmod // a feed of changes is dated by the change (git's, where the site is in git)
		}
		f.Items = append(f.Items, item)
	}
	return f.WriteRss(w)
}

func (s *rendering) newFeed(title, path string) *feeds.Feed {
	f := &feeds.Feed{Title: title, Link: &feeds.Link{Href: s.Abs(path)}, Description: s.Config.Description}
	if f.Description == "" {
		f.Description = title
	}
	return f
}

func (s *rendering) feedItem(p *model.Page) *feeds.Item {
	return &feeds.Item{
		Title: p.Title, Link: &feeds.Link{Href: p.Permalink()}, Id: p.Permalink(),
		Description: p.Summary, Author: feedAuthor(p), Created: p.Date, Updated: p.Lastmod,
	}
}

func feedAuthor(p *model.Page) *feeds.Author {
	name := p.Owner
	if p.Training != nil && p.Training.Trainer != "" {
		name = p.Training.Trainer
	}
	if name == "" {
		return nil
	}
	return &feeds.Author{Name: name}
}
