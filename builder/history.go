package builder

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/playbook-sales/playbook/builder/gitinfo"
	"github.com/playbook-sales/playbook/builder/model"
)

// history is what git tells of the content files: the last commit of each,
// and, when it could tell less than a site in git would expect, why.
type history struct {
	commits map[string]gitinfo.Commit // "content/cases/acme.md" → its last commit
	note    string                    // said once by the command; "" when all is well
}

// readHistory reads the last commit of every content file in one git pass
// (builder/gitinfo). A site outside git simply has none; missing git, a
// refusing git or a shallow clone is a note, never a failed build.
func readHistory(ctx context.Context, o Options) *history {
	if o.NoGit {
		return &history{}
	}
	l, err := gitinfo.Read(ctx, o.Site, "content")
	switch {
	case errors.Is(err, gitinfo.ErrNotRepo):
		return &history{}
	case errors.Is(err, gitinfo.ErrNoGit):
		if !inWorkTree(o.Site) {
			return &history{}
		}
		return &history{note: "git is not installed, so pages show no last change from git: their dates come from front matter (--no-git says so on purpose)"}
	case err != nil:
		return &history{note: fmt.Sprintf("%v; pages show no last change from git: their dates come from front matter (--no-git skips git)", err)}
	}
	h := &history{commits: l.Files}
	if l.Shallow && l.Uncertain > 0 {
		h.note = fmt.Sprintf("the git history is shallow: %d content %s last changed before the oldest fetched commit, so %s front matter dates; "+
			"fetch the whole history (actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0)",
			l.Uncertain, plural(l.Uncertain, "file was", "files were"), plural(l.Uncertain, "it shows its", "they show their"))
	}
	return h
}

// inWorkTree reports whether dir or a folder above it holds .git, i.e.
// whether the site looks versioned even though git cannot be run.
func inWorkTree(dir string) bool {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return false
		}
		dir = up
	}
}

// apply gives a page its last commit; the commit's time becomes the
// page's lastmod (as Hugo's enableGitInfo does), front matter being the
// fallback for files git knows nothing of.
func (h *history) apply(p *model.Page) {
	c, ok := h.commits[p.File]
	if !ok {
		return
	}
	p.LastCommit = &c
	p.Lastmod = c.Time
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
