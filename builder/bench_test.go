package builder_test

// Build benchmarks on synthetic sites (internal/synth). Each benchmark
// generates its site once, outside the timer, and then builds it again and
// again into the same destination, as a rebuild does:
//
//	go test ./builder -run '^$' -bench Build -benchtime 3x
//	go test ./builder -run '^$' -bench Build10k -benchtime 1x -cpuprofile cpu.out -memprofile mem.out
//
// `make bench` measures the playbook binary instead (bench/, `make bench`).

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/internal/synth"
)

func BenchmarkBuild1k(b *testing.B)  { benchmarkBuild(b, 1000, "zh") }
func BenchmarkBuild10k(b *testing.B) { benchmarkBuild(b, 10000, "zh") }

func benchmarkBuild(b *testing.B, n int, lang string) {
	site := b.TempDir()
	if err := synth.Generate(site, n, lang, 1); err != nil {
		b.Fatal(err)
	}
	dest := filepath.Join(b.TempDir(), "public")
	o := builder.Options{Site: site, Dest: dest, Now: synth.Now}
	want := synth.Expected(n)
	b.ReportAllocs()
	builds := 0
	for b.Loop() { // b.Loop starts the timer here: the generation above is not timed
		res, err := builder.Build(context.Background(), o)
		if err != nil {
			b.Fatal(err)
		}
		if res.Hidden != want.Hidden {
			b.Fatalf("built with %d hidden pages, want %d", res.Hidden, want.Hidden)
		}
		builds++
	}
	b.ReportMetric(float64(n*builds)/b.Elapsed().Seconds(), "pages/s")
}
