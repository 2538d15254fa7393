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
	fmt.Fprintf(&b, "The sample site (`content/`), built with `--base-url %s --now %s` and "+
		"served as static files with gzip as a static host serves them, scored by Lighthouse %s with Chromium (`%s`): the median of %d runs per page and form factor. "+
		"Target: every category at least %d.\n\n", "http://127.0.0.1:PORT/", Now, lighthouseVersion(ctx, lh), chrome, lighthouseRuns, lighthouseTarget)
	b.WriteString("| page | phone: perf · a11y · best pr. · SEO | desktop: perf · a11y · best pr. · SEO |\n|---|---|---|\n")
	var low []string
	for _, p := range pages {
		row := []string{fmt.Sprintf("%s (`/%s`)", p.Name, p.Path)}
		for _, preset := range []string{"mobile", "desktop"} {
			fmt.Fprintf(e.Log, "lighthouse: %s %s\n", preset, p.Path)
			scores, err := medianLighthouse(ctx, lh, chrome, base+p.Path, preset)
			if err != nil {
				return "", fmt.Errorf("%s %s: %w", preset, p.Path, err)
			}
			row = append(row, formatScores(scores))
			for _, c := range lighthouseCategories {
				if scores[c] < lighthouseTarget {
					low = append(low, fmt.Sprintf("%s %s %s %d", p.Name, preset, c, scores[c]))
				}
			}
		}
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	if len(low) > 0 {
		fmt.Fprintf(&b, "\nBelow %d: %s.\n", lighthouseTarget, strings.Join(low, "; "))
	}
	fmt.Fprintf(&b, "\nCommand, per page (desktop adds `--preset=desktop`):\n\n```\nCHROME_PATH=%s lighthouse URL --chrome-flags=\"--headless=new --no-sandbox\" --only-categories=%s --output=json --output-path=stdout --quiet\n```\n",
		chrome, strings.Join(lighthouseCategories, ","))
	return b.String(), nil
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

// medianLighthouse runs Lighthouse lighthouseRuns times and returns the
// median score of each category.
func medianLighthouse(ctx context.Context, lh, chrome, url, preset string) (map[string]int, error) {
	all := map[string][]int{}
	for range lighthouseRuns {
		scores, err := runLighthouse(ctx, lh, chrome, url, preset)
		if err != nil {
			return nil, err
		}
		for c, v := range scores {
			all[c] = append(all[c], v)
		}
	}
	med := map[string]int{}
	for c, vs := range all {
		sort.Ints(vs)
		med[c] = vs[len(vs)/2]
	}
	return med, nil
}

// runLighthouse scores url as preset ("mobile" or "desktop") and returns
// the score of each category, 0–100.
func runLighthouse(ctx context.Context, lh, chrome, url, preset string) (map[string]int, error) {
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
		return nil, fmt.Errorf("%w: %s", err, firstLine(stderr.String()))
	}
	var report struct {
		Categories map[string]struct{ Score *float64 } `json:"categories"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, fmt.Errorf("read the report: %w", err)
	}
	scores := map[string]int{}
	for _, c := range lighthouseCategories {
		cat, ok := report.Categories[c]
		if !ok || cat.Score == nil {
			return nil, fmt.Errorf("no %s score (the page did not load?)", c)
		}
		scores[c] = int(*cat.Score*100 + 0.5)
	}
	return scores, nil
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
