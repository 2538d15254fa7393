package model

import "sort"

// headerObjections is how many objections the header's empty search box
// offers; they are part of every page's frame (siteFrame).
const headerObjections = 5

// HeaderObjections are the objections the search box offers while empty.
func (s *Site) HeaderObjections() []*Page { return s.TopObjections(headerObjections) }

// TopObjections lists up to n scripts with an objection, the most used
// first: by the number of pages linking to them (cases, training, retros
// and other scripts cite the objections reps meet most), then by title.
// The search box offers them while it is empty.
func (s *Site) TopObjections(n int) []*Page {
	list := s.memo.objections(s.topObjections)
	return list[:min(n, len(list)):min(n, len(list))]
}

// topObjections is every script with an objection, in TopObjections' order.
func (s *Site) topObjections() []*Page {
	var list []*Page
	for _, p := range s.PagesOfType("script") {
		if p.Script != nil && p.Script.Objection != "" && !p.Hidden() {
			list = append(list, p)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := len(list[i].backlinks), len(list[j].backlinks)
		if a != b {
			return a > b
		}
		return list[i].Title < list[j].Title
	})
	return list
}
