package builder

import (
	"context"
	"fmt"
	"os"

	"github.com/playbook-sales/playbook/builder/model"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/builder/source"
)

// Check validates the site as Build does and derives the health findings,
// without writing the site. Content errors come back as content.Errors;
// any other error is the one Build would give.
func Check(ctx context.Context, o Options) (*model.Site, []model.Warning, error) {
	o.Dest = os.DevNull // never written; keeps normalize's destination check quiet
	if err := o.normalize(); err != nil {
		return nil, nil, err
	}
	src, cfg, err := openSite(&o)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	site, _, err := load(ctx, src, o, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := dryRun(ctx, o, src, site); err != nil {
		return nil, nil, err
	}
	return site, site.Warnings(), nil
}

// dryRun does what Build does after Load — plan the outputs, copy the
// static files and render every output (Load read the synonyms) — into a
// temporary folder that it then removes, so that any site Build would fail
// on fails Check with the same error. Only the search index itself is left
// out: it depends on no content rule, and its static files wait for it.
func dryRun(ctx context.Context, o Options, src *source.Site, site *model.Site) error {
	plan, err := planWith(site, src)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "playbook-check-")
	if err != nil {
		return fmt.Errorf("create check folder: %w", err)
	}
	defer os.RemoveAll(dir)
	plan.outs = render.WithoutSearchData(plan.outs)
	_, err = renderAll(ctx, &dirCache{made: map[string]bool{}, root: dir}, plan)
	return err
}
