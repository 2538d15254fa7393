package builder_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/playbook-sales/playbook/internal/synth"
)

// TestHostilePageBuilds builds a page of the costliest input found, code
// blocks (chroma lexes each one), just under the page size limit, and
// checks that the build ends with the page in it. How long it takes is
// measured by BenchmarkHostile in builder/markdown, not here. The race
// detector makes chroma many times slower (over 2 CPU minutes at the limit), so
// under it the page is a 32nd of the limit.
func TestHostilePageBuilds(t *testing.T) {
	worst := synth.HostileInputs[0]
	size := source.MaxFileSize - 1024
	if raceEnabled {
		size = source.MaxFileSize / 32
	}
	body := worst.Body(size)
	site := t.TempDir()
	for name, data := range map[string]string{
		"playbook.yaml":       "title: x\n",
		"content/guides/x.md": "---\ntitle: " + worst.Name + "\n---\n" + string(body),
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := builder.Build(context.Background(), builder.Options{Site: site, Now: synth.Now})
	if err != nil {
		t.Fatal(err)
	}
	if res.PerType["page"] != 1 {
		t.Fatalf("pages per type %v", res.PerType)
	}
	html, err := os.ReadFile(filepath.Join(site, "public", "guides", "x", "index.html"))
	if err != nil || len(html) < len(body) {
		t.Fatalf("guides/x: %d bytes of HTML for %d of markdown, %v", len(html), len(body), err)
	}
}
