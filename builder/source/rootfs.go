package source

import (
	"io/fs"
	"os"
	"path/filepath"
)

// rootFS is the site folder on disk as a file system: an os.Root, whose
// reads cannot leave the folder, opened without blocking (openFlags).
type rootFS struct{ root *os.Root }

func (r rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := r.root.OpenFile(filepath.FromSlash(name), os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (r rootFS) Lstat(name string) (fs.FileInfo, error) {
	return r.root.Lstat(filepath.FromSlash(name))
}

func (r rootFS) ReadLink(name string) (string, error) {
	return r.root.Readlink(filepath.FromSlash(name))
}
