package builder_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/internal/synth"
)

// Serve's update after a save that edits one page's body, without the
// watcher and the event (cmd/benchsite measures those end to end):
//
//	go test ./builder -run '^$' -bench LiveBodyEdit -cpuprofile cpu.out
func BenchmarkLiveBodyEdit1k(b *testing.B)  { benchmarkLiveBodyEdit(b, 1000) }
func BenchmarkLiveBodyEdit10k(b *testing.B) { benchmarkLiveBodyEdit(b, 10000) }

func benchmarkLiveBodyEdit(b *testing.B, n int) {
	site := b.TempDir()
	if err := synth.Generate(site, n, "zh", 1); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	live, err := builder.NewLive(ctx, builder.Options{Site: site, Now: synth.Now, Drafts: true, Future: true})
	if err != nil {
		b.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(site, "content", "scripts", "*-*.md"))
	src, _ := os.ReadFile(pages[0])
	i := 0
	for b.Loop() {
		i++
		os.WriteFile(pages[0], fmt.Appendf(src, "\n\n第 %d 次修改。\n", i), 0o644)
		kind, err := live.Update(ctx, []string{pages[0]})
		if err != nil || kind != builder.ChangeBody {
			b.Fatalf("update: %s, %v", kind, err)
		}
	}
}
