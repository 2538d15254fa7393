// Package source reads the files of a site folder under one rule, the same
// for build, check, serve and new:
//
//   - A symlink, to a file or a folder, at any depth and through any chain
//     of links, is followed when it leads to a place inside the site
//     folder. One that leads outside it, to nothing, or round in a loop is
//     an error naming the link.
//   - Every folder is walked once. A link to a folder already walked (its
//     own parent, say) is an error, so no walk goes round in circles or
//     reads a tree twice over.
//   - Only regular files and folders are read. A named pipe, socket or
//     device is an error naming it ("not a regular file"), found by its
//     type before it is opened; files are opened without blocking and
//     checked again once open, so nothing waits on a pipe.
//   - A file read whole (a page, playbook.yaml, an archetype, a template)
//     may hold at most MaxFileSize bytes. It is read through a limit, so a
//     bigger file, or /dev/zero, costs no more than that.
//
// Errors are *content.Error naming the file by its path from the site
// folder ("static/logo.png:1: file: …"), so a build lists them with the
// content errors. Reads go through an os.Root opened at the site folder:
// a link changed while a build runs cannot lead a read outside either.
package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
)

// MaxFileSize is the largest file Playbook reads whole: a page,
// playbook.yaml, synonyms.yaml, an archetype, a theme's template or
// strings. 5 MB is a book of Chinese text; a bigger page is an export or
// a log put there by mistake, and would take seconds and gigabytes to
// render. Static files are copied, never parsed, and have no limit.
const MaxFileSize = 5 << 20

// Site is a site folder opened for reading. Close it when done.
type Site struct {
	dir  string   // the site folder with every symlink resolved: the boundary
	root *os.Root // opened at dir
}

// Open opens the site folder dir.
func Open(dir string) (*Site, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("open site folder: %w", err)
	}
	root, err := os.OpenRoot(real)
	if err != nil {
		return nil, fmt.Errorf("open site folder: %w", err)
	}
	return &Site{dir: real, root: root}, nil
}

// Close releases the site folder.
func (s *Site) Close() error { return s.root.Close() }

// File is a regular file or a folder of the site, links followed.
type File struct {
	Name    string    // slash-separated path from the site folder, as the author sees it: "content/guides/x.md"
	Dir     bool      // a folder
	Size    int64     // of what the name leads to, for a link its target
	ModTime time.Time // likewise
	real    string    // the same file with every link resolved, from the site folder
}

// Stat finds the file at name, a slash-separated path from the site
// folder, under the rule. A name that does not exist gives an error
// matching fs.ErrNotExist; one that breaks the rule, a *content.Error.
func (s *Site) Stat(name string) (File, error) {
	return s.stat(name, name)
}

// stat finds the file at real, reporting it as name: the walk knows the
// real folder a name is in, and saves resolving it again.
func (s *Site) stat(name, at string) (File, error) {
	real, err := s.resolve(name, at)
	if err != nil {
		return File{}, err
	}
	info, err := s.root.Lstat(filepath.FromSlash(real))
	if err != nil {
		return File{}, AsError(name, err)
	}
	return classify(name, real, info)
}

// resolve follows every link in at, a path from the site folder, and
// returns where it leads, from the site folder, if that is inside it.
func (s *Site) resolve(name, at string) (string, error) {
	if !fs.ValidPath(at) {
		return "", fileError(name, content.KindNotInSite)
	}
	full := filepath.Join(s.dir, filepath.FromSlash(at))
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return "", resolveError(name, full, err)
	}
	rel, err := filepath.Rel(s.dir, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fileError(name, content.KindOutsideSite, real)
	}
	return filepath.ToSlash(rel), nil
}

// resolveError explains why the links in full could not be followed.
func resolveError(name, full string, err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if target, lerr := os.Readlink(full); lerr == nil {
			return fileError(name, content.KindBrokenSymlink, target)
		}
		return &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	case errors.As(err, &pe):
		return AsError(name, err)
	}
	// filepath.EvalSymlinks gives up after 255 links with an error of its own.
	return fileError(name, content.KindSymlinkLoop)
}

// classify accepts folders and regular files.
func classify(name, real string, info fs.FileInfo) (File, error) {
	m := info.Mode()
	if !m.IsDir() && !m.IsRegular() {
		return File{}, notRegular(name, m)
	}
	return File{Name: name, Dir: m.IsDir(), Size: info.Size(), ModTime: info.ModTime(), real: real}, nil
}

func notRegular(name string, m fs.FileMode) error {
	kind := content.Phrase{En: "a special file", Zh: "特殊文件"}
	switch {
	case m&fs.ModeNamedPipe != 0:
		kind = content.Phrase{En: "a named pipe", Zh: "命名管道"}
	case m&fs.ModeSocket != 0:
		kind = content.Phrase{En: "a socket", Zh: "套接字"}
	case m&fs.ModeCharDevice != 0:
		kind = content.Phrase{En: "a character device", Zh: "字符设备"}
	case m&fs.ModeDevice != 0:
		kind = content.Phrase{En: "a device", Zh: "设备"}
	case m&fs.ModeSymlink != 0:
		kind = content.Phrase{En: "a symlink", Zh: "符号链接"} // only when a link is swapped in while it is read
	}
	return fileError(name, content.KindNotRegular, kind)
}

func fileError(name string, k content.Kind, args ...any) *content.Error {
	return content.NewError(name, 1, "file", k, args...)
}

// AsError turns err, from reading the file at name, into the error an
// author sees: a *content.Error as it is, anything else as "cannot read".
func AsError(name string, err error) *content.Error {
	var ce *content.Error
	if errors.As(err, &ce) {
		return ce
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is name, said once
	}
	return fileError(name, content.KindCannotRead, err.Error())
}

// Hidden reports whether a name is left out of content/: dot files and
// folders, Emacs's #autosave# files and backups ending in ~.
func Hidden(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~")
}
