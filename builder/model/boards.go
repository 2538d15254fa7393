package model

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/views"
)

// Actions lists every retro action at the build clock: overdue first, then
// open, then done and dropped (views.Actions).
func (s *Site) Actions() []views.ActionItem {
	return views.Actions(s.ContentPages(), s.Now)
}

// ActionGroup is one owner's actions within a bucket of the board.
type ActionGroup struct {
	Owner string // "" for actions nobody owns
	Items []BoardItem
	Count int // items shown at the build clock
}

// BoardItem is an action in a bucket of the board. The overdue and open
// buckets list every open action that is, or may come to be, in them —
// an open action due later is under "overdue" too, hidden until its date
// passes — so the reader's clock can move it by showing and hiding
// (clock.js). Their order does not depend on the clock.
type BoardItem struct {
	views.ActionItem
	Shown bool // in this bucket at the build clock
	Seq   int  // place in the bucket's order: the reader's clock orders owners by their first shown action
}

// ActionBucket is one state of the board: overdue, open, done or dropped.
type ActionBucket struct {
	Key    string
	Count  int           // actions shown at the build clock
	Owners []ActionGroup // owners with a shown action first, in order of their first one
}

// OwnerTally counts one owner's actions by state at the build clock.
type OwnerTally struct {
	Owner                        string
	Overdue, Open, Done, Dropped int
}

// Total is the owner's number of actions.
func (o OwnerTally) Total() int { return o.Overdue + o.Open + o.Done + o.Dropped }

// ActionBoard is the retro action board: the buckets in order and a tally per owner.
type ActionBoard struct {
	Buckets []ActionBucket
	Owners  []OwnerTally // most overdue, then most open first
	Total   int
}

// Bucket returns the bucket of that key; empty when it has no actions.
func (b *ActionBoard) Bucket(key string) ActionBucket {
	for _, k := range b.Buckets {
		if k.Key == key {
			return k
		}
	}
	return ActionBucket{Key: key}
}

// boardKeys are the buckets of the board, in order.
var boardKeys = []string{"overdue", "open", "done", "dropped"}

// ActionBoard groups the retro actions by state, then owner.
func (s *Site) ActionBoard() *ActionBoard { return s.memo.actionBoard(s.actionBoard) }

func (s *Site) actionBoard() *ActionBoard {
	now := s.Actions()
	b := &ActionBoard{Total: len(now), Owners: tally(now)}
	for _, key := range boardKeys {
		bk := ActionBucket{Key: key}
		for i, a := range s.bucketCandidates(key) {
			it := BoardItem{ActionItem: a, Seq: i, Shown: bucketOf(s.atNow(a)) == key}
			if it.Shown {
				bk.Count++
			}
			bk.Owners = addToOwner(bk.Owners, it)
		}
		if len(bk.Owners) > 0 {
			slices.SortStableFunc(bk.Owners, func(x, y ActionGroup) int { return cmp.Compare(firstShown(x), firstShown(y)) })
			b.Buckets = append(b.Buckets, bk)
		}
	}
	return b
}

// bucketCandidates lists the actions that are, or may come to be, in the
// bucket, in its order: open actions for the overdue (if dated) and open
// buckets — as views.Actions orders them at a clock past every due date
// and at one before all of them — and the done or dropped ones.
func (s *Site) bucketCandidates(key string) []views.ActionItem {
	var at time.Time // before every due date: no open action is overdue
	if key == "overdue" {
		at = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) // after every due date
	}
	var out []views.ActionItem
	for _, a := range views.Actions(s.ContentPages(), at) {
		switch {
		case key == "overdue" && a.Overdue, key == "open" && a.Status == "open",
			key != "overdue" && key != "open" && bucketOf(a) == key:
			out = append(out, a)
		}
	}
	return out
}

// atNow is the action as it stands at the build clock.
func (s *Site) atNow(a views.ActionItem) views.ActionItem {
	a.Overdue = a.Status == "open" && a.Due != nil && a.Due.Before(s.Now)
	return a
}

// bucketOf names the bucket of an action; a status outside the contract
// shows with the dropped.
func bucketOf(a views.ActionItem) string {
	switch {
	case a.Overdue:
		return "overdue"
	case a.Status == "open", a.Status == "done":
		return a.Status
	}
	return "dropped"
}

// addToOwner appends it to its owner's group, making the group on first sight.
func addToOwner(groups []ActionGroup, it BoardItem) []ActionGroup {
	i := slices.IndexFunc(groups, func(g ActionGroup) bool { return g.Owner == it.Owner })
	if i < 0 {
		groups = append(groups, ActionGroup{Owner: it.Owner})
		i = len(groups) - 1
	}
	groups[i].Items = append(groups[i].Items, it)
	if it.Shown {
		groups[i].Count++
	}
	return groups
}

// firstShown is the Seq of the group's first shown action, or past the end.
func firstShown(g ActionGroup) int {
	for _, it := range g.Items {
		if it.Shown {
			return it.Seq
		}
	}
	return math.MaxInt
}

// tally counts each owner's actions by bucket, owners in order of their
// first (most urgent) action, as views.Actions sorts them.
func tally(items []views.ActionItem) []OwnerTally {
	var out []OwnerTally
	for _, a := range items {
		i := slices.IndexFunc(out, func(t OwnerTally) bool { return t.Owner == a.Owner })
		if i < 0 {
			out = append(out, OwnerTally{Owner: a.Owner})
			i = len(out) - 1
		}
		t := &out[i]
		switch bucketOf(a) {
		case "overdue":
			t.Overdue++
		case "open":
			t.Open++
		case "done":
			t.Done++
		default:
			t.Dropped++
		}
	}
	return out
}

// StaleGroup is one owner's pages whose review is overdue, or falls due
// within staleLookahead of the build (hidden until it does: clock.js).
type StaleGroup struct {
	Owner string // "" for pages nobody owns
	Pages []StaleItem
	Count int // pages overdue at the build clock
}

// StaleItem is a page of the stale list.
type StaleItem struct {
	views.StalePage
	Page  *Page
	Shown bool // overdue at the build clock
}

// staleLookahead is how far past the build the health report lists pages
// falling due for review, hidden until the reader's clock reaches their
// date. A site rebuilt less often shows later ones at its next build; a
// longer reach would list most of a large site twice.
const staleLookahead = 31 * 24 * time.Hour

// CoverageRow is one stage of the coverage matrix: its pages per type,
// in the order of HealthReport.Types.
type CoverageRow struct {
	Stage, Name string
	Cells       []CoverageCell // one per HealthReport.Types
}

// CoverageCell is the number of published pages of one type at one stage;
// Gap marks an empty cell that needs content.
type CoverageCell struct {
	N   int
	Gap bool
}

// notStageGap are the types a stage need not have: training teaches
// across stages, so a stage without its own module is no gap.
var notStageGap = map[string]bool{content.TypeTraining: true}

// HealthReport is the content health report with the stale pages grouped
// by owner, for the theme.
type HealthReport struct {
	views.Health
	StaleByOwner []StaleGroup
	Types        []string      // columns of the coverage matrix
	Stages       []CoverageRow // rows, in the configured process order
	Gaps         int           // empty cells of the coverage matrix
}

// Health computes the content health report at the build clock.
// The report is made once per site (memo.go); each call gets a copy with
// the search misses read anew.
func (s *Site) Health() *HealthReport {
	r := *s.memo.healthReport(s.healthReport)
	r.SearchMisses = s.topMisses()
	return &r
}

func (s *Site) healthReport() *HealthReport {
	h := &HealthReport{Health: s.HealthAt(s.Now), Types: views.CoverageTypes}
	for _, sp := range s.HealthAt(s.Now.Add(staleLookahead)).Stale { // sorted by owner
		if n := len(h.StaleByOwner); n == 0 || h.StaleByOwner[n-1].Owner != sp.Owner {
			h.StaleByOwner = append(h.StaleByOwner, StaleGroup{Owner: sp.Owner})
		}
		g := &h.StaleByOwner[len(h.StaleByOwner)-1]
		it := StaleItem{StalePage: sp, Page: s.byPath[sp.Path], Shown: sp.Due.Before(s.Now)}
		g.Pages = append(g.Pages, it)
		if it.Shown {
			g.Count++
		}
	}
	for _, st := range s.Config.Stages {
		row := CoverageRow{Stage: st.Key, Name: st.Name}
		for _, t := range h.Types {
			c := CoverageCell{N: h.Coverage[st.Key][t]}
			c.Gap = c.N == 0 && !notStageGap[t]
			row.Cells = append(row.Cells, c)
			if c.Gap {
				h.Gaps++
			}
		}
		h.Stages = append(h.Stages, row)
	}
	return h
}

// HealthAt is the health report at a clock, with who last changed each stale page.
// The report of the pages is computed once per site and clock (every page
// of the health board reads it); the search misses are read each time, as
// serve reloads them (builder/misses.go).
func (s *Site) HealthAt(at time.Time) views.Health {
	h := s.memo.health(at, func() views.Health {
		h := views.Report(s.ContentPages(), at, s.Config.Stages, s.inbound())
		for i, sp := range h.Stale {
			if p := s.byPath[sp.Path]; p != nil && p.LastCommit != nil {
				h.Stale[i].ChangedBy = p.LastCommit.Author
			}
		}
		return h
	})
	h.SearchMisses = s.topMisses()
	return h
}
