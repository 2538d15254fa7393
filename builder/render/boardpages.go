package render

// Paged boards: the health report and the action board list rows that grow
// with the site (stale pages, orphans, actions). Their overview pages,
// /health/ and /actions/, show every count and the first boardPreview rows
// of each list, with a link to the list in full: /health/ID/ and
// /actions/BUCKET/, paged like lists (paging.go) and headed by the same
// counts. A board that fits is written as before, on one page.

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/theme"
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

const (
	// boardPreview is the rows of each list on a board's overview page.
	boardPreview = 20
	// boardRowWeight is a board row's HTML besides its title and path:
	// badges, dates, markup.
	boardRowWeight = 700
)

// BoardView is what a board's template shows: the whole board for its
// counts, the rows of this page, and where the full lists are.
type BoardView struct {
	Block     string              // "" on the overview, else the one list this page shows
	Health    *model.HealthReport // the health report's rows to show
	HealthAll *model.HealthReport // the whole report, for counts
	Board     *model.ActionBoard  // the action board's rows to show
	BoardAll  *model.ActionBoard  // the whole board, for counts
	More      map[string]string   // list → site-relative URL of its full list, when the overview shows part of it
}

// Shows reports whether the page shows list id: the overview shows every
// list, a list's page only its own.
func (v *BoardView) Shows(id string) bool { return v.Block == "" || v.Block == id }

// Cut reports whether the page shows only some rows of list id: counts the
// reader's clock would redo from the rows shown then stay the build's.
func (v *BoardView) Cut(id string) bool { return v.More[id] != "" || v.Block != "" }

// boardList is a list of a board that grows with the site: its length, a
// row's title and path (for its weight) and a cut to some of its rows.
type boardList struct {
	id    string
	n     int
	title func(i int) string
	cut   func(lo, hi int) // keep rows lo..hi in the view's copy of the board
}

func (v *BoardView) lists() []boardList {
	if v.Health != nil {
		return healthLists(v.Health, v.HealthAll)
	}
	return actionLists(v.Board, v.BoardAll)
}

// healthOutputs writes /health/ and, for each list longer than the
// preview, its full list, paged.
func (s *rendering) healthOutputs(th *theme.Theme) []Output {
	// Read at render time: serve renders /health/ again when search misses
	// come in (builder/misses.go).
	fresh := func() *BoardView { all := s.Health(); c := *all; return &BoardView{Health: &c, HealthAll: all} }
	return s.boardOutputs(th, healthURL, kindHealth, th.T("health.title"), generated("(health report)"), fresh)
}

// actionsOutputs writes /actions/ and, for each bucket longer than the
// preview, its full list, paged.
func (s *rendering) actionsOutputs(th *theme.Theme) []Output {
	fresh := func() *BoardView {
		all := s.ActionBoard()
		c := *all
		c.Buckets = append([]model.ActionBucket(nil), all.Buckets...)
		return &BoardView{Board: &c, BoardAll: all}
	}
	return s.boardOutputs(th, actionsURL, kindActions, th.T("actions.title"), generated("(action board)"), fresh)
}

// boardOutputs makes a board's overview and its long lists' pages. fresh
// returns a view holding a copy of the whole board, to cut; each output
// calls it when it renders, as the template once read the board itself.
func (s *rendering) boardOutputs(th *theme.Theme, url, layout, title string, c claim, fresh func() *BoardView) []Output {
	var long []string
	var outs []Output
	for _, l := range fresh().lists() {
		if l.n > boardPreview {
			long = append(long, l.id)
			outs = append(outs, s.boardListOutputs(th, url+l.id+"/", layout, title, c, l.id, fresh)...)
		}
	}
	overview := func() *BoardView {
		v := fresh()
		v.More = map[string]string{}
		for _, id := range long {
			if l := listByID(v, id); l.n > boardPreview {
				l.cut(0, boardPreview)
				v.More[id] = url + id + "/"
			}
		}
		return v
	}
	return append(outs, boardOutput(th, layout, &Data{Site: s.Site, Kind: layout, Title: title, URL: url}, c, overview))
}

// boardOutput renders d with the view view returns at render time.
func boardOutput(th *theme.Theme, layout string, d *Data, c claim, view func() *BoardView) Output {
	return Output{path: strings.TrimPrefix(d.URL, "/") + "index.html", claim: c, render: func(w io.Writer) error {
		dd := *d
		dd.Board = view()
		return th.Execute(w, layout, &dd)
	}}
}

// boardListOutputs pages list id of a board at url.
func (s *rendering) boardListOutputs(th *theme.Theme, url, layout, title string, c claim, id string, fresh func() *BoardView) []Output {
	list := listByID(fresh(), id)
	bounds := split(list.n, func(i int) int { return boardRowWeight + len(list.title(i)) })
	pager := &Pager{Count: len(bounds) - 1, Total: list.n, URL: url}
	var outs []Output
	for n := 1; n <= pager.Count; n++ {
		lo, hi := bounds[n-1], bounds[n]
		view := func() *BoardView {
			v := fresh()
			v.Block = id
			l := listByID(v, id)
			l.cut(min(lo, l.n), min(hi, l.n))
			return v
		}
		pp := *pager
		pp.Number = n
		d := &Data{Site: s.Site, Kind: layout, Title: title, URL: pager.PageURL(n), Pager: &pp}
		out := boardOutput(th, layout, d, c, view)
		if layout == kindHealth {
			out.deps = func() Deps { return healthListDeps(view(), &pp) }
		}
		outs = append(outs, out)
	}
	return outs
}

func listByID(v *BoardView, id string) boardList {
	for _, l := range v.lists() {
		if l.id == id {
			return l
		}
	}
	panic("board list " + id) // ids come from lists() itself
}

// healthLists are the health report's growing lists, cutting h, a copy of
// all.
func healthLists(h, all *model.HealthReport) []boardList {
	stale := flattenStale(all.StaleByOwner)
	paths := func(ps *[]string) boardList {
		return boardList{n: len(*ps), title: func(i int) string { return (*ps)[i] },
			cut: func(lo, hi int) { *ps = (*ps)[lo:hi:hi] }}
	}
	ownerless, quiz, orphans := paths(&h.Ownerless), paths(&h.TrainingWithoutQuiz), paths(&h.Orphans)
	ownerless.id, quiz.id, orphans.id = "ownerless", "no-quiz", "orphans"
	return []boardList{
		{id: "stale", n: len(stale), title: func(i int) string { return stale[i].Path },
			cut: func(lo, hi int) { h.StaleByOwner = regroupStale(stale[lo:hi], all.StaleByOwner) }},
		ownerless,
		{id: "no-card", n: len(h.MissingBattlecards), title: func(i int) string { return h.MissingBattlecards[i].Path },
			cut: func(lo, hi int) { h.MissingBattlecards = h.MissingBattlecards[lo:hi:hi] }},
		quiz, orphans,
	}
}

func flattenStale(groups []model.StaleGroup) []model.StaleItem {
	var out []model.StaleItem
	for _, g := range groups {
		out = append(out, g.Pages...)
	}
	return out
}

// regroupStale groups a run of stale pages by owner again, each group with
// its count in the whole report (all).
func regroupStale(items []model.StaleItem, all []model.StaleGroup) []model.StaleGroup {
	count := map[string]int{}
	for _, g := range all {
		count[g.Owner] = g.Count
	}
	return regroupByOwner(items, func(it model.StaleItem) string { return it.Owner },
		func(owner string, run []model.StaleItem) model.StaleGroup {
			return model.StaleGroup{Owner: owner, Count: count[owner], Pages: run}
		})
}

// regroupByOwner cuts items, already sorted by owner, into runs of one owner
// and makes a group of each run.
func regroupByOwner[I, G any](items []I, owner func(I) string, group func(owner string, run []I) G) []G {
	var out []G
	for lo := 0; lo < len(items); {
		hi := lo + 1
		for hi < len(items) && owner(items[hi]) == owner(items[lo]) {
			hi++
		}
		out = append(out, group(owner(items[lo]), items[lo:hi:hi]))
		lo = hi
	}
	return out
}

// actionLists are the buckets of the board, cutting b, a copy of all.
func actionLists(b, all *model.ActionBoard) []boardList {
	var out []boardList
	for i := range b.Buckets {
		bk, full := &b.Buckets[i], all.Buckets[i].Owners
		var rows []model.BoardItem
		for _, g := range full {
			rows = append(rows, g.Items...)
		}
		out = append(out, boardList{id: bk.Key, n: len(rows), title: func(j int) string { return rows[j].What + rows[j].Retro },
			cut: func(lo, hi int) { bk.Owners = regroupActions(rows[lo:hi], full) }})
	}
	return out
}

// regroupActions groups a run of a bucket's actions by owner again, each
// group with its count in the whole bucket (all).
func regroupActions(items []model.BoardItem, all []model.ActionGroup) []model.ActionGroup {
	count := map[string]int{}
	for _, g := range all {
		count[g.Owner] = g.Count
	}
	return regroupByOwner(items, func(it model.BoardItem) string { return it.Owner },
		func(owner string, run []model.BoardItem) model.ActionGroup {
			return model.ActionGroup{Owner: owner, Count: count[owner], Items: run}
		})
}

// healthListDeps declares a page of one of the health report's long lists
// (health.html with a Block): the rows it shows, by value; the pages they
// name, whose title, type and URL it shows; the length of every list,
// which its heading and links show; and its pager. The search misses and
// the coverage matrix only the overview shows, which declares everything.
func healthListDeps(v *BoardView, pager *Pager) Deps {
	h, all := v.Health, v.HealthAll
	var d Deps
	var b []byte
	b = fmt.Appendf(b, "%s %d %d %d %d %d %d %d\n", v.Block, pager.Count, pager.Total,
		len(all.Stale), len(all.Ownerless), len(all.MissingBattlecards), len(all.TrainingWithoutQuiz), len(all.Orphans))
	for _, g := range h.StaleByOwner {
		b = append(strconv.AppendInt(append(strconv.AppendQuote(b, g.Owner), ' '), int64(g.Count), 10), '\n')
		for _, it := range g.Pages {
			b = appendStaleRow(b, it)
			d.pages = append(d.pages, content.NormalizeRef(it.Path))
		}
	}
	for _, list := range [][]string{h.Ownerless, h.TrainingWithoutQuiz, h.Orphans} {
		b = append(b, '\n')
		for _, p := range list {
			b = append(strconv.AppendQuote(b, p), ' ')
			d.pages = append(d.pages, content.NormalizeRef(p))
		}
	}
	for _, m := range h.MissingBattlecards {
		b = append(strconv.AppendQuote(append(b, '\n'), m.Path), ':')
		for _, p := range m.Cases {
			b = append(strconv.AppendQuote(b, p), ' ')
			d.pages = append(d.pages, content.NormalizeRef(p))
		}
	}
	d.shape = string(b)
	return d
}

// appendStaleRow appends what a row of the stale list shows but its page.
func appendStaleRow(b []byte, it model.StaleItem) []byte {
	b = append(strconv.AppendQuote(strconv.AppendQuote(b, it.Path), it.Owner), ' ')
	for _, t := range []*time.Time{it.Reviewed, &it.Due, it.Lastmod} {
		if t != nil {
			b = t.AppendFormat(b, time.RFC3339Nano)
		}
		b = append(b, ' ')
	}
	b = strconv.AppendBool(strconv.AppendQuote(b, it.ChangedBy), it.Shown)
	return append(b, '\n')
}

// missOutputs are the outputs that show the search misses.
var missOutputs = []string{strings.TrimPrefix(healthURL, "/") + "index.html", "api/health.json"}

// ShowsMisses reports whether the output at name (a path inside the
// output folder) shows the search misses.
func ShowsMisses(name string) bool { return slices.Contains(missOutputs, name) }
