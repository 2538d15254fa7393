package gitinfo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseLog(t *testing.T) {
	rec := func(hash, author, when string, files ...string) string {
		return recordSep + hash + fieldSep + author + fieldSep + when + "\x00\n" + strings.Join(files, "\x00") + "\x00"
	}
	newest := rec("c3", "陈静", "2026-11-20T10:00:00+08:00", "site/content/a.md")
	middle := rec("c2", "王磊", "2026-11-10T09:00:00+08:00", "site/content/a.md", "site/content/b 空格.md", "other/x.md")
	oldest := rec("c1", "刘洋", "2026-10-01T08:00:00+08:00", "site/content/a.md", "site/content/c.md", "site/content/b 空格.md")
	tests := []struct {
		name      string
		out       string
		boundary  map[string]bool
		want      map[string]string // file → hash
		uncertain int
	}{
		{"newest commit wins", newest + middle + oldest, nil,
			map[string]string{"content/a.md": "c3", "content/b 空格.md": "c2", "content/c.md": "c1"}, 0},
		{"files outside the folder are left out", middle, nil,
			map[string]string{"content/a.md": "c2", "content/b 空格.md": "c2"}, 0},
		{"a shallow boundary's files are uncertain", newest + middle, map[string]bool{"c2": true},
			map[string]string{"content/a.md": "c3"}, 1},
		{"a malformed record is skipped", recordSep + "c9" + fieldSep + "x\x00\nsite/content/z.md\x00" + oldest, nil,
			map[string]string{"content/a.md": "c1", "content/c.md": "c1", "content/b 空格.md": "c1"}, 0},
		{"no output", "", nil, map[string]string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Log{Files: map[string]Commit{}}
			l.add([]byte(tt.out), "site/", tt.boundary)
			got := map[string]string{}
			for f, c := range l.Files {
				got[f] = c.Hash
			}
			if !maps.Equal(got, tt.want) || l.Uncertain != tt.uncertain {
				t.Errorf("files = %v, uncertain %d; want %v, uncertain %d", got, l.Uncertain, tt.want, tt.uncertain)
			}
		})
	}
}

// repo is a temporary git repository whose commits have fixed authors and dates.
type repo struct {
	t   testing.TB
	dir string
}

func newRepo(t testing.TB) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &repo{t: t, dir: t.TempDir()}
	r.git("", "init", "-q", "-b", "main")
	return r
}

func (r *repo) git(author string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME="+author, "GIT_AUTHOR_EMAIL=a@example.com",
		"GIT_COMMITTER_NAME=ci", "GIT_COMMITTER_EMAIL=ci@example.com")
	if when, ok := commitDates[author]; ok {
		cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// commitDates gives each test author one date, so a commit's author tells its date.
var commitDates = map[string]string{
	"刘洋": "2026-10-01T08:00:00+08:00",
	"王磊": "2026-11-10T09:00:00+08:00",
	"陈静": "2026-11-20T10:00:00+08:00",
}

func (r *repo) write(name, text string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) commit(author string) {
	r.t.Helper()
	r.git(author, "add", "-A")
	r.git(author, "commit", "-q", "-m", "edit by "+author)
}

// history writes a site in site/ over three commits and leaves one file
// uncommitted.
func history(t *testing.T) *repo {
	r := newRepo(t)
	r.write("site/content/a.md", "1")
	r.write("site/content/cases/空 格.md", "1")
	r.write("site/content/old.md", "1")
	r.write("README.md", "1")
	r.commit("刘洋")
	r.write("site/content/a.md", "2")
	r.git("王磊", "mv", "site/content/old.md", "site/content/moved.md")
	r.commit("王磊")
	r.write("site/content/a.md", "3")
	r.write("README.md", "3")
	r.commit("陈静")
	r.write("site/content/new.md", "uncommitted")
	return r
}

func TestRead(t *testing.T) {
	r := history(t)
	l, err := Read(context.Background(), filepath.Join(r.dir, "site"), "content")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // file → author
		"content/a.md":         "陈静",
		"content/cases/空 格.md": "刘洋",
		"content/moved.md":     "王磊", // a rename is a change of the new name
		"content/old.md":       "王磊", // its deletion; the caller asks only for its pages
	}
	got := map[string]string{}
	for f, c := range l.Files {
		got[f] = c.Author
	}
	if !maps.Equal(got, want) {
		t.Errorf("authors = %v, want %v (README.md is outside content/, new.md is not committed)", got, want)
	}
	a := l.Files["content/a.md"]
	if wantTime, _ := time.Parse(time.RFC3339, commitDates["陈静"]); !a.Time.Equal(wantTime) || len(a.Hash) != 40 {
		t.Errorf("content/a.md: time %v, hash %q; want %v and a full hash", a.Time, a.Hash, wantTime)
	}
	if l.Shallow || l.Uncertain != 0 {
		t.Errorf("a full clone reads as shallow=%v uncertain=%d", l.Shallow, l.Uncertain)
	}
}

func TestReadShallowClone(t *testing.T) {
	r := history(t)
	tests := []struct {
		depth     string
		want      []string // files with a known last change
		uncertain int
	}{
		// Depth 1: the one commit seems to add every file; nothing is known.
		{"1", nil, 3},
		// Depth 2: a.md changed in the newest commit; moved.md and 空 格.md
		// are last seen in the boundary commit, so their true date may be
		// older than it.
		{"2", []string{"content/a.md"}, 2},
	}
	for _, tt := range tests {
		t.Run("depth "+tt.depth, func(t *testing.T) {
			clone := filepath.Join(t.TempDir(), "clone")
			r.git("", "clone", "-q", "--depth", tt.depth, "file://"+r.dir, clone)
			l, err := Read(context.Background(), filepath.Join(clone, "site"), "content")
			if err != nil {
				t.Fatal(err)
			}
			if !l.Shallow {
				t.Error("a shallow clone is not reported as shallow")
			}
			got := slices.Sorted(maps.Keys(l.Files))
			if !slices.Equal(got, tt.want) || l.Uncertain != tt.uncertain {
				t.Errorf("known %v, uncertain %d; want %v, uncertain %d", got, l.Uncertain, tt.want, tt.uncertain)
			}
		})
	}
}

func TestReadWithoutHistory(t *testing.T) {
	empty := newRepo(t)
	tests := []struct {
		name    string
		dir     string
		path    string // PATH for the call; "" keeps it
		wantErr error
	}{
		{"not a work tree", t.TempDir(), "", ErrNotRepo},
		{"a repository without commits", empty.dir, "", nil},
		{"git not installed", t.TempDir(), t.TempDir(), ErrNoGit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.path != "" {
				t.Setenv("PATH", tt.path)
			}
			l, err := Read(context.Background(), tt.dir, "content")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && len(l.Files) != 0 {
				t.Errorf("files = %v, want none", l.Files)
			}
		})
	}
}

// BenchmarkRead reads the history of a site of 2,000 pages changed over 40
// commits: one rev-parse and one log, whatever the number of pages.
func BenchmarkRead(b *testing.B) {
	r := newRepo(b)
	const pages, commits = 2000, 40
	for c := range commits {
		for p := c % 20; p < pages; p += 20 {
			r.write(fmt.Sprintf("content/section%d/page%d.md", p%20, p), fmt.Sprint(c))
		}
		r.commit("bench")
	}
	for b.Loop() {
		l, err := Read(context.Background(), r.dir, "content")
		if err != nil || len(l.Files) != pages {
			b.Fatalf("read %d files (%v), want %d", len(l.Files), err, pages)
		}
	}
}
