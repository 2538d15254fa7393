package main

import (
	"runtime/debug"
	"testing"
)

func TestBuildInfo(t *testing.T) {
	const hash = "47ee4985c0ffee0123456789abcdef0123456789"
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: hash}, {Key: "vcs.time", Value: "2026-11-20T02:00:00Z"}, {Key: "vcs.modified", Value: modified}}}
	}
	tests := []struct {
		name   string
		linked buildInfo // what -ldflags -X set
		bi     *debug.BuildInfo
		want   string
	}{
		{"make release sets everything", buildInfo{Version: "v1.4.0", Commit: hash, Date: "2026-11-20T02:00:00Z"}, vcs("true"),
			"playbook v1.4.0 (commit 47ee4985c0ff, built 2026-11-20T02:00:00Z, go1.26.8 linux/amd64)"},
		{"go install module@v1.4.0", buildInfo{Version: "dev"}, &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}},
			"playbook v1.4.0 (commit unknown, built unknown, go1.26.8 linux/amd64)"},
		{"go build in a clean work tree", buildInfo{Version: "dev"}, vcs("false"),
			"playbook dev (commit 47ee4985c0ff, built 2026-11-20T02:00:00Z, go1.26.8 linux/amd64)"},
		{"go build with local changes", buildInfo{Version: "dev"}, vcs("true"),
			"playbook dev (commit 47ee4985c0ff-dirty, built 2026-11-20T02:00:00Z, go1.26.8 linux/amd64)"},
		{"go test: nothing recorded", buildInfo{Version: "dev"}, &debug.BuildInfo{},
			"playbook dev (commit unknown, built unknown, go1.26.8 linux/amd64)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.linked
			b.Go, b.Platform = "go1.26.8", "linux/amd64"
			if got := b.fill(tt.bi).String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
