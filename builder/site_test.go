package builder_test

// Golden site tests. Each builder/testdata/sites/NAME.txtar is a whole site
// (playbook.yaml, content/, static/, themes/, …) plus a "want" file: a
// script of builds and assertions, run top to bottom. Paths are relative to
// the site folder; the clock is 2026-11-23T12:00:00+08:00 unless --now says
// otherwise.
//
//	# comment
//	build [-D] [-F] [-E] [--now T] [--base-url U] [--dest DIR]   must succeed
//	fail  [flags]                 must fail; later "error" lines look at its error
//	error TEXT                    the failed build reported exactly this line
//	errors N                      … and N content errors in all
//	exists PATH / absent PATH     a file is there / is not
//	contains PATH TEXT            the file holds TEXT (rest of the line, as is)
//	!contains PATH TEXT           it does not
//	text PATH TEXT                the page's visible text (tags dropped, entities decoded, spaces collapsed) holds TEXT
//	!text PATH TEXT               it does not
//	href PATH URL                 the file links to URL (an href), and URL leads to a built file
//	links PREFIX                  every root-relative href/src/action in every HTML file starts with PREFIX
//	json PATH QUERY VALUE         the JSON value at QUERY equals VALUE (JSON); QUERY: . (all) .key [3] [key=value] #
//	keys PATH QUERY K1 K2 …       the object at QUERY has exactly these keys
//	golden PATH NAME              the file equals the archive's golden/NAME (-update rewrites it)
//	count GLOB N                  N files match GLOB
//	cp SRC DST / rm PATH          change the site between builds
//	reset                         put the site back as the archive has it (public/ stays)
//	snapshot / unchanged          remember public/, then check it is byte for byte the same
//
// Run one site: go test ./builder -run 'TestSites/urls'

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden/ files of testdata/sites/*.txtar from the current output")

// testNow is the build clock of the golden sites.
var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

func TestSites(t *testing.T) { eachSite(t, runSite) }

// eachSite runs test on every golden site of testdata/sites, in parallel.
func eachSite(t *testing.T, test func(t *testing.T, file string)) {
	files, err := filepath.Glob("testdata/sites/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sites: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			test(t, file)
		})
	}
}

// siteRun is the state of one site's script.
type siteRun struct {
	t       *testing.T
	file    string // the .txtar
	ar      *txtar.Archive
	dir     string // the site folder
	line    int    // line of the want script being run
	err     error  // of the last "fail"
	base    string // base path of the last build, "/" or "/kb/"
	snap    map[string][32]byte
	changed bool // a golden file was rewritten
}

func runSite(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r := &siteRun{t: t, file: file, ar: ar, dir: t.TempDir()}
	var script []byte
	for _, f := range ar.Files {
		if f.Name == "want" {
			script = f.Data
		}
	}
	r.reset()
	if script == nil {
		t.Fatalf("%s: no want file", file)
	}
	raw, _ := os.ReadFile(file)
	offset := 1 // line of the .txtar on which the script begins
	if i := bytes.Index(raw, []byte("\n-- want --\n")); i >= 0 {
		offset = bytes.Count(raw[:i], []byte("\n")) + 3
	}
	for i, l := range strings.Split(string(script), "\n") {
		r.line = offset + i
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		r.exec(l)
	}
	if r.changed {
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// reset puts the site back as the archive has it, keeping public/.
func (r *siteRun) reset() {
	r.t.Helper()
	entries, err := os.ReadDir(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "public" {
			if err := os.RemoveAll(filepath.Join(r.dir, e.Name())); err != nil {
				r.t.Fatal(err)
			}
		}
	}
	for _, f := range r.ar.Files {
		if f.Name != "want" && !strings.HasPrefix(f.Name, "golden/") {
			r.write(f.Name, f.Data)
		}
	}
}

func (r *siteRun) errorf(format string, args ...any) {
	r.t.Helper()
	r.t.Errorf("%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

func (r *siteRun) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

func (r *siteRun) path(p string) string { return filepath.Join(r.dir, filepath.FromSlash(p)) }

func (r *siteRun) write(name string, data []byte) {
	p := r.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *siteRun) read(p string) []byte {
	r.t.Helper()
	b, err := os.ReadFile(r.path(p))
	if err != nil {
		r.fatalf("%v", err)
	}
	return b
}

func (r *siteRun) exec(l string) {
	r.t.Helper()
	cmd, rest, _ := strings.Cut(l, " ")
	rest = strings.TrimSpace(rest)
	args := strings.Fields(rest)
	need := func(n int) {
		if len(args) < n {
			r.fatalf("%s needs %d arguments", cmd, n)
		}
	}
	switch cmd {
	case "build":
		res, err := r.build(args)
		if err != nil {
			r.fatalf("build %s: %v", rest, err)
		}
		r.base = res.Site.BasePath
	case "fail":
		_, r.err = r.build(args)
		if r.err == nil {
			r.fatalf("build %s succeeded, want an error", rest)
		}
	case "error":
		if r.err == nil {
			r.fatalf("error: no failed build before")
		}
		if !slices.Contains(strings.Split(r.err.Error(), "\n"), rest) {
			r.errorf("the build did not report\n\t%s\nit reported:\n\t%s", rest, strings.ReplaceAll(r.err.Error(), "\n", "\n\t"))
		}
	case "errors":
		need(1)
		var ce content.Errors
		if !errors.As(r.err, &ce) {
			r.fatalf("the build failed with %v, not content errors", r.err)
		}
		if n, _ := strconv.Atoi(args[0]); len(ce) != n {
			r.errorf("%d content errors, want %d:\n\t%s", len(ce), n, strings.ReplaceAll(ce.Error(), "\n", "\n\t"))
		}
	case "exists":
		need(1)
		if _, err := os.Stat(r.path(args[0])); err != nil {
			r.errorf("%s does not exist", args[0])
		}
	case "absent":
		need(1)
		if _, err := os.Stat(r.path(args[0])); err == nil {
			r.errorf("%s exists", args[0])
		}
	case "contains", "!contains":
		need(2)
		text := strings.TrimSpace(strings.TrimPrefix(rest, args[0]))
		has := bytes.Contains(r.read(args[0]), []byte(text))
		if has != (cmd == "contains") {
			r.errorf("%s: contains %q = %v", args[0], text, has)
		}
	case "text", "!text":
		need(2)
		text := strings.Join(strings.Fields(strings.TrimPrefix(rest, args[0])), " ")
		if has := strings.Contains(visibleText(r.read(args[0])), text); has != (cmd == "text") {
			r.errorf("%s: text %q = %v; the page reads:\n\t%s", args[0], text, has, visibleText(r.read(args[0])))
		}
	case "href":
		need(2)
		r.href(args[0], args[1])
	case "links":
		need(1)
		r.links(args[0])
	case "json":
		need(3)
		r.jsonValue(args[0], args[1], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(rest, args[0])), args[1])))
	case "keys":
		need(2)
		r.jsonKeys(args[0], args[1], args[2:])
	case "golden":
		need(2)
		r.golden(args[0], args[1])
	case "count":
		need(2)
		matches, err := filepath.Glob(r.path(args[0]))
		if err != nil {
			r.fatalf("%v", err)
		}
		if n, _ := strconv.Atoi(args[1]); len(matches) != n {
			r.errorf("%d files match %s, want %d", len(matches), args[0], n)
		}
	case "cp":
		need(2)
		r.write(args[1], r.read(args[0]))
	case "rm":
		need(1)
		if err := os.RemoveAll(r.path(args[0])); err != nil {
			r.fatalf("%v", err)
		}
	case "reset":
		r.reset()
	case "snapshot":
		r.snap = r.tree("public")
	case "unchanged":
		r.unchanged()
	default:
		r.fatalf("unknown command %q", cmd)
	}
}

// visibleText is what a reader sees of an HTML page, as one line: tags
// dropped, entities decoded, runs of spaces made one. What no reader sees
// is left out: scripts, styles, <template> contents and elements marked
// hidden (the reader's clock shows some of them later: clock.js).
func visibleText(page []byte) string {
	doc, err := html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
	if err != nil {
		return ""
	}
	var words []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "template" || hasAttr(n, "hidden")) {
			return
		}
		if n.Type == html.TextNode {
			words = append(words, strings.Fields(n.Data)...)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(words, " ")
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

// build runs builder.Build on the site with flags like the CLI's. A panic
// fails this site only, not every test of the package.
func (r *siteRun) build(args []string) (res *builder.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.fatalf("build panicked: %v", p)
		}
	}()
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	o := builder.Options{Site: r.dir, Now: testNow}
	fs.BoolVar(&o.Drafts, "D", false, "")
	fs.BoolVar(&o.Future, "F", false, "")
	fs.BoolVar(&o.Expired, "E", false, "")
	fs.StringVar(&o.BaseURL, "base-url", "", "")
	now := fs.String("now", "", "")
	dest := fs.String("dest", "", "")
	if err := fs.Parse(args); err != nil {
		r.fatalf("%v", err)
	}
	if *now != "" {
		t, err := content.ParseDate(*now, testNow.Location())
		if err != nil {
			r.fatalf("--now: %v", err)
		}
		o.Now = t
	}
	if *dest != "" {
		o.Dest = r.path(*dest)
	}
	return builder.Build(context.Background(), o)
}

var attrRE = regexp.MustCompile(`\b(href|src|action)="([^"]*)"|content="\d+;\s*url=([^"]*)"`)

// links checks that no root-relative link in any HTML file escapes the
// base path, so the site works when served under it.
func (r *siteRun) links(prefix string) {
	r.t.Helper()
	n := 0
	err := filepath.WalkDir(r.path("public"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(r.dir, p)
		for _, m := range attrRE.FindAllStringSubmatch(string(b), -1) {
			u := m[2] + m[3]
			if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
				continue
			}
			n++
			if !strings.HasPrefix(u, prefix) {
				r.errorf("%s: %s=%q does not start with %s", filepath.ToSlash(rel), m[1], u, prefix)
			}
		}
		return nil
	})
	if err != nil {
		r.fatalf("%v", err)
	}
	if n == 0 {
		r.errorf("no root-relative links at all; the check proves nothing")
	}
}

// href checks that file links to want and that the link leads to a file
// of the build (want is given unescaped; the HTML may percent-encode it).
func (r *siteRun) href(file, want string) {
	r.t.Helper()
	found := false
	for _, m := range attrRE.FindAllStringSubmatch(string(r.read(file)), -1) {
		if m[1] != "href" && m[3] == "" {
			continue
		}
		u := m[2] + m[3]
		if dec, err := url.PathUnescape(u); err == nil {
			u = dec
		}
		if u == want {
			found = true
			break
		}
	}
	if !found {
		r.errorf("%s has no link to %s", file, want)
		return
	}
	target := strings.SplitN(want, "#", 2)[0]
	if strings.Contains(target, "://") {
		return
	}
	if !strings.HasPrefix(target, r.base) {
		r.errorf("%s links to %s, outside the base path %s", file, want, r.base)
		return
	}
	p := "public/" + strings.TrimPrefix(target, r.base)
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	if _, err := os.Stat(r.path(p)); err != nil {
		r.errorf("%s links to %s, but the build has no %s", file, want, p)
	}
}

// query walks a JSON value: ".key", "[3]", "[key=value]", and a final "#"
// for the length of a list or object.
func query(v any, q string) (any, error) {
	for q != "" && q != "." {
		switch {
		case q == "#":
			switch x := v.(type) {
			case []any:
				return float64(len(x)), nil
			case map[string]any:
				return float64(len(x)), nil
			}
			return nil, fmt.Errorf("# of %T", v)
		case q[0] == '.':
			q = q[1:]
			i := strings.IndexAny(q, ".[#")
			if i < 0 {
				i = len(q)
			}
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf(".%s of %T", q[:i], v)
			}
			if v, ok = m[q[:i]]; !ok {
				return nil, fmt.Errorf("no key %q", q[:i])
			}
			q = q[i:]
		case q[0] == '[':
			end := strings.IndexByte(q, ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in %q", q)
			}
			sel := q[1:end]
			q = q[end+1:]
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("[%s] of %T", sel, v)
			}
			if k, want, ok := strings.Cut(sel, "="); ok {
				v = nil
				for _, e := range list {
					if m, ok := e.(map[string]any); ok && fmt.Sprint(m[k]) == want {
						v = e
						break
					}
				}
				if v == nil {
					return nil, fmt.Errorf("no element with %s", sel)
				}
				continue
			}
			i, err := strconv.Atoi(sel)
			if err != nil || i < 0 || i >= len(list) {
				return nil, fmt.Errorf("no element [%s] in a list of %d", sel, len(list))
			}
			v = list[i]
		default:
			return nil, fmt.Errorf("bad query at %q", q)
		}
	}
	return v, nil
}

func (r *siteRun) jsonAt(file, q string) any {
	r.t.Helper()
	var v any
	if err := json.Unmarshal(r.read(file), &v); err != nil {
		r.fatalf("%s: %v", file, err)
	}
	got, err := query(v, q)
	if err != nil {
		r.fatalf("%s %s: %v", file, q, err)
	}
	return got
}

func (r *siteRun) jsonValue(file, q, wantText string) {
	r.t.Helper()
	got := r.jsonAt(file, q)
	var want any
	if err := json.Unmarshal([]byte(wantText), &want); err != nil {
		r.fatalf("value %s: %v", wantText, err)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		r.errorf("%s %s = %s, want %s", file, q, g, wantText)
	}
}

func (r *siteRun) jsonKeys(file, q string, want []string) {
	r.t.Helper()
	m, ok := r.jsonAt(file, q).(map[string]any)
	if !ok {
		r.fatalf("%s %s is not an object", file, q)
	}
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	sort.Strings(got)
	want = slices.Clone(want)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		r.errorf("%s %s keys = %q, want %q", file, q, got, want)
	}
}

func (r *siteRun) golden(file, name string) {
	r.t.Helper()
	got := r.read(file)
	for i, f := range r.ar.Files {
		if f.Name != "golden/"+name {
			continue
		}
		if *update {
			r.ar.Files[i].Data = got
			r.changed = true
			return
		}
		if !bytes.Equal(f.Data, got) {
			r.errorf("%s differs from golden/%s (go test ./builder -run TestSites -update rewrites it; review the diff)\n%s",
				file, name, firstDiff(string(f.Data), string(got)))
		}
		return
	}
	if *update {
		r.ar.Files = append(r.ar.Files, txtar.File{Name: "golden/" + name, Data: got})
		r.changed = true
		return
	}
	r.errorf("no golden/%s in the archive (run with -update)", name)
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n\twant %q\n\tgot  %q", i+1, wl, gl)
		}
	}
	return ""
}

// tree hashes every file under dir, by slash path.
func (r *siteRun) tree(dir string) map[string][32]byte {
	r.t.Helper()
	out := map[string][32]byte{}
	root := r.path(dir)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		r.fatalf("%v", err)
	}
	return out
}

func (r *siteRun) unchanged() {
	r.t.Helper()
	if r.snap == nil {
		r.fatalf("unchanged without snapshot")
	}
	now := r.tree("public")
	for p, h := range r.snap {
		if h2, ok := now[p]; !ok {
			r.errorf("public/%s disappeared", p)
		} else if h2 != h {
			r.errorf("public/%s changed", p)
		}
	}
	for p := range now {
		if _, ok := r.snap[p]; !ok {
			r.errorf("public/%s appeared", p)
		}
	}
	if left, _ := filepath.Glob(r.path(".playbook-build-*")); len(left) > 0 {
		r.errorf("the failed build left %s behind", path.Base(filepath.ToSlash(left[0])))
	}
}
