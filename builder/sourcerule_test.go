package builder_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/source/sourcetest"
)

// wantSourceError checks that err is the case's error: among the content
// errors, or alone for a whole-site error such as playbook.yaml's.
func wantSourceError(t *testing.T, err error, tc sourcetest.Case) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", tc.Err)
	}
	if tc.Config {
		if !strings.HasPrefix(err.Error(), tc.Err) {
			t.Fatalf("error %q, want it to start %q", err, tc.Err)
		}
		return
	}
	var ce content.Errors
	if !errors.As(err, &ce) {
		t.Fatalf("error %q is not a content error", err)
	}
	for _, e := range ce {
		if strings.HasPrefix(e.Error(), tc.Err) {
			return
		}
	}
	t.Fatalf("errors:\n%v\nwant one starting %q", err, tc.Err)
}

// TestSourceRuleBuild: a site changed by each case either builds, links
// inside it followed, or fails naming the file with public/ and the search
// index exactly as the last good build left them; no file in the site
// ever holds the text of a file outside it.
func TestSourceRuleBuild(t *testing.T) {
	ctx := context.Background()
	for _, tc := range sourcetest.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			site, outside := sourcetest.Site(t)
			o := builder.Options{Site: site, Now: testNow}
			if _, err := builder.Build(ctx, o); err != nil {
				t.Fatalf("the site before the change: %v", err)
			}
			public, index := filepath.Join(site, "public"), filepath.Join(site, ".playbook")
			before, indexBefore := sourcetest.Files(t, public), sourcetest.Files(t, index)
			tc.Make(t, site, outside)
			_, err := builder.Build(ctx, o)
			if tc.Err == "" {
				if err != nil {
					t.Fatal(err)
				}
				wantFiles(t, sourcetest.Files(t, public), tc.Want)
			} else {
				wantSourceError(t, err, tc)
				if !maps.Equal(sourcetest.Files(t, public), before) {
					t.Error("a failed build changed public/")
				}
				if !maps.Equal(sourcetest.Files(t, index), indexBefore) {
					t.Error("a failed build changed the search index")
				}
			}
			if leaks := sourcetest.Leaks(t, site); leaks != nil {
				t.Errorf("files outside the site read into %v", leaks)
			}
		})
	}
}

func wantFiles(t *testing.T, files map[string]string, want map[string]string) {
	t.Helper()
	for p, text := range want {
		if !strings.Contains(files[p], text) {
			t.Errorf("%s does not contain %q", p, text)
		}
	}
}

// TestSourceRuleCheck: check reports what build reports.
func TestSourceRuleCheck(t *testing.T) {
	for _, tc := range sourcetest.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			site, outside := sourcetest.Site(t)
			tc.Make(t, site, outside)
			_, _, err := builder.Check(context.Background(), builder.Options{Site: site, Now: testNow})
			if tc.Err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantSourceError(t, err, tc)
		})
	}
}

// TestSourceRuleLive: serve's builder, started on a changed site or
// updated after the change, reports the same errors, keeps the last good
// build and holds nothing from outside the site in memory.
func TestSourceRuleLive(t *testing.T) {
	ctx := context.Background()
	leaks := func(t *testing.T, l *builder.Live) {
		t.Helper()
		if l == nil || l.Snapshot() == nil {
			return
		}
		for p, b := range l.Snapshot().Files {
			if strings.Contains(string(b), sourcetest.Secret) {
				t.Errorf("serve holds the file outside the site as %s", p)
			}
		}
	}
	for _, tc := range sourcetest.Cases {
		t.Run(tc.Name+"/at start", func(t *testing.T) {
			site, outside := sourcetest.Site(t)
			tc.Make(t, site, outside)
			l, err := builder.NewLive(ctx, builder.Options{Site: site, Now: testNow})
			if tc.Err == "" {
				if err != nil {
					t.Fatal(err)
				}
				wantFiles(t, snapshotText(l), tc.Want)
			} else {
				wantSourceError(t, err, tc)
			}
			leaks(t, l)
		})
		t.Run(tc.Name+"/after a save", func(t *testing.T) {
			site, outside := sourcetest.Site(t)
			l, err := builder.NewLive(ctx, builder.Options{Site: site, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			good := snapshotText(l)
			tc.Make(t, site, outside)
			var changed []string
			for _, p := range tc.Paths {
				changed = append(changed, filepath.Join(site, filepath.FromSlash(p)))
			}
			_, err = l.Update(ctx, changed)
			if tc.Err == "" {
				if err != nil {
					t.Fatal(err)
				}
				wantFiles(t, snapshotText(l), tc.Want)
				return
			}
			wantSourceError(t, err, tc)
			if !maps.Equal(snapshotText(l), good) {
				t.Error("a failed update changed the snapshot served")
			}
			leaks(t, l)
		})
	}
}

func snapshotText(l *builder.Live) map[string]string {
	m := map[string]string{}
	for p, b := range l.Snapshot().Files {
		m[p] = string(b)
	}
	return m
}

// TestBuildLeavesNoOutsideFile runs the build in the worst case of all:
// every hostile case at once, so each error must be reported together.
func TestSourceRuleAllAtOnce(t *testing.T) {
	site, outside := sourcetest.Site(t)
	var want []string
	for _, tc := range sourcetest.Cases {
		if tc.Err != "" && !tc.Config {
			tc.Make(t, site, outside)
			want = append(want, tc.Err)
		}
	}
	_, err := builder.Build(context.Background(), builder.Options{Site: site, Now: testNow})
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("one build of every case: no error %q in\n%v", w, err)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "public")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed first build made public/: %v", err)
	}
}
