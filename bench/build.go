package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/playbook-sales/playbook/builder/render"
	"github.com/playbook-sales/playbook/internal/synth"
)

// buildResult is the measurement of `playbook build` on one site.
type buildResult struct {
	Pages int    // pages in the site
	Lang  string // zh, en, mixed
	Runs  []Run
	Stats Stats
	Files int   // files in the output
	Bytes int64 // size of the output
	Built int   // pages in api/pages.json
	// Largest is the heaviest HTML page of the output, which must stay
	// under render.PageWeightLimit at any site size (issue 12).
	Largest htmlPage
}

// htmlPage is an HTML file of the output and its size.
type htmlPage struct {
	Path string // inside the output, slash-separated
	Size int64
}

func (b buildResult) name() string { return thousands(int64(b.Pages)) + " " + b.Lang }

// buildSection times full builds of every site size and language.
func buildSection(ctx context.Context, e *Env) (string, error) {
	var results []buildResult
	before := loadAvg()
	for _, n := range e.Sizes {
		for _, lang := range e.Langs {
			r, err := e.measureBuild(ctx, n, lang)
			if err != nil {
				return "", err
			}
			results = append(results, r)
		}
	}
	return renderBuild(e, results, selfPeakRSS()) + loadNote(before, loadAvg()), nil
}

// loadNote reports the system load around the runs: other work on the
// machine shows up in wall times (much less in CPU times).
func loadNote(before, after string) string {
	if before == "" || after == "" {
		return ""
	}
	note := fmt.Sprintf("\nSystem load average (1, 5, 15 min) before the build runs: %s; after: %s.", before, after)
	if busy(before) || busy(after) {
		note += fmt.Sprintf(" The machine was busy (load above its %d CPUs), so wall times include waiting for a CPU;"+
			" CPU times are the steadier comparison.", runtime.NumCPU())
	}
	return note + "\n"
}

// busy reports whether a load average line's 1 or 5 minute figure exceeds the CPU count.
func busy(load string) bool {
	for _, f := range strings.SplitN(load, ", ", 3)[:2] {
		if v, err := strconv.ParseFloat(f, 64); err == nil && v > float64(runtime.NumCPU()) {
			return true
		}
	}
	return false
}

func (e *Env) measureBuild(ctx context.Context, n int, lang string) (buildResult, error) {
	res := buildResult{Pages: n, Lang: lang}
	site, err := e.Site(ctx, n, lang)
	if err != nil {
		return res, err
	}
	dest := e.Dest(n, lang)
	if err := os.RemoveAll(dest); err != nil {
		return res, err
	}
	args := []string{"build", "--quiet", "-s", site, "-d", dest, "--now", Now}
	for i := range e.Warmup + e.Runs {
		r, err := e.Measure(ctx, args...)
		if err != nil {
			return res, err
		}
		label := fmt.Sprintf("run %d/%d", i-e.Warmup+1, e.Runs)
		if i < e.Warmup {
			label = "warm-up"
		} else {
			res.Runs = append(res.Runs, r)
		}
		fmt.Fprintf(e.Log, "build %6d %-5s %-9s wall %8s  peak RSS %8s  user %8s  sys %8s\n",
			n, lang, label, secs(r.Wall), mib(r.MaxRSS), secs(r.User), secs(r.Sys))
	}
	res.Stats = Summarize(res.Runs)
	res.Files, res.Bytes, err = dirSize(dest)
	if err != nil {
		return res, err
	}
	if res.Largest, err = largestHTML(dest); err != nil {
		return res, err
	}
	perType, err := countPages(filepath.Join(dest, "api", "pages.json"))
	if err != nil {
		return res, err
	}
	want := synth.Expected(n)
	if !maps.Equal(perType, want.PerType) {
		return res, fmt.Errorf("%d-page %s site: api/pages.json lists %v, want %v; the benchmark would not measure a full build", n, lang, perType, want.PerType)
	}
	for _, k := range perType {
		res.Built += k
	}
	return res, nil
}

// countPages counts the entries of pages.json by type, streaming, so that
// the harness's memory (the floor of the children's peak RSS) stays small.
func countPages(file string) (map[string]int, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("%s: want a JSON list of pages", file)
	}
	counts := map[string]int{}
	for dec.More() {
		var p struct {
			Type string `json:"type"`
		}
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		counts[p.Type]++
	}
	return counts, nil
}

func dirSize(dir string) (files int, size int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		size += info.Size()
		return nil
	})
	return files, size, err
}

// largestHTML finds the heaviest .html file under dir.
func largestHTML(dir string) (htmlPage, error) {
	var max htmlPage
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > max.Size {
			rel, _ := filepath.Rel(dir, p)
			max = htmlPage{filepath.ToSlash(rel), info.Size()}
		}
		return nil
	})
	return max, err
}

// largestCell reports the heaviest page, flagged when over the limit.
func largestCell(p htmlPage) string {
	cell := fmt.Sprintf("%s (`%s`)", bytesHuman(p.Size), p.Path)
	if p.Size > render.PageWeightLimit {
		cell += " **over the limit**"
	}
	return cell
}

func renderBuild(e *Env, results []buildResult, floor int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, `## Build

Full builds of synthetic sites written by `+"`internal/synth`"+` (seed %d): every page type, realistic bodies with
headings, lists, tables and code, YAML/TOML/JSON front matter, cross references and links between pages; a few
pages are drafts, future or expired and are left out, as on a real site. Each site is built by the binary under
test as a child process,

    playbook build --quiet -s SITE -d DEST --now %s

%s, then %d measured runs; each run replaces the previous output, as a rebuild does. *Wall* is start to exit
of the child, *pages/s* is the site's page count divided by the median wall time, *peak RSS* is the child's
`+"`ru_maxrss`"+`, *CPU* is its user + system time. On Linux no child can report a peak RSS below that of the
harness that starts it; the harness peaked at %s. *Largest page* is the heaviest HTML file of the output,
uncompressed; every page must stay under %s at any site size (`+"`render.PageWeightLimit`"+`).

`, e.Seed, Now, warmupText(e.Warmup), e.Runs, mib(floor), bytesHuman(render.PageWeightLimit))
	rows := make([][]string, 0, len(results))
	for _, r := range results {
		s := r.Stats
		rows = append(rows, []string{
			r.name(), thousands(int64(r.Built)), secs(s.MedianWall), secs(s.MinWall) + " – " + secs(s.MaxWall),
			thousands(int64(float64(r.Pages)/s.MedianWall.Seconds() + 0.5)),
			mib(s.MedianRSS), mib(s.MaxRSS), secs(s.MedianCPU),
			fmt.Sprintf("%s files, %s", thousands(int64(r.Files)), bytesHuman(r.Bytes)),
			largestCell(r.Largest),
		})
	}
	b.WriteString(table([]string{"Site (pages, language)", "Published", "Median wall", "Min – max wall", "Pages/s",
		"Median peak RSS", "Max peak RSS", "Median CPU", "Output", "Largest page"}, "lrrrrrrrrr", rows))
	if sc := scaling(results); sc != "" {
		b.WriteString("\n" + sc)
	}
	b.WriteString("\n<details><summary>Raw runs</summary>\n\n")
	var raw [][]string
	for _, r := range results {
		for i, run := range r.Runs {
			raw = append(raw, []string{r.name(), fmt.Sprint(i + 1), secs(run.Wall), mib(run.MaxRSS), secs(run.User), secs(run.Sys)})
		}
	}
	b.WriteString(table([]string{"Site", "Run", "Wall", "Peak RSS", "User", "Sys"}, "lrrrrr", raw))
	b.WriteString("\n</details>\n")
	return b.String()
}

func warmupText(n int) string {
	switch n {
	case 0:
		return "No warm-up run"
	case 1:
		return "One warm-up run, not counted"
	}
	return fmt.Sprintf("%d warm-up runs, not counted", n)
}

// scaling compares each size with the next smaller one of the same language:
// linear growth keeps time and memory per page constant.
func scaling(results []buildResult) string {
	var lines []string
	langs := []string{}
	for _, r := range results {
		if !slices.Contains(langs, r.Lang) {
			langs = append(langs, r.Lang)
		}
	}
	for _, lang := range langs {
		var rs []buildResult
		for _, r := range results {
			if r.Lang == lang {
				rs = append(rs, r)
			}
		}
		slices.SortFunc(rs, func(a, b buildResult) int { return a.Pages - b.Pages })
		for i := 1; i < len(rs); i++ {
			a, b := rs[i-1], rs[i]
			lines = append(lines, fmt.Sprintf("- %s: %.1f× the pages take %.1f× the wall time, %.1f× the CPU time and %.1f× the peak memory.",
				lang, float64(b.Pages)/float64(a.Pages), b.Stats.MedianWall.Seconds()/a.Stats.MedianWall.Seconds(),
				b.Stats.MedianCPU.Seconds()/max(1e-9, a.Stats.MedianCPU.Seconds()),
				float64(b.Stats.MedianRSS)/float64(max(1, a.Stats.MedianRSS))))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "Scaling:\n\n" + strings.Join(lines, "\n") + "\n"
}
