package views

import (
	"reflect"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
)

var shanghai = time.FixedZone("CST", 8*3600)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func caseOf(path, outcome string, competitors ...string) *content.Page {
	return &content.Page{Path: path, Type: content.TypeCase, Case: &content.Case{Outcome: outcome, Competitors: competitors}}
}

func battlecard(path, name string) *content.Page {
	return &content.Page{Path: path, Type: content.TypeCompetitor, Competitor: &content.Competitor{Name: name}}
}

func TestCompetitorsWinRate(t *testing.T) {
	pages := []*content.Page{
		battlecard("competitors/star", "星图"), battlecard("competitors/gull", "海鸥"), battlecard("competitors/none", "无案例"),
		caseOf("cases/a", "won", "competitors/star"),
		caseOf("cases/b", "lost", "competitors/star", "competitors/gull"),
		caseOf("cases/c", "won", "competitors/star", "competitors/star"), // named twice: counted once
		caseOf("cases/d", "open", "competitors/star", "competitors/gull"),
	}
	got := Competitors(pages)
	rate := func(f float64) *float64 { return &f }
	want := []CompetitorStat{
		{Path: "competitors/gull", Name: "海鸥", Won: 0, Lost: 1, Open: 1, WinRate: rate(0), Cases: []string{"cases/b", "cases/d"}},
		{Path: "competitors/none", Name: "无案例", Cases: []string{}},
		{Path: "competitors/star", Name: "星图", Won: 2, Lost: 1, Open: 1, WinRate: rate(2.0 / 3), Cases: []string{"cases/a", "cases/b", "cases/c", "cases/d"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Competitors =\n%+v\nwant\n%+v", got, want)
	}
	if got[1].WinRate != nil {
		t.Errorf("a battlecard without decided cases has win rate %v, want null", *got[1].WinRate)
	}
}

// An open case names the competitor but never moves its win rate.
func TestOpenCaseDoesNotChangeWinRate(t *testing.T) {
	base := []*content.Page{battlecard("competitors/star", "星图"), caseOf("cases/a", "won", "competitors/star"), caseOf("cases/b", "lost", "competitors/star")}
	before := *Competitors(base)[0].WinRate
	after := Competitors(append(base, caseOf("cases/c", "open", "competitors/star")))[0]
	if *after.WinRate != before || after.Open != 1 {
		t.Errorf("win rate %v → %v with an open case (open=%d)", before, *after.WinRate, after.Open)
	}
}

func TestActionsOverdueFirst(t *testing.T) {
	now := day("2026-11-23")
	retro := &content.Page{Path: "retros/q3", Type: content.TypeRetro, Retro: &content.Retro{Actions: []content.Action{
		{What: "done late", Due: day("2026-10-01"), Status: "done"},
		{What: "open later", Due: day("2026-12-01"), Status: "open"},
		{What: "overdue", Due: day("2026-11-01"), Status: "open"},
		{What: "due today counts as not yet overdue", Due: now, Status: "open"},
		{What: "dropped", Status: "dropped"},
		{What: "open undated", Status: "open"},
	}}}
	got := Actions([]*content.Page{retro}, now)
	var order []string
	for _, a := range got {
		order = append(order, a.What)
		if a.Retro != "retros/q3" {
			t.Errorf("%s: retro = %q", a.What, a.Retro)
		}
	}
	want := []string{"overdue", "due today counts as not yet overdue", "open later", "open undated", "done late", "dropped"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("order = %q, want %q", order, want)
	}
	if !got[0].Overdue || got[1].Overdue || got[4].Overdue {
		t.Errorf("overdue flags wrong: %+v", got)
	}
}

func TestReport(t *testing.T) {
	now := day("2026-11-23")
	pages := []*content.Page{
		{Path: "scripts/old", Type: content.TypeScript, Owner: "王磊", Reviewed: day("2026-01-01"), ReviewEvery: 90, Stages: []string{"negotiation"}},
		{Path: "scripts/fresh", Type: content.TypeScript, Owner: "陈静", Reviewed: day("2026-11-01"), ReviewEvery: 90, Stages: []string{"negotiation", "closing"}},
		{Path: "guides/nobody", Type: content.TypePage},
		{Path: "training/t", Type: content.TypeTraining, Owner: "刘洋", Training: &content.Training{}},
	}
	stages := []content.Choice{{Key: "negotiation"}, {Key: "closing"}, {Key: "renewal"}}
	h := Report(pages, now, stages, map[string]int{"scripts/old": 2, "training/t": 1})
	if len(h.Stale) != 1 || h.Stale[0].Path != "scripts/old" || !h.Stale[0].Due.Equal(day("2026-04-01")) {
		t.Errorf("stale = %+v", h.Stale)
	}
	if !reflect.DeepEqual(h.Ownerless, []string{"guides/nobody"}) {
		t.Errorf("ownerless = %q", h.Ownerless)
	}
	if !reflect.DeepEqual(h.Orphans, []string{"guides/nobody", "scripts/fresh"}) {
		t.Errorf("orphans = %q", h.Orphans)
	}
	if h.Coverage["negotiation"]["script"] != 2 || h.Coverage["closing"]["script"] != 1 || h.Coverage["renewal"]["case"] != 0 {
		t.Errorf("coverage = %v", h.Coverage)
	}
	if _, ok := h.Coverage["renewal"]["training"]; !ok {
		t.Errorf("empty cells must be present as 0: %v", h.Coverage["renewal"])
	}
	if !reflect.DeepEqual(h.TrainingWithoutQuiz, []string{"training/t"}) {
		t.Errorf("training without quiz = %q", h.TrainingWithoutQuiz)
	}
}

// Tracks come in prerequisite order — through modules outside the track
// too — not in date or file order; ties go to the earlier session.
func TestCalendarTrackOrder(t *testing.T) {
	mod := func(path, title, session string, tracks []string, pre ...string) *content.Page {
		return &content.Page{Path: path, Title: title, Type: content.TypeTraining, Training: &content.Training{
			Session: day(session), Duration: 60, Tracks: tracks, Prerequisites: pre}}
	}
	onboarding := []string{"新人入职"}
	pages := []*content.Page{
		mod("training/c", "C 谈判", "2026-10-02", onboarding, "training/x"), // earliest date, but needs B via X
		mod("training/x", "X 课外", "2026-10-09", nil, "training/b"),
		mod("training/b", "B 流程", "2026-10-30", onboarding, "training/a"),
		mod("training/a", "A 产品", "2026-10-23", onboarding),
		mod("training/d", "D 独立", "2026-10-16", onboarding),
	}
	got := Calendar(pages)
	want := []string{"training/d", "training/a", "training/b", "training/c"}
	if !reflect.DeepEqual(got.Tracks["新人入职"], want) {
		t.Errorf("track = %q, want %q", got.Tracks["新人入职"], want)
	}
	if len(got.Sessions) != 5 || got.Sessions[0].Path != "training/c" || !got.Sessions[0].End.Equal(day("2026-10-02").Add(time.Hour)) {
		t.Errorf("sessions = %+v", got.Sessions)
	}
}
