// Package render lists and renders the outputs of a site model
// (builder/model) with a theme: Outputs is the one list of files that
// build and serve share, each with its path, its render function, who
// claims the path (claims.go, checked by CheckOutputs) and what it shows
// of the pages (deps.go), which serve's incremental rebuild reads. Beside
// the list are the template functions (output.go), lists and their paging
// and filter data (paging.go, rows.go), the sales boards (boardpages.go),
// training pages and feeds (trainingpages.go, feeds.go), the JSON API
// (api.go), the sitemap, the web app manifest and the static search's
// files (staticsearch.go).
//
// An output renders into an io.Writer; where the bytes go — a staging
// folder or memory — and which files a site has are package builder's.
// Imports run one way: content → model → render → builder → preview, cmd.
package render
