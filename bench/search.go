package main

// The search section: index time and size, server query latency, the bytes
// a first static query fetches, MRR@10 of the quality queries, and Pagefind
// on the same built site beside it.
//
// The index and latency figures come from a child process (`benchsite
// searchbench`, dispatched in init below) so its peak RSS is its own; the
// static figures run the theme's search client (js/search/) under node over the export the
// build wrote; Pagefind's first query runs in headless Chromium.

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/playbook-sales/playbook/builder"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/search"
	"go.yaml.in/yaml/v3"
)

//go:embed firstquery.js
var firstQueryJS []byte

// firstQueryBudget is the target for a first static query at 10k pages.
const firstQueryBudget = 80 << 10

// The hits a first query shows: the header box's instant results, and a
// results page's (search/index.html asks for 50).
const (
	instantHits = 8
	resultsHits = 50
)

func init() {
	// the child mode: benchsite searchbench …, prints one JSON object
	if len(os.Args) > 1 && os.Args[1] == "searchbench" {
		if err := searchChild(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "benchsite searchbench:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

type childResult struct {
	Pages        int         `json:"pages"`
	IndexSeconds float64     `json:"index_s"`
	IndexBytes   int64       `json:"index_bytes"`
	ExportSec    float64     `json:"export_s"`
	ExportBytes  int64       `json:"export_bytes"`
	ExportFiles  int         `json:"export_files"`
	Queries      int         `json:"queries"`
	P50          float64     `json:"p50_ms,omitempty"`
	P99          float64     `json:"p99_ms,omitempty"`
	Max          float64     `json:"max_ms,omitempty"`
	Slowest      []slowQuery `json:"slowest,omitempty"` // by median over the rounds, slowest first
	MRR          float64     `json:"mrr,omitempty"`
	MRRQueries   int         `json:"mrr_queries,omitempty"`
	MRRZeros     int         `json:"mrr_zeros,omitempty"` // queries without a hit
}

// slowQuery is one query's median time over the timed rounds: p99 of a
// few hundred timings is set by the slowest few queries, so the report
// names them.
type slowQuery struct {
	Q      string  `json:"q"`
	Median float64 `json:"median_ms"`
}

type qualityQuery struct {
	Q    string `yaml:"q"`
	Want string `yaml:"want"`
}

// qualitySets are the query sets the report scores, each against its site:
// the quality set written beside the synonyms, the dev sets written for
// relaxation and pinyin before they were built, the dev2 set on a third
// site for colloquial and mixed queries, the dev3 set on a fourth, the dev4
// set on a fifth, the dev5 set on a sixth, and the frozen set written
// on a site of its own before anything was tuned, and never tuned for.
var qualitySets = []struct {
	file, site, about string
}{
	{"search/testdata/queries.yaml", ".", "the quality set, written beside the synonym list (the sample site in `content/`)"},
	{"search/testdata/dev-queries.yaml", ".", "questions and colloquial phrasing, written before relaxed search (sample site)"},
	{"search/testdata/pinyin-queries.yaml", ".", "pinyin and initials, written before pinyin search (sample site)"},
	{"search/testdata/dev2/queries.yaml", "search/testdata/dev2/site", "colloquial and English/Chinese mixed queries on a third site (冰岚科技), a development set tuned against"},
	{"search/testdata/dev3/queries.yaml", "search/testdata/dev3/site", "questions, symptoms and mixed queries on a fourth site (芸帆科技), written before the round that tuned on it (first score 0.849, 1 without a hit)"},
	{"search/testdata/dev4/queries.yaml", "search/testdata/dev4/site", "questions, symptoms answered in body text, numbers and mixed queries on a fifth site (砺行智造), written before the round that tuned on it (first score 0.900, none without a hit)"},
	{"search/testdata/dev5/queries.yaml", "search/testdata/dev5/site", "questions, colloquial objections, symptoms, numbers and pinyin on a sixth site (澜途能源, EV charging), written before the round that tuned on it (first score 0.827, none without a hit)"},
	{"search/testdata/frozen/queries.yaml", "search/testdata/frozen/site", "**frozen**: written with its own site (青禾数科) before looking at search, never tuned for"},
}

func loadQuality(root string) ([]qualityQuery, error) { return loadQueries(root, qualitySets[0].file) }

func loadQueries(root, file string) ([]qualityQuery, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if err != nil {
		return nil, err
	}
	var qs []qualityQuery
	return qs, yaml.Unmarshal(data, &qs)
}

// childFlags are the child mode's flags.
type childFlags struct {
	site, now, root, queries string
	rounds                   int
	mrr                      bool
}

// parseChildFlags reads the child's command line (after "searchbench").
func parseChildFlags(args []string) (childFlags, error) {
	var f childFlags
	fs := flag.NewFlagSet("searchbench", flag.ContinueOnError)
	fs.StringVar(&f.site, "site", "", "site folder")
	fs.StringVar(&f.now, "now", Now, "clock")
	fs.StringVar(&f.root, "root", ".", "repository root (for the quality queries)")
	fs.IntVar(&f.rounds, "rounds", 5, "rounds of the query set; the first warms up")
	fs.BoolVar(&f.mrr, "mrr", false, "score the quality queries against the site (MRR@10)")
	fs.StringVar(&f.queries, "queries", qualitySets[0].file, "with -mrr: the query set, from the repository root")
	return f, fs.Parse(args)
}

// searchChild indexes a site as playbook build does, times queries and the
// static export; with -mrr it scores the quality queries instead.
func searchChild(args []string) error {
	f, err := parseChildFlags(args)
	if err != nil {
		return err
	}
	ctx := context.Background()
	docs, err := siteDocs(ctx, f.site, f.now)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "benchsite-index-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	res := childResult{Pages: len(docs)}
	idx, err := buildIndex(filepath.Join(tmp, "index"), f.site, docs, &res)
	if err != nil {
		return err
	}
	defer idx.Close()
	if err := f.measure(ctx, idx, &res); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

// measure scores the query set (-mrr), or else times the quality queries
// and the static export, into res.
func (f childFlags) measure(ctx context.Context, idx *search.Index, res *childResult) error {
	qs, err := loadQuality(f.root)
	if err != nil {
		return err
	}
	if f.mrr {
		if qs, err = loadQueries(f.root, f.queries); err != nil {
			return err
		}
		return scoreQueries(ctx, idx, qs, res)
	}
	if err := timeQueries(ctx, idx, latencyQueries(qs), f.rounds, res); err != nil {
		return err
	}
	return timeExport(ctx, idx, res)
}

// siteDocs loads the site as playbook build does, its clock at now, and
// returns its published pages as search documents.
func siteDocs(ctx context.Context, site, now string) ([]search.Doc, error) {
	cfg, err := config.Load(os.DirFS(site))
	if err != nil {
		return nil, err
	}
	t, err := content.ParseDate(now, cfg.Location)
	if err != nil {
		return nil, err
	}
	s, _, err := builder.Load(ctx, builder.Options{Site: site, Now: t}, cfg)
	if err != nil {
		return nil, err
	}
	docs := make([]search.Doc, len(s.Pages))
	for i, p := range s.Pages {
		docs[i] = builder.SearchDoc(p)
	}
	return docs, nil
}

// buildIndex indexes docs into dir with the site's synonyms, notes the
// time and size in res, and opens the index.
func buildIndex(dir, site string, docs []search.Doc, res *childResult) (*search.Index, error) {
	groups, err := search.LoadSynonyms(filepath.Join(site, search.SynonymsFile))
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := search.Build(dir, docs, search.WithSynonyms(groups)); err != nil {
		return nil, err
	}
	res.IndexSeconds = time.Since(start).Seconds()
	if _, res.IndexBytes, err = dirSize(dir); err != nil {
		return nil, err
	}
	return search.Open(dir)
}

// timeQueries runs the queries for the given rounds, the first a warm-up,
// as /api/search answers them, and sets res's percentiles and its five
// slowest queries (by their median over the timed rounds).
func timeQueries(ctx context.Context, idx *search.Index, queries []string, rounds int, res *childResult) error {
	var times []time.Duration
	perQuery := map[string][]time.Duration{}
	for r := range rounds {
		for _, q := range queries {
			t0 := time.Now()
			if _, err := idx.Search(ctx, search.Request{Query: q, Limit: 10}); err != nil {
				return fmt.Errorf("%q: %w", q, err)
			}
			if r > 0 {
				d := time.Since(t0)
				times = append(times, d)
				perQuery[q] = append(perQuery[q], d)
			}
		}
	}
	slices.Sort(times)
	res.Slowest = slowest(perQuery, 5)
	res.Queries = len(times)
	res.P50, res.P99, res.Max = millis(times[len(times)/2]), millis(times[len(times)*99/100]), millis(times[len(times)-1])
	return nil
}

// millis is d in milliseconds, to the microsecond.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// slowest returns the n queries of the highest median time, slowest first
// (ties by query).
func slowest(perQuery map[string][]time.Duration, n int) []slowQuery {
	var out []slowQuery
	for q, ds := range perQuery {
		slices.Sort(ds)
		out = append(out, slowQuery{q, millis(ds[len(ds)/2])})
	}
	slices.SortFunc(out, func(a, b slowQuery) int {
		if a.Median != b.Median {
			return cmp.Compare(b.Median, a.Median)
		}
		return strings.Compare(a.Q, b.Q)
	})
	return out[:min(n, len(out))]
}

// timeExport writes the static export in memory and notes its time, bytes
// and files in res.
func timeExport(ctx context.Context, idx *search.Index, res *childResult) error {
	start := time.Now()
	files, err := idx.ExportStatic(ctx)
	if err != nil {
		return err
	}
	res.ExportSec = time.Since(start).Seconds()
	for _, f := range files {
		res.ExportBytes += int64(len(f))
	}
	res.ExportFiles = len(files)
	return nil
}

// medianRun returns the run with the median p99, its other figures
// replaced by their medians over the runs; the slowest queries stay those
// of that run.
func medianRun(runs []childResult) childResult {
	med := func(f func(childResult) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	byP99 := slices.Clone(runs)
	slices.SortStableFunc(byP99, func(a, b childResult) int { return cmp.Compare(a.P99, b.P99) })
	out := byP99[len(byP99)/2]
	out.IndexSeconds = med(func(r childResult) float64 { return r.IndexSeconds })
	out.ExportSec = med(func(r childResult) float64 { return r.ExportSec })
	out.P50 = med(func(r childResult) float64 { return r.P50 })
	out.Max = med(func(r childResult) float64 { return r.Max })
	return out
}

// scoreQueries sets res's MRR@10 of qs and counts the queries without a hit.
func scoreQueries(ctx context.Context, idx *search.Index, qs []qualityQuery, res *childResult) error {
	var sum float64
	for _, q := range qs {
		r, err := idx.Search(ctx, search.Request{Query: q.Q, Limit: 10, NoFacets: true})
		if err != nil {
			return fmt.Errorf("%q: %w", q.Q, err)
		}
		if len(r.Hits) == 0 {
			res.MRRZeros++
		}
		for i, h := range r.Hits {
			if h.Path == q.Want {
				sum += 1 / float64(i+1)
				break
			}
		}
	}
	res.MRR, res.MRRQueries = sum/float64(len(qs)), len(qs)
	return nil
}

// latencyQueries are the quality queries plus heavier shapes: a lone
// character, a long run, filters, a phrase, English.
func latencyQueries(qs []qualityQuery) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Q)
	}
	return append(out, "价", "客", "的", "续约 降价 type:script", `"价格异议"`, "客户成功经理负责续约谈判",
		"stage:negotiation 价格", "CRM", "pricing negotiation", "回款流程")
}

func (e *Env) searchChild(ctx context.Context, args ...string) (childResult, Run, error) {
	self, err := os.Executable()
	if err != nil {
		return childResult{}, Run{}, err
	}
	r, err := measure(exec.CommandContext(ctx, self, append([]string{"searchbench", "-root", e.Root}, args...)...))
	if err != nil {
		return childResult{}, r, err
	}
	var res childResult
	if err := json.Unmarshal([]byte(r.Stdout), &res); err != nil {
		return res, r, fmt.Errorf("searchbench output %q: %w", r.Stdout, err)
	}
	return res, r, nil
}

// gzSize is what a file costs over the wire with gzip (level 6, as web
// servers use), or its own size when that is smaller (already compressed).
func gzSize(data []byte) int64 {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, 6)
	w.Write(data)
	w.Close()
	return min(int64(b.Len()), int64(len(data)))
}

type firstQuery struct {
	Q     string   `json:"q"`
	Files []string `json:"files"`
	Total int      `json:"total"`
	Error string   `json:"error"`
	bytes int64
}

// clientBytes is the gzip size of the client's ES modules in dir, each
// fetched as a file of its own: every page loads them all.
func clientBytes(dir string) (int64, error) {
	mods, err := filepath.Glob(filepath.Join(dir, "*.js"))
	if err != nil || len(mods) == 0 {
		return 0, fmt.Errorf("the search client's modules in %s: %v", dir, err)
	}
	var n int64
	for _, m := range mods {
		js, err := os.ReadFile(m)
		if err != nil {
			return 0, err
		}
		n += gzSize(js)
	}
	return n, nil
}

// staticFirstQueries runs each quality query as the first query of a fresh
// client over the export in dir, showing limit hits with their snippets,
// and returns what each fetched (gzip). The client is the one the build
// published beside the export (DEST/js/search/, minified), what a phone
// downloads.
func (e *Env) staticFirstQueries(ctx context.Context, dir string, qs []qualityQuery, limit int) ([]firstQuery, int64, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, 0, errors.New("node not found")
	}
	script := filepath.Join(e.Work, "firstquery.js")
	if err := os.WriteFile(script, firstQueryJS, 0o644); err != nil {
		return nil, 0, err
	}
	client := filepath.Join(filepath.Dir(dir), "js", "search")
	jsBytes, err := clientBytes(client)
	if err != nil {
		return nil, 0, err
	}
	var in strings.Builder
	for _, q := range qs {
		in.WriteString(q.Q + "\n")
	}
	cmd := exec.CommandContext(ctx, node, script, client, dir, fmt.Sprint(limit))
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		return nil, 0, fmt.Errorf("node firstquery.js: %w", err)
	}
	sizes := &gzSizes{dir: dir}
	var res []firstQuery
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var f firstQuery
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			return nil, 0, err
		}
		if f.Error != "" {
			return nil, 0, fmt.Errorf("static query %q: %s", f.Q, f.Error)
		}
		f.bytes = jsBytes
		if err := f.addSizes(sizes, ""); err != nil {
			return nil, 0, err
		}
		res = append(res, f)
	}
	return res, jsBytes, nil
}

// pagefindBinary finds Pagefind: $PAGEFIND, on PATH, or installed from npm
// into the work folder.
func (e *Env) pagefindBinary(ctx context.Context) (string, error) {
	if p := os.Getenv("PAGEFIND"); p != "" {
		return p, nil
	}
	for _, name := range []string{"pagefind_extended", "pagefind"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	dir := filepath.Join(e.Work, "pagefind-npm")
	cmd := exec.CommandContext(ctx, "npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", dir, "pagefind@1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install pagefind@1: %v: %s", err, strings.TrimSpace(string(out)))
	}
	var found string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (d.Name() == "pagefind_extended" || d.Name() == "pagefind") && strings.Contains(p, "@pagefind") {
			found = p
		}
		return nil
	})
	if found == "" {
		return "", errors.New("npm installed pagefind, but it holds no binary for this platform")
	}
	return found, nil
}

// pagefindHarness is the page a Pagefind query runs in: it loads Pagefind's
// own client and shows the top 8 results' data, as its UI would.
const pagefindHarness = `<!doctype html><meta charset="utf-8"><script type="module">
window.run = async (q) => {
  const pf = await import("/pagefind/pagefind.js");
  const r = await pf.search(q);
  await Promise.all(r.results.slice(0, 8).map(x => x.data()));
  return JSON.stringify({total: r.results.length});
};
window.ready = true;
</script>`

// fetchLog is the paths a server was asked for since the last take.
type fetchLog struct {
	mu    sync.Mutex
	paths []string
}

// add notes a request for p; the server calls it from its handlers.
func (l *fetchLog) add(p string) {
	l.mu.Lock()
	l.paths = append(l.paths, p)
	l.mu.Unlock()
}

// take returns the paths asked for since the last take, each once, and
// starts a new log.
func (l *fetchLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := dedupe(l.paths)
	l.paths = nil
	return out
}

// pagefindServer serves the harness and Pagefind's index in out under
// /pagefind/, noting each index request in log: the server, not the page,
// counts them, since Pagefind fetches from a worker too, which the page's
// resource timing does not see.
func pagefindServer(out string, log *fetchLog) *httptest.Server {
	files := http.StripPrefix("/pagefind/", http.FileServer(http.Dir(out)))
	mux := http.NewServeMux()
	mux.Handle("/pagefind/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r.URL.Path)
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("/harness.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(pagefindHarness))
	})
	return httptest.NewServer(mux)
}

// pagefindFirstQueries runs each query in a fresh headless Chromium tab
// with Pagefind's own client and returns the files it fetched (gzip).
func pagefindFirstQueries(ctx context.Context, out string, qs []qualityQuery) ([]firstQuery, error) {
	log := &fetchLog{}
	srv := pagefindServer(out, log)
	defer srv.Close()
	bctx, stop, err := newBrowser(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := chromedp.Do(bctx); err != nil {
		return nil, err
	}
	sizes := &gzSizes{dir: out}
	var res []firstQuery
	for _, q := range qs {
		log.take() // what an earlier tab fetched
		f, err := pagefindQuery(bctx, srv.URL+"/harness.html", q.Q)
		if err != nil {
			return nil, fmt.Errorf("pagefind query %q: %w", q.Q, err)
		}
		f.Files = log.take()
		if err := f.addSizes(sizes, "/pagefind/"); err != nil {
			return nil, err
		}
		res = append(res, f)
	}
	return res, nil
}

// pagefindQuery runs q in a fresh tab of the browser bctx, cache off (a
// first query), on the harness at url.
func pagefindQuery(bctx context.Context, url, q string) (firstQuery, error) {
	tctx, cancelTab := chromedp.NewContext(bctx)
	defer cancelTab()
	tctx, cancelTime := context.WithTimeout(tctx, 60*time.Second)
	defer cancelTime()
	noCache := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		return err
	})
	err := chromedp.Do(tctx, noCache, chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void]("window.ready === true", chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		return firstQuery{}, err
	}
	raw, err := chromedp.Run(tctx, chromedp.Evaluate[string](fmt.Sprintf("run(%s)", mustJSON(q)), chromedp.EvalAwaitPromise))
	if err != nil {
		return firstQuery{}, err
	}
	var f firstQuery
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return firstQuery{}, err
	}
	f.Q = q
	return f, nil
}

// gzSizes are the gzip sizes of the files in dir, each read once however
// many queries fetch it.
type gzSizes struct {
	dir  string
	seen map[string]int64
}

// of returns the gzip size of the file at rel, a slash path in dir.
func (c *gzSizes) of(rel string) (int64, error) {
	if n, ok := c.seen[rel]; ok {
		return n, nil
	}
	data, err := os.ReadFile(filepath.Join(c.dir, filepath.FromSlash(rel)))
	if err != nil {
		return 0, err
	}
	if c.seen == nil {
		c.seen = map[string]int64{}
	}
	c.seen[rel] = gzSize(data)
	return c.seen[rel], nil
}

// addSizes adds to f.bytes the gzip size of each file it fetched under
// prefix ("" for all), that prefix taken off for its path in sizes' folder.
func (f *firstQuery) addSizes(sizes *gzSizes, prefix string) error {
	for _, p := range f.Files {
		rel, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		n, err := sizes.of(rel)
		if err != nil {
			return err
		}
		f.bytes += n
	}
	return nil
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// searchP99TargetMS is the /api/search target at 10k pages (issue 13: search
// on stock bleve, through its public API).
const searchP99TargetMS = 25

// searchSection is the BENCHMARKS.md section on search: server latency per
// site size, quality, and the static client's first queries beside
// Pagefind's at the largest size.
func searchSection(ctx context.Context, e *Env) (string, error) {
	lang := "zh"
	if !contains(e.Langs, lang) {
		lang = e.Langs[0]
	}
	qs, err := loadQuality(e.Root)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	largest, err := e.latencyReport(ctx, &b, lang, qs)
	if err != nil {
		return "", err
	}
	quality, err := e.qualityReport(ctx)
	if err != nil {
		return "", err
	}
	b.WriteString(quality)
	static, err := e.firstQueryReport(ctx, lang, qs, largest)
	if err != nil {
		return "", err
	}
	b.WriteString(static)
	return b.String(), nil
}

// latencyReport writes the server latency table to b: the search child run
// e.Runs times per site size. It returns the median run at the largest size.
func (e *Env) latencyReport(ctx context.Context, b *strings.Builder, lang string, qs []qualityQuery) (childResult, error) {
	fmt.Fprintf(b, "## Search\n\n")
	fmt.Fprintf(b, `The bleve index of the published pages of each synthetic %s site, built the way `+"`playbook build`"+` builds it, in a
child process (`+"`benchsite searchbench`"+`); then %d rep-style queries (the quality set plus heavier shapes) run 4 timed
rounds after one warm-up round, each with facets and snippets, as `+"`/api/search`"+` answers them; then the static export
is written (in memory) from the index. As for builds, the child runs %d times per site and each figure is the median
of its runs (the p99 of each run is listed below the table); *Peak RSS* is the highest of the runs, for all three steps.

`, lang, len(latencyQueries(qs)), e.Runs)
	var rows [][]string
	var largest childResult
	var p99s []string // per site: the p99 of each run
	loadBefore := loadAvg()
	for _, n := range e.Sizes {
		res, runs, peak, err := e.searchRuns(ctx, n, lang)
		if err != nil {
			return childResult{}, err
		}
		p99s = append(p99s, fmt.Sprintf("%s pages: %s", thousands(int64(res.Pages)), p99sOf(runs)))
		rows = append(rows, latencyRow(n, lang, res, peak))
		largest = res
	}
	b.WriteString(table([]string{"Site", "Pages", "Index time", "Index size", "Query p50", "p99", "max", "Export time", "Static export", "Peak RSS"},
		"lrrrrrrrrr", rows))
	fmt.Fprintf(b, "\nTarget: p99 under %d ms at 10k pages. p99 of each run: %s.", searchP99TargetMS, strings.Join(p99s, "; "))
	b.WriteString(slowestNote(largest))
	fmt.Fprintf(b, " System load average (1, 5, 15 min) before the search runs: %s; after: %s.\n", loadBefore, loadAvg())
	return largest, nil
}

// searchRuns runs the search child e.Runs times on the synthetic site of n
// pages. It returns the median run (medianRun), every run, and the highest
// peak RSS of them.
func (e *Env) searchRuns(ctx context.Context, n int, lang string) (childResult, []childResult, int64, error) {
	site, err := e.Site(ctx, n, lang)
	if err != nil {
		return childResult{}, nil, 0, err
	}
	var runs []childResult
	var peak int64
	for i := range e.Runs {
		res, run, err := e.searchChild(ctx, "-site", site, "-now", Now)
		if err != nil {
			return childResult{}, nil, 0, err
		}
		fmt.Fprintf(e.Log, "search %6d %s run %d/%d: index %.1fs %s, p50 %.2fms p99 %.2fms, export %.1fs %s\n", n, lang, i+1, e.Runs,
			res.IndexSeconds, bytesHuman(res.IndexBytes), res.P50, res.P99, res.ExportSec, bytesHuman(res.ExportBytes))
		runs = append(runs, res)
		peak = max(peak, run.MaxRSS)
	}
	return medianRun(runs), runs, peak, nil
}

// p99sOf lists the p99 of each run.
func p99sOf(runs []childResult) string {
	var each []string
	for _, r := range runs {
		each = append(each, fmt.Sprintf("%.2f ms", r.P99))
	}
	return strings.Join(each, ", ")
}

// latencyRow is the latency table's row of the site of n pages.
func latencyRow(n int, lang string, res childResult, peak int64) []string {
	return []string{thousands(int64(n)) + " " + lang, thousands(int64(res.Pages)),
		fmt.Sprintf("%.1f s", res.IndexSeconds), bytesHuman(res.IndexBytes),
		fmt.Sprintf("%.2f ms", res.P50), fmt.Sprintf("%.2f ms", res.P99), fmt.Sprintf("%.2f ms", res.Max),
		fmt.Sprintf("%.1f s", res.ExportSec), fmt.Sprintf("%s files, %s", thousands(int64(res.ExportFiles)), bytesHuman(res.ExportBytes)),
		mib(peak)}
}

// slowestNote names the slowest queries of res, the median run at the
// largest size ("" when it has none).
func slowestNote(res childResult) string {
	if len(res.Slowest) == 0 {
		return ""
	}
	var qs []string
	for _, q := range res.Slowest {
		qs = append(qs, fmt.Sprintf("`%s` %.2f ms", q.Q, q.Median))
	}
	return fmt.Sprintf(" The slowest queries at %s pages (median of the rounds, in the run with the median p99): %s.",
		thousands(int64(res.Pages)), strings.Join(qs, ", "))
}

// firstQueryReport is the subsection on first static queries at the
// largest size beside Pagefind's, the keystroke figures, the results page
// and the per-query details.
func (e *Env) firstQueryReport(ctx context.Context, lang string, qs []qualityQuery, largest childResult) (string, error) {
	dest, err := e.largestBuilt(ctx, lang)
	if err != nil {
		return "", err
	}
	ours, jsBytes, err := e.staticFirstQueries(ctx, filepath.Join(dest, "search"), qs, instantHits)
	if err != nil {
		return "", err
	}
	// Questions and colloquial phrasing mostly find too little strictly and
	// relax, which may fetch more: counted apart from the quality set.
	devQs, err := loadQueries(e.Root, qualitySets[1].file)
	if err != nil {
		return "", err
	}
	relaxed, _, err := e.staticFirstQueries(ctx, filepath.Join(dest, "search"), devQs, instantHits)
	if err != nil {
		return "", err
	}
	fq := firstQueries{ours: ours, relaxed: relaxed, jsBytes: jsBytes}
	fq.pf, fq.pfNote = e.pagefind(ctx, dest, qs)
	var b strings.Builder
	b.WriteString(fq.table(largest))
	b.WriteString(keystrokeSection(ctx, dest, largest.Pages, latencyQueries(qs)))
	page, err := e.resultsPage(ctx, qs)
	if err != nil {
		return "", err
	}
	b.WriteString(page)
	b.WriteString(fq.details())
	return b.String(), nil
}

// largestBuilt returns the folder of the built synthetic site of the
// largest size, building it when the build section did not.
func (e *Env) largestBuilt(ctx context.Context, lang string) (string, error) {
	n := e.Sizes[len(e.Sizes)-1]
	dest := e.Dest(n, lang)
	if _, err := os.Stat(filepath.Join(dest, "search", "meta.json")); err != nil {
		site, _ := e.Site(ctx, n, lang)
		if _, err := e.Measure(ctx, "build", "--quiet", "-s", site, "-d", dest, "--now", Now); err != nil {
			return "", err
		}
	}
	return dest, nil
}

// firstQueries are the first static queries at the largest size, ours and
// Pagefind's.
type firstQueries struct {
	ours, relaxed []firstQuery // the quality set; the dev set, mostly relaxed
	jsBytes       int64        // the client's modules, gzip
	pf            pagefindResult
	pfNote        string // about how Pagefind was measured, or why not
}

// table is the table of first queries, ours beside Pagefind's, with its
// introduction and notes.
func (fq firstQueries) table(largest childResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n### Static search and Pagefind at %s pages\n\n", thousands(int64(largest.Pages)))
	fmt.Fprintf(&b, `A first query is each quality query typed into a fresh page: everything the search client fetches until the top 8
are shown with snippets, gzip-compressed as a web server sends it (level 6; a file that is already compressed counts as
is). Ours: the client's modules, `+"`js/search/*.js`"+` (%s gzip), plus `+"`meta.json`"+`, the synonym files of the query's characters, the files
of the synonym groups its words expand to, the shards and common heads of its other terms, the tails and pages
it needs to rank exactly, and the 8 pages' texts, run under node over the build's `+"`public/search/`"+`. Pagefind: its own client in headless Chromium over its index of
the same `+"`public/`"+` (all HTML pages, Chinese segmented by Pagefind's extended build). The target is 80 KB. *Requests*
are the index files a query fetched, besides the client itself.

`, bytesHuman(fq.jsBytes))
	rows := [][]string{
		firstQueryRow("Playbook static (bleve export)", fq.ours, fmt.Sprintf("%.1f s (export)", largest.ExportSec), "(in the child above)",
			bytesHuman(largest.ExportBytes)),
		firstQueryRow("the same, questions and colloquial phrasing ("+qualitySets[1].file+", mostly relaxed)", fq.relaxed, "", "", ""),
	}
	if pf := fq.pf; pf.err == nil {
		rows = append(rows, firstQueryRow("Pagefind "+pf.version, pf.queries, secs(pf.run.Wall), mib(pf.run.MaxRSS), fmt.Sprintf("%s files, %s", thousands(int64(pf.files)), bytesHuman(pf.size))))
	}
	b.WriteString(table([]string{"", "Index time", "Peak RSS", "Index size", "First query median", "p90", "max", "Under 80 KB", "Requests median / max"}, "lrrrrrrrr", rows))
	if fq.pf.err != nil {
		fmt.Fprintf(&b, "\nPagefind was not measured: %v.\n", fq.pf.err)
	}
	if fq.pfNote != "" {
		b.WriteString("\n" + fq.pfNote + "\n")
	}
	return b.String()
}

// firstQueryRow is the first-query table's row of one client: its bytes
// (median, p90, max), how many queries stayed under the budget, and its
// requests (median / max).
func firstQueryRow(name string, fq []firstQuery, build, rss, size string) []string {
	if len(fq) == 0 {
		return []string{name, build, rss, size, "—", "—", "—", "—", "—"}
	}
	bs := make([]int64, len(fq))
	reqs := make([]int, len(fq))
	under := 0
	for i, f := range fq {
		bs[i], reqs[i] = f.bytes, len(f.Files)
		if f.bytes < firstQueryBudget {
			under++
		}
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i] < bs[j] })
	sort.Ints(reqs)
	return []string{name, build, rss, size, bytesHuman(bs[len(bs)/2]), bytesHuman(bs[len(bs)*9/10]), bytesHuman(bs[len(bs)-1]),
		fmt.Sprintf("%d of %d", under, len(bs)), fmt.Sprintf("%d / %d", reqs[len(reqs)/2], reqs[len(reqs)-1])}
}

// details is the folded table of each query's first fetch, ours beside
// Pagefind's.
func (fq firstQueries) details() string {
	pf := fq.pf
	var raw [][]string
	for i, f := range fq.ours {
		r := []string{f.Q, thousands(int64(f.Total)), fmt.Sprint(len(f.Files)), bytesHuman(f.bytes)}
		if pf.err == nil && i < len(pf.queries) {
			r = append(r, thousands(int64(pf.queries[i].Total)), fmt.Sprint(len(pf.queries[i].Files)), bytesHuman(pf.queries[i].bytes))
		} else {
			r = append(r, "—", "—", "—")
		}
		raw = append(raw, r)
	}
	return "\n<details><summary>First query per query</summary>\n\n" +
		table([]string{"Query", "Ours: matches", "files", "bytes", "Pagefind: matches", "files", "bytes"}, "lrrrrrr", raw) +
		"\n</details>\n"
}

// resultsPage builds the sample site and opens its results page for each
// quality query: the requests and bytes of 50 hits with their snippets.
func (e *Env) resultsPage(ctx context.Context, qs []qualityQuery) (string, error) {
	dest := filepath.Join(e.Work, "public-sample")
	if _, err := e.Measure(ctx, "build", "--quiet", "-s", e.Root, "-d", dest, "--now", "2026-11-23T12:00:00+08:00"); err != nil {
		return "", err
	}
	fq, _, err := e.staticFirstQueries(ctx, filepath.Join(dest, "search"), qs, resultsHits)
	if err != nil {
		return "", err
	}
	reqs, bs := make([]int, len(fq)), make([]int64, len(fq))
	for i, f := range fq {
		reqs[i], bs[i] = len(f.Files), f.bytes
	}
	sort.Ints(reqs)
	sort.Slice(bs, func(i, j int) bool { return bs[i] < bs[j] })
	return fmt.Sprintf("\nA results page on the sample site (`content/`, the quality queries, up to %d hits with snippets, fresh client): "+
		"median %d requests (max %d) besides the client's modules, %s (max %s) with them.\n", resultsHits,
		reqs[len(reqs)/2], reqs[len(reqs)-1], bytesHuman(bs[len(bs)/2]), bytesHuman(bs[len(bs)-1])), nil
}

// qualityReport scores every query set of qualitySets against its site.
func (e *Env) qualityReport(ctx context.Context) (string, error) {
	var b strings.Builder
	b.WriteString("\n### Quality\n\nMRR@10 of each query set against its site (the page a teammate would hand the rep, in the top 10), and how many queries find nothing at all:\n\n")
	var rows [][]string
	for _, set := range qualitySets {
		site := filepath.Join(e.Root, filepath.FromSlash(set.site))
		res, _, err := e.searchChild(ctx, "-site", site, "-now", "2026-11-23T12:00:00+08:00", "-mrr", "-queries", set.file)
		if err != nil {
			return "", fmt.Errorf("%s: %w", set.file, err)
		}
		rows = append(rows, []string{"`" + set.file + "`", set.about, fmt.Sprint(res.MRRQueries), fmt.Sprintf("%.3f", res.MRR), fmt.Sprint(res.MRRZeros)})
	}
	b.WriteString(table([]string{"Set", "What it is", "Queries", "MRR@10", "Without a hit"}, "llrrr", rows))
	return b.String(), nil
}

type pagefindResult struct {
	err     error
	version string
	run     Run
	files   int
	size    int64
	queries []firstQuery
}

// pagefind indexes the built site with Pagefind and runs the first queries.
func (e *Env) pagefind(ctx context.Context, dest string, qs []qualityQuery) (pagefindResult, string) {
	var r pagefindResult
	if !e.Pagefind {
		r.err = errors.New("skipped (-pagefind=false)")
		return r, ""
	}
	bin, err := e.pagefindBinary(ctx)
	if err != nil {
		r.err = err
		return r, ""
	}
	if out, err := exec.CommandContext(ctx, bin, "--version").Output(); err == nil {
		r.version = strings.TrimPrefix(strings.TrimSpace(string(out)), "pagefind ")
	}
	out := filepath.Join(e.Work, "pagefind-out")
	os.RemoveAll(out)
	r.run, err = measure(exec.CommandContext(ctx, bin, "--site", dest, "--output-path", out))
	if err != nil {
		r.err = err
		return r, ""
	}
	fmt.Fprintf(e.Log, "pagefind: wall %s, peak RSS %s\n", secs(r.run.Wall), mib(r.run.MaxRSS))
	if r.files, r.size, err = dirSize(out); err != nil {
		r.err = err
		return r, ""
	}
	r.queries, err = pagefindFirstQueries(ctx, out, qs)
	if err != nil {
		return r, fmt.Sprintf("Pagefind's first queries were not measured: %v.", err)
	}
	return r, "Pagefind's index time and peak RSS are of its own binary, run as `pagefind --site DEST --output-path OUT`; its figures cover every HTML file of the site (lists and term pages too), ours the published pages."
}
