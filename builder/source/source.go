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
// content errors.
//
// Every read goes through an fs.FS that can tell links (fs.ReadLinkFS):
// on disk one over an os.Root opened at the site folder, so a link changed
// while a build runs cannot lead a read outside either; in tests any such
// file system, fstest.MapFS included (FromFS).
package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
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
	fsys fs.FS    // the site folder; implements fs.ReadLinkFS
	dir  string   // on disk: the folder with every link resolved, to place links given as absolute paths
	root *os.Root // on disk: opened at dir, for Create; nil for FromFS
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
	return &Site{fsys: rootFS{root}, dir: real, root: root}, nil
}

// FromFS reads a site from fsys, for tests and sites held in memory. Links
// are followed when fsys can tell them (fs.ReadLinkFS, as fstest.MapFS
// can); a link given as an absolute path leads outside. Create is refused.
func FromFS(fsys fs.FS) *Site { return &Site{fsys: fsys} }

// Close releases the site folder.
func (s *Site) Close() error {
	if s.root == nil {
		return nil
	}
	return s.root.Close()
}

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
	info, err := fs.Lstat(s.fsys, real)
	if err != nil {
		return File{}, AsError(name, err)
	}
	return classify(name, real, info)
}

// maxLinks is how many links one name may pass through before it counts
// as a loop, as filepath.EvalSymlinks counts.
const maxLinks = 255

// resolve follows every link in at, a path from the site folder, part by
// part, and returns where it leads, from the site folder, if that is
// inside it.
func (s *Site) resolve(name, at string) (string, error) {
	if !fs.ValidPath(at) {
		return "", fileError(name, content.KindNotInSite)
	}
	var done []string // the parts resolved so far: none of them a link
	todo, links := strings.Split(at, "/"), 0
	for len(todo) > 0 {
		part := todo[0]
		todo = todo[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", fileError(name, content.KindOutsideSite, s.above(todo))
			}
			done = done[:len(done)-1]
			continue
		}
		next := path.Join(path.Join(done...), part)
		info, err := fs.Lstat(s.fsys, next)
		if err != nil {
			return "", s.missing(name, at, err)
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, part)
			continue
		}
		if links++; links > maxLinks {
			return "", fileError(name, content.KindSymlinkLoop)
		}
		target, err := s.linkTarget(name, next)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) {
			done = nil
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return path.Join(append([]string{"."}, done...)...), nil
}

// linkTarget reads the link at real, a path from the site folder, as a
// slash-separated path: relative to the link's folder, or absolute ("/…")
// from the site folder when it points into the site by an absolute path.
func (s *Site) linkTarget(name, real string) (string, error) {
	target, err := fs.ReadLink(s.fsys, real)
	if err != nil {
		return "", AsError(name, err)
	}
	if !filepath.IsAbs(target) {
		return filepath.ToSlash(target), nil
	}
	if s.dir == "" {
		return "", fileError(name, content.KindOutsideSite, target)
	}
	resolved, err := filepath.EvalSymlinks(target) // a path outside the site may pass links back into it
	if err != nil {
		resolved = filepath.Clean(target)
	}
	rel, err := filepath.Rel(s.dir, resolved)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fileError(name, content.KindOutsideSite, resolved)
	}
	return "/" + filepath.ToSlash(rel), nil
}

// above is where the parts left lead from the folder that holds the site
// folder, for the error of a link that climbs out of it.
func (s *Site) above(todo []string) string {
	rest := path.Join(todo...)
	if s.dir == "" {
		return path.Join("..", rest)
	}
	return filepath.Join(filepath.Dir(s.dir), filepath.FromSlash(rest))
}

// missing explains why at is not there: a link that leads to nothing, or
// plainly no such file.
func (s *Site) missing(name, at string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return AsError(name, err)
	}
	if target, lerr := fs.ReadLink(s.fsys, at); lerr == nil {
		return fileError(name, content.KindBrokenSymlink, target)
	}
	return &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
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
