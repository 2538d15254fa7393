package misses

import (
	"bytes"
	"testing"
)

// FuzzParse: whatever a log holds — a collector's own format, a torn
// write, binary junk — reading it never fails, and every event read is a
// miss event whose query is already in its counting form's domain.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"time":"2026-11-20T01:00:00Z","query":"嫌贵","count":0,"relaxed":false}`,
		`{"time":"2026-11-20T01:00:00Z","query":" 便宜点 ","count":2,"relaxed":true,"ip":"10.0.0.1"}` + "\n\n" + `{"time":1}`,
		`{"time":"2026-11-20T01:00:00Z","query":"\u200b\u0000","count":0}`,
		"\xff\xfe{\"query\":\"x\"}\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		events, skipped := parse(data)
		lines := bytes.Count(data, []byte("\n")) + 1
		if len(events)+skipped > lines {
			t.Fatalf("%d events and %d skipped from %d lines", len(events), skipped, lines)
		}
		for _, e := range events {
			if err := e.Check(); err != nil {
				t.Fatalf("read an event that is no miss: %+v: %v", e, err)
			}
			if k := Key(e.Query); k == "" || Key(k) != k {
				t.Fatalf("Key(%q) = %q, not a fixed point", e.Query, k)
			}
		}
	})
}
