package content

import (
	"time"
)

// kind is what a content type adds to the fields every page has, kept in
// the type's own file (case.go, …) beside its struct: decode reads its keys
// — the one place they are spelled, typeKeys is derived from it — refs names
// the pages its fields point at, and api gives its fields as the JSON API
// shows them, keyed as in front matter.
type kind struct {
	decode func(d *decoder, p *Page)
	refs   func(p *Page, add refAdder) // nil: the type references nothing
	api    func(p *Page, at APITime) map[string]any
}

// refAdder records the references paths, held by key, to pages of type want
// ("" for any).
type refAdder func(key, want string, paths []string)

// APITime gives a date as the API shows it: in the site's zone, or nil
// (null) when unset.
type APITime func(time.Time) *time.Time

// kinds are the types with fields of their own; TypePage has none.
var kinds = map[string]kind{
	TypeScript:     scriptKind,
	TypeCase:       caseKind,
	TypeCompetitor: competitorKind,
	TypeTraining:   trainingKind,
	TypeRetro:      retroKind,
}

// commonKeys are the fields every page has and typeKeys those of each type
// beyond them, each in the order decoding reads them: derived by decoding an
// empty front matter, so a key is spelled only where it is read.
var commonKeys, typeKeys = keysRead()

func keysRead() (common []string, byType map[string][]string) {
	read := func(decode func(d *decoder, p *Page), typ string) []string {
		d := &decoder{m: &matter{values: map[string]any{}, lines: map[string]int{}}, rules: &Rules{}, known: map[string]bool{}}
		decode(d, &Page{Type: typ})
		return d.order
	}
	common = read(decodeCommon, TypePage)
	byType = map[string][]string{}
	for t, k := range kinds {
		byType[t] = read(k.decode, t)
	}
	return common, byType
}

// TypeFields are the fields of the page's own type as the API shows them,
// keyed as in front matter; empty for a plain page.
func (p *Page) TypeFields(at APITime) map[string]any {
	if k, ok := kinds[p.Type]; ok {
		return k.api(p, at)
	}
	return map[string]any{}
}

// NonNil is v, or an empty list for nil: the API writes [] rather than null.
func NonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
