package builder

import (
	"github.com/playbook-sales/playbook/builder/views"
)

// Output kinds of the sales views, each rendered by layouts/KIND.html.
const (
	kindActions = "actions"
	kindHealth  = "health"
)

// URLs of the sales views; assemble claims them so no page can take them.
const (
	actionsURL = "/actions/"
	healthURL  = "/health/"
)

// Actions lists every retro action at the build clock: overdue first, then
// open, then done and dropped (views.Actions).
func (s *Site) Actions() []views.ActionItem {
	return views.Actions(s.contentPages(), s.Now)
}

// ActionGroup is one owner's actions within a bucket of the board.
type ActionGroup struct {
	Owner string // "" for actions nobody owns
	Items []views.ActionItem
}

// ActionBucket is one state of the board: overdue, open, done or dropped.
type ActionBucket struct {
	Key    string // overdue, open, done, dropped
	Count  int
	Owners []ActionGroup // in order of each owner's first (most urgent) action
}

// OwnerTally counts one owner's actions by state.
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

// ActionBoard groups the retro actions by state, then owner.
func (s *Site) ActionBoard() *ActionBoard {
	b := &ActionBoard{}
	keys := []string{"overdue", "open", "done", "dropped"}
	buckets := map[string]*ActionBucket{}
	for _, k := range keys {
		buckets[k] = &ActionBucket{Key: k}
	}
	tally := map[string]*OwnerTally{}
	var owners []string
	for _, a := range s.Actions() {
		key := a.Status
		if a.Overdue {
			key = "overdue"
		}
		bk := buckets[key]
		if bk == nil { // a status outside the contract: show it with the dropped
			key, bk = "dropped", buckets["dropped"]
		}
		bk.Count++
		b.Total++
		i := len(bk.Owners)
		for j, g := range bk.Owners {
			if g.Owner == a.Owner {
				i = j
			}
		}
		if i == len(bk.Owners) {
			bk.Owners = append(bk.Owners, ActionGroup{Owner: a.Owner})
		}
		bk.Owners[i].Items = append(bk.Owners[i].Items, a)
		t := tally[a.Owner]
		if t == nil {
			t = &OwnerTally{Owner: a.Owner}
			tally[a.Owner] = t
			owners = append(owners, a.Owner)
		}
		switch key {
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
	for _, k := range keys {
		if buckets[k].Count > 0 {
			b.Buckets = append(b.Buckets, *buckets[k])
		}
	}
	for _, o := range owners { // first seen = most urgent first, since Actions is sorted
		b.Owners = append(b.Owners, *tally[o])
	}
	return b
}

// StaleGroup is one owner's pages whose review is overdue.
type StaleGroup struct {
	Owner string // "" for pages nobody owns
	Pages []views.StalePage
}

// CoverageRow is one stage of the coverage matrix: its pages per type,
// in the order of HealthReport.Types.
type CoverageRow struct {
	Stage, Name string
	Counts      []int
}

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
func (s *Site) Health() *HealthReport {
	h := &HealthReport{Health: views.Report(s.contentPages(), s.Now, s.Config.Stages, s.inbound()), Types: views.CoverageTypes}
	h.SearchMisses = s.topMisses()
	for _, sp := range h.Stale { // sorted by owner
		if n := len(h.StaleByOwner); n == 0 || h.StaleByOwner[n-1].Owner != sp.Owner {
			h.StaleByOwner = append(h.StaleByOwner, StaleGroup{Owner: sp.Owner})
		}
		g := &h.StaleByOwner[len(h.StaleByOwner)-1]
		g.Pages = append(g.Pages, sp)
	}
	for _, st := range s.Config.Stages {
		row := CoverageRow{Stage: st.Key, Name: st.Name}
		for _, t := range h.Types {
			n := h.Coverage[st.Key][t]
			row.Counts = append(row.Counts, n)
			if n == 0 {
				h.Gaps++
			}
		}
		h.Stages = append(h.Stages, row)
	}
	return h
}
