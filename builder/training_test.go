package builder_test

// Checks of the training generator's feeds and calendar on the fixture
// site testdata/sites/training.txtar: the iCalendar files are read back
// with an independent parser (emersion/go-ical; the builder writes them
// with arran4/golang-ical), the RSS with encoding/xml.

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/search"
	"github.com/rogpeppe/go-internal/txtar"
)

// buildTraining builds the training fixture site and returns its public/.
func buildTraining(t *testing.T) (string, *builder.Result) {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/sites/training.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "want" || strings.HasPrefix(f.Name, "extra/") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := builder.Build(context.Background(), builder.Options{Site: dir, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "public"), res
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCalendarICS: every session is in the feed at the right instant,
// whichever way its time was written, with a stable UID, a SUMMARY and a
// DESCRIPTION holding the page link; lines end in CRLF and fold at 75
// octets without splitting a character.
func TestCalendarICS(t *testing.T) {
	pub, _ := buildTraining(t)
	raw := readFile(t, filepath.Join(pub, "training", "calendar.ics"))
	checkICSLines(t, raw)

	cal, err := goical.NewDecoder(bytes.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("parse calendar.ics: %v", err)
	}
	utc := func(s string) time.Time {
		tt, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	longTitle := "产品基础：三个版本与十分钟演示，新人入职第一课必修，请提前准备好演示账号"
	want := map[string]struct {
		start, end time.Time
		page       string
	}{
		"谈判进阶":    {utc("2026-11-06T07:00:00Z"), utc("2026-11-06T09:00:00Z"), "https://kb.example.com/training/a-advanced/"},
		"需求挖掘":    {utc("2026-11-13T07:00:00Z"), utc("2026-11-13T08:30:00Z"), "https://kb.example.com/training/m-discovery/"},
		"CRM 录入":  {utc("2026-11-27T07:00:00Z"), utc("2026-11-27T08:00:00Z"), "https://kb.example.com/training/outside/"},
		longTitle: {utc("2026-12-04T07:00:00Z"), utc("2026-12-04T08:30:00Z"), "https://kb.example.com/training/z-basics/"},
		"甲 星图攻防":  {utc("2026-12-11T07:00:00Z"), utc("2026-12-11T08:00:00Z"), "https://kb.example.com/training/tie-a/"},
		"乙 简道攻防":  {utc("2026-12-11T07:00:00Z"), utc("2026-12-11T08:00:00Z"), "https://kb.example.com/training/tie-b/"},
	}
	events := cal.Events()
	if len(events) != len(want) {
		t.Fatalf("%d events, want %d (every scheduled module, not the unscheduled one)", len(events), len(want))
	}
	uids := map[string]string{} // summary → UID
	for _, ev := range events {
		summary, _ := ev.Props.Text(goical.PropSummary)
		w, ok := want[summary]
		if !ok {
			t.Errorf("unexpected event %q", summary)
			continue
		}
		start, err := ev.DateTimeStart(time.UTC)
		if err != nil || !start.Equal(w.start) {
			t.Errorf("%s: DTSTART = %v (%v), want %v", summary, start, err, w.start)
		}
		end, err := ev.DateTimeEnd(time.UTC)
		if err != nil || !end.Equal(w.end) {
			t.Errorf("%s: DTEND = %v (%v), want %v", summary, end, err, w.end)
		}
		desc, _ := ev.Props.Text(goical.PropDescription)
		if !strings.Contains(desc, w.page) {
			t.Errorf("%s: DESCRIPTION %q lacks the page link %s", summary, desc, w.page)
		}
		uid, _ := ev.Props.Text(goical.PropUID)
		if uid == "" {
			t.Errorf("%s: no UID", summary)
		}
		for s, u := range uids {
			if u == uid {
				t.Errorf("%s and %s share the UID %s", s, summary, uid)
			}
		}
		uids[summary] = uid
	}

	// The module's own .ics carries the same event, under the same UID, so
	// a calendar app sees one session whichever file it came from.
	one := readFile(t, filepath.Join(pub, "training", "z-basics", "session.ics"))
	checkICSLines(t, one)
	single, err := goical.NewDecoder(bytes.NewReader(one)).Decode()
	if err != nil {
		t.Fatalf("parse session.ics: %v", err)
	}
	if evs := single.Events(); len(evs) != 1 {
		t.Fatalf("session.ics has %d events, want 1", len(evs))
	} else if uid, _ := evs[0].Props.Text(goical.PropUID); uid != uids[longTitle] {
		t.Errorf("session.ics UID = %s, calendar.ics has %s", uid, uids[longTitle])
	}

	// A second build gives the same UIDs (and the same file).
	pub2, _ := buildTraining(t)
	if again := readFile(t, filepath.Join(pub2, "training", "calendar.ics")); !bytes.Equal(again, raw) {
		t.Error("calendar.ics differs between two builds of the same content")
	}
}

// checkICSLines checks RFC 5545 §3.1: CRLF line ends, at most 75 octets a
// line, and folds that never split a UTF-8 character.
func checkICSLines(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Error("the file does not end with CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(raw, []byte("\r\n")), []byte("\r\n"))
	folded := 0
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d has %d octets, more than 75: %q", i+1, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if bytes.HasPrefix(l, []byte(" ")) {
			folded++
		}
	}
	if folded == 0 {
		t.Error("no folded line: the fixture's long Chinese title should need folding")
	}
}

// TestFeeds: /training/index.xml has an item per module, the latest session
// first; /index.xml lists the site's recent changes.
func TestFeeds(t *testing.T) {
	pub, _ := buildTraining(t)
	type rss struct {
		Channel struct {
			Title string `xml:"title"`
			Items []struct {
				Title string `xml:"title"`
				Link  string `xml:"link"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	var sessions rss
	if err := xml.Unmarshal(readFile(t, filepath.Join(pub, "training", "index.xml")), &sessions); err != nil {
		t.Fatalf("training/index.xml: %v", err)
	}
	if n := len(sessions.Channel.Items); n != 7 {
		t.Fatalf("training/index.xml has %d items, want 7 (every module)", n)
	}
	first := sessions.Channel.Items[0]
	if !strings.HasPrefix(first.Title, "甲 星图攻防 · 2026年12月11日 15:00") && !strings.HasPrefix(first.Title, "乙 简道攻防 · 2026年12月11日 15:00") {
		t.Errorf("first item = %q, want a session of Dec 11 (the latest) with its time in the site's zone", first.Title)
	}
	if first.Link == "" || !strings.HasPrefix(first.Link, "https://kb.example.com/training/") {
		t.Errorf("first item link = %q, want an absolute page URL", first.Link)
	}
	var changes rss
	if err := xml.Unmarshal(readFile(t, filepath.Join(pub, "index.xml")), &changes); err != nil {
		t.Fatalf("index.xml: %v", err)
	}
	if n := len(changes.Channel.Items); n != 8 {
		t.Errorf("index.xml has %d items, want 8 (every page of the small site)", n)
	}
	if changes.Channel.Title != "培训测试手册" {
		t.Errorf("index.xml title = %q", changes.Channel.Title)
	}
}

// TestTrainingCalendar: sessions by ISO week in the site's zone, upcoming
// soonest first and past latest first, against the build clock.
func TestTrainingCalendar(t *testing.T) {
	_, res := buildTraining(t)
	c := res.Site.TrainingCalendar()
	if c.Next == nil || c.Next.Path != "training/outside" {
		t.Fatalf("next session = %v, want training/outside (Nov 27)", c.Next)
	}
	weeks := func(ws []model.SessionWeek) []string {
		var out []string
		for _, w := range ws {
			ids := []string{w.ID()}
			for _, p := range w.Sessions {
				ids = append(ids, p.Path)
			}
			out = append(out, strings.Join(ids, " "))
		}
		return out
	}
	wantUp := []string{"2026-W48 training/outside", "2026-W49 training/z-basics", "2026-W50 training/tie-b training/tie-a"}
	if got := weeks(c.Upcoming); strings.Join(got, "|") != strings.Join(wantUp, "|") {
		t.Errorf("upcoming = %q, want %q", got, wantUp)
	}
	wantPast := []string{"2026-W46 training/m-discovery", "2026-W45 training/a-advanced"}
	if got := weeks(c.Past); strings.Join(got, "|") != strings.Join(wantPast, "|") {
		t.Errorf("past = %q, want %q", got, wantPast)
	}
	if len(c.Unscheduled) != 1 || c.Unscheduled[0].Path != "training/unscheduled" {
		t.Errorf("unscheduled = %v, want training/unscheduled", c.Unscheduled)
	}
	if m := c.Upcoming[0].Monday; m.Format("2006-01-02 15:04 MST") != "2026-11-23 00:00 CST" {
		t.Errorf("week 48 starts %v, want Monday 2026-11-23 00:00 in Shanghai", m)
	}
}

// Speaker notes are the trainer's: the module page leaves them out, so
// search must not find the module by them nor show them in a snippet,
// on the server or in the static search files; the slides' own text
// stays searchable.
func TestSpeakerNotesNotSearched(t *testing.T) {
	pub, _ := buildTraining(t)
	idx, err := search.Open(builder.SearchIndexDir(filepath.Dir(pub)))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx := context.Background()
	for _, q := range []string{"这里停一下", "学员举例", "先问大家用过哪些"} {
		r, err := idx.Search(ctx, search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		// relaxed hits (close matches by single characters) may follow; no
		// page may hold the note's words
		if r.Strict != 0 {
			t.Errorf("%q (a speaker note) is on %d pages, first %s", q, r.Strict, r.Hits[0].Path)
		}
		for _, h := range r.Hits {
			if s := h.Snippet.HTML(); strings.Contains(s, q) {
				t.Errorf("%q (a speaker note) shows in the snippet of %s: %s", q, h.Path, s)
			}
		}
	}
	r, err := idx.Search(ctx, search.Request{Query: "难点问题"}) // on a slide of m-discovery
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) == 0 || r.Hits[0].Path != "training/m-discovery" {
		t.Errorf("难点问题 (slide text) finds %+v, want training/m-discovery", r.Hits)
	}
	files, _ := filepath.Glob(filepath.Join(pub, "search", "*", "*.json"))
	if len(files) == 0 {
		t.Fatal("no static search files")
	}
	for _, f := range files {
		if b := readFile(t, f); bytes.Contains(b, []byte("这里停一下")) || bytes.Contains(b, []byte("先问大家用过哪些")) {
			t.Errorf("%s holds a speaker note", f)
		}
	}
}
