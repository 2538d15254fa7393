package model

import "github.com/playbook-sales/playbook/search/misses"

// MissReport is the search miss log as the site was loaded.
type MissReport struct {
	misses.Report
	Err error // why the log could not be read (or only in part); nil without a log
}

// SearchMisses is the search miss log's report: the most frequent misses
// first (misses.TopN of them).
func (s *Site) SearchMisses() *MissReport { return &s.misses }

// topMisses are the misses for the health report, their times in the
// site's zone, never nil.
func (s *Site) topMisses() []misses.Miss {
	out := make([]misses.Miss, len(s.misses.Top))
	for i, m := range s.misses.Top {
		m.LastSeen = m.LastSeen.In(s.Config.Location)
		out[i] = m
	}
	return out
}
