package markdown

// Benchmarks of the pathological inputs of internal/synth (HostileInputs):
// the shapes that made a page take minutes or gigabytes before the limits
// of limits.go and the linear rewrites of goldmark's steps. Each renders
// 1 MB; ns/op is the time per MB, B/op the memory per MB:
//
//	go test ./builder/markdown -run '^$' -bench Hostile -benchmem
//
// The builder's TestHostilePagesBuild builds them at the page size limit.

import (
	"testing"

	"github.com/playbook-sales/playbook/internal/synth"
)

func BenchmarkHostile(b *testing.B) {
	r := New(Options{})
	for _, h := range synth.HostileInputs {
		src := h.Body(1 << 20)
		b.Run(h.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Render(src, testResolver); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
