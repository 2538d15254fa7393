package content

import (
	"regexp"
	"strings"
	"time"
)

// Case is a deal the team won, lost or is still working.
type Case struct {
	Customer    string    `json:"customer"`
	DealSize    float64   `json:"deal_size"`
	Currency    string    `json:"currency"`
	Outcome     string    `json:"outcome"`
	CycleDays   int       `json:"cycle_days"`
	Closed      time.Time `json:"closed"`
	Team        []string  `json:"team"`
	Products    []string  `json:"products"`
	Competitors []string  `json:"competitors"`
}

func decodeCase(d *decoder) *Case {
	c := &Case{
		Customer:    d.str("customer"),
		DealSize:    d.number("deal_size", 0, MaxDealSize),
		Currency:    strings.ToUpper(d.str("currency")),
		Outcome:     d.enum("outcome", Outcomes, "open"),
		CycleDays:   d.integer("cycle_days", 0, MaxCycleDays),
		Closed:      d.date("closed"),
		Team:        d.strs("team"),
		Products:    d.strs("products"),
		Competitors: d.refs("competitors"),
	}
	if c.Currency == "" {
		c.Currency = "CNY"
	} else if !currencyRE.MatchString(c.Currency) {
		d.fail("currency", KindWantCurrency, c.Currency)
	}
	return c
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// Outcomes are the allowed values of a case's outcome.
var Outcomes = []string{"won", "lost", "open"}

var caseKind = kind{
	decode: func(d *decoder, p *Page) { p.Case = decodeCase(d) },
	refs: func(p *Page, add refAdder) {
		if p.Case == nil {
			return
		}
		add("competitors", TypeCompetitor, p.Case.Competitors)
	},
	api: func(p *Page, at APITime) map[string]any {
		if p.Case == nil { // a page made by hand, not by Parse
			return map[string]any{}
		}
		c := p.Case
		return map[string]any{"customer": c.Customer, "industries": NonNil(p.Industries), "deal_size": c.DealSize,
			"currency": c.Currency, "outcome": c.Outcome, "cycle_days": c.CycleDays, "closed": at(c.Closed),
			"team": NonNil(c.Team), "products": NonNil(c.Products), "competitors": NonNil(c.Competitors)}
	},
}
