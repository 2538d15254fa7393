// Package themes embeds the default theme into the playbook binary, so a
// site needs nothing but the binary to build. A site overrides any file of it
// by putting a file at the same path under its own themes/NAME/.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var embedded embed.FS

// Default is the default theme: layouts/, static/, i18n/ and archetypes/.
var Default fs.FS = mustSub(embedded, "default")

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
