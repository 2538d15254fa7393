package misses

import (
	"cmp"
	"slices"
	"time"
)

// Miss is one query readers did not find, counted over the log.
type Miss struct {
	Query    string    `json:"query"`     // normalised (Key)
	Count    int       `json:"count"`     // searches that missed
	Relaxed  int       `json:"relaxed"`   // of those, the ones that found only relaxed hits
	LastSeen time.Time `json:"last_seen"` // the latest of them
}

// Report is what the log says: the most frequent misses and how much of
// it was read.
type Report struct {
	Top     []Miss // at most TopN, most frequent first
	Queries int    // different queries among the events
	Events  int    // events read
	Skipped int    // lines that were not events
}

// Summarize counts events by Key and returns the n most frequent: most
// searches first, then the most recently seen, then by query, so equal
// logs give equal reports.
func Summarize(events []Event, n int) (top []Miss, queries int) {
	by := map[string]*Miss{}
	for _, e := range events {
		k := Key(e.Query)
		if k == "" {
			continue
		}
		m := by[k]
		if m == nil {
			m = &Miss{Query: k}
			by[k] = m
		}
		m.Count++
		if e.Relaxed {
			m.Relaxed++
		}
		if e.Time.After(m.LastSeen) {
			m.LastSeen = e.Time
		}
	}
	all := make([]Miss, 0, len(by))
	for _, m := range by {
		all = append(all, *m)
	}
	slices.SortFunc(all, func(a, b Miss) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.LastSeen.Compare(a.LastSeen), cmp.Compare(a.Query, b.Query))
	})
	return all[:min(n, len(all))], len(all)
}

// Load reads the log of the site folder and summarises it. A site without
// a log has an empty report and no error.
func Load(site string) (Report, error) {
	events, skipped, err := Read(site)
	top, queries := Summarize(events, TopN)
	return Report{Top: top, Queries: queries, Events: len(events), Skipped: skipped}, err
}
