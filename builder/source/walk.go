package source

import (
	"errors"
	"io/fs"
	"path"

	"github.com/playbook-sales/playbook/builder/content"
)

// Walk lists dir, a slash-separated path from the site folder, and
// everything under it: folders (dir first) and regular files, each folder's
// entries by name, links inside the site followed. skip, when not nil,
// leaves out files and folders by their name (editor temporaries). A
// missing dir lists nothing; a file lists itself. Whatever breaks the rule
// is an error naming it, and the rest is listed all the same, so one walk
// reports every problem.
func (s *Site) Walk(dir string, skip func(name string) bool) ([]File, content.Errors) {
	top, err := s.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, content.Errors{AsError(dir, err)}
	case !top.Dir:
		return []File{top}, nil
	}
	w := &walk{s: s, skip: skip, seen: map[string]string{}}
	w.folder(top)
	return w.files, w.errs
}

// walk is one Walk's state.
type walk struct {
	s     *Site
	skip  func(string) bool
	seen  map[string]string // real path of each folder walked → the name it was walked as
	files []File
	errs  content.Errors
}

func (w *walk) folder(d File) {
	if first, ok := w.seen[d.real]; ok {
		w.errs = append(w.errs, fileError(d.Name, content.KindFolderTwice, first))
		return
	}
	w.seen[d.real] = d.Name
	w.files = append(w.files, d)
	entries, err := w.s.readDir(d)
	if err != nil {
		w.errs = append(w.errs, AsError(d.Name, err))
		return
	}
	for _, e := range entries {
		if w.skip != nil && w.skip(e.Name()) {
			continue
		}
		f, err := w.s.entry(d, e)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// deleted since the folder was listed
		case err != nil:
			w.errs = append(w.errs, AsError(path.Join(d.Name, e.Name()), err))
		case f.Dir:
			w.folder(f)
		default:
			w.files = append(w.files, f)
		}
	}
}

// readDir lists a folder's entries sorted by name.
func (s *Site) readDir(d File) ([]fs.DirEntry, error) {
	return fs.ReadDir(s.fsys, d.real)
}

// entry finds what an entry of folder d is: a link is followed from d's
// real place; anything else is what it says it is.
func (s *Site) entry(d File, e fs.DirEntry) (File, error) {
	name, real := path.Join(d.Name, e.Name()), path.Join(d.real, e.Name())
	if e.Type()&fs.ModeSymlink != 0 {
		return s.stat(name, real)
	}
	info, err := e.Info()
	if err != nil {
		return File{}, err
	}
	return classify(name, real, info)
}
