// Package misses is the search miss report: what readers searched for and
// did not find, so an editor knows which synonym or page to add.
//
// An Event is one search that found nothing, or only relaxed hits (results
// that do not match every word): the query as typed, how many hits it had,
// whether they were relaxed, and when. Nothing about the person is part of
// it — no address, browser, cookie or session — and nothing else is ever
// written.
//
// playbook serve appends events to SITE/.playbook/search-misses.jsonl
// (FileName), one JSON object a line (Log). The file is bounded: when the
// next line would take it over MaxFileBytes it is renamed to
// search-misses.jsonl.1 (replacing the one before) and a new file begins,
// so the log keeps the last 1–2 MB, some 10,000–20,000 misses. A collector
// of a static site's reports (search.report_url) may append the events it
// receives to the same file in the same format.
//
// Read reads the two files, skipping lines that are not events; Summarize
// counts the events by normalised query (Key) into the most frequent
// misses, which playbook check and the /health/ page list.
package misses

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/playbook-sales/playbook/search"
)

// Where the log lives, as slash paths from the site folder. Dir is
// Playbook's own folder of derived data (the search index is there too).
const (
	Dir      = ".playbook"
	FileName = Dir + "/search-misses.jsonl"
	OldName  = FileName + ".1" // the file before the last rotation
)

// MaxFileBytes caps one file of the log; with the rotated file kept, the
// log holds between one and two times as much. An event is about 100
// bytes, so this is 10,000 misses or more: months of a team's searches.
const MaxFileBytes = 1 << 20

// TopN is how many misses check and the health report list.
const TopN = 20

// Event is one search that found nothing or only relaxed hits.
type Event struct {
	Time    time.Time `json:"time"`    // when it was searched (UTC, to the second)
	Query   string    `json:"query"`   // the query as typed, sanitised (search.Sanitize)
	Count   int       `json:"count"`   // hits found: 0, or the number of relaxed hits
	Relaxed bool      `json:"relaxed"` // the hits do not match every word of the query
}

// ErrNotMiss says an event describes a search that found what it looked
// for: strict hits are not a miss.
var ErrNotMiss = errors.New("not a miss: count must be 0 or relaxed true")

// NewEvent makes the event of a search at t, checked: the query is
// sanitised and must be searchable (not empty, at most
// search.MaxQueryRunes characters), and the search a miss.
func NewEvent(query string, count int, relaxed bool, t time.Time) (Event, error) {
	e := Event{Time: t.UTC().Truncate(time.Second), Query: search.Sanitize(query), Count: count, Relaxed: relaxed}
	return e, e.Check()
}

// Check reports what makes e no miss event.
func (e Event) Check() error {
	n := utf8.RuneCountInString(e.Query)
	switch {
	case n == 0 || e.Query != search.Sanitize(e.Query):
		return errors.New("query: want the text of a search, got none")
	case n > search.MaxQueryRunes:
		return fmt.Errorf("query: %d characters, at most %d", n, search.MaxQueryRunes)
	case e.Count < 0:
		return fmt.Errorf("count: want 0 or more, got %d", e.Count)
	case e.Count > 0 && !e.Relaxed:
		return ErrNotMiss
	case e.Time.IsZero():
		return errors.New("time: missing")
	}
	return nil
}

// Key is the form in which misses are counted together: sanitised, width
// and case folded as the search analyser folds them (search.Normalize),
// trimmed, with every run of white space one space. "  ＣＲＭ　价格 " and
// "crm 价格" are one miss.
func Key(query string) string {
	return strings.Join(strings.Fields(search.Normalize(search.Sanitize(query))), " ")
}
