package main

// The lighthouse section scores the built sample site (content/) with
// Google Lighthouse, as a phone and as a desktop, on the pages a rep uses
// most. It runs when the lighthouse command is found (npm install
// lighthouse; $LIGHTHOUSE names it elsewhere) and says why not otherwise.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/klauspost/compress/gzhttp"
)

// lighthouseCategories are the columns of the table, in Lighthouse's order.
var lighthouseCategories = []string{"performance", "accessibility", "best-practices", "seo"}

// lighthouseTarget is the score every category should reach.
const lighthouseTarget = 95

// lighthouseRuns are the runs per page and form factor; the table shows
// each category's median (performance moves by ten points from run to run
// on a busy machine).
const lighthouseRuns = 3

// lighthousePage is a page scored: a name for the table and its path.
type lighthousePage struct{ Name, Path string }

func lighthouseSection(ctx context.Context, e *Env) (string, error) {
	var b strings.Builder
	b.WriteString("## Lighthouse\n\n")
	lh, chrome, err := lighthouseTools(e.Root)
	if err != nil {
		fmt.Fprintf(&b, "Not measured: %v.\n", err)
		return b.String(), nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	base := "http://" + ln.Addr().String() + "/"
	dest := filepath.Join(e.Work, "lighthouse-public")
	if _, err := e.Measure(ctx, "build", "-s", e.Root, "-d", dest, "--base-url", base, "--now", Now, "--no-git", "-q"); err != nil {
		ln.Close()
		return "", fmt.Errorf("build the sample site: %w", err)
	}
	srv := &http.Server{Handler: staticHost(dest)}
	go srv.Serve(ln)
	defer srv.Close()
	pages, err := lighthousePages(dest)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "The sample site (`content/`), built with `playbook build --base-url %s --now %s --no-git`, "+
		"served as static files with gzip (as GitHub Pages, Netlify or nginx serve them) and scored by Lighthouse %s "+
		"with Chromium (`%s`), phone (Lighthouse's default, simulated slow 4G and a 4× slower CPU) and desktop: "+
		"the median of %d runs per page and form factor. Target: every category at least %d.\n\n",
		"http://127.0.0.1:PORT/", Now, lighthouseVersion(ctx, lh), chrome, lighthouseRuns, lighthouseTarget)
	start := time.Now()
	results := make([][2]lighthouseResult, len(pages))
	for i, p := range pages {
		for j, preset := range lighthousePresets {
			fmt.Fprintf(e.Log, "lighthouse: %s %s\n", preset, p.Path)
			if results[i][j], err = medianLighthouse(ctx, lh, chrome, base+p.Path, preset); err != nil {
				return "", fmt.Errorf("%s %s: %w", preset, p.Path, err)
			}
		}
	}
	b.WriteString(lighthouseTables(pages, results))
	fmt.Fprintf(&b, "\nReproduce the tables (build, serve and score as above; %s on this machine): "+
		"`cd bench && go run . -only lighthouse -out -`. One page, as each run does (desktop adds `--preset=desktop`):\n\n"+
		"```\nCHROME_PATH=%s lighthouse URL --chrome-flags=\"--headless=new --no-sandbox\" --only-categories=%s --output=json --output-path=stdout --quiet\n```\n",
		roundDuration(time.Since(start)), chrome, strings.Join(lighthouseCategories, ","))
	return b.String(), nil
}

// lighthousePresets are the form factors scored: Lighthouse's default
// (a phone) and its desktop preset.
var lighthousePresets = [2]string{"mobile", "desktop"}

// lighthouseTables writes the scores per page and form factor, then the
// performance metrics behind the scores, then what falls short.
func lighthouseTables(pages []lighthousePage, results [][2]lighthouseResult) string {
	var b strings.Builder
	b.WriteString("| page | phone: perf · a11y · best pr. · SEO | desktop: perf · a11y · best pr. · SEO |\n|---|---|---|\n")
	var low []string
	for i, p := range pages {
		fmt.Fprintf(&b, "| %s (`/%s`) | %s | %s |\n", p.Name, p.Path, formatScores(results[i][0].Scores), formatScores(results[i][1].Scores))
		for j, preset := range lighthousePresets {
			for _, c := range lighthouseCategories {
				if v := results[i][j].Scores[c]; v < lighthouseTarget {
					low = append(low, fmt.Sprintf("%s %s %s %d", p.Name, preset, c, v))
				}
			}
		}
	}
	b.WriteString("\nPerformance metrics behind the scores (medians): largest contentful paint · total blocking time · cumulative layout shift.\n\n")
	b.WriteString("| page | phone: LCP · TBT · CLS | desktop: LCP · TBT · CLS |\n|---|---|---|\n")
	for i, p := range pages {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", p.Name, formatMetrics(results[i][0].Metrics), formatMetrics(results[i][1].Metrics))
	}
	lo, hi := results[0][0].BenchmarkIndex, results[0][0].BenchmarkIndex
	for _, r := range results {
		for _, x := range r {
			lo, hi = min(lo, x.BenchmarkIndex), max(hi, x.BenchmarkIndex)
		}
	}
	fmt.Fprintf(&b, "\nLighthouse's benchmarkIndex of the machine (its CPU speed as Lighthouse measured it; lower when other work "+
		"shares the machine, which lengthens the blocking time of the phone runs most): %.0f–%.0f over the medians.\n", lo, hi)
	if len(low) > 0 {
		fmt.Fprintf(&b, "\nBelow %d: %s.\n", lighthouseTarget, strings.Join(low, "; "))
	}
	return b.String()
}

// staticHost serves dir as the hosts the site is published to do (GitHub
// Pages, Netlify, nginx with gzip on): files as they are, text compressed
// with gzip when the browser accepts it. Without compression Lighthouse
// would time a transfer no reader ever makes.
func staticHost(dir string) http.Handler {
	return gzhttp.GzipHandler(http.FileServer(http.Dir(dir)))
}

// lighthouseTools finds lighthouse ($LIGHTHOUSE, the PATH, or the
// repository's node_modules) and Chromium ($CHROME_PATH or the PATH).
func lighthouseTools(root string) (lh, chrome string, err error) {
	lh = os.Getenv("LIGHTHOUSE")
	if lh == "" {
		if lh, err = exec.LookPath("lighthouse"); err != nil {
			lh = filepath.Join(root, "node_modules", ".bin", "lighthouse")
		}
	}
	if _, err := os.Stat(lh); err != nil {
		return "", "", errors.New("lighthouse is not installed (npm install -g lighthouse, or set LIGHTHOUSE to its path)")
	}
	chrome = os.Getenv("CHROME_PATH")
	if chrome == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				chrome = p
				break
			}
		}
	}
	if chrome == "" {
		return "", "", errors.New("no Chromium found (Debian: apt-get install chromium, or set CHROME_PATH)")
	}
	return lh, chrome, nil
}

func lighthouseVersion(ctx context.Context, lh string) string {
	out, err := exec.CommandContext(ctx, lh, "--version").Output()
	if err != nil {
		return "(version unknown)"
	}
	return strings.TrimSpace(string(out))
}

// lighthousePages picks the pages to score from the build's api/pages.json:
// the home page, the first script and training module by URL, the case
// library and a search for 价格.
func lighthousePages(dest string) ([]lighthousePage, error) {
	data, err := os.ReadFile(filepath.Join(dest, "api", "pages.json"))
	if err != nil {
		return nil, err
	}
	var list []struct{ URL, Type string }
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("api/pages.json: %w", err)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].URL < list[j].URL })
	first := func(typ string) string {
		for _, p := range list {
			if p.Type == typ && !strings.Contains(p.URL, "%") { // a readable path for the table
				return strings.TrimPrefix(p.URL, "/")
			}
		}
		return ""
	}
	pages := []lighthousePage{{"home", ""}, {"script", first("script")}, {"case library", "cases/"},
		{"training module", first("training")}, {"search results", "search/?q=%E4%BB%B7%E6%A0%BC"}}
	for _, p := range pages[1:4] {
		if p.Path == "" {
			return nil, fmt.Errorf("the sample site has no %s page", p.Name)
		}
	}
	return pages, nil
}

// lighthouseMetrics are the performance audits reported beside the scores,
// by Lighthouse's audit id: what moves the performance score.
var lighthouseMetrics = []string{"largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"}

// lighthouseResult is one run's (or the median's) score per category,
// 0–100, and value per metric (milliseconds; CLS unitless).
type lighthouseResult struct {
	Scores  map[string]int
	Metrics map[string]float64
	// BenchmarkIndex is Lighthouse's measure of the host's CPU speed
	// during the run: lower when other work shares the machine, which
	// lengthens every task the phone's 4× slowdown is applied to.
	BenchmarkIndex float64
}

// medianLighthouse runs Lighthouse lighthouseRuns times and returns the
// median score of each category and the median of each metric.
func medianLighthouse(ctx context.Context, lh, chrome, url, preset string) (lighthouseResult, error) {
	var runs []lighthouseResult
	for range lighthouseRuns {
		r, err := runLighthouse(ctx, lh, chrome, url, preset)
		if err != nil {
			return lighthouseResult{}, err
		}
		runs = append(runs, r)
	}
	return medianResult(runs), nil
}

// medianResult is, per category and metric, the median over runs.
func medianResult(runs []lighthouseResult) lighthouseResult {
	med := lighthouseResult{Scores: map[string]int{}, Metrics: map[string]float64{}}
	for _, c := range lighthouseCategories {
		med.Scores[c] = medianOf(runs, func(r lighthouseResult) int { return r.Scores[c] })
	}
	for _, m := range lighthouseMetrics {
		med.Metrics[m] = medianOf(runs, func(r lighthouseResult) float64 { return r.Metrics[m] })
	}
	med.BenchmarkIndex = medianOf(runs, func(r lighthouseResult) float64 { return r.BenchmarkIndex })
	return med
}

// medianOf is the median of one figure of the runs.
func medianOf[T int | float64](runs []lighthouseResult, figure func(lighthouseResult) T) T {
	vs := make([]T, len(runs))
	for i, r := range runs {
		vs[i] = figure(r)
	}
	return median(vs)
}

// runLighthouse scores url as preset ("mobile" or "desktop").
func runLighthouse(ctx context.Context, lh, chrome, url, preset string) (lighthouseResult, error) {
	args := []string{url, "--chrome-flags=--headless=new --no-sandbox", "--only-categories=" + strings.Join(lighthouseCategories, ","),
		"--output=json", "--output-path=stdout", "--quiet"}
	if preset == "desktop" {
		args = append(args, "--preset=desktop")
	}
	cmd := exec.CommandContext(ctx, lh, args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return lighthouseResult{}, fmt.Errorf("%w: %s", err, firstLine(stderr.String()))
	}
	return readLighthouse(out)
}

// readLighthouse reads the scores and metrics of a Lighthouse JSON report.
func readLighthouse(report []byte) (lighthouseResult, error) {
	var rep struct {
		Categories  map[string]struct{ Score *float64 } `json:"categories"`
		Environment struct {
			BenchmarkIndex float64 `json:"benchmarkIndex"`
		} `json:"environment"`
		Audits map[string]struct {
			NumericValue *float64 `json:"numericValue"`
		} `json:"audits"`
	}
	if err := json.Unmarshal(report, &rep); err != nil {
		return lighthouseResult{}, fmt.Errorf("read the report: %w", err)
	}
	r := lighthouseResult{Scores: map[string]int{}, Metrics: map[string]float64{}, BenchmarkIndex: rep.Environment.BenchmarkIndex}
	for _, c := range lighthouseCategories {
		cat, ok := rep.Categories[c]
		if !ok || cat.Score == nil {
			return lighthouseResult{}, fmt.Errorf("no %s score (the page did not load?)", c)
		}
		r.Scores[c] = int(*cat.Score*100 + 0.5)
	}
	for _, m := range lighthouseMetrics {
		if a, ok := rep.Audits[m]; ok && a.NumericValue != nil {
			r.Metrics[m] = *a.NumericValue
		}
	}
	return r, nil
}

// formatScores writes the four scores, a score under the target in bold.
func formatScores(scores map[string]int) string {
	parts := make([]string, len(lighthouseCategories))
	for i, c := range lighthouseCategories {
		parts[i] = fmt.Sprint(scores[c])
		if scores[c] < lighthouseTarget {
			parts[i] = "**" + parts[i] + "**"
		}
	}
	return strings.Join(parts, " · ")
}

// formatMetrics writes LCP and TBT in seconds and milliseconds, CLS as is.
func formatMetrics(m map[string]float64) string {
	return fmt.Sprintf("%.1f s · %.0f ms · %.3f", m["largest-contentful-paint"]/1000, m["total-blocking-time"], m["cumulative-layout-shift"])
}
