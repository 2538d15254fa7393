package builder

// Offline reading: a built site is a web app a rep can keep on the phone.
// The theme's static sw.js is the service worker and js/offline.js
// registers it; the build adds what they need to know about this build:
//
//   - manifest.webmanifest (every build, serve too: the pages link it),
//   - offline.json: the build's id and the files to keep from the first
//     visit on — the home page, the script library, the search page and
//     every file of the static search index (up to offlineSearchLimit) —
//     written after every other file, since the id sums them all,
//   - sw.js with that id in place of its placeholder, so that a browser sees
//     a new service worker exactly when the site changed.
//
// serve writes neither sw.js nor offline.json: the preview is never cached.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/playbook-sales/playbook/builder/render"
)

const (
	// buildIDPlaceholder in the theme's sw.js becomes the build's id.
	buildIDPlaceholder = "__PLAYBOOK_BUILD_ID__"
	// offlineSearchLimit caps the search files kept on install: beyond
	// it (a site of thousands of pages) sw.js keeps search files as
	// searches fetch them, and offline search finds what was kept.
	offlineSearchLimit = 16 << 20
)

// offlineKeep is what offline.json lists, URLs relative to the base path.
type offlineKeep struct {
	Build string   `json:"build"`
	Keep  []string `json:"keep"`
}

// sums records a checksum of every file a build writes, by path; a
// rendered file written over a static one replaces its sum.
type sums struct {
	mu sync.Mutex
	by map[string]uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli) // hardware-assisted: summing costs a build little

func (c *sums) add(path string, sum uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[string]uint32{}
	}
	c.by[path] = sum
}

// id sums the sums: the same files give the same id, any change another.
func (c *sums) id() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	paths := make([]string, 0, len(c.by))
	for p := range c.by {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		fmt.Fprintf(h, "%s\t%08x\n", p, c.by[p])
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// writeOffline finishes a build in dir: offline.json and sw.js with the
// build's id. A theme without sw.js gets neither.
func writeOffline(dir string, pages []string, sums *sums) error {
	swPath := filepath.Join(dir, render.ServiceWorker)
	sw, err := os.ReadFile(swPath)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return fmt.Errorf("offline: %w", err)
	}
	keep := append(pages, "manifest.webmanifest", "favicon.svg")
	for _, sub := range []string{"css", "js", "search"} {
		limit := int64(-1)
		if sub == "search" {
			limit = offlineSearchLimit
		}
		files, err := filesUnder(dir, sub, limit)
		if err != nil {
			return fmt.Errorf("offline: %w", err)
		}
		keep = append(keep, files...)
	}
	id := sums.id()
	list, err := json.Marshal(offlineKeep{Build: id, Keep: keep})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, render.OfflineList), list, 0o644); err != nil {
		return fmt.Errorf("offline: %w", err)
	}
	sw = []byte(strings.ReplaceAll(string(sw), buildIDPlaceholder, id))
	return os.WriteFile(swPath, sw, 0o644)
}

// filesUnder lists the files of the folder sub of dir but its pages, or
// none when together they pass limit (-1: no limit).
func filesUnder(dir, sub string, limit int64) ([]string, error) {
	var list []string
	var size int64
	root := filepath.Join(dir, sub)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".html") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		rel, _ := filepath.Rel(dir, p)
		list = append(list, filepath.ToSlash(rel))
		return nil
	})
	if os.IsNotExist(err) || (limit >= 0 && size > limit) {
		return nil, nil
	}
	sort.Strings(list)
	return list, err
}
