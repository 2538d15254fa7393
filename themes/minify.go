package themes

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// StaticFiles is the default theme's static/ as a site publishes it, by
// path under static/: its JavaScript and CSS minified (Minify), everything
// else as it is. The theme's sources keep their comments for the people
// who read them; a rep's phone downloads about 40% fewer bytes of script
// and style (`make bench` reports the published search client's size).
//
// The files are made once per process: the embedded theme never changes.
var StaticFiles = sync.OnceValues(func() (map[string][]byte, error) { return minifyStatic(Default) })

// mediaTypes are the files minified, by extension. tdewolff/minify (the
// minifier behind `hugo --minify`) reads ES modules (import/export) and
// renames no exported or global name.
var mediaTypes = map[string]string{".js": "text/javascript", ".css": "text/css"}

// minifier is made once; a minify.M is safe for concurrent use.
var minifier = sync.OnceValue(func() *minify.M {
	m := minify.New()
	m.AddFunc(mediaTypes[".js"], js.Minify)
	m.AddFunc(mediaTypes[".css"], css.Minify)
	return m
})

// Minifiable reports whether Minify changes a file of this name.
func Minifiable(name string) bool {
	_, ok := mediaTypes[path.Ext(name)]
	return ok
}

// Minify is a theme file's published form: a .js or .css file minified.
// A file the minifier cannot read is returned as it is, with the error:
// a browser then reports the mistake at the line the author wrote.
func Minify(name string, data []byte) ([]byte, error) {
	mt, ok := mediaTypes[path.Ext(name)]
	if !ok {
		return data, nil
	}
	out, err := minifier().Bytes(mt, data)
	if err != nil {
		return data, err
	}
	return out, nil
}

// minifyStatic reads theme's static/ and minifies what Minify covers; an
// error of the embedded theme's own files is Playbook's bug, and reported.
func minifyStatic(theme fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			return err
		}
		if data, err = Minify(p, data); err != nil {
			return fmt.Errorf("minify the theme's %s: %w", p, err) // tdewolff's error gives the line
		}
		files[strings.TrimPrefix(p, "static/")] = data
		return nil
	})
	return files, err
}
