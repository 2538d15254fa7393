package render

import "github.com/playbook-sales/playbook/builder/model"

// rendering is a site model as its outputs are listed and rendered: the
// model, and the static search's hand-over from the index build.
type rendering struct {
	*model.Site
	static *StaticSearch // index → public/search/ (staticsearch.go)
}
