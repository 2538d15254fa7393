package main

// The scale section: one build each of the zh synthetic site at two
// sizes (10k and 50k pages by default), to see whether CPU time and peak
// memory grow at most linearly with the pages, and whether the largest
// stays under the memory target.

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// scaleRSSTarget is issue 12's ceiling for the 50k-page zh build, search
// included (Hugo alone needs 3.0 GB there).
const scaleRSSTarget = 3 << 30

// scaleLang is the language of the scale runs: zh pages are the heavier.
const scaleLang = "zh"

type scaleRun struct {
	Pages   int
	Run     Run
	Largest htmlPage // the heaviest HTML page of the output
}

func scaleSection(ctx context.Context, e *Env) (string, error) {
	if len(e.Scale) < 2 {
		return "## Growth to large sites\n\nNot measured (`-scale` names fewer than two sizes).\n", nil
	}
	before := loadAvg()
	var runs []scaleRun
	for _, n := range e.Scale {
		site, err := e.Site(ctx, n, scaleLang)
		if err != nil {
			return "", err
		}
		dest := e.Dest(n, scaleLang) + "-scale"
		r, err := e.Measure(ctx, "build", "--quiet", "-s", site, "-d", dest, "--now", Now)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(e.Log, "scale %6d %s  wall %8s  peak RSS %8s  user %8s  sys %8s\n",
			n, scaleLang, secs(r.Wall), mib(r.MaxRSS), secs(r.User), secs(r.Sys))
		largest, err := largestHTML(dest)
		if err != nil {
			return "", err
		}
		if err := os.RemoveAll(dest); err != nil { // gigabytes at 50k
			return "", err
		}
		runs = append(runs, scaleRun{n, r, largest})
	}
	return renderScale(runs) + loadNote(before, loadAvg()), nil
}

func renderScale(runs []scaleRun) string {
	var b strings.Builder
	small, large := runs[0], runs[len(runs)-1]
	fmt.Fprintf(&b, `## Growth to large sites

One full build (search included) of the %s synthetic site at each size, one after another, to keep `+"`make bench`"+`
short; a single run, so expect the noise of one. Linear growth keeps each *per-page ratio* (the ratio of the
two sizes' figures divided by the ratio of their pages) at 1.0 or below.

`, scaleLang)
	rows := [][]string{}
	for _, r := range runs {
		rows = append(rows, []string{thousands(int64(r.Pages)) + " " + scaleLang, secs(r.Run.Wall), secs(r.Run.CPU()), mib(r.Run.MaxRSS),
			largestCell(r.Largest)})
	}
	b.WriteString(table([]string{"Site", "Wall", "CPU", "Peak RSS", "Largest page"}, "lrrrr", rows))
	pages := float64(large.Pages) / float64(small.Pages)
	cpu := large.Run.CPU().Seconds() / max(1e-9, small.Run.CPU().Seconds()) / pages
	rss := float64(large.Run.MaxRSS) / float64(max(1, small.Run.MaxRSS)) / pages
	fmt.Fprintf(&b, `
- %s → %s pages (%.0f×): CPU per page ratio **%.2f** (%s), peak RSS per page ratio **%.2f** (%s).
- Peak RSS at %s pages: **%s** (target for 50,000 pages: under %s; %s).
- Go's collector in the builds: %s.

To reproduce and profile one size (CPU, and the heap at its largest):

    (cd bench && go run . generate -n %d -lang %s /tmp/site-%d)
    bin/playbook build --quiet -s /tmp/site-%d -d /tmp/public-%d --now %s \
        --cpuprofile cpu.prof --memprofile heap.prof
    go tool pprof -top -cum cpu.prof; go tool pprof -sample_index=inuse_space -top heap.prof
`, thousands(int64(small.Pages)), thousands(int64(large.Pages)), pages,
		cpu, verdict(cpu <= 1), rss, verdict(rss <= 1),
		thousands(int64(large.Pages)), mib(large.Run.MaxRSS), mib(scaleRSSTarget), verdict(large.Run.MaxRSS < scaleRSSTarget),
		gcSettings(), large.Pages, scaleLang, large.Pages, large.Pages, large.Pages, Now)
	return b.String()
}

// gcSettings names the collector's settings the builds inherit from the
// environment: peak RSS follows them (GOGC=100 lets the heap grow to
// twice what is live) and so does CPU.
func gcSettings() string {
	var parts []string
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		if v := os.Getenv(name); v != "" {
			parts = append(parts, "`"+name+"="+v+"`")
		}
	}
	if len(parts) == 0 {
		return "Go's defaults (`GOGC=100`, no memory limit)"
	}
	return strings.Join(parts, ", ")
}
