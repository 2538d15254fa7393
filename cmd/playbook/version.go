package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// The build's identity, set at link time by make build and make release:
//
//	-ldflags "-X main.version=v1.2.3 -X main.commit=HASH -X main.date=2026-11-23T10:00:00Z"
//
// A binary built without them (go install …@v1.2.3, go build) takes what
// Go recorded in it instead: the module version, and the commit and its
// time when built in a work tree.
var (
	version = "dev"
	commit  string
	date    string
)

// buildInfo is what `playbook version` prints: what CI logs need to tell
// which binary built a site.
type buildInfo struct {
	Version, Commit, Date string
	Go, Platform          string
}

func currentBuild() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b = b.fill(bi)
	}
	return b
}

// fill takes from Go's build info what the link flags left unset.
func (b buildInfo) fill(bi *debug.BuildInfo) buildInfo {
	if b.Version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.Version = bi.Main.Version
	}
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	if b.Commit == "" && set["vcs.revision"] != "" {
		b.Commit = set["vcs.revision"]
		if set["vcs.modified"] == "true" {
			b.Commit += "-dirty"
		}
	}
	if b.Date == "" {
		b.Date = set["vcs.time"]
	}
	return b
}

// String is one line: "playbook v1.2.3 (commit 1a2b3c4d5e6f, built
// 2026-11-23T10:00:00Z, go1.26.8 linux/amd64)".
func (b buildInfo) String() string {
	commit := b.Commit
	if hash, dirty, _ := strings.Cut(commit, "-"); len(hash) > 12 {
		commit = strings.TrimSuffix(hash[:12]+"-"+dirty, "-")
	}
	return fmt.Sprintf("playbook %s (commit %s, built %s, %s %s)", b.Version, orUnknown(commit), orUnknown(b.Date), b.Go, b.Platform)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), currentBuild())
			return err
		},
	}
}
