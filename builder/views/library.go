package views

import (
	"cmp"
	"slices"

	"github.com/playbook-sales/playbook/builder/content"
)

// Deal-size bands of the case library's filter. The bounds are plain
// numbers in the case's own currency: a team sells in one currency almost
// always, and a band is a filter, not a report.
const (
	DealSmall  = "s"  // under 100,000
	DealMedium = "m"  // 100,000 to under 500,000
	DealLarge  = "l"  // 500,000 to under 1,000,000
	DealHuge   = "xl" // 1,000,000 and more
)

// DealBands are the bands in ascending order.
var DealBands = []string{DealSmall, DealMedium, DealLarge, DealHuge}

// DealBand returns the band of a deal size, or "" for a case without one.
func DealBand(size float64) string {
	switch {
	case size <= 0:
		return ""
	case size < 100_000:
		return DealSmall
	case size < 500_000:
		return DealMedium
	case size < 1_000_000:
		return DealLarge
	}
	return DealHuge
}

// Money is an amount in one currency.
type Money struct {
	Currency string
	Amount   float64
}

// CaseTotals sums up a list of cases for the head of the case library.
type CaseTotals struct {
	Cases, Won, Lost, Open int
	WonValue               []Money // deal sizes of the won cases, one entry per currency, largest first
	MedianCycle            float64 // median cycle_days of the decided cases that give one; 0 with none
	CycleCases             int     // how many cases MedianCycle is taken over
}

// Totals computes the case library's totals. Open cases count but give no
// cycle: their cycle has not ended.
func Totals(pages []*content.Page) CaseTotals {
	var t CaseTotals
	won := map[string]float64{}
	var cycles []int
	for _, p := range pages {
		c := p.Case
		if c == nil || p.IsSection {
			continue
		}
		t.Cases++
		switch c.Outcome {
		case "won":
			t.Won++
			if c.DealSize > 0 {
				won[c.Currency] += c.DealSize
			}
		case "lost":
			t.Lost++
		default:
			t.Open++
		}
		if c.Outcome != "open" && c.CycleDays > 0 {
			cycles = append(cycles, c.CycleDays)
		}
	}
	for cur, v := range won {
		t.WonValue = append(t.WonValue, Money{Currency: cur, Amount: v})
	}
	slices.SortFunc(t.WonValue, func(a, b Money) int {
		return cmp.Or(cmp.Compare(b.Amount, a.Amount), cmp.Compare(a.Currency, b.Currency))
	})
	t.MedianCycle, t.CycleCases = median(cycles), len(cycles)
	return t
}

// median of whole numbers; the mean of the middle two for an even count.
func median(v []int) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}

// ScriptStage is one stage of the script library with its scripts by channel.
type ScriptStage struct {
	Stage    string // stage key; "" for scripts without a stage
	Channels []ScriptChannel
	Count    int
}

// ScriptChannel is the scripts of one stage and channel, in list order.
type ScriptChannel struct {
	Channel string // "" for scripts without a channel
	Pages   []*content.Page
}

// ScriptLibrary groups scripts by stage in the configured process order,
// then by channel. A script sits under the earliest of its stages, so the
// library lists it once (its page names the others); scripts without a
// known stage come last. pages keep their order within a group.
func ScriptLibrary(pages []*content.Page, stages []content.Choice) []ScriptStage {
	rank := map[string]int{}
	for i, s := range stages {
		rank[s.Key] = i
	}
	groups := make([]ScriptStage, len(stages)+1)
	for i, s := range stages {
		groups[i].Stage = s.Key
	}
	for _, p := range pages {
		if p.Script == nil || p.IsSection {
			continue
		}
		g := len(stages)
		for _, s := range p.Stages {
			if r, ok := rank[s]; ok && r < g {
				g = r
			}
		}
		groups[g].add(p)
	}
	var out []ScriptStage
	for _, g := range groups {
		if g.Count > 0 {
			slices.SortStableFunc(g.Channels, func(a, b ScriptChannel) int {
				return cmp.Compare(channelRank(a.Channel), channelRank(b.Channel))
			})
			out = append(out, g)
		}
	}
	return out
}

func (g *ScriptStage) add(p *content.Page) {
	g.Count++
	for i := range g.Channels {
		if g.Channels[i].Channel == p.Script.Channel {
			g.Channels[i].Pages = append(g.Channels[i].Pages, p)
			return
		}
	}
	g.Channels = append(g.Channels, ScriptChannel{Channel: p.Script.Channel, Pages: []*content.Page{p}})
}

// channelRank orders the contract's channels first, then any other, then none.
func channelRank(c string) int {
	if i := slices.Index(content.Channels, c); i >= 0 {
		return i
	}
	if c == "" {
		return len(content.Channels) + 1
	}
	return len(content.Channels)
}
