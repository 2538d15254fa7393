package model

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/markdown"
)

// TracksURL lists the learning tracks; each has TracksURL + KEY + "/".
const TracksURL = "/tracks/"

// SessionICS is the file name of a module's own calendar entry, beside its page.
const SessionICS = "session.ics"

// ICSURL is the module's own calendar file, for a download link.
func (p *Page) ICSURL() string { return p.site.Rel(p.URL + SessionICS) }

// SlidesURL is the module's slide deck, or "" when it has none.
func (p *Page) SlidesURL() string {
	if p.Training == nil || !p.Training.Slides {
		return ""
	}
	return p.site.Rel(p.URL + "slides/")
}

// PrintURL is the module's printable handout, or "" for other pages.
func (p *Page) PrintURL() string {
	if p.Training == nil || p.IsSection {
		return ""
	}
	return p.site.Rel(p.URL + "print/")
}

// Modules are the published training modules, by content path.
func (s *Site) Modules() []*Page {
	var out []*Page
	for _, p := range s.PagesByPath() {
		if p.Training != nil && !p.IsSection {
			out = append(out, p)
		}
	}
	return out
}

// Scheduled are the published modules that have a session, by start time.
func (s *Site) Scheduled() []*Page {
	var out []*Page
	for _, ss := range s.Calendar().Sessions {
		if p := s.byPath[ss.Path]; p != nil {
			out = append(out, p)
		}
	}
	return out
}

// SessionEnd is when the module's session ends.
func (p *Page) SessionEnd() time.Time {
	if p.Training == nil || p.Training.Session.IsZero() {
		return time.Time{}
	}
	return p.Training.Session.Add(time.Duration(p.Training.Duration) * time.Minute)
}

// SessionWeek is one ISO week of the training calendar.
type SessionWeek struct {
	Year, Week int
	Monday     time.Time // 00:00 in the site's time zone
	Sessions   []*Page
}

// Sunday is the last day of the week.
func (w SessionWeek) Sunday() time.Time { return w.Monday.AddDate(0, 0, 6) }

// NextMonday is when the week ends: 00:00 of the following Monday, in the
// site's zone (AddDate keeps the wall clock across a change of summer time).
func (w SessionWeek) NextMonday() time.Time { return w.Monday.AddDate(0, 0, 7) }

// ID names the week in anchors: "2026-W48".
func (w SessionWeek) ID() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Week) }

// TrainingCalendar is the calendar page's view at the build clock. The
// page carries what the reader's clock needs to redo it (clock.js): every
// session is listed under "past" too, hidden until it has ended, and
// Upcoming holds the sessions that have not ended when the site is built.
type TrainingCalendar struct {
	Next        *Page         // the first session that has not ended
	Upcoming    []SessionWeek // sessions not yet ended, soonest week first
	Past        []SessionWeek // ended sessions, latest week first
	All         []SessionWeek // every session, latest week first: the past list as time goes by
	Unscheduled []*Page       // Modules without a session
	Cut         bool          // the window /training/ shows leaves sessions out (Window)

	now time.Time
}

// TrainingCalendar groups the sessions by ISO week (in the site's time
// zone) into upcoming and past at the build clock. A session still under
// way counts as upcoming: people can still join it.
func (s *Site) TrainingCalendar() *TrainingCalendar {
	c := &TrainingCalendar{now: s.Now}
	var past []*Page
	sessions := s.Scheduled()
	for _, p := range sessions {
		if c.Ended(p) {
			past = append(past, p)
			continue
		}
		if c.Next == nil {
			c.Next = p
		}
		c.Upcoming = s.addToWeek(c.Upcoming, p)
	}
	for i := len(past) - 1; i >= 0; i-- { // latest first
		c.Past = s.addToWeek(c.Past, past[i])
	}
	for i := len(sessions) - 1; i >= 0; i-- {
		c.All = s.addToWeek(c.All, sessions[i])
	}
	for _, p := range s.Modules() {
		if p.Training.Session.IsZero() {
			c.Unscheduled = append(c.Unscheduled, p)
		}
	}
	return c
}

// Ended reports whether p's session is over at the build clock.
func (c *TrainingCalendar) Ended(p *Page) bool { return !p.SessionEnd().After(c.now) }

// AnyEnded reports whether a session of w is over at the build clock.
func (c *TrainingCalendar) AnyEnded(w SessionWeek) bool {
	for _, p := range w.Sessions {
		if c.Ended(p) {
			return true
		}
	}
	return false
}

// Current reports whether the build clock falls in week w.
func (c *TrainingCalendar) Current(w SessionWeek) bool {
	return !c.now.Before(w.Monday) && c.now.Before(w.NextMonday())
}

// addToWeek appends p to the last week of weeks, or to a new week when p's
// session falls in another ISO week; sessions come in week order.
func (s *Site) addToWeek(weeks []SessionWeek, p *Page) []SessionWeek {
	t := p.Training.Session.In(s.Config.Location)
	y, w := t.ISOWeek()
	if n := len(weeks); n > 0 && weeks[n-1].Year == y && weeks[n-1].Week == w {
		weeks[n-1].Sessions = append(weeks[n-1].Sessions, p)
		return weeks
	}
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	monday := time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, t.Location())
	return append(weeks, SessionWeek{Year: y, Week: w, Monday: monday, Sessions: []*Page{p}})
}

// IsNext reports whether p is the next session at the build clock.
func (c *TrainingCalendar) IsNext(p *Page) bool { return c.Next == p }

// Track is one learning track: its modules in prerequisite order.
type Track struct {
	Name  string
	Key   string // URL segment
	URL   string
	Steps []TrackStep
}

// TrackStep is one module of a track.
type TrackStep struct {
	Page    *Page
	Outside []*Page // its prerequisites that belong to no step of this track
}

// Tracks lists the learning tracks by name, each in prerequisite order
// (views.Calendar: ties by session time, then title).
func (s *Site) Tracks() []*Track {
	var out []*Track
	order := s.Calendar().Tracks
	for _, name := range sortedKeys(order) {
		key := TermKey(name)
		t := &Track{Name: name, Key: key, URL: TracksURL + key + "/"}
		in := map[string]bool{}
		for _, path := range order[name] {
			in[path] = true
		}
		for _, path := range order[name] {
			p := s.byPath[path]
			step := TrackStep{Page: p}
			for _, pre := range p.RefPages("prerequisites") {
				if !in[pre.Path] {
					step.Outside = append(step.Outside, pre)
				}
			}
			t.Steps = append(t.Steps, step)
		}
		out = append(out, t)
	}
	return out
}

// TrackURL is the page of the named track.
func (s *Site) TrackURL(name string) string { return s.Rel(TracksURL + TermKey(name) + "/") }

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Letters writes choice numbers (counted from 1) as letters: [1 3] → "A、C".
func (s *Site) Letters(ns []int) string {
	sep := "、"
	if s.Config.Language == "en" {
		sep = ", "
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = choiceLetter(n)
	}
	return strings.Join(out, sep)
}

func choiceLetter(n int) string {
	if n >= 1 && n <= 26 {
		return string(rune('A' + n - 1))
	}
	return fmt.Sprint(n)
}

// Answers writes a question's answer for the browser's scoring: "1,3".
func (s *Site) Answers(ns []int) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprint(n)
	}
	return strings.Join(out, ",")
}

// ChoiceLetter is choiceLetter for templates: 1 → "A".
func (s *Site) ChoiceLetter(n int) string { return choiceLetter(n) }

// htmlSlides joins rendered slides into one body, for the module page.
func htmlSlides(slides []Slide) template.HTML {
	var b strings.Builder
	for i, sl := range slides {
		if i > 0 {
			b.WriteString("<hr class=\"slide-break\">\n")
		}
		b.WriteString(string(sl.HTML))
	}
	return template.HTML(b.String()) // each part was rendered by goldmark
}

// unsplit are the modules whose slides are not rendered yet: serve keeps
// those of pages whose body it did not render again (builder/livepages.go).
func unsplit(modules []*Page) []*Page {
	var out []*Page
	for _, p := range modules {
		if p.slides == nil {
			out = append(out, p)
		}
	}
	return out
}

// calendarSessions is about how many sessions the training calendar lists
// as upcoming, and as past, on /training/; the rest are on its list of every
// session, /training/sessions/, paged and filtered like any list.
const calendarSessions = 40

// Window is the calendar as /training/ shows it: the upcoming weeks up to
// about calendarSessions sessions (a week whole), the weeks before them up
// to as many sessions again in the list of past sessions (which also holds
// the upcoming weeks shown, hidden until their sessions end), and the first
// Modules without a session. Cut says whether anything was left out.
func (c *TrainingCalendar) Window() *TrainingCalendar {
	w := *c
	w.Upcoming = firstWeeks(c.Upcoming, calendarSessions)
	all := c.All
	if n := len(w.Upcoming); n > 0 {
		last := w.Upcoming[n-1].Monday
		for len(all) > 0 && all[0].Monday.After(last) { // latest first
			all = all[1:]
		}
	}
	w.All = firstWeeks(all, 2*calendarSessions)
	w.Past = firstWeeks(c.Past, calendarSessions)
	if len(w.Unscheduled) > ListMaxEntries/5 {
		w.Unscheduled = w.Unscheduled[:ListMaxEntries/5]
	}
	w.Cut = len(w.Upcoming) < len(c.Upcoming) || len(w.All) < len(all) || len(all) < len(c.All) ||
		len(w.Past) < len(c.Past) || len(w.Unscheduled) < len(c.Unscheduled)
	return &w
}

// firstWeeks is the first weeks of weeks holding up to n sessions, and at
// least one week.
func firstWeeks(weeks []SessionWeek, n int) []SessionWeek {
	count := 0
	for i, wk := range weeks {
		count += len(wk.Sessions)
		if i > 0 && count > n {
			return weeks[:i]
		}
	}
	return weeks
}

// Modules are the content paths of the track's modules, in step order.
func (t *Track) Modules() []string {
	out := make([]string, len(t.Steps))
	for i, st := range t.Steps {
		out[i] = st.Page.Path
	}
	return out
}

// ListMaxEntries keeps short entries (a tag's list) to a page one can scan;
// the training calendar shows a fifth of it of the modules without a session.
const ListMaxEntries = 100

// Slides are a training module's slides, or its body as one part.
func (p *Page) Slides() []Slide { return p.slides }

// RenderSlides renders the slides of the given modules again, after serve
// gave them a new body.
func (s *Site) RenderSlides(md *markdown.Renderer, modules ...*Page) { s.renderSlides(md, modules...) }

// RenderMissingSlides renders the slides of the published modules that
// have none yet: serve keeps those of pages whose body it did not render
// again.
func (s *Site) RenderMissingSlides() {
	s.renderSlides(markdown.New(markdown.Options{Unsafe: s.Config.Markup.UnsafeHTML}), unsplit(s.Modules())...)
}
