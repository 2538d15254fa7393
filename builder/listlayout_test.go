package builder_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
)

// TestListLayoutByType: a theme gives one type's list its own layout by
// adding layouts/list/TYPE.html, without touching section.html; the lists of
// other types keep the default.
func TestListLayoutByType(t *testing.T) {
	site := writeSite(t, map[string]string{
		"playbook.yaml":                       "title: T\ntheme: mine\n",
		"content/retros/q3.md":                "---\ntitle: Q3 复盘\nperiod: Q3\n---\n正文\n",
		"content/cases/acme.md":               "---\ntitle: Acme 案例\noutcome: won\n---\n正文\n",
		"themes/mine/layouts/list/retro.html": `{{define "list"}}<p id="retro-board">{{len .Pages}} retros</p>{{end}}`,
	})
	if _, err := builder.Build(context.Background(), builder.Options{Site: site, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		page, want, notWant string
	}{
		{"retros/index.html", `<p id="retro-board">1 retros</p>`, `data-filter-list`},
		{"cases/index.html", `data-filter-list`, `retro-board`},
	} {
		data, err := os.ReadFile(filepath.Join(site, "public", filepath.FromSlash(tc.page)))
		if err != nil {
			t.Fatal(err)
		}
		html := string(data)
		if !strings.Contains(html, tc.want) || strings.Contains(html, tc.notWant) {
			t.Errorf("%s: want %q and not %q in the list", tc.page, tc.want, tc.notWant)
		}
		if !strings.Contains(html, `class="page-head"`) {
			t.Errorf("%s lost section.html's header around the list", tc.page)
		}
	}
}
