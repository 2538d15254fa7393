package render

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/playbook-sales/playbook/builder/model"
)

// The web app manifest, and what of offline reading the outputs know:
// the paths of the service worker and its list, and the pages every
// visitor keeps. Build writes the two files last (builder/offline.go).

const (
	// ServiceWorker is the path of the service worker in the output; its
	// scope is the site's base path, so it sits at the top.
	ServiceWorker = "sw.js"
	// OfflineList is the path of the list sw.js keeps on install.
	OfflineList = "offline.json"
)

// OfflinePages lists the pages every visitor keeps: the home page, the
// list pages holding scripts (the script library) and the search page.
func OfflinePages(s *model.Site) []string {
	pages := []string{"./"}
	for _, sec := range s.Sections {
		for _, p := range sec.Pages {
			if p.Type == "script" {
				pages = append(pages, strings.TrimPrefix(sec.URL, "/"))
				break
			}
		}
	}
	return append(pages, "search/")
}

// writeManifest writes the web app manifest. Its URLs are relative to it,
// so the app works under a sub-path.
func (s *rendering) writeManifest(w io.Writer) error {
	m := map[string]any{
		"name":             s.Config.Title,
		"short_name":       s.Config.Title,
		"lang":             s.Config.Language,
		"start_url":        "./",
		"scope":            "./",
		"display":          "standalone",
		"background_color": "#f6f7f9",
		"theme_color":      "#f6f7f9",
		"icons":            []map[string]string{{"src": "favicon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}},
	}
	if s.Config.Description != "" {
		m["description"] = s.Config.Description
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(m)
}
