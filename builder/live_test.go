package builder_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/preview"
	"github.com/playbook-sales/playbook/builder/render"
)

// copySample copies the repository's sample site into a temporary folder.
func copySample(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"content", "static", "playbook.yaml", "synonyms.yaml"} {
		src := filepath.Join("..", name)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("..", p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// freshBuild builds the site from scratch in memory.
func freshBuild(t *testing.T, o builder.Options) (map[string][]byte, error) {
	l, err := builder.NewLive(context.Background(), o)
	if err != nil {
		return nil, err
	}
	return l.Snapshot().Files, nil
}

// cleanBuild builds site from scratch into a new folder and reads it back.
func cleanBuild(t *testing.T, o builder.Options) (map[string][]byte, error) {
	t.Helper()
	o.Dest = filepath.Join(t.TempDir(), "public")
	if _, err := builder.Build(context.Background(), o); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(o.Dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(o.Dest, p)
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	delete(files, builder.OutputMarker) // says who wrote the folder; serve writes none
	delete(files, render.ServiceWorker) // the preview is never cached: no service worker,
	delete(files, render.OfflineList)   // nor its list
	return files, err
}

func diffFiles(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	var bad []string
	for p, w := range want {
		if render.IsStaticSearchData(p) { // serve exports these from its own index
			continue
		}
		if g, ok := got[p]; !ok {
			bad = append(bad, "missing "+p)
		} else if !bytes.Equal(g, w) {
			bad = append(bad, "differs "+p)
			if os.Getenv("PLAYBOOK_DIFF") != "" { // a folder to write both versions into, for diff

				os.WriteFile(filepath.Join(os.Getenv("PLAYBOOK_DIFF"), strings.ReplaceAll(p, "/", "_")+".got"), g, 0o644)
				os.WriteFile(filepath.Join(os.Getenv("PLAYBOOK_DIFF"), strings.ReplaceAll(p, "/", "_")+".want"), w, 0o644)
			}
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			bad = append(bad, "extra "+p)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Fatalf("%s: served output differs from a clean build in %d files: %s", step, len(bad), strings.Join(bad[:min(len(bad), 12)], ", "))
	}
}

// diffSearch compares the static search files serve answers with those
// of a clean build. The set of files follows from the page count in
// meta.json, so equal files are also the same files.
func diffSearch(t *testing.T, step string, srv *preview.Server, base string, want map[string][]byte) {
	t.Helper()
	h := srv.Handler(preview.Access{})
	var bad []string
	for p, w := range want {
		if !render.IsStaticSearchData(p) {
			continue
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, base+p, nil)
		req.Host = "localhost:1313"
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			bad = append(bad, fmt.Sprintf("%s (%d)", p, rec.Code))
		} else if !bytes.Equal(rec.Body.Bytes(), w) {
			bad = append(bad, p)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Fatalf("%s: serve's search files differ from a clean build in %d files: %s", step, len(bad), strings.Join(bad[:min(len(bad), 12)], ", "))
	}
}

// An edit is one change an author makes; it returns a description, or ""
// when it does not apply to the site as it is.
type edit func(r *rand.Rand, site string, n int) string

var (
	titleLine      = regexp.MustCompile(`(?m)^title: .*$`)
	tagsLine       = regexp.MustCompile(`(?m)^tags: .*$`)
	slugLine       = regexp.MustCompile(`(?m)^slug: .*$`)
	outcomeLine    = regexp.MustCompile(`(?m)^outcome: .*$`)
	competitorLine = regexp.MustCompile(`(?m)^competitor: .*$`)
	stagesLine     = regexp.MustCompile(`(?m)^stages: .*$`)
	expiryLine     = regexp.MustCompile(`(?m)^expiryDate: .*$`)
)

// pick returns a random content file (relative to the site) matching keep.
func pick(r *rand.Rand, site string, keep func(rel string, src []byte) bool) (string, []byte) {
	var files []string
	_ = filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	r.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err == nil && keep(f, src) {
			return f, src
		}
	}
	return "", nil
}

func hasFrontMatter(_ string, src []byte) bool { return bytes.HasPrefix(src, []byte("---\n")) }

// setField replaces a front matter line, or adds it after the opening ---.
func setField(src []byte, re *regexp.Regexp, line string) []byte {
	if re.Match(src) {
		return re.ReplaceAll(src, []byte(line))
	}
	return append([]byte("---\n"+line+"\n"), src[4:]...)
}

var edits = map[string]edit{
	"body": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, func(string, []byte) bool { return true })
		os.WriteFile(f, append(src, fmt.Sprintf("\n\n第 %d 次修改：补充一段说明。\n", n)...), 0o644)
		return "body of " + f
	},
	"body-rewrite": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, hasFrontMatter)
		end := bytes.Index(src[4:], []byte("\n---\n"))
		if end < 0 {
			return ""
		}
		fm := src[:4+end+5]
		os.WriteFile(f, append(fm, fmt.Sprintf("\n改写后的正文 %d。\n\n## 新小节 %d\n\n内容。\n", n, n)...), 0o644)
		return "rewrote body of " + f
	},
	"link": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, func(p string, _ []byte) bool { return !strings.HasSuffix(p, "_index.md") })
		t, _ := pick(r, site, func(p string, _ []byte) bool { return p != f && !strings.HasSuffix(p, "_index.md") })
		rel, _ := filepath.Rel(filepath.Dir(f), t)
		os.WriteFile(f, append(src, fmt.Sprintf("\n\n参见[相关页面](%s)。\n", filepath.ToSlash(rel))...), 0o644)
		return "link from " + f + " to " + t
	},
	"title": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, hasFrontMatter)
		os.WriteFile(f, setField(src, titleLine, fmt.Sprintf("title: 新标题 %d", n)), 0o644)
		return "title of " + f
	},
	"tags": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, hasFrontMatter)
		os.WriteFile(f, setField(src, tagsLine, fmt.Sprintf("tags: [标签%d, 通用]", n%3)), 0o644)
		return "tags of " + f
	},
	"slug": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, func(p string, src []byte) bool {
			return hasFrontMatter(p, src) && !strings.HasSuffix(p, "_index.md")
		})
		os.WriteFile(f, setField(src, slugLine, fmt.Sprintf("slug: new-slug-%d", n)), 0o644)
		return "slug of " + f
	},
	"add": func(r *rand.Rand, site string, n int) string {
		dirs := []string{"scripts", "cases", "guides", "guides/deep"}
		d := filepath.Join(site, "content", dirs[r.IntN(len(dirs))])
		os.MkdirAll(d, 0o755)
		f := filepath.Join(d, fmt.Sprintf("new-%d.md", n))
		os.WriteFile(f, fmt.Appendf(nil, "---\ntitle: 新页面 %d\ntags: [通用]\n---\n\n新页面的正文 %d。\n", n, n), 0o644)
		return "added " + f
	},
	"cut": func(r *rand.Rand, site string, n int) string {
		// a paragraph deleted: its words may leave the site altogether
		f, src := pick(r, site, func(_ string, src []byte) bool { return bytes.Count(src, []byte("\n\n")) > 2 })
		if f == "" {
			return ""
		}
		paras := bytes.Split(src, []byte("\n\n"))
		i := 1 + r.IntN(len(paras)-1) // not the front matter
		os.WriteFile(f, bytes.Join(append(paras[:i:i], paras[i+1:]...), []byte("\n\n")), 0o644)
		return fmt.Sprintf("cut paragraph %d of %s", i, f)
	},
	"untag": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, func(_ string, src []byte) bool { return tagsLine.Match(src) })
		if f == "" {
			return ""
		}
		os.WriteFile(f, tagsLine.ReplaceAll(src, nil), 0o644)
		return "tags removed from " + f
	},
	"delete-page": func(r *rand.Rand, site string, n int) string {
		// any page; one that others link to breaks the build, and is restored
		f, _ := pick(r, site, func(p string, _ []byte) bool { return !strings.HasSuffix(p, "_index.md") })
		os.Remove(f)
		return "deleted " + f
	},
	"delete": func(r *rand.Rand, site string, n int) string {
		f, _ := pick(r, site, func(p string, _ []byte) bool { return strings.Contains(filepath.Base(p), "new-") })
		if f == "" {
			return ""
		}
		os.Remove(f)
		return "deleted " + f
	},
	"static": func(r *rand.Rand, site string, n int) string {
		names := []string{"css/extra.css", "css/playbook.css", "img/logo.txt", "robots.txt"}
		f := filepath.Join(site, "static", filepath.FromSlash(names[r.IntN(len(names))]))
		if _, err := os.Stat(f); err == nil && r.IntN(2) == 0 {
			os.Remove(f)
			return "deleted " + f
		}
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, fmt.Appendf(nil, "/* version %d */\n", n), 0o644)
		return "wrote " + f
	},
	"outcome": func(r *rand.Rand, site string, n int) string {
		// a case's outcome: its battlecards' records, the matrix, the totals
		f, src := pick(r, site, func(_ string, src []byte) bool { return outcomeLine.Match(src) })
		if f == "" {
			return ""
		}
		os.WriteFile(f, outcomeLine.ReplaceAll(src, []byte("outcome: "+[]string{"won", "lost", "open"}[n%3])), 0o644)
		return "outcome of " + f
	},
	"competitor-name": func(r *rand.Rand, site string, n int) string {
		// a battlecard's name: the list entries of the cases naming it
		f, src := pick(r, site, func(_ string, src []byte) bool { return competitorLine.Match(src) })
		if f == "" {
			return ""
		}
		os.WriteFile(f, competitorLine.ReplaceAll(src, fmt.Appendf(nil, "competitor: 竞品%d", n)), 0o644)
		return "competitor name of " + f
	},
	"stages": func(r *rand.Rand, site string, n int) string {
		f, src := pick(r, site, func(p string, src []byte) bool { return hasFrontMatter(p, src) && !strings.HasSuffix(p, "_index.md") })
		os.WriteFile(f, setField(src, stagesLine, "stages: ["+[]string{"discovery", "proposal", "renewal"}[n%3]+"]"), 0o644)
		return "stages of " + f
	},
	"section-title": func(r *rand.Rand, site string, n int) string {
		// every page's header names the sections
		f, src := pick(r, site, func(p string, src []byte) bool { return hasFrontMatter(p, src) && strings.HasSuffix(p, "_index.md") })
		if f == "" {
			return ""
		}
		os.WriteFile(f, setField(src, titleLine, fmt.Sprintf("title: 栏目 %d", n)), 0o644)
		return "title of " + f
	},
	"expire": func(r *rand.Rand, site string, n int) string {
		// a page leaves the site; one that others link to breaks the build
		f, src := pick(r, site, func(p string, src []byte) bool { return hasFrontMatter(p, src) && !strings.HasSuffix(p, "_index.md") })
		os.WriteFile(f, setField(src, expiryLine, "expiryDate: 2020-01-01"), 0o644)
		return "expired " + f
	},
	"move": func(r *rand.Rand, site string, n int) string {
		f, _ := pick(r, site, func(p string, _ []byte) bool { return !strings.HasSuffix(p, "_index.md") })
		to := filepath.Join(site, "content", "guides", fmt.Sprintf("moved-%d.md", n))
		os.Rename(f, to)
		return "moved " + f + " to " + to
	},
	"rename": func(r *rand.Rand, site string, n int) string {
		f, _ := pick(r, site, func(p string, _ []byte) bool { return !strings.HasSuffix(p, "_index.md") })
		to := filepath.Join(filepath.Dir(f), fmt.Sprintf("renamed-%d.md", n))
		os.Rename(f, to)
		return "renamed " + f + " to " + to
	},
}

// snapshotFiles lists the content and static files and their bytes, to
// undo an edit.
func snapshotFiles(t *testing.T, site string) map[string][]byte {
	m := map[string][]byte{}
	for _, dir := range []string{"content", "static"} {
		_ = filepath.WalkDir(filepath.Join(site, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				m[p], _ = os.ReadFile(p)
			}
			return nil
		})
	}
	return m
}

func restoreFiles(site string, m map[string][]byte) []string {
	var changed []string
	for _, dir := range []string{"content", "static"} {
		_ = filepath.WalkDir(filepath.Join(site, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if _, ok := m[p]; !ok {
					os.Remove(p)
					changed = append(changed, p)
				}
			}
			return nil
		})
	}
	for p, b := range m {
		if cur, err := os.ReadFile(p); err != nil || !bytes.Equal(cur, b) {
			os.WriteFile(p, b, 0o644)
			changed = append(changed, p)
		}
	}
	return changed
}

// TestLiveMatchesCleanBuild drives random sequences of author edits through
// serve (preview.Server) and checks after each that what serve shows is,
// file for file, what a clean build of the same sources writes. An edit
// that breaks the site must fail in both; it is then undone. Serve's static
// search files follow its own index, updated in place, once saves pause:
// whenever the index has caught up (at random, after several saves or
// after one) and after the last save, they too equal the clean build's.
func TestLiveMatchesCleanBuild(t *testing.T) {
	steps := 40
	if testing.Short() || raceEnabled {
		steps = 16 // the race detector makes each build ten times slower
	}
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			site := copySample(t)
			o := builder.Options{Site: site, Drafts: true, Future: true, NowText: "2026-11-23"}
			ctx := context.Background()
			live, err := builder.NewLive(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			want, err := cleanBuild(t, o)
			if err != nil {
				t.Fatal(err)
			}
			diffFiles(t, "initial build", live.Snapshot().Files, want)
			srv := preview.New(live, nil, io.Discard)
			t.Cleanup(srv.Close)
			srv.IndexSearch()
			diffSearch(t, "initial build", srv, live.Snapshot().Site.BasePath, want)
			pause := rand.New(rand.NewPCG(seed, 8)) // when search catches up
			names := make([]string, 0, len(edits))
			for k := range edits {
				names = append(names, k)
			}
			sort.Strings(names)
			r := rand.New(rand.NewPCG(seed, 7))
			// Every kind of edit once, in a random order, then random draws.
			// Body edits are what authors do most, and what the partial path
			// handles: draw them more often.
			every := slices.Clone(names)
			r.Shuffle(len(every), func(i, j int) { every[i], every[j] = every[j], every[i] })
			names = append(names, "body", "body", "body-rewrite", "body-rewrite")
			kinds := map[builder.Change]int{}
			for n := 0; n < steps; n++ {
				before := snapshotFiles(t, site)
				name := names[r.IntN(len(names))]
				if n < len(every) {
					name = every[n]
				}
				what := edits[name](r, site, n)
				if what == "" {
					continue
				}
				changed := changedPaths(before, snapshotFiles(t, site))
				kind, lerr := srv.Update(ctx, changed)
				kinds[kind]++
				if pause.IntN(3) == 0 {
					srv.IndexSearch()
				}
				// Every few steps and at the end, against Build writing to disk;
				// in between, against a fresh in-memory build (same pipeline,
				// no search index to write), to keep the test quick.
				against := freshBuild
				if n%5 == 4 || n == steps-1 {
					against = cleanBuild
				}
				want, berr := against(t, o)
				step := fmt.Sprintf("step %d (%s)", n, what)
				switch {
				case (lerr == nil) != (berr == nil):
					t.Fatalf("%s: serve error %v, clean build error %v", step, lerr, berr)
				case berr != nil:
					// Broken: undo, and serve must come back to the clean build.
					undo := restoreFiles(site, before)
					if _, err := srv.Update(ctx, undo); err != nil {
						t.Fatalf("%s: undone, still failing: %v", step, err)
					}
					if want, err = cleanBuild(t, o); err != nil {
						t.Fatal(err)
					}
				}
				diffFiles(t, step, live.Snapshot().Files, want)
				if _, clean := want[render.StaticSearchDir+"meta.json"]; clean {
					srv.IndexSearch()
					diffSearch(t, step, srv, live.Snapshot().Site.BasePath, want)
				}
			}
			// after the last save, once search has caught up
			srv.IndexSearch()
			want, err = cleanBuild(t, o)
			if err != nil {
				t.Fatal(err)
			}
			diffSearch(t, "after the last save", srv, live.Snapshot().Site.BasePath, want)
			if kinds[builder.ChangeBody] == 0 || kinds[builder.ChangePages] == 0 || kinds[builder.ChangeCSS]+kinds[builder.ChangeStatic] == 0 {
				t.Errorf("the edits did not exercise both paths: %v", kinds)
			}
			if testing.Verbose() {
				t.Logf("updates by kind: %v", kinds)
			}
		})
	}
}

// changedPaths lists files whose bytes differ between two listings.
func changedPaths(a, b map[string][]byte) []string {
	var out []string
	for p, x := range a {
		if y, ok := b[p]; !ok || !bytes.Equal(x, y) {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// Body edits of the pages whose bodies other outputs show in parts — a
// slide deck (its slides, handout and module page) and a script (the
// script library shows its talk track) — take the partial path and still
// come out as a clean build writes them.
func TestLiveBodyEditOfSlidesAndScripts(t *testing.T) {
	site := copySample(t)
	o := builder.Options{Site: site, Drafts: true, Future: true, NowText: "2026-11-23"}
	ctx := context.Background()
	live, err := builder.NewLive(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"content/training/产品基础与演示.md", "content/scripts/价格异议处理.md"} {
		p := filepath.Join(site, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, append(b, "\n---\n\n补充一页：先问预算再谈折扣。\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		kind, err := live.Update(ctx, []string{p})
		if err != nil {
			t.Fatal(err)
		}
		if kind != builder.ChangeBody {
			t.Errorf("%s: update was %v, want the partial path (body)", rel, kind)
		}
		want, err := freshBuild(t, o)
		if err != nil {
			t.Fatal(err)
		}
		diffFiles(t, rel, live.Snapshot().Files, want)
	}
}

// TestLiveStaticClash: serve refuses a static file saved at a generated
// file's path, as build does, and keeps the last good snapshot; removed,
// the site builds again.
func TestLiveStaticClash(t *testing.T) {
	site := t.TempDir()
	for name, data := range map[string]string{
		"playbook.yaml":       "title: t\n",
		"content/guides/a.md": "---\ntitle: a\n---\n正文。\n",
	} {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := builder.NewLive(context.Background(), builder.Options{Site: site})
	if err != nil {
		t.Fatal(err)
	}
	sitemap := l.Snapshot().Files["sitemap.xml"]
	clash := filepath.Join(site, "static", "sitemap.xml")
	if err := os.MkdirAll(filepath.Dir(clash), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(clash, []byte("<mine/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	kind, err := l.Update(context.Background(), []string{clash})
	want := "static/sitemap.xml:1: file: URL /sitemap.xml is also claimed by (sitemap); rename or remove the static file"
	if kind != builder.ChangeStatic || err == nil || err.Error() != want {
		t.Fatalf("Update = %v, %v; want %v, %q", kind, err, builder.ChangeStatic, want)
	}
	if got := l.Snapshot().Files["sitemap.xml"]; !bytes.Equal(got, sitemap) {
		t.Errorf("the snapshot changed after a failed update: sitemap.xml = %q", got)
	}
	if err := os.Remove(clash); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Update(context.Background(), []string{clash}); err != nil {
		t.Errorf("after removing the static file: %v", err)
	}
}
