package render

import (
	"io"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
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

// trainingData is what the slide, handout and track layouts receive: the
// usual layout data plus the view they show.
type trainingData struct {
	*Data
	Slides []model.Slide     // the module's slides (slides and print layouts)
	Track  *model.Track      // the track (track layout)
	Steps  []model.TrackStep // the steps this page of the track shows (track layout)
	First  int               // the number of the first of them, from 1
	Tracks []*model.Track
}

// trainingOutputs lists the files of the training generator: track pages,
// slide decks, handouts, the iCalendar and RSS feeds and the site-wide feed
// of recent changes.
func (s *rendering) trainingOutputs(th *theme.Theme) []Output {
	var outs []Output
	page := func(url, layout string, d *trainingData, c claim, dep func() Deps) {
		d.Site, d.URL, d.Kind = s.Site, url, layout
		outs = append(outs, Output{path: strings.TrimPrefix(url, "/") + "index.html", claim: c, deps: dep, render: func(w io.Writer) error {
			if d.Page != nil && d.Page.Training != nil {
				d.Slides = d.Page.Slides() // read late: serve re-renders a module's slides after a save
			}
			return th.Execute(w, layout, d)
		}})
	}
	modules := s.Modules()
	s.RenderMissingSlides()
	for _, p := range modules {
		if p.Training.Slides && th.Has(kindSlides) {
			page(p.URL+"slides/", kindSlides, &trainingData{Data: &Data{Title: p.Title, Page: p}, Slides: p.Slides()},
				causedBy("(slides of "+p.File+")", pageClaim(p)), moduleDeps(p))
		}
		if th.Has(kindPrint) {
			page(p.URL+"print/", kindPrint, &trainingData{Data: &Data{Title: p.Title, Page: p}, Slides: p.Slides()},
				causedBy("(handout of "+p.File+")", pageClaim(p)), moduleDeps(p))
		}
		if !p.Training.Session.IsZero() {
			outs = append(outs, Output{path: strings.TrimPrefix(p.URL, "/") + model.SessionICS, render: func(w io.Writer) error {
				return s.writeICS(w, []*model.Page{p})
			}, claim: causedBy("(calendar entry of "+p.File+")", pageClaim(p)), deps: moduleDeps(p)})
		}
	}
	tracks := s.Tracks()
	if len(tracks) > 0 && th.Has(kindTrack) {
		for _, t := range tracks {
			outs = append(outs, declared(showsTypes(content.TypeTraining), s.trackOutputs(th, t))...) // paged when long (paging.go)
		}
		if th.Has(kindTracks) {
			page(model.TracksURL, kindTracks, &trainingData{Data: &Data{Title: th.T("tracks.title")}, Tracks: tracks}, generated("(learning tracks)"),
				showsTypes(content.TypeTraining))
		}
	}
	if len(modules) > 0 {
		outs = append(outs,
			Output{path: "training/calendar.ics", render: func(w io.Writer) error { return s.writeICS(w, s.Scheduled()) },
				claim: generated("(training calendar)"), deps: showsTypes(content.TypeTraining)},
			Output{path: "training/index.xml", render: func(w io.Writer) error { return s.writeSessionsRSS(w, th) },
				claim: generated("(training feed)"), deps: showsTypes(content.TypeTraining)},
		)
	}
	outs = append(outs, Output{path: "index.xml", render: func(w io.Writer) error { return s.writeChangesRSS(w, th) },
		claim: generated("(feed of recent changes)"), deps: showsAll})
	return outs
}

// trackClaim is the track page's: it exists because its first module names it.
func trackClaim(t *model.Track) claim {
	what := "(learning track " + t.Name + ")"
	if len(t.Steps) == 0 {
		return generated(what)
	}
	p := t.Steps[0].Page
	return causedBy(what, claim{file: p.File, line: p.Line("tracks"), field: "tracks"})
}
