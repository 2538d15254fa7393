package content

import (
	"fmt"
	"time"
)

// Retro is a retrospective with its chain of whys and actions.
type Retro struct {
	Period       string   `json:"period"`
	Facilitator  string   `json:"facilitator"`
	Participants []string `json:"participants"`
	Wins         []string `json:"wins"`
	Problems     []string `json:"problems"`
	Whys         []string `json:"whys"`
	Actions      []Action `json:"actions"`
}

// Action is one follow-up of a retro.
type Action struct {
	What   string    `json:"what"`
	Owner  string    `json:"owner"`
	Due    time.Time `json:"due"`
	Status string    `json:"status"`
	Line   int       `json:"-"`
}

func decodeRetro(d *decoder) *Retro {
	r := &Retro{
		Period:       d.str("period"),
		Facilitator:  d.str("facilitator"),
		Participants: d.strs("participants"),
		Wins:         d.strs("wins"),
		Problems:     d.strs("problems"),
		Whys:         d.strs("whys"),
	}
	for i, item := range d.list("actions") {
		at := fmt.Sprintf("actions[%d]", i+1)
		unknownFields(d, at, item, "what", "owner", "due", "status")
		a := Action{Line: d.line(at), Status: "open"}
		what, ok := d.scalar(at+".what", item["what"])
		if a.What = what; ok && what == "" {
			d.fail(at+".what", KindWhatRequired)
		}
		a.Owner, _ = d.scalar(at+".owner", item["owner"])
		if v, ok := item["due"]; ok && v != nil {
			a.Due = d.dateValue(at+".due", v)
		}
		if s, _ := d.scalar(at+".status", item["status"]); s != "" {
			a.Status = d.enumValue(at+".status", s, Statuses)
		}
		r.Actions = append(r.Actions, a)
	}
	return r
}

// Statuses are the allowed values of a retro action's status.
var Statuses = []string{"open", "done", "dropped"}

var retroKind = kind{
	decode: func(d *decoder, p *Page) { p.Retro = decodeRetro(d) },
	api: func(p *Page, at APITime) map[string]any {
		if p.Retro == nil { // a page made by hand, not by Parse
			return map[string]any{}
		}
		r := p.Retro
		actions := make([]map[string]any, 0, len(r.Actions))
		for _, a := range r.Actions {
			actions = append(actions, map[string]any{"what": a.What, "owner": a.Owner, "due": at(a.Due), "status": a.Status})
		}
		return map[string]any{"period": r.Period, "facilitator": r.Facilitator, "participants": NonNil(r.Participants),
			"wins": NonNil(r.Wins), "problems": NonNil(r.Problems), "whys": NonNil(r.Whys), "actions": actions}
	},
}
