// Package gitinfo tells, for every file under a folder of a git work tree,
// the last commit that changed it: its author and time. It runs git twice
// per site, whatever the number of files — `git rev-parse` to find the work
// tree and `git log --name-only` over the whole history, read newest first
// (as Hugo's gitmap does) — never a process per file.
//
// History may be missing or cut short, and a build must not fail for it:
// Read reports that as an error the caller can print once (ErrNoGit,
// ErrNotRepo) or, for a shallow clone, as Log.Shallow with the files whose
// last change lies beyond the fetched history left out (Log.Uncertain): in a
// clone of depth 1 every file seems changed by the one commit there is, so
// those dates would be wrong, not merely old.
package gitinfo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Commit is the last commit that changed a file.
type Commit struct {
	Hash   string    // full hash
	Author string    // author name, as the repository's .mailmap maps it
	Time   time.Time // author date: when the change was made, kept through rebases
}

// Log maps files to the last commit that changed them.
type Log struct {
	// Files is keyed by path relative to the folder Read was given,
	// slash-separated: "content/cases/acme.md".
	Files map[string]Commit
	// Shallow reports a shallow clone (CI checkouts are, by default).
	Shallow bool
	// Uncertain counts the files left out of Files because their last
	// commit is a shallow boundary, so an older change may be hidden.
	Uncertain int
}

// Errors Read returns when there is no history to read.
var (
	ErrNoGit   = errors.New("git is not installed")
	ErrNotRepo = errors.New("not inside a git work tree")
)

// Read returns the last commit of every file under paths (relative to dir;
// none means all of dir). A work tree without commits gives an empty Log.
func Read(ctx context.Context, dir string, paths ...string) (*Log, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, ErrNoGit
	}
	loc, err := locate(ctx, git, dir)
	if err != nil {
		return nil, err
	}
	l := &Log{Files: map[string]Commit{}}
	boundary, err := shallowCommits(filepath.Join(dir, loc.shallowFile))
	if err != nil {
		return nil, err
	}
	l.Shallow = len(boundary) > 0
	if !loc.hasHead {
		return l, nil
	}
	out, err := gitLog(ctx, git, dir, paths)
	if err != nil {
		return nil, err
	}
	l.add(out, loc.prefix, boundary)
	return l, nil
}

// location is where dir sits in its work tree.
type location struct {
	prefix      string // dir relative to the top of the work tree, "" or "site/"
	shallowFile string // the repository's list of shallow boundaries, relative to dir
	hasHead     bool   // false in a repository without commits
}

// locate asks git, in one call, where dir is and whether HEAD exists:
// rev-parse prints the prefix and the shallow file's path, then HEAD's
// hash, or exits 1 when --verify finds no HEAD.
func locate(ctx context.Context, git, dir string) (location, error) {
	cmd := command(ctx, git, dir, "rev-parse", "--show-prefix", "--git-path", "shallow", "--verify", "-q", "HEAD")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	lines := strings.Split(string(out), "\n")
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 1 && len(lines) >= 2:
		return location{prefix: lines[0], shallowFile: lines[1]}, nil
	case err != nil && strings.Contains(stderr.String(), "not a git repository"):
		return location{}, ErrNotRepo
	case err != nil:
		return location{}, gitError("rev-parse", err, stderr.String())
	case len(lines) < 3:
		return location{}, fmt.Errorf("git rev-parse: unexpected output %q", out)
	}
	return location{prefix: lines[0], shallowFile: lines[1], hasHead: true}, nil
}

// shallowCommits reads the hashes of a shallow clone's boundary commits:
// those whose parents were not fetched. No file means a full clone.
func shallowCommits(file string) (map[string]bool, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read shallow list: %w", err)
	}
	out := map[string]bool{}
	for _, h := range strings.Fields(string(data)) {
		out[h] = true
	}
	return out, nil
}

// Separators of the log format: a record per commit, fields within it.
const (
	recordSep = "\x1e"
	fieldSep  = "\x1f"
)

// logArgs asks for every commit touching paths, newest first, with the
// files it changed NUL-separated (so no name is quoted or escaped). Renames
// count as a new file, as the file's text is what changed; merges list no
// files of their own.
func logArgs(paths []string) []string {
	args := []string{"-c", "log.showSignature=false", "log", "-z", "--name-only", "--no-renames", "--no-merges", "--no-ext-diff", "--no-textconv",
		"--format=" + recordSep + "%H" + fieldSep + "%aN" + fieldSep + "%aI", "--"}
	if len(paths) == 0 {
		paths = []string{"."} // dir only, not the whole work tree
	}
	return append(args, paths...)
}

// add reads log output into l: each file's first (newest) commit wins.
// Paths come relative to the top of the work tree and are kept relative
// to dir, whose prefix they all share.
func (l *Log) add(out []byte, prefix string, boundary map[string]bool) {
	uncertain := map[string]bool{}
	for _, rec := range strings.Split(string(out), recordSep) {
		head, files, ok := strings.Cut(rec, "\x00")
		if !ok {
			continue
		}
		c, ok := parseHead(head)
		if !ok {
			continue
		}
		for _, f := range strings.Split(files, "\x00") {
			f, inside := strings.CutPrefix(strings.TrimLeft(f, "\n"), prefix)
			if !inside || f == "" || uncertain[f] {
				continue
			}
			if _, seen := l.Files[f]; seen {
				continue
			}
			if boundary[c.Hash] {
				uncertain[f] = true
				continue
			}
			l.Files[f] = c
		}
	}
	l.Uncertain = len(uncertain)
}

// parseHead reads "hash␟author␟time" of one record.
func parseHead(head string) (Commit, bool) {
	f := strings.Split(head, fieldSep)
	if len(f) != 3 {
		return Commit{}, false
	}
	t, err := time.Parse(time.RFC3339, f[2])
	if err != nil {
		return Commit{}, false
	}
	return Commit{Hash: f[0], Author: f[1], Time: t}, true
}

// gitLog runs the one log pass in dir; a failure carries git's own first
// line of complaint.
func gitLog(ctx context.Context, git, dir string, paths []string) ([]byte, error) {
	cmd := command(ctx, git, dir, logArgs(paths)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, gitError("log", err, stderr.String())
	}
	return out, nil
}

// command is git in dir with messages in English (they are matched above)
// and no pager, prompt, optional lock or file-system monitor: a site's own
// repository configuration gets no say in what runs (log asks for names
// only, so no diff driver or text conversion runs either).
func command(ctx context.Context, git, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, git, append([]string{"-c", "core.fsmonitor=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	return cmd
}

func gitError(what string, err error, stderr string) error {
	msg, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n")
	msg = strings.TrimPrefix(msg, "fatal: ")
	if msg == "" {
		return fmt.Errorf("git %s: %w", what, err)
	}
	return fmt.Errorf("git: %s", msg)
}
