package main

// The docs-cn section: a full build of a real corpus (pingcap/docs-cn's
// Markdown, read from outside the repository) by Playbook, and by Hugo
// followed by Pagefind, the pair it replaces, interleaved in one run.

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// docsCNTargets are issue 12's targets: Playbook's build at most this
// share of Hugo + Pagefind's wall time and of Pagefind's peak RSS.
const (
	docsCNWallTarget = 0.5
	docsCNRSSTarget  = 0.5
)

// docsCNTool is one of the measured commands; args are filled in per run.
type docsCNTool struct {
	Name string
	Runs []Run
}

// step is one command of a round and the tool whose runs it adds to.
type step struct {
	tool *docsCNTool
	cmd  *exec.Cmd
}

func docsCNSection(ctx context.Context, e *Env) (string, error) {
	head := "## Real corpus: pingcap/docs-cn\n\n"
	if e.Corpus == "" {
		return head + "Not measured: no corpus folder (set `-corpus` or `PLAYBOOK_CORPUS` to a copy of pingcap/docs-cn's Markdown).\n", nil
	}
	if _, err := os.Stat(e.Corpus); err != nil {
		return head + fmt.Sprintf("Not measured: the corpus folder is missing (%v).\n", err), nil
	}
	site, hugoSite, pages, dropped, err := prepareDocsCN(e.Work, e.Corpus)
	if err != nil {
		return "", fmt.Errorf("prepare the corpus: %w", err)
	}
	hugo, pagefind := toolPath("HUGO", "hugo"), ""
	if p, err := e.pagefindBinary(ctx); err == nil {
		pagefind = nativePagefind(p)
	}
	pb := &docsCNTool{Name: "Playbook"}
	tools := []*docsCNTool{pb}
	var hg, pf *docsCNTool
	if hugo != "" && pagefind != "" {
		hg, pf = &docsCNTool{Name: "Hugo"}, &docsCNTool{Name: "Pagefind"}
		tools = append(tools, hg, pf)
	}
	pbOut, hugoOut := filepath.Join(e.Work, "docscn-public"), filepath.Join(e.Work, "docscn-hugo-public")
	before := loadAvg()
	for i := range e.Warmup + e.Runs {
		label := fmt.Sprintf("run %d/%d", i-e.Warmup+1, e.Runs)
		if i < e.Warmup {
			label = "warm-up"
		}
		// Each run starts with no output folder, for every tool alike:
		// Hugo would add to an old one, and Playbook would spend the run
		// deleting the one it replaces.
		for _, out := range []string{pbOut, hugoOut} {
			if err := os.RemoveAll(out); err != nil {
				return "", err
			}
		}
		steps := []step{{pb, exec.CommandContext(ctx, e.Bin, "build", "--quiet", "-s", site, "-d", pbOut)}}
		if hg != nil {
			steps = append(steps,
				step{hg, exec.CommandContext(ctx, hugo, "--quiet", "-s", hugoSite, "-d", hugoOut, "--cacheDir", filepath.Join(e.Work, "docscn-hugo-cache"))},
				step{pf, exec.CommandContext(ctx, pagefind, "--site", hugoOut)})
		}
		for _, s := range steps {
			r, err := measure(s.cmd)
			if err != nil {
				return "", fmt.Errorf("%s: %w", s.tool.Name, err)
			}
			if i >= e.Warmup {
				s.tool.Runs = append(s.tool.Runs, r)
			}
			fmt.Fprintf(e.Log, "docs-cn %-8s %-9s wall %8s  peak RSS %8s  user %8s  sys %8s\n",
				s.tool.Name, label, secs(r.Wall), mib(r.MaxRSS), secs(r.User), secs(r.Sys))
		}
	}
	versions := map[string]string{"Hugo": toolVersion(ctx, hugo, "version"), "Pagefind": toolVersion(ctx, pagefind, "--version")}
	return renderDocsCN(e, tools, versions, pages, dropped, hugo == "" || pagefind == "") + loadNote(before, loadAvg()), nil
}

// toolPath is $ENV, the name on PATH, or GOBIN/GOPATH/bin (where `go
// install` puts it); "" when none is there.
func toolPath(env, name string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(goPath(), "bin")} {
		if p := filepath.Join(dir, name); dir != "" && isFile(p) {
			return p
		}
	}
	return ""
}

func goPath() string {
	if p := os.Getenv("GOPATH"); p != "" {
		return filepath.SplitList(p)[0]
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go")
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// nativePagefind returns the binary behind npm's node wrapper (bin.cjs),
// so that the figures are Pagefind's and not node's; p itself otherwise.
func nativePagefind(p string) string {
	real, err := filepath.EvalSymlinks(p)
	if err != nil || !strings.HasSuffix(real, ".cjs") {
		return p
	}
	pkg := filepath.Dir(filepath.Dir(filepath.Dir(real))) // …/pagefind/lib/runner/bin.cjs
	found, _ := filepath.Glob(filepath.Join(pkg, "node_modules", "@pagefind", "*", "bin", "pagefind_extended"))
	if len(found) == 1 {
		return found[0]
	}
	return p
}

func toolVersion(ctx context.Context, bin, arg string) string {
	if bin == "" {
		return ""
	}
	out, err := exec.CommandContext(ctx, bin, arg).Output()
	if err != nil {
		return ""
	}
	return strings.Join(strings.Fields(string(out))[:min(2, len(strings.Fields(string(out))))], " ") // "hugo v0.165.0", not its build details
}

// prepareDocsCN copies the corpus twice into the work folder: as the
// content/ of a Playbook site and of a Hugo site with a minimal theme.
// Where two pages claim the same alias (a quirk of the corpus, and an
// error for Playbook), the later page in path order loses it in both
// copies; dropped lists those.
func prepareDocsCN(work, corpus string) (site, hugoSite string, pages int, dropped []string, err error) {
	site, hugoSite = filepath.Join(work, "docscn-site"), filepath.Join(work, "docscn-hugo")
	for _, d := range []string{site, hugoSite} {
		if err := os.RemoveAll(d); err != nil {
			return "", "", 0, nil, err
		}
	}
	claimed := map[string]string{}
	shortcodes := map[string]bool{}
	err = filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		rel, err := filepath.Rel(corpus, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		data, lost := dropClaimedAliases(rel, data, claimed)
		dropped = append(dropped, lost...)
		for _, m := range shortcodeRe.FindAllSubmatch(data, -1) {
			shortcodes[string(m[1])] = true
		}
		pages++
		for _, root := range []string{site, hugoSite} {
			if err := writeFile(filepath.Join(root, "content", rel), data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", "", 0, nil, err
	}
	if err := writeFile(filepath.Join(site, "playbook.yaml"), []byte("title: TiDB 文档\nlanguage: zh-CN\n")); err != nil {
		return "", "", 0, nil, err
	}
	return site, hugoSite, pages, dropped, writeHugoTheme(hugoSite, shortcodes)
}

// shortcodeRe finds Hugo shortcodes ({{< copyable "sql" >}}), which Hugo
// refuses to build without a template for each.
var shortcodeRe = regexp.MustCompile(`\{\{[<%]\s*/?\s*([A-Za-z0-9_-]+)`)

// aliasLine is docs-cn's one-line alias list in front matter.
var aliasLine = regexp.MustCompile(`(?m)^aliases:[ \t]*(\[.*\])[ \t]*$`)

// dropClaimedAliases removes from data's alias list the aliases an earlier
// page claimed, and records the rest as claimed by rel.
func dropClaimedAliases(rel string, data []byte, claimed map[string]string) ([]byte, []string) {
	loc := aliasLine.FindSubmatchIndex(data)
	if loc == nil {
		return data, nil
	}
	var aliases []string
	if yaml.Unmarshal(data[loc[2]:loc[3]], &aliases) != nil {
		return data, nil
	}
	var keep, lost []string
	for _, a := range aliases {
		if by, ok := claimed[a]; ok && by != rel {
			lost = append(lost, fmt.Sprintf("`%s` (%s, already %s's)", a, filepath.ToSlash(rel), filepath.ToSlash(by)))
			continue
		}
		claimed[a] = rel
		keep = append(keep, a)
	}
	if len(lost) == 0 {
		return data, nil
	}
	line := "aliases: []"
	if len(keep) > 0 {
		line = "aliases: ['" + strings.Join(keep, "','") + "']"
	}
	return slices.Concat(data[:loc[0]], []byte(line), data[loc[1]:]), lost
}

// writeHugoTheme writes the smallest Hugo site that renders the same
// Markdown: title and body on each page, code highlighted with CSS
// classes as Playbook does, links on section pages, no taxonomies or feeds;
// each shortcode renders nothing.
func writeHugoTheme(dir string, shortcodes map[string]bool) error {
	files := map[string]string{
		"hugo.toml": `baseURL = "https://example.org/"
locale = "zh-CN"
defaultContentLanguage = "zh"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotsTXT", "404"]
[markup.highlight]
noClasses = false
`,
		"layouts/baseof.html": `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ block "main" . }}{{ end }}</main></body></html>
`,
		"layouts/single.html": "{{ define \"main\" }}{{ .Content }}{{ end }}\n",
		"layouts/list.html":   "{{ define \"main\" }}{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
	}
	for name := range shortcodes {
		files["layouts/_shortcodes/"+name+".html"] = "\n"
	}
	for name, text := range files {
		if err := writeFile(filepath.Join(dir, name), []byte(text)); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

func renderDocsCN(e *Env, tools []*docsCNTool, versions map[string]string, pages int, dropped []string, missing bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `## Real corpus: pingcap/docs-cn

The Markdown of pingcap/docs-cn (%s files, read from `+"`%s`"+`, outside the repository; CC BY-SA 3.0),
copied into the work folder as the `+"`content/`"+` of a Playbook site (`+"`language: zh-CN`"+`) and of a minimal Hugo
site that benchsite writes (title and body per page, code highlighted with classes, a list of links on section
pages, no taxonomies or feeds). Each round removes both output folders (untimed), then runs, one after another,

    playbook build --quiet -s SITE -d DEST          # full build: pages, bleve index and static search
    hugo --quiet -s HUGO_SITE -d HUGO_DEST
    pagefind_extended --site HUGO_DEST              # Pagefind's index of Hugo's output

%s, then %d measured rounds; each figure is the median of its runs.
`, thousands(int64(pages)), e.Corpus, warmupText(e.Warmup), e.Runs)
	if len(dropped) > 0 {
		fmt.Fprintf(&b, "\nTwo pages of the corpus claim the same aliases, which Playbook refuses; the copies drop them from the later page: %s.\n", strings.Join(dropped, "; "))
	}
	b.WriteString("\n")
	rows := [][]string{}
	stats := map[string]Stats{}
	for _, t := range tools {
		s := Summarize(t.Runs)
		stats[t.Name] = s
		name := t.Name
		if v := versions[t.Name]; v != "" {
			name += " (" + v + ")"
		}
		rows = append(rows, []string{name, secs(s.MedianWall), secs(s.MinWall) + " – " + secs(s.MaxWall), secs(s.MedianCPU), mib(s.MedianRSS)})
	}
	b.WriteString(table([]string{"Tool", "Median wall", "Min – max wall", "Median CPU", "Median peak RSS"}, "lrrrr", rows))
	if missing {
		b.WriteString("\nHugo and Pagefind were not measured: install Hugo with `go install github.com/gohugoio/hugo@v0.165.0` and Pagefind with `npm i -g pagefind` (or set `$HUGO` and `$PAGEFIND`).\n")
		return b.String()
	}
	pb, hg, pf := stats["Playbook"], stats["Hugo"], stats["Pagefind"]
	wall := pb.MedianWall.Seconds() / (hg.MedianWall + pf.MedianWall).Seconds()
	cpu := pb.MedianCPU.Seconds() / (hg.MedianCPU + pf.MedianCPU).Seconds()
	rss := float64(pb.MedianRSS) / float64(max(1, pf.MedianRSS))
	fmt.Fprintf(&b, `
- Playbook / (Hugo + Pagefind), wall: **%.2f×** (target at most %.1f×: %s); CPU: %.2f×.
- Playbook / Pagefind, peak RSS: **%.2f×** (target at most %.1f×: %s).
`, wall, docsCNWallTarget, verdict(wall <= docsCNWallTarget), cpu, rss, docsCNRSSTarget, verdict(rss <= docsCNRSSTarget))
	b.WriteString("\n<details><summary>Raw runs</summary>\n\n")
	var raw [][]string
	for i := range tools[0].Runs {
		for _, t := range tools {
			r := t.Runs[i]
			raw = append(raw, []string{fmt.Sprint(i + 1), t.Name, secs(r.Wall), mib(r.MaxRSS), secs(r.User), secs(r.Sys)})
		}
	}
	b.WriteString(table([]string{"Round", "Tool", "Wall", "Peak RSS", "User", "Sys"}, "rlrrrr", raw))
	b.WriteString("\n</details>\n")
	return b.String()
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}
