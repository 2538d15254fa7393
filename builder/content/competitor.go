package content

// Competitor is a battlecard.
type Competitor struct {
	Name       string   `json:"competitor"`
	Website    string   `json:"website"`
	Segment    string   `json:"segment"`
	Pricing    string   `json:"pricing"`
	Strengths  []string `json:"strengths"`
	Weaknesses []string `json:"weaknesses"`
	OurEdge    []string `json:"our_edge"`
	Traps      []string `json:"traps"`
}

func decodeCompetitor(d *decoder, title string) *Competitor {
	c := &Competitor{
		Name:       d.str("competitor"),
		Website:    d.website("website"),
		Segment:    d.str("segment"),
		Pricing:    d.str("pricing"),
		Strengths:  d.strs("strengths"),
		Weaknesses: d.strs("weaknesses"),
		OurEdge:    d.strs("our_edge"),
		Traps:      d.strs("traps"),
	}
	if c.Name == "" {
		c.Name = title
	}
	return c
}

var competitorKind = kind{
	decode: func(d *decoder, p *Page) { p.Competitor = decodeCompetitor(d, p.Title) },
	api: func(p *Page, _ APITime) map[string]any {
		if p.Competitor == nil { // a page made by hand, not by Parse
			return map[string]any{}
		}
		c := p.Competitor
		return map[string]any{"competitor": c.Name, "website": c.Website, "segment": c.Segment, "pricing": c.Pricing,
			"strengths": NonNil(c.Strengths), "weaknesses": NonNil(c.Weaknesses), "our_edge": NonNil(c.OurEdge), "traps": NonNil(c.Traps)}
	},
}
