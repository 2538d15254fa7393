package content

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTypeFieldsSpelledAlike holds together what the compiler does not: the
// keys a type's decoding reads, the JSON names of its struct and the keys
// its API fields carry. A field renamed in one of them and not the others
// fails here, not on a reader's page.
func TestTypeFieldsSpelledAlike(t *testing.T) {
	structs := map[string]any{TypeScript: Script{}, TypeCase: Case{}, TypeCompetitor: Competitor{}, TypeTraining: Training{}, TypeRetro: Retro{}}
	for typ, k := range kinds {
		t.Run(typ, func(t *testing.T) {
			read := sorted(typeKeys[typ])
			if len(read) == 0 {
				t.Fatal("decoding reads no key")
			}
			if tags := jsonNames(structs[typ]); !slices.Equal(tags, read) {
				t.Errorf("struct's JSON names %v, decoding reads %v", tags, read)
			}
			p := parsed(t, typ)
			var api []string
			for key := range k.api(p, func(time.Time) *time.Time { return nil }) {
				if !slices.Contains(commonKeys, key) { // a case shows its industries too
					api = append(api, key)
				}
			}
			if api = sorted(api); !slices.Equal(api, read) {
				t.Errorf("API fields %v, decoding reads %v", api, read)
			}
		})
	}
}

func TestCommonKeysRead(t *testing.T) {
	for _, key := range []string{"title", "type", "slug", "aliases", "date", "tags", "owner", "review_every", "related"} {
		if !slices.Contains(commonKeys, key) {
			t.Errorf("commonKeys %v lacks %q", commonKeys, key)
		}
	}
	for typ, keys := range typeKeys {
		for _, key := range keys {
			if slices.Contains(commonKeys, key) {
				t.Errorf("%s key %q is a common key too", typ, key)
			}
		}
	}
}

func parsed(t *testing.T, typ string) *Page {
	t.Helper()
	p, errs := Parse(TypeSection(typ)+"/x.md", []byte("---\ntitle: x\n---\n"), &Rules{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return p
}

func jsonNames(v any) []string {
	var out []string
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return sorted(out)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
