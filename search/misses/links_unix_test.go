//go:build unix

package misses

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLogRefusesLinks: readers type what the log holds, and a site folder
// may come from anyone, so a link or special file where the log or its
// folder belongs is an error — never followed, nothing written through it.
func TestLogRefusesLinks(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, site, outside string)
		want  string
	}{
		{"log is a link to a file outside the site", func(t *testing.T, site, outside string) {
			mkdir(t, filepath.Join(site, Dir))
			link(t, filepath.Join(outside, "bashrc"), filepath.Join(site, FileName))
		}, ".playbook/search-misses.jsonl: a symlink"},
		{"log is a link to a page of the site", func(t *testing.T, site, outside string) {
			mkdir(t, filepath.Join(site, Dir))
			link(t, "../content/page.md", filepath.Join(site, FileName))
		}, ".playbook/search-misses.jsonl: a symlink"},
		{"log is a dangling link", func(t *testing.T, site, outside string) {
			mkdir(t, filepath.Join(site, Dir))
			link(t, filepath.Join(outside, "new-file"), filepath.Join(site, FileName))
		}, ".playbook/search-misses.jsonl: a symlink"},
		{".playbook is a link out of the site", func(t *testing.T, site, outside string) {
			link(t, outside, filepath.Join(site, Dir))
		}, ".playbook: a symlink"},
		{"log is a named pipe", func(t *testing.T, site, outside string) {
			mkdir(t, filepath.Join(site, Dir))
			if err := syscall.Mkfifo(filepath.Join(site, FileName), 0o644); err != nil {
				t.Skip(err)
			}
		}, ".playbook/search-misses.jsonl: not a regular file"},
		{"log is a folder", func(t *testing.T, site, outside string) {
			mkdir(t, filepath.Join(site, FileName))
		}, ".playbook/search-misses.jsonl: not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, outside := t.TempDir(), t.TempDir()
			write(t, filepath.Join(outside, "bashrc"), "export PS1=x\n")
			write(t, filepath.Join(site, "content/page.md"), "---\ntitle: x\n---\n")
			tt.setup(t, site, outside)
			err := NewLog(site).Append(mustEvent(t, "$(rm -rf ~)"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Append: %v, want %q", err, tt.want)
			}
			if _, _, err := Read(site); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read: %v, want %q", err, tt.want)
			}
			for _, p := range []string{filepath.Join(outside, "bashrc"), filepath.Join(site, "content/page.md")} {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte("rm -rf")) {
					t.Errorf("written through the link: %s", p)
				}
			}
			if _, err := os.Lstat(filepath.Join(outside, "new-file")); err == nil {
				t.Error("a file was created through the dangling link")
			}
		})
	}
}
