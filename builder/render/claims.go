package render

// URL claims: every file the build writes — a page, an alias, a list or
// term page, a feed, the search page, a static file — is wanted by someone.
// Two claims on one path would make the last writer win, which varies from
// build to build; a path used both as a file and as a folder (a page
// sitemap.xml.md at /sitemap.xml/ beside the sitemap) fails the write. So
// the build checks the paths of the outputs it is about to write, each
// mapped back to who claims it, before writing any, and names the content
// or static file to change.

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/model"
)

// claim is who wants an output path: a content file and the field that
// decides the path, a static file, or a file Playbook generates (what),
// possibly because of a content file (a section's list page, because of a
// page in that folder).
type claim struct {
	file   string // "content/x.md", "static/x.png"; "" for a file nothing in the site causes
	line   int
	field  string // slug, aliases, file, tracks
	what   string // a generated file: "(sitemap)", "(list page of section cases)"
	static bool   // a file of static/, the site's or the theme's
}

// generated is the claim of a file Playbook writes of its own accord.
func generated(what string) claim { return claim{what: what} }

func pageClaim(p *model.Page) claim { return claim{file: p.File, line: p.Line("slug"), field: "slug"} }

func aliasClaim(p *model.Page, i int) claim {
	return claim{file: p.File, line: p.AliasLine(i), field: "aliases"}
}

func indexClaim(p *model.Page) claim { return claim{file: p.File, line: 1, field: "file"} }

// sectionClaim is the section list page's: its _index.md, or else the page of the
// folder that comes first by content path.
func sectionClaim(sec *model.Section) claim {
	what := "(list page of section " + sec.Name + ")"
	if sec.Index != nil {
		return causedBy(what, indexClaim(sec.Index))
	}
	if len(sec.Pages) == 0 {
		return generated(what)
	}
	first := slices.MinFunc(sec.Pages, func(a, b *model.Page) int { return cmp.Compare(a.Path, b.Path) })
	return causedBy(what, claim{file: first.File, line: 1, field: "file"})
}

// causedBy is a generated file that exists because of a content file.
func causedBy(what string, c claim) claim {
	c.what = what
	return c
}

// rank orders claims on one path: generated files first, then those a
// content file causes, then pages and aliases, then static files. The
// error goes to the later of two claims, the one the author is likelier
// to have meant to change.
func (c claim) rank() int {
	switch {
	case c.file == "":
		return 0
	case c.what != "":
		return 1
	case c.static:
		return 3
	}
	return 2
}

func (c claim) String() string {
	switch {
	case c.what != "":
		return c.what
	case c.line > 0 && !c.static:
		return fmt.Sprintf("%s:%d", c.file, c.line)
	}
	return c.file
}

// forFile names the content file an output is rendered for, for errors:
// " (content/x.md)", or "" for an output of the whole site.
func (c claim) forFile() string {
	if c.rank() == 1 || c.rank() == 2 {
		return " (" + c.file + ")"
	}
	return ""
}

// fix says what to change, by what decided the path.
func (c claim) fix() content.Phrase {
	switch {
	case c.static:
		return content.Phrase{En: "rename or remove the static file", Zh: "请重命名或删除这个静态文件"}
	case c.field == "slug" || c.field == "aliases":
		return content.Phrase{En: "give one of them another slug or file name", Zh: "请给其中一个换 slug 或文件名"}
	case c.field == "tracks":
		return content.Phrase{En: "rename the track", Zh: "请给学习路径改名"}
	}
	return content.Phrase{En: "rename the file or its folder", Zh: "请重命名文件或其文件夹"}
}

// PathClaim is a claim on one output path.
type PathClaim struct {
	path string // slash-separated, inside the output folder
	claim
}

// StaticClaim is a claim on output path out by a file of the site that
// is published as it is (static/, themes/NAME/static/).
func StaticClaim(out, file string) PathClaim {
	return PathClaim{out, claim{file: file, line: 1, field: "file", static: true}}
}

// ThemeStaticClaim is a claim on output path out by a file of the default
// theme's static/.
func ThemeStaticClaim(out string) PathClaim {
	return PathClaim{out, claim{what: "(the theme's static/" + out + ")", static: true}}
}

// Path is the path claimed, inside the output folder, slash-separated.
func (c PathClaim) Path() string { return c.path }

// displayURL is the URL a reader types for an output path.
func displayURL(p string) string { return "/" + strings.TrimSuffix(p, "index.html") }

// CheckOutputs checks the claims of outs and of the static files: that
// each path is claimed once and used either as a file or as a folder.
func CheckOutputs(outs []Output, statics []PathClaim) error {
	claims := make([]PathClaim, 0, len(outs)+len(statics))
	for _, o := range outs {
		claims = append(claims, PathClaim{o.path, o.claim})
	}
	for _, f := range statics {
		claims = append(claims, f)
	}
	claims = append(claims, PathClaim{OfflineList, generated("(offline list)")}) // written last (builder/offline.go)
	return checkPaths(claims).Err()
}

// checkPaths reports every path claimed twice, and every path that one
// claim needs as a file and another as a folder, in a fixed order. Paths
// are compared in lower case: case-insensitive file systems (macOS,
// Windows) would merge them.
func checkPaths(claims []PathClaim) content.Errors {
	slices.SortStableFunc(claims, func(a, b PathClaim) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.path), strings.ToLower(b.path)),
			cmp.Compare(a.rank(), b.rank()), cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line))
	})
	first := make(map[string]PathClaim, len(claims))
	var errs content.Errors
	for _, c := range claims {
		key := strings.ToLower(c.path)
		if f, ok := first[key]; ok {
			if !harmless(f, c) {
				at, other := blame(c, f)
				errs = append(errs, errorAt(at, content.KindURLClaimed, subject(at), other.claim, at.fix()))
			}
			continue
		}
		first[key] = c
	}
	for _, c := range claims {
		for dir := path.Dir(c.path); dir != "."; dir = path.Dir(dir) {
			if f, ok := first[strings.ToLower(dir)]; ok && !(f.static && c.static) {
				errs = append(errs, folderClash(c, f, dir))
				break
			}
		}
	}
	return errs
}

// harmless are two claims the build resolves on purpose: a site's static
// file replacing the theme's (static files among themselves are the
// copy's business), or two aliases of one page in two letter cases, which
// write the same redirect.
func harmless(a, b PathClaim) bool {
	return (a.static && b.static) || (a.file == b.file && a.field == "aliases" && b.field == "aliases")
}

// blame picks, of two claims in conflict, the one the author is to change:
// the one of higher rank, else a, the later one.
func blame(a, b PathClaim) (at, other PathClaim) {
	if a.rank() < b.rank() {
		return b, a
	}
	return a, b
}

// folderClash is the error for c, whose path runs through dir, the file f.
func folderClash(c, f PathClaim, dir string) *content.Error {
	if at, other := blame(c, f); at.path == c.path {
		return errorAt(at, content.KindNeedsFolder, subject(at), dir, other.claim, at.fix())
	}
	return errorAt(f, content.KindIsFile, subject(f), c.claim, dir, f.fix())
}

// subject names the URL of a claim, and what it is when generated.
func subject(c PathClaim) string {
	if c.what != "" {
		return displayURL(c.path) + " " + c.what
	}
	return displayURL(c.path)
}

// errorAt locates an error at a claim.
func errorAt(at PathClaim, k content.Kind, args ...any) *content.Error {
	e := content.NewError(at.file, at.line, at.field, k, args...)
	if e.File == "" { // two generated files: a theme's or Playbook's own mistake
		e.File, e.Line, e.Field = at.what, 1, "url"
	}
	return e
}
