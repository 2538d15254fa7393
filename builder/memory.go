package builder

import (
	"context"
	"io/fs"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/builder/source"
)

// memoryBuild is a site built in memory: what serve keeps between saves
// (Live) and what RenderFS returns.
type memoryBuild struct {
	site  *model.Site
	plan  *sitePlan
	outs  []render.Output   // the plan's outputs but the static search's data
	files map[string][]byte // by output path: the static files, then every output
}

// buildInMemory reads the site from src and renders it into memory: every
// file `playbook build` writes but the static search's data, which waits
// for a search index that Build makes beside the site (serve indexes apart,
// after saves pause, and exports those files itself: preview.Server), and
// the service worker and its offline list, which serve never registers.
func buildInMemory(ctx context.Context, src *source.Site, o Options, cfg *config.Config) (*memoryBuild, error) {
	site, _, plan, err := loadPlan(ctx, src, o, cfg)
	if err != nil {
		return nil, err
	}
	files, err := readStatic(plan.statics)
	if err != nil {
		return nil, err
	}
	outs := render.WithoutSearchData(plan.outs)
	if err := renderInto(ctx, files, outs); err != nil {
		return nil, err
	}
	return &memoryBuild{site: site, plan: plan, outs: outs, files: files}, nil
}

// loadPlan reads the site from src and plans its outputs: what Build
// writes to a folder and buildInMemory renders into memory. It returns
// how many pages it left out as hidden too.
func loadPlan(ctx context.Context, src *source.Site, o Options, cfg *config.Config) (*model.Site, int, *sitePlan, error) {
	site, hidden, err := load(ctx, src, o, cfg)
	if err != nil {
		return nil, 0, nil, err
	}
	plan, err := planWith(site, src)
	if err != nil {
		return nil, 0, nil, err
	}
	return site, hidden, plan, nil
}

// RenderFS builds the site held in fsys (a folder's files, with
// playbook.yaml and content/ at its top) in memory and returns its files
// by output path, as buildInMemory renders them. Git history and the
// search miss report live in a site folder, so it reads neither. For
// golden-site tests from fstest.MapFS, and tools that hold a site in
// memory.
func RenderFS(ctx context.Context, fsys fs.FS, o Options) (map[string][]byte, error) {
	o.Site, o.NoGit = "", true
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	src := source.FromFS(fsys)
	cfg, err := siteConfig(src, &o)
	if err != nil {
		return nil, err
	}
	b, err := buildInMemory(ctx, src, o, cfg)
	if err != nil {
		return nil, err
	}
	return b.files, nil
}
