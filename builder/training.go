package builder

import (
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/markdown"
	"github.com/playbook-sales/playbook/builder/theme"
)

// Output kinds of the training generator, each rendered by layouts/KIND.html.
// Slides and handouts are whole documents of their own (no baseof).
const (
	kindTrack  = "track"  // one learning track
	kindTracks = "tracks" // every track
	kindSlides = "slides" // a module's slide deck
	kindPrint  = "print"  // a module's A4 handout
)

// tracksURL lists the learning tracks; each has tracksURL + KEY + "/".
const tracksURL = "/tracks/"

// trainingData is what the slide, handout and track layouts receive: the
// usual layout data plus the view they show.
type trainingData struct {
	*Data
	Slides []Slide     // the module's slides (slides and print layouts)
	Track  *Track      // the track (track layout)
	Steps  []TrackStep // the steps this page of the track shows (track layout)
	First  int         // the number of the first of them, from 1
	Tracks []*Track
}

// trainingOutputs lists the files of the training generator: track pages,
// slide decks, handouts, the iCalendar and RSS feeds and the site-wide feed
// of recent changes.
func (s *Site) trainingOutputs(th *theme.Theme) []output {
	var outs []output
	page := func(url, layout string, d *trainingData, c claim, dep func() deps) {
		d.Site, d.URL, d.Kind = s, url, layout
		outs = append(outs, output{path: strings.TrimPrefix(url, "/") + "index.html", claim: c, deps: dep, render: func(w io.Writer) error {
			if d.Page != nil && d.Page.Training != nil {
				d.Slides = d.Page.slides // read late: serve re-renders a module's slides after a save
			}
			return th.Execute(w, layout, d)
		}})
	}
	modules := s.modules()
	s.renderSlides(markdown.New(markdown.Options{Unsafe: s.Config.Markup.UnsafeHTML}), unsplit(modules)...)
	for _, p := range modules {
		if p.Training.Slides && th.Has(kindSlides) {
			page(p.URL+"slides/", kindSlides, &trainingData{Data: &Data{Title: p.Title, Page: p}, Slides: p.slides},
				causedBy("(slides of "+p.File+")", pageClaim(p)), moduleDeps(p))
		}
		if th.Has(kindPrint) {
			page(p.URL+"print/", kindPrint, &trainingData{Data: &Data{Title: p.Title, Page: p}, Slides: p.slides},
				causedBy("(handout of "+p.File+")", pageClaim(p)), moduleDeps(p))
		}
		if !p.Training.Session.IsZero() {
			outs = append(outs, output{path: strings.TrimPrefix(p.URL, "/") + sessionICS, render: func(w io.Writer) error {
				return s.writeICS(w, []*Page{p})
			}, claim: causedBy("(calendar entry of "+p.File+")", pageClaim(p)), deps: moduleDeps(p)})
		}
	}
	tracks := s.Tracks()
	if len(tracks) > 0 && th.Has(kindTrack) {
		for _, t := range tracks {
			outs = append(outs, declared(showsTypes(content.TypeTraining), s.trackOutputs(th, t))...) // paged when long (paging.go)
		}
		if th.Has(kindTracks) {
			page(tracksURL, kindTracks, &trainingData{Data: &Data{Title: th.T("tracks.title")}, Tracks: tracks}, generated("(learning tracks)"),
				showsTypes(content.TypeTraining))
		}
	}
	if len(modules) > 0 {
		outs = append(outs,
			output{path: "training/calendar.ics", render: func(w io.Writer) error { return s.writeICS(w, s.scheduled()) },
				claim: generated("(training calendar)"), deps: showsTypes(content.TypeTraining)},
			output{path: "training/index.xml", render: func(w io.Writer) error { return s.writeSessionsRSS(w, th) },
				claim: generated("(training feed)"), deps: showsTypes(content.TypeTraining)},
		)
	}
	outs = append(outs, output{path: "index.xml", render: func(w io.Writer) error { return s.writeChangesRSS(w, th) },
		claim: generated("(feed of recent changes)"), deps: showsAll})
	return outs
}

// claim is the track page's: it exists because its first module names it.
func (t *Track) claim() claim {
	what := "(learning track " + t.Name + ")"
	if len(t.Steps) == 0 {
		return generated(what)
	}
	p := t.Steps[0].Page
	return causedBy(what, claim{file: p.File, line: p.Line("tracks"), field: "tracks"})
}

// sessionICS is the file name of a module's own calendar entry, beside its page.
const sessionICS = "session.ics"

// ICSURL is the module's own calendar file, for a download link.
func (p *Page) ICSURL() string { return p.site.Rel(p.URL + sessionICS) }

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

// modules are the published training modules, by content path.
func (s *Site) modules() []*Page {
	var out []*Page
	for _, p := range s.byPathOrder() {
		if p.Training != nil && !p.IsSection {
			out = append(out, p)
		}
	}
	return out
}

// scheduled are the published modules that have a session, by start time.
func (s *Site) scheduled() []*Page {
	var out []*Page
	for _, ss := range s.calendar().Sessions {
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
	Unscheduled []*Page       // modules without a session
	Cut         bool          // the window /training/ shows leaves sessions out (Window, paging.go)

	now time.Time
}

// TrainingCalendar groups the sessions by ISO week (in the site's time
// zone) into upcoming and past at the build clock. A session still under
// way counts as upcoming: people can still join it.
func (s *Site) TrainingCalendar() *TrainingCalendar {
	c := &TrainingCalendar{now: s.Now}
	var past []*Page
	sessions := s.scheduled()
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
	for _, p := range s.modules() {
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
	order := s.calendar().Tracks
	for _, name := range sortedKeys(order) {
		key := termKey(name)
		t := &Track{Name: name, Key: key, URL: tracksURL + key + "/"}
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
func (s *Site) TrackURL(name string) string { return s.Rel(tracksURL + termKey(name) + "/") }

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
// those of pages whose body it did not render again (livepages.go).
func unsplit(modules []*Page) []*Page {
	var out []*Page
	for _, p := range modules {
		if p.slides == nil {
			out = append(out, p)
		}
	}
	return out
}
