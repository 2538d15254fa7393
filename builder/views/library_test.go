package views

import (
	"reflect"
	"testing"

	"github.com/playbook-sales/playbook/builder/content"
)

func deal(path, outcome string, size float64, currency string, cycle int) *content.Page {
	return &content.Page{Path: path, Type: content.TypeCase, Case: &content.Case{Outcome: outcome, DealSize: size, Currency: currency, CycleDays: cycle}}
}

func TestTotals(t *testing.T) {
	tests := []struct {
		name  string
		pages []*content.Page
		want  CaseTotals
	}{
		{"none", nil, CaseTotals{}},
		{"odd count: the middle cycle", []*content.Page{
			deal("cases/a", "won", 480000, "CNY", 95),
			deal("cases/b", "won", 120000, "CNY", 30),
			deal("cases/c", "lost", 900000, "CNY", 200),
		}, CaseTotals{Cases: 3, Won: 2, Lost: 1, WonValue: []Money{{"CNY", 600000}}, MedianCycle: 95, CycleCases: 3}},
		{"even count: the mean of the middle two; open cases give no cycle and no value", []*content.Page{
			deal("cases/a", "won", 480000, "CNY", 95),
			deal("cases/b", "lost", 120000, "CNY", 40),
			deal("cases/c", "open", 5000000, "CNY", 1000),
			deal("cases/d", "won", 0, "CNY", 0), // no size, no cycle: counted as won only
		}, CaseTotals{Cases: 4, Won: 2, Lost: 1, Open: 1, WonValue: []Money{{"CNY", 480000}}, MedianCycle: 67.5, CycleCases: 2}},
		{"currencies are summed apart, largest first", []*content.Page{
			deal("cases/a", "won", 86000, "USD", 71),
			deal("cases/b", "won", 1280000, "CNY", 186),
			deal("cases/c", "won", 14000, "USD", 10),
		}, CaseTotals{Cases: 3, Won: 3, WonValue: []Money{{"CNY", 1280000}, {"USD", 100000}}, MedianCycle: 71, CycleCases: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Totals(tt.pages); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Totals =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestDealBand(t *testing.T) {
	for size, want := range map[float64]string{0: "", 99999: "s", 100000: "m", 499999.5: "m", 500000: "l", 999999: "l", 1000000: "xl", 3e7: "xl"} {
		if got := DealBand(size); got != want {
			t.Errorf("DealBand(%v) = %q, want %q", size, got, want)
		}
	}
}

func script(path, channel string, stages ...string) *content.Page {
	return &content.Page{Path: path, Type: content.TypeScript, Stages: stages, Script: &content.Script{Channel: channel}}
}

func TestScriptLibrary(t *testing.T) {
	stages := []content.Choice{{Key: "contact"}, {Key: "proposal"}, {Key: "negotiation"}}
	pages := []*content.Page{
		script("scripts/price", "visit", "negotiation", "proposal"), // earliest stage wins: proposal
		script("scripts/budget", "email", "negotiation"),
		script("scripts/call", "phone", "negotiation"),
		script("scripts/open", "phone", "contact"),
		script("scripts/misc", "", "unknown-stage"),
		script("scripts/demo", "phone", "proposal"),
		caseOf("cases/a", "won"), // not a script
	}
	type group struct {
		Stage    string
		Channels map[string][]string
		Order    []string
	}
	var got []group
	for _, g := range ScriptLibrary(pages, stages) {
		gg := group{Stage: g.Stage, Channels: map[string][]string{}}
		for _, c := range g.Channels {
			gg.Order = append(gg.Order, c.Channel)
			for _, p := range c.Pages {
				gg.Channels[c.Channel] = append(gg.Channels[c.Channel], p.Path)
			}
		}
		got = append(got, gg)
	}
	want := []group{
		{"contact", map[string][]string{"phone": {"scripts/open"}}, []string{"phone"}},
		{"proposal", map[string][]string{"phone": {"scripts/demo"}, "visit": {"scripts/price"}}, []string{"phone", "visit"}},
		{"negotiation", map[string][]string{"phone": {"scripts/call"}, "email": {"scripts/budget"}}, []string{"phone", "email"}},
		{"", map[string][]string{"": {"scripts/misc"}}, []string{""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ScriptLibrary =\n%+v\nwant\n%+v", got, want)
	}
}
