package render

import "github.com/playbook-sales/playbook/builder/model"

// Data is what every layout receives.
type Data struct {
	Site     *model.Site
	Kind     string              // home, section, taxonomy, term, 404, alias, page
	Title    string              // for <title>
	URL      string              // site-relative URL of this output
	Page     *model.Page         // the page itself, or the _index.md of a list
	Section  *model.Section      // on section lists
	Taxonomy *model.Taxonomy     // on taxonomy and term pages
	Term     *model.Term         // on term pages
	Pages    []*model.Page       // what a list shows: on a paged list, this page's entries
	Pager    *Pager              // on lists: the page's place in the list, its size and totals (paging.go)
	Library  []model.ScriptStage // on the script library: this page's cards by stage and channel
	Board    *BoardView          // on the health report and action board: counts and this page's rows (boardpages.go)
	Listing  bool                // a section's pages as a list where the section has another view: every training session
	Target   string              // alias pages: where to go
}

// ListType is the type of a section list's pages, which picks the theme's
// layouts/list/TYPE.html (theme.ListTyped); "" for any other output.
func (d *Data) ListType() string {
	if d.Section == nil {
		return ""
	}
	return d.Section.Type
}

// Rel is Site.Rel, for templates.
func (d *Data) Rel(u string) string { return d.Site.Rel(u) }
