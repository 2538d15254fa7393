package content

// Script is a talk track for one objection or moment of the sale.
type Script struct {
	Channel   string `json:"channel"`
	Objection string `json:"objection"`
}

func decodeScript(d *decoder) *Script {
	return &Script{
		Channel:   d.enum("channel", Channels, ""),
		Objection: d.str("objection"),
	}
}

// Channels are the allowed values of a script's channel, in display order.
var Channels = []string{"phone", "email", "visit", "im", "meeting"}

var scriptKind = kind{
	decode: func(d *decoder, p *Page) { p.Script = decodeScript(d) },
	api: func(p *Page, _ APITime) map[string]any {
		if p.Script == nil { // a page made by hand, not by Parse
			return map[string]any{}
		}
		return map[string]any{"channel": p.Script.Channel, "objection": p.Script.Objection}
	},
}
