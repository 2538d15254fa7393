// Package model is the site model: the published pages of a site with
// their rendered bodies, its sections, taxonomies and backlinks, and the
// views derived from them (action board, health report, training
// calendar and tracks, script library, related pages). It is what the
// theme's templates see as .Site and .Page.
//
// Make builds a Site from parsed pages (package content); reading files is
// the caller's (package builder), and nothing here touches disk. A Site is
// not changed once made, but for the search miss report serve reads again
// (SetMisses) and the fragments rendered once and shared by many outputs
// (Page.Item, Page.Card). Serve's rebuild after a save makes a new Site
// and carries over what did not change (rebuild.go).
//
// Imports run one way: content → model → render → builder → preview, cmd.
package model
