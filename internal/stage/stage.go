// Package stage makes the temporary folders in which Playbook writes a build
// or a search index before renaming it into place, and removes the ones that
// killed builds left behind.
//
// A stage folder is named PREFIX+random and holds a marker file, Marker,
// with Playbook's text. The process that made the folder holds the marker
// locked (flock) until it is done with the folder. A folder is a leftover,
// and Sweep removes it, only when all three hold:
//
//   - its name starts with the prefix and it is a folder, not a link;
//   - it holds the marker as a regular file with Playbook's text;
//   - nobody holds the marker's lock.
//
// The kernel drops a lock when its process ends, kill -9 included, so a
// build never removes the stage of a build still running, in this process
// or another, and never a folder that is not Playbook's. Where locks are not
// available (not a Unix system, or a file system without flock), Sweep
// removes a marked leftover only once it is StaleAfter old.
//
// The marker of a site build stays in the output folder when the stage is
// renamed into place: it is how the next build knows the folder is
// Playbook's to replace (IsMarked).
package stage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Marker is the name of the file that marks a folder as written by Playbook.
const Marker = ".playbook-build"

// markerText is the marker's content; IsMarked checks its first line.
const markerText = "Written by Playbook (playbook build), which replaces this folder as a whole on every build.\n" +
	"Keep nothing else here. Without this file Playbook refuses to replace the folder.\n"

// StaleAfter is how old a stage folder must be before Sweep removes it
// without the proof of a free lock: a marker-less (still empty) folder, a
// marker not yet written, or any leftover where locks are unsupported.
const StaleAfter = time.Hour

// Dir is a stage folder this process owns.
type Dir struct {
	Path string   // the folder, beside the place it will be renamed to
	lock *os.File // the marker, locked while the folder is in use
}

// New makes a stage folder in parent named prefix+random, permission 0755,
// with a locked marker in it.
func New(parent, prefix string) (*Dir, error) {
	path, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return nil, fmt.Errorf("create temporary folder: %w", err)
	}
	d := &Dir{Path: path}
	if err := d.mark(); err != nil {
		d.Close()
		return nil, fmt.Errorf("mark temporary folder %s: %w", path, err)
	}
	return d, nil
}

// mark writes the marker under lock: a sweeper that finds the lock free and
// the text complete knows the owner is gone (see leftover).
func (d *Dir) mark() error {
	if err := os.Chmod(d.Path, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(d.Path, Marker), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	d.lock = f
	if err := lock(f); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("lock: %w", err)
	}
	_, err = f.WriteString(markerText)
	return err
}

// Close removes the folder, whatever it holds now (after a swap, the
// previous build or nothing), and then releases the lock.
func (d *Dir) Close() error {
	err := os.RemoveAll(d.Path)
	if d.lock != nil {
		d.lock.Close() // closing drops the lock
		d.lock = nil
	}
	return err
}

// IsMarked reports whether dir holds a marker Playbook wrote.
func IsMarked(dir string) bool {
	f, err := openMarker(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	return readMarker(f) == complete
}

// openMarker opens dir's marker if it is a regular file.
func openMarker(dir string) (*os.File, error) {
	p := filepath.Join(dir, Marker)
	if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	return os.Open(p)
}

// What a marker file holds.
const (
	foreign  = iota // another text: the file is not Playbook's
	complete        // Playbook's first line
	partial         // nothing yet, or the start of Playbook's first line
)

func readMarker(f *os.File) int {
	head, _, _ := strings.Cut(markerText, "\n")
	want := []byte(head + "\n")
	buf := make([]byte, len(want))
	n, _ := io.ReadFull(f, buf)
	switch {
	case n == len(want) && bytes.Equal(buf, want):
		return complete
	case bytes.HasPrefix(want, buf[:n]):
		return partial
	}
	return foreign
}

// Sweep removes the leftovers among parent's folders named prefix+…, as the
// package doc defines them, and returns the paths it removed. Errors are
// not returned: a leftover that cannot be removed is tried again next time.
func Sweep(parent, prefix string) []string {
	return sweepWith(parent, prefix, tryLockFile)
}

// sweepWith is Sweep taking locks with tryLock, which tests replace to play
// a file system without locks.
func sweepWith(parent, prefix string, tryLock func(*os.File) error) []string {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) { // IsDir is false for a link
			continue
		}
		if p := filepath.Join(parent, e.Name()); sweep(p, tryLock) {
			removed = append(removed, p)
		}
	}
	return removed
}

// sweep removes the stage folder p if it was abandoned, and reports whether
// it did. It decides and removes holding the marker's lock, so the folder's
// owner cannot be starting meanwhile.
func sweep(p string, tryLock func(*os.File) error) bool {
	f, err := openMarker(p)
	if err != nil {
		// Killed between making the folder and its marker: the folder is
		// empty, and os.Remove removes nothing else.
		return old(p) && os.Remove(p) == nil
	}
	defer f.Close()
	if !abandoned(f, p, tryLock) {
		return false
	}
	return os.RemoveAll(p) == nil
}

// abandoned reports whether nobody uses the stage folder p, whose marker f
// is open.
func abandoned(f *os.File, p string, tryLock func(*os.File) error) bool {
	err := tryLock(f)
	if errors.Is(err, errors.ErrUnsupported) {
		return readMarker(f) == complete && old(p)
	}
	if err != nil {
		return false // held: its build is running
	}
	// The lock is ours. A complete text means the owner wrote it under lock
	// and has since ended; a partial one, that it is just starting (it
	// waits for our lock) or died in the instant before writing.
	switch readMarker(f) {
	case complete:
		return true
	case partial:
		return old(f.Name())
	}
	return false
}

// old reports whether p was last modified StaleAfter ago or earlier.
func old(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && time.Since(st.ModTime()) >= StaleAfter
}
