package builder

// The files a build reads, all through package source: content/ (build.go
// readContent), playbook.yaml, synonyms.yaml, the theme, archetypes/ and
// the static files. Build, check and serve open the site the same way and
// list static files with the same function, so they apply one rule about
// links and special files and cannot disagree about what a site contains.

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/playbook-sales/playbook/search"
	"github.com/playbook-sales/playbook/themes"
)

// openSite opens the site folder and loads its playbook.yaml through it,
// with the options' overrides applied. The caller closes the site.
func openSite(o *Options) (*source.Site, *config.Config, error) {
	src, err := source.Open(o.Site)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := siteConfig(src, o)
	if err != nil {
		src.Close()
		return nil, nil, err
	}
	return src, cfg, nil
}

// siteConfig loads the playbook.yaml of src with the options' overrides.
func siteConfig(src *source.Site, o *Options) (*config.Config, error) {
	cfg, err := config.Load(src.FS("."))
	if err != nil {
		return nil, err
	}
	if o.BaseURL != "" {
		cfg.BaseURL = o.BaseURL
	}
	if err := o.applyNow(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkSources applies the source rule to what the build reads besides
// content/ and playbook.yaml, before anything is written: static/, the
// site's theme folder and archetypes/ (read by new, and one rule for all).
func checkSources(src *source.Site, cfg *config.Config) content.Errors {
	var errs content.Errors
	for _, dir := range []string{"static", "themes/" + cfg.Theme, "archetypes"} {
		_, e := src.Walk(dir, nil)
		errs = append(errs, e...)
	}
	return errs
}

// readSynonyms reads synonyms.yaml once, through src, for everything that
// indexes the site: the built-in groups followed by the site's (none when
// the file is missing).
func readSynonyms(src *source.Site) ([][]string, content.Errors) {
	groups := search.BuiltinSynonyms()
	f, err := src.Stat(search.SynonymsFile)
	if errors.Is(err, fs.ErrNotExist) {
		return groups, nil
	}
	var data []byte
	if err == nil {
		data, err = src.ReadFile(f, source.MaxFileSize)
	}
	if err != nil {
		return nil, content.Errors{source.AsError(search.SynonymsFile, err)}
	}
	site, err := search.ParseSynonyms(data)
	if err != nil {
		return nil, content.Errors{{File: search.SynonymsFile, Line: 1, Field: "file", Msg: err.Error()}}
	}
	return append(groups, site...), nil
}

// staticFile is a file the site publishes as it is.
type staticFile struct {
	render.PathClaim // its path in the output, and who publishes it, for messages about it
	open             func() (io.ReadCloser, error)
}

// staticClaims are the static files' claims on their paths.
func staticClaims(files []staticFile) []render.PathClaim {
	out := make([]render.PathClaim, len(files))
	for i, f := range files {
		out[i] = f.PathClaim
	}
	return out
}

// staticFiles lists the files a site publishes as they are, by output
// path: the default theme's static/, the site theme's themes/NAME/static/
// over it, and the site's static/ over both. Build copies them and serve
// holds them in memory; both list them here. The site's files open through
// src. A theme's scripts and styles are published minified (themes.Minify),
// the default theme's from themes.StaticFiles; the site's static/ is
// published byte for byte.
func staticFiles(src *source.Site, themeName string) ([]staticFile, error) {
	byPath := map[string]staticFile{}
	theme, err := themes.StaticFiles()
	if err != nil {
		return nil, fmt.Errorf("read theme static: %w", err)
	}
	for out, data := range theme {
		byPath[out] = staticFile{PathClaim: render.ThemeStaticClaim(out),
			open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
	}
	var errs content.Errors
	for _, dir := range []string{"themes/" + themeName + "/static", "static"} {
		files, e := src.Walk(dir, nil)
		errs = append(errs, e...)
		for _, f := range files {
			if out, ok := strings.CutPrefix(f.Name, dir+"/"); ok && !f.Dir {
				byPath[out] = siteStatic(src, f, out, dir != "static")
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	list := make([]staticFile, 0, len(byPath))
	for _, f := range byPath {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path() < list[j].Path() })
	return list, nil
}

// siteStatic is a file of the site folder's static/ or, when theme is
// set, of its theme's static/.
func siteStatic(src *source.Site, f source.File, out string, theme bool) staticFile {
	open := func() (io.ReadCloser, error) {
		r, err := src.Open(f)
		if err != nil {
			return nil, err // not a nil *os.File in an interface
		}
		return r, nil
	}
	sf := staticFile{PathClaim: render.StaticClaim(out, f.Name), open: open}
	if theme && themes.Minifiable(out) {
		sf.open = func() (io.ReadCloser, error) { return minified(open, out) }
	}
	return sf
}

// minified reads a theme's script or style whole and minifies it. One the
// minifier cannot read is published as it is.
func minified(open func() (io.ReadCloser, error), name string) (io.ReadCloser, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data, _ = themes.Minify(name, data)
	return io.NopCloser(bytes.NewReader(data)), nil
}

// copyStatic copies the static files into dir, a file at a time through
// a small buffer: a video in static/ costs a build no memory.
func copyStatic(dir string, files []staticFile, dirs *dirCache) (int, error) {
	for _, f := range files {
		if err := dirs.copyFile(filepath.Join(dir, filepath.FromSlash(f.Path())), f); err != nil {
			return 0, fmt.Errorf("copy static %s: %w", f.Path(), err)
		}
	}
	return len(files), nil
}

func (c *dirCache) copyFile(p string, f staticFile) error {
	r, err := f.open()
	if err != nil {
		return err
	}
	defer r.Close()
	if err := c.mkdir(filepath.Dir(p)); err != nil {
		return err
	}
	w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	h := crc32.New(castagnoli)
	if _, err := io.Copy(io.MultiWriter(w, h), r); err != nil {
		w.Close()
		return err
	}
	c.sum(p, h.Sum32())
	return w.Close()
}

// readStatic reads the static files into memory, for serve, which answers
// from memory: a static file there costs its size for as long as it runs.
// The service worker is not among them: the preview is never cached.
func readStatic(list []staticFile) (map[string][]byte, error) {
	files := make(map[string][]byte, len(list))
	for _, f := range list {
		if f.Path() == render.ServiceWorker {
			continue
		}
		r, err := f.open()
		if err != nil {
			return nil, err
		}
		files[f.Path()], err = io.ReadAll(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("read static %s: %w", f.Path(), err)
		}
	}
	return files, nil
}
