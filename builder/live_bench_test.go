package builder_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/internal/synth"
)

// Serve's update after each kind of save, without the watcher and the
// event (bench/ measures those end to end):
//
//	go test ./builder -run '^$' -bench 'Live.*10k' -cpuprofile cpu.out
func BenchmarkLiveBodyEdit1k(b *testing.B)         { benchmarkLive(b, 1000, bodyEdit) }
func BenchmarkLiveBodyEdit10k(b *testing.B)        { benchmarkLive(b, 10000, bodyEdit) }
func BenchmarkLiveFrontMatterEdit10k(b *testing.B) { benchmarkLive(b, 10000, frontMatterEdit) }
func BenchmarkLiveNewPage10k(b *testing.B)         { benchmarkLive(b, 10000, newPage) }
func BenchmarkLiveRename10k(b *testing.B)          { benchmarkLive(b, 10000, renamePage) }
func BenchmarkLiveNewPage1k(b *testing.B)          { benchmarkLive(b, 1000, newPage) }

// A save: it changes files of the site and returns them, with the kind of
// update it must take.
type saveKind func(b *testing.B, page string, src []byte, i int) ([]string, builder.Change)

func bodyEdit(b *testing.B, page string, src []byte, i int) ([]string, builder.Change) {
	write(b, page, fmt.Appendf(bytes.Clone(src), "\n\n第 %d 次修改。\n", i))
	return []string{page}, builder.ChangeBody
}

func frontMatterEdit(b *testing.B, page string, src []byte, i int) ([]string, builder.Change) {
	write(b, page, bytes.Replace(src, []byte("title: "), fmt.Appendf(nil, "title: 第%d版 ", i), 1))
	return []string{page}, builder.ChangePages
}

// newPage adds a page on even saves and deletes it on odd ones.
func newPage(b *testing.B, page string, src []byte, i int) ([]string, builder.Change) {
	added := filepath.Join(filepath.Dir(page), "new-page.md")
	if i%2 == 0 {
		os.Remove(added)
	} else {
		write(b, added, fmt.Appendf(nil, "---\ntitle: 新页面 %d\ntags: [通用]\n---\n\n新页面的正文。\n", i))
	}
	return []string{added}, builder.ChangePages
}

// renamePage renames a page no other page links to (renameFrom, made
// before the site is built) back and forth: renaming a linked page is a
// broken link, an error and not a save to time.
func renamePage(b *testing.B, page string, src []byte, i int) ([]string, builder.Change) {
	from, to := filepath.Join(filepath.Dir(page), renameFrom), filepath.Join(filepath.Dir(page), "renamed-page.md")
	if i%2 == 0 {
		from, to = to, from
	}
	if err := os.Rename(from, to); err != nil {
		b.Fatal(err)
	}
	return []string{from, to}, builder.ChangePages
}

const renameFrom = "rename-me.md"

func write(b *testing.B, p string, data []byte) {
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

func benchmarkLive(b *testing.B, n int, save saveKind) {
	site := b.TempDir()
	if err := synth.Generate(site, n, "zh", 1); err != nil {
		b.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(site, "content", "scripts", "*-*.md"))
	write(b, filepath.Join(filepath.Dir(pages[0]), renameFrom), []byte("---\ntitle: 改名的页面\n---\n\n正文。\n"))
	ctx := context.Background()
	live, err := builder.NewLive(ctx, builder.Options{Site: site, Now: synth.Now, Drafts: true, Future: true})
	if err != nil {
		b.Fatal(err)
	}
	src, _ := os.ReadFile(pages[0])
	i := 0
	for b.Loop() {
		i++
		changed, want := save(b, pages[0], src, i)
		kind, err := live.Update(ctx, changed)
		if err != nil || kind != want {
			b.Fatalf("update: %s, %v; want %s", kind, err, want)
		}
	}
}
