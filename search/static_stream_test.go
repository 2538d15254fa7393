package search

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// ExportStaticTo hands over every listed file once, in the listed order,
// so that a writer taking them in that order never waits on a file held
// back while others pile up (builder/staticsearch.go).
func TestExportStaticToStreamsListedOrder(t *testing.T) {
	idx := fixtureIndex(t)
	var got []string
	err := idx.ExportStaticTo(context.Background(), func(name string, data []byte) error {
		if len(data) == 0 {
			t.Errorf("%s: empty file", name)
		}
		got = append(got, name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := StaticFiles(len(fixtureDocs)); !slices.Equal(got, want) {
		t.Errorf("exported %d files in this order:\n%q\nlisted %d:\n%q", len(got), got, len(want), want)
	}
}

// The first error of put ends the export with that error, whether the
// pages' records (made on their own goroutine) or the postings met it, and
// no file comes after.
func TestExportStaticToStopsAtPutError(t *testing.T) {
	idx := fixtureIndex(t)
	n := len(StaticFiles(len(fixtureDocs)))
	for _, failAt := range []int{1, 3, n} {
		stop := errors.New("disk full")
		calls, returned := 0, false
		err := idx.ExportStaticTo(context.Background(), func(name string, data []byte) error {
			if returned {
				t.Errorf("fail at %d: %s handed over after the export returned", failAt, name)
			}
			if calls++; calls == failAt {
				return stop
			}
			if calls > failAt {
				t.Errorf("fail at %d: %s handed over after put failed", failAt, name)
			}
			return nil
		})
		returned = true
		if !errors.Is(err, stop) {
			t.Errorf("fail at %d: got %v, want put's error", failAt, err)
		}
	}
}
