package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"slices"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/views"
)

// apiPage is one entry of public/api/pages.json, as the content contract
// specifies; "params" (front matter keys outside the contract) is our extension.
type apiPage struct {
	Path       string         `json:"path"`
	URL        string         `json:"url"`
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Summary    string         `json:"summary"`
	Draft      bool           `json:"draft"`
	Date       *time.Time     `json:"date"`
	Lastmod    *time.Time     `json:"lastmod"`
	Owner      string         `json:"owner"`
	Reviewed   *time.Time     `json:"reviewed"`
	Tags       []string       `json:"tags"`
	Stages     []string       `json:"stages"`
	Roles      []string       `json:"roles"`
	Industries []string       `json:"industries"`
	Regions    []string       `json:"regions"`
	Fields     map[string]any `json:"fields"`
	Params     map[string]any `json:"params,omitempty"`
	LastChange *apiChange     `json:"last_change"` // the last git commit of the file, or null
}

// apiChange is who last changed a page's file and when, from git.
type apiChange struct {
	Time   time.Time `json:"time"`
	Author string    `json:"author"`
	Commit string    `json:"commit"`
}

func (s *rendering) apiChange(p *model.Page) *apiChange {
	if p.LastCommit == nil {
		return nil
	}
	c := p.LastCommit
	return &apiChange{Time: c.Time.In(s.Config.Location), Author: c.Author, Commit: c.Hash}
}

func (s *rendering) writePagesJSON(w io.Writer) error {
	pages := s.PagesByPath()
	// Each entry is encoded once per page: serve hands it on to the next
	// build while the page is unchanged (model.KeepFragments), and a save
	// at 10,000 pages then copies the file rather than encoding it.
	return writeJSONEntries(w, len(pages), func(i int) ([]byte, error) {
		entry, err := pages[i].APIEntry().Get(func() (template.HTML, error) {
			b, err := encodeListItem(s.apiPage(pages[i]))
			return template.HTML(b), err
		})
		return []byte(entry), err
	})
}

// apiPage is p's entry in api/pages.json.
func (s *rendering) apiPage(p *model.Page) apiPage {
	return apiPage{
		Path: p.Path, URL: p.RelURL(), Type: p.Type, Title: p.Title, Summary: p.Summary, Draft: p.Draft,
		Date: s.apiTime(p.Date), Lastmod: s.apiTime(p.Lastmod), Owner: p.Owner, Reviewed: s.apiTime(p.Reviewed),
		Tags: content.NonNil(p.Tags), Stages: content.NonNil(p.Stages), Roles: content.NonNil(p.Roles),
		Industries: content.NonNil(p.Industries), Regions: content.NonNil(p.Regions),
		Fields: s.typeFields(p), Params: p.Extra, LastChange: s.apiChange(p),
	}
}

// writeJSONList writes exactly what writeJSON writes for a list, one item
// at a time: encoding the whole list at once held it twice over (encoded,
// then indented) at the build's peak, 60 MB for pages.json at 10k pages.
func writeJSONList[T any](w io.Writer, items []T) error {
	if len(items) == 0 {
		return writeJSON(w, items) // null for a nil list, as before
	}
	return writeJSONEntries(w, len(items), func(i int) ([]byte, error) { return encodeListItem(items[i]) })
}

// writeJSONEntries writes a list of n items as writeJSON indents it, item
// i encoded by entry (encodeListItem's form); [] when n is 0.
func writeJSONEntries(w io.Writer, n int, entry func(i int) ([]byte, error)) error {
	if n == 0 {
		return writeJSON(w, []any{})
	}
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString("[\n")
	for i := range n {
		item, err := entry(i)
		if err != nil {
			return err
		}
		if i > 0 {
			_, _ = bw.WriteString(",\n")
		}
		_ = bw.WriteByte(' ')
		_, _ = bw.Write(item)
	}
	_, _ = bw.WriteString("\n]\n")
	return bw.Flush()
}

// encodeListItem encodes an item of a list as writeJSON indents it, without
// the item's first indent and last newline.
func encodeListItem(v any) ([]byte, error) {
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	enc.SetEscapeHTML(false)
	enc.SetIndent(" ", " ") // an item is one level deep: its lines start with one more space
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(item.Bytes(), []byte("\n")), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(v)
}

// apiTime gives RFC 3339 in the site's zone, or null for an unset date.
func (s *rendering) apiTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(s.Config.Location)
	return &t
}

// typeFields holds the type's own fields, keyed as in front matter
// (content.Page.TypeFields), with the script's talk track split into what
// may be said and what stays internal.
func (s *rendering) typeFields(p *model.Page) map[string]any {
	f := p.Page.TypeFields(s.apiTime)
	if len(p.Related) > 0 {
		f["related"] = p.Related
	}
	if p.Script != nil {
		f["say"], f["internal"] = apiTalk(p)
	}
	return f
}

// apiCompetitor is one entry of competitors.json: the view's figures and
// the battlecard's URL.
type apiCompetitor struct {
	views.CompetitorStat
	URL string `json:"url"`
}

func (s *rendering) writeCompetitorsJSON(w io.Writer) error {
	stats := views.Competitors(s.ContentPages())
	out := make([]apiCompetitor, len(stats))
	for i, c := range stats {
		out[i] = apiCompetitor{CompetitorStat: c, URL: s.pageURL(c.Path)}
	}
	return writeJSON(w, out)
}

// apiAction is one entry of actions.json: the action and the URL of its
// retro.
type apiAction struct {
	views.ActionItem
	URL string `json:"url"`
}

func (s *rendering) writeActionsJSON(w io.Writer) error {
	items := views.Actions(s.ContentPages(), s.Now)
	out := make([]apiAction, len(items))
	for i, a := range items {
		a.Due = s.apiTime(derefTime(a.Due))
		out[i] = apiAction{ActionItem: a, URL: s.pageURL(a.Retro)}
	}
	return writeJSON(w, out)
}

// pageURL is the URL of a published page by content path, as pages.json
// gives it, or "" (a path the views name is always published).
func (s *rendering) pageURL(path string) string {
	if p := s.PageAt(path); p != nil {
		return p.RelURL()
	}
	return ""
}

func (s *rendering) writeHealthJSON(w io.Writer) error {
	h := s.HealthAt(s.Now)
	h.Stale = slices.Clone(h.Stale) // the report is shared (builder/model/memo.go)
	for i := range h.Stale {
		h.Stale[i].Reviewed = s.apiTime(derefTime(h.Stale[i].Reviewed))
		h.Stale[i].Lastmod = s.apiTime(derefTime(h.Stale[i].Lastmod))
		h.Stale[i].Due = h.Stale[i].Due.In(s.Config.Location)
	}
	return writeJSON(w, h)
}

func (s *rendering) writeTrainingJSON(w io.Writer) error {
	t := s.Calendar()
	t.Sessions = slices.Clone(t.Sessions) // shared (builder/model/memo.go)
	for i := range t.Sessions {
		t.Sessions[i].Start = t.Sessions[i].Start.In(s.Config.Location)
		t.Sessions[i].End = t.Sessions[i].End.In(s.Config.Location)
	}
	return writeJSON(w, t)
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// apiLine and apiInternal are the talk track in pages.json: the lines to
// say and the internal sections, each with its line in the file.
type apiLine struct {
	Text string `json:"text"`
	Line int    `json:"line"`
}

type apiInternal struct {
	Heading string `json:"heading"`
	Text    string `json:"text"`
	Line    int    `json:"line"`
}

func apiTalk(p *model.Page) ([]apiLine, []apiInternal) {
	say, internal := []apiLine{}, []apiInternal{}
	for _, l := range p.Say() {
		say = append(say, apiLine{Text: l.Text, Line: l.Line})
	}
	for _, s := range p.Internal() {
		internal = append(internal, apiInternal{Heading: s.Heading, Text: s.Text, Line: s.Line})
	}
	return say, internal
}
