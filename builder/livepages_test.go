package builder_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/playbook-sales/playbook/builder"
)

// Front-matter edits that change what other pages show of a page take the
// pages path and come out as a clean build writes them.
func TestLivePagesEdits(t *testing.T) {
	tests := []struct {
		name, file string
		edit       func([]byte) []byte
	}{
		{"slug of a page a slide deck links to", "content/guides/报价审批规则.md", func(b []byte) []byte { return setField(b, slugLine, "slug: new-slug") }},
		{"name of a battlecard cases name", "content/competitors/星图crm.md", func(b []byte) []byte { return competitorLine.ReplaceAll(b, []byte("competitor: 新名字")) }},
		{"title of a section", "content/guides/_index.md", func(b []byte) []byte { return setField(b, titleLine, "title: 新栏目名") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			site := copySample(t)
			o := builder.Options{Site: site, Drafts: true, Future: true, NowText: "2026-11-23"}
			ctx := context.Background()
			live, err := builder.NewLive(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(site, filepath.FromSlash(tc.file))
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, tc.edit(b), 0o644); err != nil {
				t.Fatal(err)
			}
			kind, err := live.Update(ctx, []string{p})
			if err != nil || kind != builder.ChangePages {
				t.Fatalf("update: %v, %v; want pages", kind, err)
			}
			want, err := freshBuild(t, o)
			if err != nil {
				t.Fatal(err)
			}
			diffFiles(t, tc.name, live.Snapshot().Files, want)
		})
	}
}
