package preview

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/playbook-sales/playbook/builder/source"
)

// WatchOptions configure a Watcher; the zero value uses fsnotify and a
// 20 ms quiet period: an editor's save (write, or temp file and rename) is
// a burst well inside it, and a longer wait would be seen on every save.
type WatchOptions struct {
	Quiet time.Duration // how long events must stop before a batch is handed over
	Poll  time.Duration // > 0: stat the files this often instead of using fsnotify
}

// Watcher reports changed files under a site in batches: one batch per
// burst of saves, and while the consumer is busy with a batch every change
// collects into the next one, so a save during a build causes exactly one
// more build.
type Watcher struct {
	site    string
	src     *source.Site // lists the watched files as the build reads them
	opts    WatchOptions
	batches chan []string
	events  chan string // changed paths, from fsnotify or the poller
}

// Watched are the parts of a site that make up its output, relative to it.
var Watched = []string{"content", "static", "themes", "archetypes", "playbook.yaml", "synonyms.yaml"}

// Watch starts watching site until ctx ends.
func Watch(ctx context.Context, site string, opts WatchOptions) (*Watcher, error) {
	if opts.Quiet <= 0 {
		opts.Quiet = 20 * time.Millisecond
	}
	// A poller sees a burst of saves only at its ticks, so one save of two
	// files can straddle two ticks; the burst is over only when a whole tick
	// (and a late one: walks take time on a busy machine) found nothing new.
	if opts.Poll > 0 && opts.Quiet < 2*opts.Poll {
		opts.Quiet = 2 * opts.Poll
	}
	src, err := source.Open(site)
	if err != nil {
		return nil, err
	}
	w := &Watcher{site: site, src: src, opts: opts, batches: make(chan []string), events: make(chan string, 256)}
	if opts.Poll > 0 {
		go w.poll(ctx)
	} else {
		fw, err := w.watch()
		if err != nil {
			src.Close()
			return nil, err
		}
		go w.notify(ctx, fw)
	}
	go w.batch(ctx)
	return w, nil
}

// watch starts an fsnotify watch of the site folder and every watched
// folder in it.
func (w *Watcher) watch() (*fsnotify.Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	if err := fw.Add(w.site); err != nil { // the site folder itself: config files, new top folders
		fw.Close()
		return nil, err
	}
	for _, name := range Watched {
		if _, err := w.addTree(fw, name); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return fw, nil
}

// Batches delivers sets of changed paths (absolute, sorted). It is closed
// when the watch ends.
func (w *Watcher) Batches() <-chan []string { return w.batches }

// Ignored reports whether a file name is an editor's temporary or backup
// file: vim swap files and its 4913 probe, backups ending in ~, Emacs lock
// files, JetBrains and GNOME safe-write files, and dot files.
func Ignored(name string) bool {
	switch {
	case name == "4913", strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"),
		strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

// relevant reports whether a path inside the site can change its output.
func (w *Watcher) relevant(p string) bool {
	rel, err := filepath.Rel(w.site, p)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return false
	}
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	if !contains(Watched, first) {
		return false
	}
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if Ignored(part) {
			return false
		}
	}
	return true
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// addTree watches the folder rel (a slash path from the site) and every
// folder below it, as the build walks them: links inside the site are
// followed, links leading out of it are not (the build reports them). It
// returns the files it found. A missing folder is fine: it is picked up
// when it is created.
func (w *Watcher) addTree(fw *fsnotify.Watcher, rel string) ([]string, error) {
	walked, _ := w.src.Walk(rel, Ignored)
	var files []string
	for _, f := range walked {
		p := filepath.Join(w.site, filepath.FromSlash(f.Name))
		if !f.Dir {
			files = append(files, p)
		} else if err := fw.Add(p); err != nil {
			return files, err
		}
	}
	return files, nil
}

// notify turns fsnotify events into changed paths. A new folder is
// watched and rescanned: files written into it before the watch was in
// place would otherwise be missed.
func (w *Watcher) notify(ctx context.Context, fw *fsnotify.Watcher) {
	defer w.src.Close()
	defer fw.Close()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-fw.Errors:
			if !ok {
				return
			}
			// Events were lost (the kernel's queue overflowed): a change
			// to content/ itself makes the next build a full one.
			w.send(ctx, filepath.Join(w.site, "content"))
		case ev, ok := <-fw.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || !w.relevant(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					rel, _ := filepath.Rel(w.site, ev.Name)
					files, _ := w.addTree(fw, filepath.ToSlash(rel))
					for _, p := range files {
						if w.relevant(p) {
							w.send(ctx, p)
						}
					}
				}
			}
			w.send(ctx, ev.Name)
		}
	}
}

func (w *Watcher) send(ctx context.Context, p string) {
	select {
	case w.events <- p:
	case <-ctx.Done():
	}
}

// batch collects changed paths until Quiet has passed without one, then
// offers them to the consumer; changes arriving before it takes them join
// the same batch.
func (w *Watcher) batch(ctx context.Context) {
	defer close(w.batches)
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	quiet := false // the burst is over: pending may be handed over
	for {
		var out chan []string
		if quiet && len(pending) > 0 {
			out = w.batches
		}
		select {
		case <-ctx.Done():
			return
		case p := <-w.events:
			pending[p] = true
			quiet = false
			timer.Reset(w.opts.Quiet)
		case <-timer.C:
			quiet = true
		case out <- sorted(pending):
			pending = map[string]bool{}
		}
	}
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// poll compares the size and modification time of every watched file
// with the last walk, for file systems that send no events.
func (w *Watcher) poll(ctx context.Context) {
	defer w.src.Close()
	last := w.stat()
	t := time.NewTicker(w.opts.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := w.stat()
		for p, s := range now {
			if last[p] != s {
				w.send(ctx, p)
			}
		}
		for p := range last {
			if _, ok := now[p]; !ok {
				w.send(ctx, p)
			}
		}
		last = now
	}
}

type fileStamp struct {
	size int64
	mod  time.Time
}

// stat stamps every watched file the build would read, a link by the file
// it leads to: editing a link's target is a change too. A file the build
// refuses (a link leading out of the site, say) is stamped as such, so
// its arrival starts the build that reports it.
func (w *Watcher) stat() map[string]fileStamp {
	m := map[string]fileStamp{}
	abs := func(name string) string { return filepath.Join(w.site, filepath.FromSlash(name)) }
	for _, name := range Watched {
		files, errs := w.src.Walk(name, Ignored)
		for _, f := range files {
			if !f.Dir {
				m[abs(f.Name)] = fileStamp{f.Size, f.ModTime}
			}
		}
		for _, e := range errs {
			m[abs(e.File)] = fileStamp{size: -1}
		}
	}
	return m
}
