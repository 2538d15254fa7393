package builder_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
)

// gitSite is a site in kb/ of a git repository: price.md written by 刘洋 and
// changed by 陈静, handbook.md written by 刘洋 only, new.md not committed.
type gitSite struct {
	t    *testing.T
	repo string
}

func newGitSite(t *testing.T) *gitSite {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	g := &gitSite{t: t, repo: t.TempDir()}
	g.git("", "", "init", "-q", "-b", "main")
	g.write("kb/playbook.yaml", "title: 历史测试\nbaseURL: https://kb.example.com/\nlanguage: zh-CN\n")
	g.write("kb/content/scripts/price.md", "---\ntitle: 价格异议\nlastmod: 2026-01-01\nowner: 陈静\nreviewed: 2026-11-01\n---\n\n先确认。\n")
	g.write("kb/content/guides/handbook.md", "---\ntitle: 新人手册\nowner: 许诺\nreview_every: 30d\n---\n\n[价格](../scripts/price.md)\n")
	g.commit("刘洋", "2026-10-01T09:00:00+08:00")
	g.write("kb/content/scripts/price.md", "---\ntitle: 价格异议\nlastmod: 2026-01-01\nowner: 陈静\nreviewed: 2026-11-01\n---\n\n先确认，再算账。\n")
	g.commit("陈静", "2026-11-20T10:00:00+08:00")
	g.write("kb/content/guides/new.md", "---\ntitle: 草稿中的新页\ndate: 2026-11-22\n---\n\n[手册](handbook.md)\n")
	return g
}

func (g *gitSite) git(author, when string, args ...string) {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = g.repo
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME="+author, "GIT_AUTHOR_EMAIL=a@example.com", "GIT_AUTHOR_DATE="+when,
		"GIT_COMMITTER_NAME=ci", "GIT_COMMITTER_EMAIL=ci@example.com", "GIT_COMMITTER_DATE="+when)
	if out, err := cmd.CombinedOutput(); err != nil {
		g.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func (g *gitSite) write(name, text string) {
	g.t.Helper()
	p := filepath.Join(g.repo, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		g.t.Fatal(err)
	}
}

func (g *gitSite) commit(author, when string) {
	g.git(author, when, "add", "-A")
	g.git(author, when, "commit", "-q", "-m", "edit")
}

// clone copies the repository with git clone, shallow unless depth is "".
func (g *gitSite) clone(depth string) string {
	dir := filepath.Join(g.t.TempDir(), "clone")
	args := []string{"clone", "-q", "file://" + g.repo, dir}
	if depth != "" {
		args = append(args, "--depth", depth)
	}
	g.git("", "", args...)
	return dir
}

// lastChange is a page's entry of pages.json, as far as git shows in it.
type lastChange struct {
	Lastmod    string `json:"lastmod"`
	LastChange *struct {
		Time, Author, Commit string
	} `json:"last_change"`
}

func TestGitHistory(t *testing.T) {
	g := newGitSite(t)
	full := g.clone("")
	tests := []struct {
		name     string
		site     string
		noGit    bool
		price    string // author and lastmod of price.md; "" author = none from git
		handbook string
		stale    bool   // handbook.md is due for review (30 days after its last change)
		note     string // in GitNote; "" = none
	}{
		{"work tree", filepath.Join(g.repo, "kb"), false, "陈静 2026-11-20T10:00:00+08:00", "刘洋 2026-10-01T09:00:00+08:00", true, ""},
		{"full clone", filepath.Join(full, "kb"), false, "陈静 2026-11-20T10:00:00+08:00", "刘洋 2026-10-01T09:00:00+08:00", true, ""},
		{"--no-git", filepath.Join(g.repo, "kb"), true, " 2026-01-01T00:00:00+08:00", " ", false, ""},
		// Depth 2: the newest commit is known; handbook.md's last change is
		// the boundary commit, which may hide an older one.
		{"shallow clone of depth 2", filepath.Join(g.clone("2"), "kb"), false, "陈静 2026-11-20T10:00:00+08:00", " ", false, "shallow: 1 content file was"},
		{"shallow clone of depth 1", filepath.Join(g.clone("1"), "kb"), false, " 2026-01-01T00:00:00+08:00", " ", false, "shallow: 2 content files were"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			res, err := builder.Build(context.Background(), builder.Options{Site: tt.site, Dest: dest, Now: testNow, NoGit: tt.noGit})
			if err != nil {
				t.Fatal(err)
			}
			if (tt.note == "") != (res.Site.GitNote == "") || !strings.Contains(res.Site.GitNote, tt.note) {
				t.Errorf("note = %q, want one saying %q", res.Site.GitNote, tt.note)
			}
			pages := map[string]lastChange{}
			var list []struct {
				Path string `json:"path"`
				lastChange
			}
			if err := json.Unmarshal(readFile(t, filepath.Join(dest, "api", "pages.json")), &list); err != nil {
				t.Fatal(err)
			}
			for _, p := range list {
				pages[p.Path] = p.lastChange
			}
			for path, want := range map[string]string{"scripts/price": tt.price, "guides/handbook": tt.handbook} {
				if got := describe(pages[path]); got != want {
					t.Errorf("%s: author and lastmod = %q, want %q", path, got, want)
				}
			}
			if lc := pages["guides/new"].LastChange; lc != nil {
				t.Errorf("an uncommitted page has a last change: %+v", lc)
			}
			checkShown(t, dest, tt.price)
			health := string(readFile(t, filepath.Join(dest, "api", "health.json")))
			if got := strings.Contains(health, `"path": "guides/handbook"`); got != tt.stale {
				t.Errorf("handbook.md stale = %v, want %v (reviewed never, changed 2026-10-01, every 30 days):\n%s", got, tt.stale, health)
			}
		})
	}
}

// describe gives a page's last author and lastmod as "author time".
func describe(c lastChange) string {
	author := ""
	if c.LastChange != nil {
		author = c.LastChange.Author
		if c.LastChange.Time != c.Lastmod || len(c.LastChange.Commit) != 40 {
			return "inconsistent: " + c.LastChange.Time + " " + c.LastChange.Commit + " vs lastmod " + c.Lastmod
		}
	}
	return author + " " + c.Lastmod
}

// checkShown checks that price.md's page, the sitemap and the feed of
// changes (index.xml) show its last change: want is "author time".
func checkShown(t *testing.T, dest, want string) {
	t.Helper()
	author, when, _ := strings.Cut(want, " ")
	page := visibleText(readFile(t, filepath.Join(dest, "scripts", "price", "index.html")))
	day := when[:4] + "年" + strings.TrimPrefix(when[5:7], "0") + "月" + strings.TrimPrefix(when[8:10], "0") + "日"
	if line := "更新于 " + day + " 修改人 " + author; author != "" && !strings.Contains(page, line) {
		t.Errorf("price page lacks %q:\n%s", line, page)
	}
	if author == "" && strings.Contains(page, "修改人") {
		t.Errorf("price page names who changed it, without git:\n%s", page)
	}
	sitemap := string(readFile(t, filepath.Join(dest, "sitemap.xml")))
	if loc := "<loc>https://kb.example.com/scripts/price/</loc><lastmod>" + when + "</lastmod>"; !strings.Contains(sitemap, loc) {
		t.Errorf("sitemap.xml lacks %s:\n%s", loc, sitemap)
	}
	var feed struct {
		Items []struct {
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(readFile(t, filepath.Join(dest, "index.xml")), &feed); err != nil {
		t.Fatal(err)
	}
	wantTime, _ := time.Parse(time.RFC3339, when)
	for _, it := range feed.Items {
		if it.Link != "https://kb.example.com/scripts/price/" {
			continue
		}
		if got, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil || !got.Equal(wantTime) {
			t.Errorf("index.xml dates the price page %q, want %s", it.PubDate, when)
		}
		return
	}
	t.Errorf("index.xml has no item for the price page")
}
