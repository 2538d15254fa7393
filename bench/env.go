package main

import (
	"bytes"
	"context"
	"fmt"
	"golang.org/x/mod/modfile"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/internal/synth"
)

// Env is what sections share: the binary under test, the generated sites
// and the settings of the run.
type Env struct {
	Root   string   // repository root
	Bin    string   // playbook binary under test (absolute)
	Work   string   // scratch folder for sites and output
	Out    string   // report file, "-" for standard output
	Runs   int      // measured runs per measurement
	Warmup int      // unmeasured runs before them
	Sizes  []int    // site sizes in pages
	Langs  []string // site languages
	Scale  []int    // zh site sizes of the scale section
	Seed   int64
	Log    io.Writer // progress and raw runs
	// Pagefind turns the Pagefind comparison of the search section on;
	// off saves its minutes and gigabytes when only our figures matter.
	Pagefind bool
	// Corpus is the folder of pingcap/docs-cn's Markdown (docs-cn section).
	Corpus string

	start  time.Time
	sites  map[string]string
	commit string
}

// Now is the clock the synthetic sites are built at (--now).
const Now = synth.NowString

// Site returns the folder of the synthetic site of n pages in lang,
// generating it on first use. Sections share the sites.
func (e *Env) Site(ctx context.Context, n int, lang string) (string, error) {
	key := fmt.Sprintf("site-%s-%d", lang, n)
	if dir, ok := e.sites[key]; ok {
		return dir, nil
	}
	dir := filepath.Join(e.Work, key)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	start := time.Now()
	cmd := exec.CommandContext(ctx, self, "generate", "-n", fmt.Sprint(n), "-lang", lang, "-seed", fmt.Sprint(e.Seed), dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("generate %s: %v\n%s", key, err, out)
	}
	fmt.Fprintf(e.Log, "generated %d-page %s site in %s\n", n, lang, time.Since(start).Round(time.Millisecond))
	if e.sites == nil {
		e.sites = map[string]string{}
	}
	e.sites[key] = dir
	return dir, nil
}

// Dest is the output folder the build section uses for a site; after that
// section has run it holds the built site.
func (e *Env) Dest(n int, lang string) string {
	return filepath.Join(e.Work, fmt.Sprintf("public-%s-%d", lang, n))
}

// Measure runs the binary under test with args and measures it. A non-zero
// exit is an error carrying the child's output.
func (e *Env) Measure(ctx context.Context, args ...string) (Run, error) {
	return measure(exec.CommandContext(ctx, e.Bin, args...))
}

func measure(cmd *exec.Cmd) (Run, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Untimed: write back what earlier runs wrote and deleted, which the
	// kernel would otherwise charge, as system time and waits, to whichever
	// run comes next (a docs-cn round's tools took 0.6–0.9 s of system time
	// in the warm-up and 2–15 s in the rounds after it).
	flushFileSystems()
	start := time.Now()
	err := cmd.Run()
	r := Run{Wall: time.Since(start)}
	if cmd.ProcessState != nil {
		r.User, r.Sys = cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime()
		r.MaxRSS = maxRSS(cmd.ProcessState)
	}
	if err != nil {
		return r, fmt.Errorf("%s: %v\n%s%s", strings.Join(cmd.Args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	r.Stdout = stdout.String()
	return r, nil
}

// playbookBinary returns the binary to measure: the one given, or a fresh
// build of ./cmd/playbook (built the way `make build` builds it).
func (e *Env) playbookBinary(ctx context.Context, bin string) (string, error) {
	if bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(abs); err != nil {
			return "", fmt.Errorf("-bin: %w", err)
		}
		return abs, nil
	}
	out := filepath.Join(e.Work, "playbook")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+e.Commit(), "-o", out, "./cmd/playbook")
	cmd.Dir = e.Root
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/playbook: %v\n%s", err, msg)
	}
	return out, nil
}

// repoRoot is the folder of Playbook's go.mod (mainModule), found upwards
// from the working folder: the harness's own module sits inside it.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && modfile.ModulePath(data) == mainModule {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod of %s in %s or above; run benchsite in the repository", mainModule, dir)
		}
	}
}

// mainModule is the module the harness measures.
const mainModule = "github.com/playbook-sales/playbook"

// Commit names the source measured: the short commit, with "-dirty" when
// the work tree differs from it (the report file itself aside).
func (e *Env) Commit() string {
	if e.commit == "" {
		e.commit = e.gitCommit()
	}
	return e.commit
}

func (e *Env) gitCommit() string {
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = e.Root
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	head, err := git("rev-parse", "--short", "HEAD")
	if err != nil {
		return "unknown"
	}
	status, err := git("status", "--porcelain")
	if err != nil {
		return head
	}
	outRel := ""
	if e.Out != "-" {
		if abs, err := filepath.Abs(e.Out); err == nil {
			outRel, _ = filepath.Rel(e.Root, abs)
			outRel = filepath.ToSlash(outRel)
		}
	}
	for _, line := range strings.Split(status, "\n") {
		if line != "" && (len(line) < 4 || strings.Trim(line[3:], `"`) != outRel) {
			return head + "-dirty"
		}
	}
	return head
}
