// Package archetype creates new content files from per-type templates: the
// embedded theme's archetypes/TYPE.md, or the site's own archetypes/TYPE.md.
package archetype

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"github.com/playbook-sales/playbook/builder/source"
	"github.com/playbook-sales/playbook/themes"
)

// ErrUnknownType is returned for a type outside the contract.
var ErrUnknownType = errors.New("unknown type")

// Data is what an archetype template sees.
type Data struct {
	Title   string
	Type    string
	Date    string // RFC 3339, now
	Today   string // 2006-01-02
	Session string // next free training slot, RFC 3339
	Trainer string // next trainer in the rotation
	Stages  []content.Choice
	Roles   []content.Choice
}

// New writes content/SECTION/TITLE.md in site from the type's archetype and
// returns its path. It never overwrites a file.
func New(site, typ, title string, now time.Time, cfg *config.Config) (string, error) {
	if !isType(typ) {
		return "", fmt.Errorf("%w %q; want one of %s", ErrUnknownType, typ, strings.Join(content.Types, ", "))
	}
	name := fileName(title)
	if name == "" {
		return "", fmt.Errorf("title %q makes no file name", title)
	}
	rel := path.Join("content", content.TypeSection(typ), name+".md")
	file := filepath.Join(site, filepath.FromSlash(rel))
	if _, err := os.Lstat(file); err == nil {
		return "", fmt.Errorf("%s already exists", file)
	}
	src, err := source.Open(site)
	if err != nil {
		return "", err
	}
	defer src.Close()
	text, err := load(src, typ)
	if err != nil {
		return "", err
	}
	tpl, err := template.New(typ).Parse(text)
	if err != nil {
		return "", fmt.Errorf("archetype %s: %w", typ, err)
	}
	now = now.In(cfg.Location)
	d := Data{Title: title, Type: typ, Date: now.Format(time.RFC3339), Today: now.Format("2006-01-02"),
		Stages: cfg.Stages, Roles: cfg.Roles}
	if typ == content.TypeTraining {
		taken := sessions(src, cfg)
		d.Session = NextFreeSlot(now, cfg, taken).Format(time.RFC3339)
		d.Trainer = NextTrainer(cfg.Training.Rotation, taken)
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, d); err != nil {
		return "", fmt.Errorf("archetype %s: %w", typ, err)
	}
	f, err := src.Create(rel) // never through a link leading out of the site
	if err != nil {
		return "", err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return "", err
	}
	return file, f.Close()
}

// NextSlot is the first configured weekday and time after now.
func NextSlot(now time.Time, cfg *config.Config) time.Time {
	wd, _ := cfg.SessionWeekday()
	hm, _ := time.Parse("15:04", cfg.Training.Time)
	t := time.Date(now.Year(), now.Month(), now.Day(), hm.Hour(), hm.Minute(), 0, 0, now.Location())
	for t.Weekday() != wd || !t.After(now) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// Session is a training session already in the site: when, and who trains.
type Session struct {
	Start   time.Time
	Trainer string
}

// Sessions reads the sessions of every training page under site/content,
// drafts included: a planned session holds its slot. Files that do not
// parse, or that the build would refuse to read, are skipped; `playbook
// check` reports them.
func Sessions(site string, cfg *config.Config) []Session {
	src, err := source.Open(site)
	if err != nil {
		return nil
	}
	defer src.Close()
	return sessions(src, cfg)
}

func sessions(src *source.Site, cfg *config.Config) []Session {
	var out []Session
	rules := cfg.Rules()
	files, _ := src.Walk("content", source.Hidden) // the build's view of content/
	for _, f := range files {
		if f.Dir || !strings.EqualFold(path.Ext(f.Name), ".md") {
			continue
		}
		data, err := src.ReadFile(f, source.MaxFileSize)
		if err != nil {
			continue
		}
		p, _ := content.Parse(strings.TrimPrefix(f.Name, "content/"), data, rules)
		if p != nil && p.Training != nil && !p.IsSection && !p.Training.Session.IsZero() {
			out = append(out, Session{Start: p.Training.Session, Trainer: p.Training.Trainer})
		}
	}
	return out
}

// NextFreeSlot is the first configured weekday and time after now on a
// day that has no session yet (in the site's time zone).
func NextFreeSlot(now time.Time, cfg *config.Config, taken []Session) time.Time {
	busy := map[string]bool{}
	for _, s := range taken {
		busy[s.Start.In(cfg.Location).Format(time.DateOnly)] = true
	}
	t := NextSlot(now.In(cfg.Location), cfg)
	for busy[t.Format(time.DateOnly)] {
		t = NextSlot(t, cfg)
	}
	return t
}

// NextTrainer is the rotation's name after the trainer of the latest
// session; the first name when that trainer is not in the rotation or
// there is no session yet; "" without a rotation.
func NextTrainer(rotation []string, taken []Session) string {
	if len(rotation) == 0 {
		return ""
	}
	var last *Session
	for i := range taken {
		if last == nil || taken[i].Start.After(last.Start) {
			last = &taken[i]
		}
	}
	if last != nil {
		for i, name := range rotation {
			if name == last.Trainer {
				return rotation[(i+1)%len(rotation)]
			}
		}
	}
	return rotation[0]
}

func isType(t string) bool {
	for _, x := range content.Types {
		if x == t {
			return true
		}
	}
	return false
}

// load reads the site's archetypes/TYPE.md, else the theme's.
func load(src *source.Site, typ string) (string, error) {
	name := "archetypes/" + typ + ".md"
	f, err := src.Stat(name)
	if err == nil && !f.Dir {
		b, err := src.ReadFile(f, source.MaxFileSize)
		return string(b), err
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err // a link leading out of the site, say: never the theme's in silence
	}
	b, err := fs.ReadFile(themes.Default, name)
	if err != nil {
		return "", fmt.Errorf("no archetype for %s: %w", typ, err)
	}
	return string(b), nil
}

// fileName keeps the title (Chinese included) but drops characters that
// file systems or URLs trip on.
func fileName(title string) string {
	r := strings.NewReplacer("/", "-", "\\", "-", ":", "-", "*", "", "?", "", "\"", "", "<", "", ">", "", "|", "", "#", "", "%", "", " ", "-", "\t", "-")
	return strings.Trim(r.Replace(strings.TrimSpace(title)), "-.")
}
