package preview

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder/source/sourcetest"
)

// TestServeSourceRule: serve refuses what build refuses, with the error in
// its overlay — started on a changed site or after a save — and never
// answers with a file from outside the site.
func TestServeSourceRule(t *testing.T) {
	ctx := context.Background()
	for _, tc := range sourcetest.Cases {
		t.Run(tc.Name+"/after a save", func(t *testing.T) {
			site, outside := sourcetest.Site(t)
			s, hs := startServer(t, site)
			tc.Make(t, site, outside)
			var changed []string
			for _, p := range tc.Paths {
				changed = append(changed, filepath.Join(site, filepath.FromSlash(p)))
			}
			s.Update(ctx, changed)
			checkServed(t, hs, tc, http.StatusOK) // the last good build, with the overlay
		})
		t.Run(tc.Name+"/at start", func(t *testing.T) {
			site, outside := sourcetest.Site(t)
			tc.Make(t, site, outside)
			_, hs := startServer(t, site)
			checkServed(t, hs, tc, http.StatusServiceUnavailable) // no build to show yet
		})
	}
}

func checkServed(t *testing.T, hs *httptest.Server, tc sourcetest.Case, brokenCode int) {
	t.Helper()
	code, home, _ := get(t, hs.URL+"/")
	if tc.Err == "" {
		if code != http.StatusOK || strings.Contains(home, `id="playbook-error"`) {
			t.Errorf("GET / = %d, overlay %v; want the site", code, strings.Contains(home, `id="playbook-error"`))
		}
		for p, want := range tc.Want {
			url := "/" + strings.TrimSuffix(p, "index.html")
			if code, body, _ := get(t, hs.URL+url); code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("GET %s = %d, want 200 with %q", url, code, want)
			}
		}
	} else {
		where, msg, _ := strings.Cut(tc.Err, ":1: ")
		if tc.Config {
			where, msg = "", tc.Err
		}
		if code != brokenCode || !strings.Contains(home, `id="playbook-error"`) ||
			!strings.Contains(home, html.EscapeString(where)) || !strings.Contains(home, html.EscapeString(msg)) {
			t.Errorf("GET / = %d, want %d with an overlay naming %q:\n%s", code, brokenCode, tc.Err, home)
		}
	}
	urls := []string{"/", "/api/pages.json"}
	for _, p := range tc.Paths {
		if rest, ok := strings.CutPrefix(p, "static/"); ok {
			urls = append(urls, "/"+rest, "/"+rest+"/secret.txt")
		} else if rest, ok := strings.CutPrefix(p, "content/"); ok {
			urls = append(urls, "/"+strings.TrimSuffix(rest, ".md")+"/", "/"+rest+"/secret/")
		}
	}
	for _, u := range urls {
		if _, body, _ := get(t, hs.URL+u); strings.Contains(body, sourcetest.Secret) {
			t.Errorf("GET %s answers with the file outside the site", u)
		}
	}
}
