package views

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/playbook-sales/playbook/builder/content"
)

func TestRelated(t *testing.T) {
	star := battlecard("competitors/star", "星图")
	bank := caseOf("cases/bank", "won", "competitors/star")
	bank.Industries = []string{"金融"}
	insure := caseOf("cases/insure", "lost", "competitors/star")
	insure.Industries = []string{"金融"}
	other := caseOf("cases/other", "won")
	other.Industries = []string{"金融"}
	price := &content.Page{Path: "scripts/price", Type: content.TypeScript, Script: &content.Script{}, Stages: []string{"negotiation"}, Tags: []string{"价格"}}
	budget := &content.Page{Path: "scripts/budget", Type: content.TypeScript, Script: &content.Script{}, Stages: []string{"negotiation"}, Tags: []string{" 价格 "}}
	onlyRole := &content.Page{Path: "guides/role", Roles: []string{"rep"}}
	onlyRole2 := &content.Page{Path: "guides/role2", Roles: []string{"rep"}}
	named := &content.Page{Path: "scripts/named", Script: &content.Script{}, Stages: []string{"negotiation"}}
	price.Related = []string{"scripts/named"}
	section := &content.Page{Path: "cases/_index", IsSection: true, Industries: []string{"金融"}}
	pages := []*content.Page{star, bank, insure, other, price, budget, onlyRole, onlyRole2, named, section}

	got := Related(pages, 5, nil)
	want := map[string][]Match{
		// A battlecard names its own competitor: the cases naming it come first.
		"competitors/star": {{"cases/bank", 5, []string{"competitor"}}, {"cases/insure", 5, []string{"competitor"}}},
		"cases/bank":       {{"cases/insure", 8, []string{"competitor", "industry"}}, {"competitors/star", 5, []string{"competitor"}}, {"cases/other", 3, []string{"industry"}}},
		"cases/insure":     {{"cases/bank", 8, []string{"competitor", "industry"}}, {"competitors/star", 5, []string{"competitor"}}, {"cases/other", 3, []string{"industry"}}},
		"cases/other":      {{"cases/bank", 3, []string{"industry"}}, {"cases/insure", 3, []string{"industry"}}}, // a tie: by path
		// Tags compare without case or spaces; a page named in "related" is left to that list.
		"scripts/price":  {{"scripts/budget", 4, []string{"stage", "tag"}}},
		"scripts/budget": {{"scripts/price", 4, []string{"stage", "tag"}}, {"scripts/named", 2, []string{"stage"}}},
		"scripts/named":  {{"scripts/budget", 2, []string{"stage"}}, {"scripts/price", 2, []string{"stage"}}},
		// A shared role alone is below the threshold; sections are never related.
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Related =\n%s\nwant\n%s", fmt.Sprint(got), fmt.Sprint(want))
	}
}

// Pages the caller already shows (here: the pages linking to it) make room
// for the next best.
func TestRelatedSkipsShownPages(t *testing.T) {
	var pages []*content.Page
	for _, p := range []string{"cases/a", "cases/b", "cases/c"} {
		pages = append(pages, &content.Page{Path: p, Industries: []string{"金融"}})
	}
	links := map[string]string{"cases/a": "cases/b"} // b links to a
	got := Related(pages, 5, func(page, other string) bool { return links[page] == other })
	if want := []Match{{"cases/c", 3, []string{"industry"}}}; !reflect.DeepEqual(got["cases/a"], want) {
		t.Errorf("related of cases/a = %v, want %v (b links to it already)", got["cases/a"], want)
	}
	if len(got["cases/b"]) != 2 {
		t.Errorf("related of cases/b = %v, want a and c: a is not shown on b", got["cases/b"])
	}
}

func TestRelatedCapAndDeterminism(t *testing.T) {
	var pages []*content.Page
	for i := 9; i >= 0; i-- { // given in reverse: order must not matter
		pages = append(pages, &content.Page{Path: fmt.Sprintf("guides/%02d", i), Industries: []string{"金融"}})
	}
	got := Related(pages, 3, nil)["guides/05"]
	want := []Match{{"guides/00", 3, []string{"industry"}}, {"guides/01", 3, []string{"industry"}}, {"guides/02", 3, []string{"industry"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Related capped at 3 = %v, want %v", got, want)
	}
}

// BenchmarkRelated10k ranks the related pages of 10,000 pages whose fields
// repeat as a large knowledge base's do: few stages and competitors shared
// by thousands of pages, more industries and tags.
//
//	go test ./builder/views -run '^$' -bench Related
func BenchmarkRelated10k(b *testing.B) {
	stages := []string{"prospecting", "contact", "discovery", "proposal", "negotiation", "closing", "onboarding", "renewal"}
	var pages []*content.Page
	for i := range 10000 {
		p := &content.Page{
			Path:       fmt.Sprintf("pages/%05d", i),
			Stages:     []string{stages[i%8], stages[(i/8)%8]},
			Industries: []string{fmt.Sprintf("行业%d", i%20)},
			Tags:       []string{fmt.Sprintf("标签%d", i%50), fmt.Sprintf("标签%d", i%37)},
			Roles:      []string{"rep"},
		}
		if i%4 == 0 {
			p.Case = &content.Case{Competitors: []string{fmt.Sprintf("competitors/%d", i%6)}, Customer: fmt.Sprintf("客户%d", i%900)}
		}
		pages = append(pages, p)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := Related(pages, 5, nil); len(got) != len(pages) {
			b.Fatalf("%d pages with related pages, want %d", len(got), len(pages))
		}
	}
}
