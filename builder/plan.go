package builder

// The plan of a build: the theme, the outputs listed by package render and
// the static files, their paths checked once; and writing it, into a
// staging folder (writeSite) or any folder (renderAll, for check).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/playbook-sales/playbook/builder/theme"
	"golang.org/x/sync/errgroup"
)

// writeSite renders the plan's outputs, with its static files, into a
// temporary folder beside the destination and swaps it into place. It
// returns the number of files.
func writeSite(ctx context.Context, o Options, plan *sitePlan) (int, error) {
	st, err := stageDir(o.Dest)
	if err != nil {
		return 0, err
	}
	defer st.Close() // the failed build, or after the swap the previous one
	dirs := &dirCache{made: map[string]bool{}, root: st.Path}
	n, err := renderAll(ctx, dirs, plan)
	if err != nil {
		return 0, err
	}
	if err := writeOffline(st.Path, plan.keep, &dirs.sums); err != nil { // last: its id sums every other file
		return 0, err
	}
	if err := swapDir(st.Path, o.Site, o.Dest); err != nil {
		return 0, err
	}
	return n + 1, nil // + OutputMarker
}

// renderAll copies the plan's static files into dir and renders its
// outputs over them. It returns the number of files. When outputs fail, it
// returns the error of the first by path, so that every run reports the
// same one.
func renderAll(ctx context.Context, dirs *dirCache, plan *sitePlan) (int, error) {
	dir := dirs.root
	n, err := copyStatic(dir, plan.statics, dirs)
	if err != nil {
		return 0, err
	}
	outs := plan.outs
	errs := make([]error, len(outs))
	var g errgroup.Group
	g.SetLimit(4 * runtime.GOMAXPROCS(0)) // rendering waits on writes: keep the cores busy
	for i, out := range outs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			errs[i] = writeOutput(out, dir, dirs)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	first := -1
	for i, err := range errs {
		if err != nil && (first < 0 || outs[i].Path() < outs[first].Path()) {
			first = i
		}
	}
	if first >= 0 {
		return 0, errs[first]
	}
	return n + len(outs), nil
}

// writeOutput renders the output into its file under dir.
func writeOutput(out render.Output, dir string, dirs *dirCache) error {
	var buf bytes.Buffer
	if err := out.Render(&buf); err != nil {
		return fmt.Errorf("render %s%s: %w", out.Path(), out.RenderedFor(), err)
	}
	return dirs.writeFile(filepath.Join(dir, filepath.FromSlash(out.Path())), buf.Bytes())
}

// dirCache remembers the folders already made, sparing a MkdirAll (a stat
// per path element) for each of thousands of files.
type dirCache struct {
	mu   sync.Mutex
	made map[string]bool
	root string // the output folder
	sums sums   // of the files written, for the build's id (offline.go)
}

func (c *dirCache) writeFile(p string, data []byte) error {
	if err := c.mkdir(filepath.Dir(p)); err != nil {
		return err
	}
	c.sum(p, crc32.Checksum(data, castagnoli))
	return os.WriteFile(p, data, 0o644)
}

// sum records the checksum of the file at p, a path under root.
func (c *dirCache) sum(p string, sum uint32) {
	rel, err := filepath.Rel(c.root, p)
	if err == nil {
		c.sums.add(filepath.ToSlash(rel), sum)
	}
}

func (c *dirCache) mkdir(dir string) error {
	c.mu.Lock()
	done := c.made[dir]
	c.mu.Unlock()
	if done {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	c.mu.Lock()
	c.made[dir] = true
	c.mu.Unlock()
	return nil
}

// loadTheme lays the site's themes/NAME/ over the embedded default theme.
// The theme's files are read through src while it is open.
func loadTheme(src *source.Site, s *model.Site) (*theme.Theme, error) {
	var top fs.FS
	dir := "themes/" + s.Config.Theme
	f, err := src.Stat(dir)
	switch {
	case err == nil && f.Dir:
		top = src.FS(dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	case s.Config.Theme != "default":
		return nil, fmt.Errorf("playbook.yaml: theme: no folder themes/%s in the site", s.Config.Theme)
	}
	return render.Theme(top, s)
}

// sitePlan is what a build writes: the outputs rendered with the theme,
// and the static files, every path of them checked once.
type sitePlan struct {
	th      *theme.Theme
	outs    []render.Output
	statics []staticFile
	search  *render.StaticSearch // the index build's hand-over to the static search's files
	keep    []string             // pages every visitor keeps offline (offline.go)
}

// planWith loads the site's theme and lists its static files through src,
// lists the outputs and checks that each output path, and each static
// file's, is claimed once and used either as a file or as a folder.
func planWith(s *model.Site, src *source.Site) (*sitePlan, error) {
	th, err := loadTheme(src, s)
	if err != nil {
		return nil, err
	}
	statics, err := staticFiles(src, s.Config.Theme)
	if err != nil {
		return nil, err
	}
	search := &render.StaticSearch{}
	p := &sitePlan{th: th, outs: render.Outputs(s, th, search), statics: statics, search: search, keep: render.OfflinePages(s)}
	return p, render.CheckOutputs(p.outs, staticClaims(statics))
}
