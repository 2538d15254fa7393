package misses

// The log's files. A site folder may come from anyone (a repository
// cloned), and what is appended here is typed by readers, so the log is
// only ever a regular file in a real .playbook folder: a symlink put in its
// place — to ~/.bashrc, or to a page of the site — is refused, never
// followed, and nothing outside the site folder is reached (os.Root).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/playbook-sales/playbook/search"
)

// Log appends events to the log of a site folder. Its methods may be
// called from many goroutines; one process should write a site's log at
// a time (playbook serve), as rotation is not coordinated between them.
type Log struct {
	site string
	max  int64 // MaxFileBytes; tests set less
	mu   sync.Mutex
}

// NewLog returns the log of the site folder site. Nothing is created until
// the first Append.
func NewLog(site string) *Log { return &Log{site: site, max: MaxFileBytes} }

// Append writes e as one line, rotating the file first when the line would
// take it over MaxFileBytes. The line is written by a single write to a
// file opened for appending, so concurrent writers never interleave.
func (l *Log) Append(e Event) error {
	if err := e.Check(); err != nil {
		return fmt.Errorf("search miss: %w", err)
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("search miss: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	root, err := os.OpenRoot(l.site)
	if err != nil {
		return fmt.Errorf("search miss log: %w", err)
	}
	defer root.Close()
	f, err := l.openForAppend(root, int64(len(line)))
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(line); err != nil {
		return fmt.Errorf("%s: %w", FileName, err)
	}
	return nil
}

// openForAppend opens the log file, rotated first if n more bytes would
// take it over the cap.
func (l *Log) openForAppend(root *os.Root, n int64) (*os.File, error) {
	if err := ensureDir(root); err != nil {
		return nil, err
	}
	f, err := openRegular(root, FileName, os.O_WRONLY|os.O_APPEND)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || st.Size() == 0 || st.Size()+n <= l.max {
		return f, err
	}
	f.Close()
	if err := root.Rename(FileName, OldName); err != nil {
		return nil, fmt.Errorf("rotate %s: %w", FileName, err)
	}
	return openRegular(root, FileName, os.O_WRONLY|os.O_APPEND)
}

// ensureDir makes .playbook when there is none; one there must be a folder.
func ensureDir(root *os.Root) error {
	info, err := root.Lstat(Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := root.Mkdir(Dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("search miss log: %w", err)
		}
		return ensureDir(root) // made now, or by another process meanwhile
	case err != nil:
		return fmt.Errorf("search miss log: %w", err)
	case !info.IsDir():
		return notRegular(Dir, info.Mode(), "a folder")
	}
	return nil
}

// openRegular opens name with flag (O_RDONLY, or O_WRONLY|O_APPEND, which
// also creates it). It must be a regular file, not a link: one found
// missing is created exclusively, which fails rather than follow a link
// put there since, and one found is checked to be what was opened.
func openRegular(root *os.Root, name string, flag int) (*os.File, error) {
	info, err := root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) && flag != os.O_RDONLY {
		f, err := root.OpenFile(name, flag|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, fmt.Errorf("create %s: %w", name, err)
		}
		return f, nil
	}
	if err != nil {
		return nil, err // fs.ErrNotExist for a reader: no log yet
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(name, info.Mode(), "a regular file")
	}
	f, err := root.OpenFile(name, flag, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if got, err := f.Stat(); err != nil || !os.SameFile(info, got) {
		f.Close()
		return nil, fmt.Errorf("%s: replaced while it was opened; try again", name)
	}
	return f, nil
}

func notRegular(name string, m fs.FileMode, want string) error {
	what := "not " + want
	if m&fs.ModeSymlink != 0 {
		what = "a symlink"
	}
	return fmt.Errorf("%s: %s; Playbook keeps its search miss log only as %s inside the site folder, never through a link (remove it)", name, what, want)
}

// Read returns the events of the log of the site folder, oldest file
// first, and how many lines were not events (skipped). Of each file only
// the last MaxFileBytes are read, so a log a collector let grow costs no
// more. A site without a log has none and no error.
func Read(site string) (events []Event, skipped int, err error) {
	root, err := os.OpenRoot(site)
	if err != nil {
		return nil, 0, fmt.Errorf("search miss log: %w", err)
	}
	defer root.Close()
	if info, err := root.Lstat(Dir); err == nil && !info.IsDir() {
		return nil, 0, notRegular(Dir, info.Mode(), "a folder")
	}
	for _, name := range []string{OldName, FileName} {
		ev, sk, err := readFile(root, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return events, skipped, err
		}
		events, skipped = append(events, ev...), skipped+sk
	}
	return events, skipped, nil
}

// readFile reads the events of the last MaxFileBytes of one file.
func readFile(root *os.Root, name string) ([]Event, int, error) {
	f, err := openRegular(root, name, os.O_RDONLY)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	partial := st.Size() > MaxFileBytes
	if partial {
		if _, err := f.Seek(st.Size()-MaxFileBytes, io.SeekStart); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	if partial { // the read began within a line: drop its end
		_, data, _ = bytes.Cut(data, []byte("\n"))
	}
	ev, sk := parse(data)
	return ev, sk, nil
}

// parse reads one event a line; blank lines are nothing, any other line
// that is not an event is skipped and counted.
func parse(data []byte) (events []Event, skipped int) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, MaxFileBytes)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Event
		err := json.Unmarshal(line, &e)
		e.Query = search.Sanitize(e.Query) // a collector may keep what the browser sent
		if err != nil || e.Check() != nil {
			skipped++
			continue
		}
		events = append(events, e)
	}
	return events, skipped
}
