package main

// The publishing recipes of docs/publish, tested as far as this machine
// allows. The GitHub Actions workflow is linted by actionlint (as a
// library) and the GitLab pipeline read for the keys it needs; then their
// shell steps run here, with the playbook of this test binary, on a small
// site in a git repository: the install step against a fake release (curl
// is a stand-in that copies files), the check gate and the build with each
// host's base URL. publish.sh runs for real, rsync into a folder. The
// Dockerfile is only parsed (dockerfile_test.go): docker cannot run here.

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// publishDir holds the recipes, beside docs/publishing.md.
const publishDir = "../../docs/publish"

func TestGitHubWorkflowLint(t *testing.T) {
	tests := []struct {
		file     string
		wantErrs []string // parts of the errors actionlint must report; none for the recipe
	}{
		{filepath.Join(publishDir, "github-pages.yml"), nil},
		// The linter is really at work: a typo in an expression and an
		// output that configure-pages does not have are caught.
		{"testdata/publish/broken-workflow.yml", []string{`property "base_ur" is not defined`, `undefined variable "steps_pages"`}},
	}
	shellcheck, _ := exec.LookPath("shellcheck") // its checks of run: scripts too, where installed
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			src, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{Shellcheck: shellcheck})
			if err != nil {
				t.Fatal(err)
			}
			errs, err := l.Lint(tt.file, src, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			for _, want := range tt.wantErrs {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, want) }) {
					t.Errorf("actionlint did not report %q; it reported:\n%s", want, strings.Join(got, "\n"))
				}
			}
			if tt.wantErrs == nil && len(got) > 0 {
				t.Errorf("actionlint:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// workflow is the part of a GitHub Actions workflow the tests read.
type workflow struct {
	On   map[string]yaml.Node `yaml:"on"`
	Jobs map[string]struct {
		Needs string `yaml:"needs"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			With map[string]string `yaml:"with"`
			Run  string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T) workflow {
	t.Helper()
	var w workflow
	if err := yaml.Unmarshal(readRecipe(t, "github-pages.yml"), &w); err != nil {
		t.Fatal(err)
	}
	return w
}

func readRecipe(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(publishDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// step returns the run script of the build job's step of that name.
func (w workflow) step(t *testing.T, name string) string {
	t.Helper()
	for _, s := range w.Jobs["build"].Steps {
		if s.Name == name {
			return s.Run
		}
	}
	t.Fatalf("github-pages.yml: no step %q in the build job", name)
	return ""
}

func TestGitHubWorkflowShape(t *testing.T) {
	w := readWorkflow(t)
	for _, trigger := range []string{"push", "pull_request", "schedule", "workflow_dispatch"} {
		if _, ok := w.On[trigger]; !ok {
			t.Errorf("github-pages.yml: not run on %s", trigger)
		}
	}
	var uses []string
	for _, s := range w.Jobs["build"].Steps {
		uses = append(uses, strings.Split(s.Uses, "@")[0])
		if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["fetch-depth"] != "0" {
			t.Errorf("checkout fetches depth %q; want 0, or pages show no git dates", s.With["fetch-depth"])
		}
	}
	for _, want := range []string{"actions/checkout", "actions/configure-pages", "actions/upload-pages-artifact"} {
		if !slices.Contains(uses, want) {
			t.Errorf("the build job does not use %s", want)
		}
	}
	if d := w.Jobs["deploy"]; d.Needs != "build" || len(d.Steps) != 1 || !strings.HasPrefix(d.Steps[0].Uses, "actions/deploy-pages@") {
		t.Errorf("the deploy job = %+v; want actions/deploy-pages after build", d)
	}
}

// recipeSite is a site in a git repository whose pages are all in order at
// the real clock (recipes build without --now), plus, with stale, a page
// long past its review: a warning, so --strict fails.
func recipeSite(t *testing.T, stale bool) string {
	t.Helper()
	dir := t.TempDir()
	today := time.Now().Format("2006-01-02")
	files := map[string]string{
		"playbook.yaml":              "title: 发布测试\nlanguage: zh-CN\n",
		".gitignore":                 "/public/\n.playbook/\n",
		"content/_index.md":          "---\ntitle: 发布测试\n---\n\n先读[新人手册](guides/handbook.md)。\n",
		"content/guides/handbook.md": "---\ntitle: 新人手册\nowner: 许诺\nreviewed: " + today + "\n---\n\n第一周。\n",
	}
	if stale {
		files["content/guides/old.md"] = "---\ntitle: 旧流程\nowner: 许诺\nreviewed: 2020-01-01\nreview_every: 30d\n---\n\n[手册](handbook.md)\n"
		files["content/_index.md"] += "\n还有[旧流程](guides/old.md)。\n"
	}
	for name, text := range files {
		writeTestFile(t, filepath.Join(dir, name), text)
	}
	gitEnv := append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=许诺",
		"GIT_AUTHOR_EMAIL=xn@example.com", "GIT_COMMITTER_NAME=ci", "GIT_COMMITTER_EMAIL=ci@example.com")
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "site"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, gitEnv
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

func writeTestFile(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}

// shell runs a recipe's script in dir as CI would (errexit), with env on
// top of the test's own (whose PATH has this binary as playbook).
func shell(t *testing.T, dir, script string, env ...string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("playbook"); err != nil {
		t.Fatalf("playbook is not on PATH: %v (TestMain puts this test binary there)", err)
	}
	cmd := exec.Command("sh", "-e", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0", "HOME="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// linksUnder reports whether the built home page links to its sections
// under the base path prefix.
func linksUnder(t *testing.T, site, prefix string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(site, "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(`href="`+prefix+`guides/`))
}

// TestGitHubWorkflowSteps runs the Check and Build steps as each event
// runs them: strict on pushes and pull requests, lenient on the schedule;
// with the Pages address (as configure-pages gives it, no final slash)
// except on pull requests.
func TestGitHubWorkflowSteps(t *testing.T) {
	w := readWorkflow(t)
	check, build := w.step(t, "Check"), w.step(t, "Build")
	tests := []struct {
		name, event, baseURL string
		stale                bool
		checkOK              bool
		links                string // prefix of the home page's links, "" when it is not built
	}{
		{"push", "push", "https://team.github.io/kb", false, true, "/kb/"},
		{"pull request: a trial build", "pull_request", "", false, true, "/"},
		{"push with a page past its review", "push", "https://team.github.io/kb", true, false, ""},
		{"daily rebuild with a page past its review", "schedule", "https://team.github.io/kb", true, true, "/kb/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := recipeSite(t, tt.stale)
			out, err := shell(t, site, check, "GITHUB_EVENT_NAME="+tt.event)
			if (err == nil) != tt.checkOK {
				t.Fatalf("Check step: err = %v, want ok = %v\n%s", err, tt.checkOK, out)
			}
			if !tt.checkOK {
				t.Logf("Check step output:\n%s", out)
				return // the job stops here: nothing is built or published
			}
			if out, err := shell(t, site, build, "BASE_URL="+tt.baseURL); err != nil {
				t.Fatalf("Build step: %v\n%s", err, out)
			} else if strings.Contains(out, "note:") {
				t.Errorf("a build in a full clone says %q", out)
			}
			if !linksUnder(t, site, tt.links) {
				t.Errorf("the built site does not link under %s", tt.links)
			}
		})
	}
}

// fakeRelease writes a release as the install steps download it: the
// binary and SHA256SUMS, plus curl, a stand-in that copies from it. With
// tamper, the binary is not the one the sums were made of.
func fakeRelease(t *testing.T, version string, tamper bool) (bin string) {
	t.Helper()
	rel, shims := t.TempDir(), t.TempDir()
	asset := "playbook-" + version + "-linux-amd64"
	body := "#!/bin/sh\necho 'playbook " + version + " (fake)'\n"
	sum := sha256.Sum256([]byte(body))
	writeTestFile(t, filepath.Join(rel, "SHA256SUMS"), fmt.Sprintf("%x  %s\n%x  playbook-%s-darwin-arm64\n", sum, asset, sum, version))
	if tamper {
		body += "# changed on the way\n"
	}
	writeTestFile(t, filepath.Join(rel, asset), body)
	writeTestFile(t, filepath.Join(shims, "curl"), `#!/bin/sh
for a; do url=$a; done
cp "`+rel+`/${url##*/}" . || exit 22
`)
	return shims
}

func TestGitHubWorkflowInstall(t *testing.T) {
	install := readWorkflow(t).step(t, "Install playbook")
	for _, tamper := range []bool{false, true} {
		t.Run(fmt.Sprintf("tampered=%v", tamper), func(t *testing.T) {
			shims := fakeRelease(t, "v0.1.0", tamper)
			work, home := t.TempDir(), t.TempDir()
			ghPath := filepath.Join(t.TempDir(), "github_path")
			out, err := shell(t, work, install, "PATH="+shims+":"+os.Getenv("PATH"), "HOME="+home,
				"PLAYBOOK_VERSION=v0.1.0", "GITHUB_PATH="+ghPath)
			if tamper {
				if err == nil {
					t.Errorf("a binary that does not match SHA256SUMS was installed:\n%s", out)
				}
				return
			}
			if err != nil {
				t.Fatalf("install: %v\n%s", err, out)
			}
			got, err := exec.Command(filepath.Join(home, ".local", "bin", "playbook")).Output()
			if err != nil || string(got) != "playbook v0.1.0 (fake)\n" {
				t.Errorf("installed playbook says %q (%v)", got, err)
			}
			if p, _ := os.ReadFile(ghPath); strings.TrimSpace(string(p)) != filepath.Join(home, ".local", "bin") {
				t.Errorf("GITHUB_PATH = %q, want the install folder", p)
			}
		})
	}
}

// pipeline is the part of .gitlab-ci.yml the tests read.
type pipeline struct {
	Variables map[string]string `yaml:"variables"`
	Default   struct {
		Image        string   `yaml:"image"`
		BeforeScript []string `yaml:"before_script"`
	} `yaml:"default"`
	Stages []string  `yaml:"stages"`
	Check  gitlabJob `yaml:"check"`
	Pages  gitlabJob `yaml:"pages"`
}

type gitlabJob struct {
	Stage     string              `yaml:"stage"`
	Rules     []map[string]string `yaml:"rules"`
	Script    []string            `yaml:"script"`
	Artifacts struct {
		Paths []string `yaml:"paths"`
	} `yaml:"artifacts"`
}

func TestGitLabPipeline(t *testing.T) {
	var p pipeline
	if err := yaml.Unmarshal(readRecipe(t, "gitlab-ci.yml"), &p); err != nil {
		t.Fatal(err)
	}
	before := strings.Join(p.Default.BeforeScript, "\n")
	checks := []struct {
		what string
		ok   bool
	}{
		{"GIT_DEPTH is 0 (whole history)", p.Variables["GIT_DEPTH"] == "0"},
		{"PLAYBOOK_VERSION names a release", strings.HasPrefix(p.Variables["PLAYBOOK_VERSION"], "v")},
		{"the install checks the binary's SHA-256 and installs git", strings.Contains(before, "sha256sum -c") && strings.Contains(before, "apk add --no-cache curl git")},
		{"stages check, deploy", slices.Equal(p.Stages, []string{"check", "deploy"})},
		{"the pages job publishes public/", p.Pages.Stage == "deploy" && slices.Equal(p.Pages.Artifacts.Paths, []string{"public"})},
		{"the pages job runs on the default branch", len(p.Pages.Rules) == 1 && p.Pages.Rules[0]["if"] == "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
		{"the check job runs on merge requests", len(p.Check.Rules) == 1 && p.Check.Rules[0]["if"] == `$CI_PIPELINE_SOURCE == "merge_request_event"`},
		{"the pages job builds with CI_PAGES_URL", slices.Contains(p.Pages.Script, `playbook build --base-url "$CI_PAGES_URL/"`)},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("gitlab-ci.yml: want %s", c.what)
		}
	}
	tests := []struct {
		name   string
		job    gitlabJob
		source string
		stale  bool
		ok     bool
		links  string
	}{
		{"merge request", p.Check, "merge_request_event", false, true, "/"},
		{"merge request with a page past its review", p.Check, "merge_request_event", true, false, ""},
		{"push to main", p.Pages, "push", false, true, "/kb/"},
		{"push to main with a page past its review", p.Pages, "push", true, false, ""},
		{"scheduled rebuild with a page past its review", p.Pages, "schedule", true, true, "/kb/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := recipeSite(t, tt.stale)
			out, err := shell(t, site, strings.Join(tt.job.Script, "\n"),
				"CI_PIPELINE_SOURCE="+tt.source, "CI_PAGES_URL=https://team.gitlab.io/kb")
			if (err == nil) != tt.ok {
				t.Fatalf("script: err = %v, want ok = %v\n%s", err, tt.ok, out)
			}
			if tt.ok && !linksUnder(t, site, tt.links) {
				t.Errorf("the built site does not link under %s", tt.links)
			}
		})
	}
}

func TestPublishScript(t *testing.T) {
	if _, err := exec.LookPath("rsync"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("rsync not found, and CI is set")
		}
		t.Skip("rsync not found")
	}
	script, err := filepath.Abs(filepath.Join(publishDir, "publish.sh"))
	if err != nil {
		t.Fatal(err)
	}
	site := recipeSite(t, false)
	www := filepath.Join(t.TempDir(), "www") + "/"
	env := []string{"BASE_URL=https://kb.example.com/sales/", "DEST=" + www}
	if out, err := shell(t, site, script, env...); err != nil {
		t.Fatalf("publish.sh: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(www, "guides", "handbook", "index.html")); err != nil {
		t.Errorf("the page is not published: %v", err)
	}
	if _, err := os.Stat(filepath.Join(www, ".playbook-build")); err == nil {
		t.Error("the build marker was uploaded")
	}
	home, _ := os.ReadFile(filepath.Join(www, "index.html"))
	if !bytes.Contains(home, []byte(`href="/sales/guides/`)) {
		t.Error("the published site does not link under the base URL's path /sales/")
	}
	// A page removed from the site goes from the server at the next run.
	if err := os.RemoveAll(filepath.Join(site, "content", "guides")); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(site, "content", "_index.md"), "---\ntitle: 发布测试\n---\n")
	if out, err := shell(t, site, script, env...); err != nil {
		t.Fatalf("publish.sh, second run: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(www, "guides")); err == nil {
		t.Error("a page deleted from the site is still on the server")
	}
}

func TestPublishScriptToObjectStorage(t *testing.T) {
	script, err := filepath.Abs(filepath.Join(publishDir, "publish.sh"))
	if err != nil {
		t.Fatal(err)
	}
	site := recipeSite(t, false)
	shims := t.TempDir()
	calls := filepath.Join(t.TempDir(), "aws-calls")
	writeTestFile(t, filepath.Join(shims, "aws"), "#!/bin/sh\necho \"$@\" >> "+calls+"\n")
	tests := []struct {
		name string
		env  []string
		ok   bool
	}{
		{"S3 bucket", []string{"BASE_URL=https://kb.example.com/", "DEST=s3://kb-bucket/"}, true},
		{"no DEST", []string{"BASE_URL=https://kb.example.com/", "DEST="}, false},
		{"no BASE_URL", []string{"DEST=s3://kb-bucket/"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(calls)
			out, err := shell(t, site, script, append(tt.env, "PATH="+shims+":"+os.Getenv("PATH"))...)
			if (err == nil) != tt.ok {
				t.Fatalf("publish.sh: err = %v, want ok = %v\n%s", err, tt.ok, out)
			}
			got, _ := os.ReadFile(calls)
			want := ""
			if tt.ok {
				want = "s3 sync ./public/ s3://kb-bucket/ --delete --exclude .playbook-build\n"
			}
			if string(got) != want {
				t.Errorf("aws was called with %q, want %q", got, want)
			}
		})
	}
}
