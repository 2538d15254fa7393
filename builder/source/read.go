package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/playbook-sales/playbook/builder/content"
)

// ReadFile reads f, found by Walk or Stat, whole. More than limit bytes is
// an error naming the file and its size; no more than limit+1 bytes are
// read to find that out.
func (s *Site) ReadFile(f File, limit int64) ([]byte, error) {
	if f.Size > limit {
		return nil, tooBig(f.Name, f.Size, limit)
	}
	r, err := s.Open(f)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var buf bytes.Buffer
	buf.Grow(int(f.Size) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
		return nil, AsError(f.Name, err)
	}
	if int64(buf.Len()) > limit {
		return nil, tooBig(f.Name, -1, limit) // it grew since it was found
	}
	return buf.Bytes(), nil
}

func tooBig(name string, size, limit int64) error {
	what := "more than " + megabytes(limit)
	if size >= 0 {
		what = fmt.Sprintf("%s (%d bytes)", megabytes(size), size)
	}
	return fileError(name, content.KindFileTooBig, what, megabytes(limit))
}

func megabytes(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// Open opens f, found by Walk or Stat, for reading. It is checked again
// once open: a file swapped for something else since it was found is
// refused, and never waited on.
func (s *Site) Open(f File) (fs.File, error) {
	r, err := s.fsys.Open(f.real)
	if err != nil {
		return nil, AsError(f.Name, err)
	}
	info, err := r.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = notRegular(f.Name, info.Mode())
	}
	if err != nil {
		r.Close()
		return nil, AsError(f.Name, err)
	}
	return r, nil
}

// Create makes a new file at name, a slash-separated path from the site
// folder, with the folders it needs. It never replaces a file, and never
// writes outside the site: the folders on the way may be links inside it.
func (s *Site) Create(name string) (*os.File, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, fileError(name, content.KindNotInSite)
	}
	if s.root == nil {
		return nil, fmt.Errorf("create %s: the site is read from a file system that cannot be written", name)
	}
	dir, err := s.realFolder(path.Dir(name))
	if err != nil {
		return nil, err
	}
	if err := s.root.MkdirAll(filepath.FromSlash(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	f, err := s.root.OpenFile(filepath.FromSlash(path.Join(dir, path.Base(name))), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	return f, nil
}

// realFolder is where folder dir is or will be, links resolved: the
// deepest part of it that exists decides.
func (s *Site) realFolder(dir string) (string, error) {
	rest := ""
	for {
		f, err := s.Stat(dir)
		switch {
		case err == nil && !f.Dir:
			return "", fileError(dir, content.KindNotFolder)
		case err == nil:
			return path.Join(f.real, rest), nil
		case !errors.Is(err, fs.ErrNotExist) || dir == ".":
			return "", err
		}
		dir, rest = path.Dir(dir), path.Join(path.Base(dir), rest)
	}
}

// FS returns the files under dir, a slash-separated path from the site
// folder, as a file system that keeps the rule: Open and ReadFile refuse
// what Walk refuses, with the same errors, and ReadFile reads at most
// MaxFileSize bytes. For config and theme loaders that take an fs.FS.
func (s *Site) FS(dir string) fs.FS { return siteFS{s: s, dir: dir} }

type siteFS struct {
	s   *Site
	dir string
}

func (fsys siteFS) stat(op, name string) (File, error) {
	if !fs.ValidPath(name) {
		return File{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return fsys.s.Stat(path.Join(fsys.dir, name))
}

func (fsys siteFS) Open(name string) (fs.File, error) {
	f, err := fsys.stat("open", name)
	if err != nil {
		return nil, err
	}
	if f.Dir {
		d, err := fsys.s.fsys.Open(f.real)
		if err != nil {
			return nil, AsError(f.Name, err)
		}
		return d, nil
	}
	return fsys.s.Open(f)
}

func (fsys siteFS) ReadFile(name string) ([]byte, error) {
	f, err := fsys.stat("read", name)
	if err != nil {
		return nil, err
	}
	if f.Dir {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return fsys.s.ReadFile(f, MaxFileSize)
}
