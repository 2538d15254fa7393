package builder_test

// The pages a build writes must hold all the reader's clock needs: for any
// later day (within the health report's month), showing and hiding what the
// build wrote, by the dates beside it, gives what a build on that day shows.
// These tests do in Go what themes/default/static/js/clock.js does in the
// browser, on the views the templates render (ActionBoard, Health,
// TrainingCalendar), and compare with a build at the later clock.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/model"
)

var clockSite = map[string]string{
	"playbook.yaml":          "title: 时钟\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n",
	"content/training/s1.md": "---\ntitle: 一\nsession: 2026-11-20T15:00:00+08:00\nduration: 60\n---\n",
	"content/training/s2.md": "---\ntitle: 二\nsession: 2026-11-25T15:00:00+08:00\nduration: 60\n---\n",
	"content/training/s3.md": "---\ntitle: 三\nsession: 2026-11-25T18:00:00+08:00\nduration: 60\n---\n",
	"content/training/s4.md": "---\ntitle: 四\nsession: 2026-12-04T15:00:00+08:00\nduration: 60\n---\n",
	"content/retros/a.md": `---
title: A
date: 2026-11-01
actions:
  - {what: a1, owner: 刘洋, due: 2026-11-20, status: open}
  - {what: a2, owner: 王磊, due: 2026-11-25, status: open}
  - {what: a3, owner: 陈静, due: 2026-11-25, status: open}
  - {what: a4, owner: 刘洋, status: open}
  - {what: a5, owner: 王磊, due: 2026-12-20, status: open}
  - {what: a6, owner: 许诺, due: 2026-11-10, status: done}
  - {what: a7, owner: 许诺, due: 2026-11-28, status: dropped}
---
`,
	"content/retros/b.md": `---
title: B
date: 2026-11-02
actions:
  - {what: b1, owner: 陈静, due: 2026-11-22, status: open}
  - {what: b2, owner: 刘洋, due: 2026-11-25, status: open}
---
`,
	"content/guides/old.md":   "---\ntitle: old\nowner: 许诺\nreviewed: 2026-08-01\nreview_every: 90d\n---\n",
	"content/guides/soon.md":  "---\ntitle: soon\nowner: 陈静\nreviewed: 2026-09-01\nreview_every: 90d\n---\n",
	"content/guides/later.md": "---\ntitle: later\nowner: 陈静\nreviewed: 2026-09-20\nreview_every: 90d\n---\n",
	"content/guides/far.md":   "---\ntitle: far\nowner: 刘洋\nreviewed: 2026-11-01\nreview_every: 180d\n---\n",
}

var clockBuilt = time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func buildAt(t *testing.T, now time.Time) *model.Site {
	t.Helper()
	dir := t.TempDir()
	for name, text := range clockSite {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := builder.Build(context.Background(), builder.Options{Site: dir, Now: now, NoGit: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Site
}

// board describes the overdue and open buckets as the reader sees them:
// owners in order, each with its actions.
func board(b *model.ActionBoard, shown func(key string, it model.BoardItem) bool) string {
	var parts []string
	for _, key := range []string{"overdue", "open"} {
		type group struct {
			owner string
			first int
			items []string
		}
		var groups []group
		for _, g := range b.Bucket(key).Owners {
			gr := group{owner: g.Owner, first: -1}
			for _, it := range g.Items {
				if shown(key, it) {
					if gr.first < 0 {
						gr.first = it.Seq
					}
					gr.items = append(gr.items, it.What)
				}
			}
			if gr.items != nil {
				groups = append(groups, gr)
			}
		}
		slices.SortStableFunc(groups, func(a, b group) int { return a.first - b.first }) // clock.js orderOwners
		var s []string
		for _, g := range groups {
			s = append(s, g.owner+":"+strings.Join(g.items, ","))
		}
		parts = append(parts, key+" "+strings.Join(s, " "))
	}
	return strings.Join(parts, " | ")
}

// stale lists the health report's stale pages by owner.
func stale(h *model.HealthReport, shown func(it model.StaleItem) bool) string {
	var s []string
	for _, g := range h.StaleByOwner {
		for _, it := range g.Pages {
			if shown(it) {
				s = append(s, g.Owner+":"+it.Path)
			}
		}
	}
	return strings.Join(s, " ")
}

// calendar lists upcoming and past sessions, each list in its order.
func calendar(weeksUp, weeksPast []model.SessionWeek, up, past func(*model.Page) bool) string {
	list := func(ws []model.SessionWeek, keep func(*model.Page) bool) string {
		var s []string
		for _, w := range ws {
			for _, p := range w.Sessions {
				if keep(p) {
					s = append(s, p.Title)
				}
			}
		}
		return strings.Join(s, ",")
	}
	return "upcoming " + list(weeksUp, up) + " | past " + list(weeksPast, past)
}

func TestReaderClockHasWhatItNeeds(t *testing.T) {
	built := buildAt(t, clockBuilt)
	b, h, c := built.ActionBoard(), built.Health(), built.TrainingCalendar()
	for _, later := range []time.Duration{0, 6 * time.Hour, 3 * 24 * time.Hour, 8 * 24 * time.Hour, 20 * 24 * time.Hour, 31 * 24 * time.Hour} {
		at := clockBuilt.Add(later)
		t.Run(fmt.Sprintf("%s later", later), func(t *testing.T) {
			then := buildAt(t, at)
			// The rules of clock.js, on what the build at clockBuilt wrote.
			gotBoard := board(b, func(key string, it model.BoardItem) bool {
				switch {
				case it.Due == nil:
					return it.Shown // undated: no date to move by
				case key == "overdue":
					return it.Due.Before(at) // data-shown-after
				}
				return !it.Due.Before(at) // data-shown-until
			})
			wantBoard := board(then.ActionBoard(), func(_ string, it model.BoardItem) bool { return it.Shown })
			if gotBoard != wantBoard {
				t.Errorf("action board redone at the reader's clock:\n%s\nbuilt that day:\n%s", gotBoard, wantBoard)
			}
			gotStale := stale(h, func(it model.StaleItem) bool { return it.Due.Before(at) })
			if want := stale(then.Health(), func(it model.StaleItem) bool { return it.Shown }); gotStale != want {
				t.Errorf("stale pages redone at the reader's clock: %q, built that day: %q", gotStale, want)
			}
			ended := func(p *model.Page) bool { return !p.SessionEnd().After(at) }
			gotCal := calendar(c.Upcoming, c.All, func(p *model.Page) bool { return !ended(p) }, ended)
			tc := then.TrainingCalendar()
			if want := calendar(tc.Upcoming, tc.Past, func(*model.Page) bool { return true }, func(*model.Page) bool { return true }); gotCal != want {
				t.Errorf("calendar redone at the reader's clock: %q, built that day: %q", gotCal, want)
			}
		})
	}
}

// TestBoardAtBuild pins down what the build itself shows, so the property
// above cannot pass by showing nothing at all.
func TestBoardAtBuild(t *testing.T) {
	s := buildAt(t, clockBuilt)
	shown := func(_ string, it model.BoardItem) bool { return it.Shown }
	if got, want := board(s.ActionBoard(), shown), "overdue 刘洋:a1 陈静:b1 | open 王磊:a2,a5 陈静:a3 刘洋:b2,a4"; got != want {
		t.Errorf("board at the build = %q, want %q", got, want)
	}
	h := s.Health()
	if got, want := stale(h, func(it model.StaleItem) bool { return it.Shown }), "许诺:guides/old"; got != want {
		t.Errorf("stale at the build = %q, want %q", got, want)
	}
	// soon (due 11-30) and later (due 12-19) are within the month after the
	// build and listed hidden; far (due 2027-04-30) is not listed.
	if got, want := stale(h, func(model.StaleItem) bool { return true }), "许诺:guides/old 陈静:guides/soon 陈静:guides/later"; got != want {
		t.Errorf("stale listed at the build = %q, want %q", got, want)
	}
	c := s.TrainingCalendar()
	if c.Next == nil || c.Next.Title != "二" || len(c.All) != 3 || !c.Current(c.Upcoming[0]) || c.Current(c.Upcoming[1]) {
		t.Errorf("calendar at the build: next %v, %d weeks in all, current week %v", c.Next, len(c.All), c.Upcoming[0].ID())
	}
}
