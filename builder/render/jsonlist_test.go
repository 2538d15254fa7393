package render

import (
	"bytes"
	"testing"
)

// TestWriteJSONListSameBytes: pages.json is written item by item, and must
// be byte for byte what encoding the whole list writes.
func TestWriteJSONListSameBytes(t *testing.T) {
	type item struct {
		Name   string         `json:"name"`
		List   []string       `json:"list"`
		Fields map[string]any `json:"fields"`
		Empty  []int          `json:"empty"`
	}
	tests := []struct {
		name  string
		items []item
	}{
		{"empty", []item{}},
		{"nil", nil},
		{"one", []item{{Name: "<a & b>", List: []string{"x"}, Fields: map[string]any{"k": []any{1, map[string]any{"n": "v"}}}}}},
		{"several", []item{{Name: "一"}, {Name: "二", List: []string{}}, {Fields: map[string]any{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := writeJSON(&want, tt.items); err != nil {
				t.Fatal(err)
			}
			if err := writeJSONList(&got, tt.items); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("got\n%s\nwant\n%s", got.String(), want.String())
			}
		})
	}
}
