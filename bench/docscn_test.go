package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDropClaimedAliases(t *testing.T) {
	claimed := map[string]string{}
	tests := []struct {
		name, rel, in, want string
		lost                int
	}{
		{"first claim kept", "a.md", "---\ntitle: A\naliases: ['/x/','/y/']\n---\nbody", "---\ntitle: A\naliases: ['/x/','/y/']\n---\nbody", 0},
		{"twice in one page kept", "b.md", "---\naliases: ['/z/','/z/']\n---\n", "---\naliases: ['/z/','/z/']\n---\n", 0},
		{"claimed by another page dropped", "c.md", "---\naliases: ['/y/','/w/']\n---\n", "---\naliases: ['/w/']\n---\n", 1},
		{"all claimed", "d.md", "---\naliases: [\"/x/\"]\n---\n", "---\naliases: []\n---\n", 1},
		{"no aliases", "e.md", "---\ntitle: E\n---\n", "---\ntitle: E\n---\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, lost := dropClaimedAliases(tt.rel, []byte(tt.in), claimed)
			if string(got) != tt.want || len(lost) != tt.lost {
				t.Errorf("got %q, %d lost (%v); want %q, %d lost", got, len(lost), lost, tt.want, tt.lost)
			}
		})
	}
}

func TestPrepareDocsCN(t *testing.T) {
	corpus, work := t.TempDir(), t.TempDir()
	for name, text := range map[string]string{
		"a.md":     "---\ntitle: A\naliases: ['/same/']\n---\n{{< copyable \"sql\" >}}\n",
		"sub/b.md": "---\ntitle: B\naliases: ['/same/']\n---\nB\n",
		"LICENSE":  "not a page",
	} {
		if err := writeFile(filepath.Join(corpus, name), []byte(text)); err != nil {
			t.Fatal(err)
		}
	}
	site, hugo, pages, dropped, err := prepareDocsCN(work, corpus)
	if err != nil {
		t.Fatal(err)
	}
	if pages != 2 || len(dropped) != 1 || !strings.Contains(dropped[0], "sub/b.md") {
		t.Errorf("pages %d, dropped %v; want 2 pages and sub/b.md's alias dropped", pages, dropped)
	}
	for _, f := range []string{filepath.Join(site, "playbook.yaml"), filepath.Join(site, "content/sub/b.md"),
		filepath.Join(hugo, "hugo.toml"), filepath.Join(hugo, "layouts/_shortcodes/copyable.html"), filepath.Join(hugo, "content/a.md")} {
		if !isFile(f) {
			t.Errorf("%s is missing", f)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(corpus, "sub/b.md")); !strings.Contains(string(b), "/same/") {
		t.Error("the corpus itself was changed")
	}
}

func TestDocsCNSkipsWithoutCorpus(t *testing.T) {
	e := &Env{Corpus: filepath.Join(t.TempDir(), "missing"), Work: t.TempDir()}
	md, err := docsCNSection(t.Context(), e)
	if err != nil || !strings.Contains(md, "Not measured") {
		t.Errorf("got %q, %v; want a note that it was not measured", md, err)
	}
}

func TestRenderDocsCNRatios(t *testing.T) {
	run := func(wall time.Duration, rss int64) []Run { return []Run{{Wall: wall, User: wall, MaxRSS: rss}} }
	tools := []*docsCNTool{{"Playbook", run(4*time.Second, 300<<20)}, {"Hugo", run(4*time.Second, 400<<20)}, {"Pagefind", run(6*time.Second, 800<<20)}}
	md := renderDocsCN(&Env{Runs: 1}, tools, nil, 10, nil, false)
	for _, want := range []string{"wall: **0.40×** (target at most 0.5×: met)", "peak RSS: **0.38×** (target at most 0.5×: met)"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestRenderScale(t *testing.T) {
	md := renderScale([]scaleRun{
		{10000, Run{User: 50 * time.Second, MaxRSS: 1 << 30}, htmlPage{"cases/page/2/index.html", 170 << 10}},
		{50000, Run{User: 400 * time.Second, MaxRSS: 4 << 30}, htmlPage{"scripts/index.html", 400 << 10}},
	})
	for _, want := range []string{"CPU per page ratio **1.60** (not met)", "peak RSS per page ratio **0.80** (met)", "(target for 50,000 pages: under 3072 MiB; not met)",
		"(`cases/page/2/index.html`) |", "(`scripts/index.html`) **over the limit** |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

// The section says which collector settings the builds ran with: peak RSS
// and CPU depend on them.
func TestScaleNamesGCSettings(t *testing.T) {
	for _, c := range []struct{ gogc, limit, want string }{
		{"", "", "Go's defaults (`GOGC=100`, no memory limit)"},
		{"50", "", "`GOGC=50`"},
		{"", "2GiB", "`GOMEMLIMIT=2GiB`"},
	} {
		t.Run(c.want, func(t *testing.T) {
			t.Setenv("GOGC", c.gogc)
			t.Setenv("GOMEMLIMIT", c.limit)
			if got := gcSettings(); got != c.want {
				t.Errorf("gcSettings() = %q, want %q", got, c.want)
			}
		})
	}
}
