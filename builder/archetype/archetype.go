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

// Created is what New wrote: the file and, for a training module, the
// session slot it took.
type Created struct {
	File string
	Slot *Slot // nil but for training
}

// New writes content/SECTION/TITLE.md in site from the type's archetype and
// returns its path. It never overwrites a file.
func New(site, typ, title string, now time.Time, cfg *config.Config) (string, error) {
	c, err := Create(site, typ, title, now, cfg)
	return c.File, err
}

// Create is New, also telling which session slot a training module took.
func Create(site, typ, title string, now time.Time, cfg *config.Config) (Created, error) {
	file, slot, err := create(site, typ, title, now, cfg)
	return Created{File: file, Slot: slot}, err
}

func create(site, typ, title string, now time.Time, cfg *config.Config) (string, *Slot, error) {
	if !isType(typ) {
		return "", nil, fmt.Errorf("%w %q; want one of %s", ErrUnknownType, typ, strings.Join(content.Types, ", "))
	}
	name := fileName(title)
	if name == "" {
		return "", nil, fmt.Errorf("title %q makes no file name", title)
	}
	rel := path.Join("content", content.TypeSection(typ), name+".md")
	file := filepath.Join(site, filepath.FromSlash(rel))
	if _, err := os.Lstat(file); err == nil {
		return "", nil, fmt.Errorf("%s already exists", file)
	}
	src, err := source.Open(site)
	if err != nil {
		return "", nil, err
	}
	defer src.Close()
	text, err := load(src, typ)
	if err != nil {
		return "", nil, err
	}
	tpl, err := template.New(typ).Parse(text)
	if err != nil {
		return "", nil, fmt.Errorf("archetype %s: %w", typ, err)
	}
	now = now.In(cfg.Location)
	d := Data{Title: title, Type: typ, Date: now.Format(time.RFC3339), Today: now.Format("2006-01-02"),
		Stages: cfg.Stages, Roles: cfg.Roles}
	var slot *Slot
	if typ == content.TypeTraining {
		taken := sessions(src, cfg)
		s := FreeSlot(now, cfg, taken)
		slot = &s
		d.Session = s.Start.Format(time.RFC3339)
		d.Trainer = NextTrainer(cfg.Training.Rotation, taken)
		slot.Trainer = d.Trainer
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, d); err != nil {
		return "", nil, fmt.Errorf("archetype %s: %w", typ, err)
	}
	f, err := src.Create(rel) // never through a link leading out of the site
	if err != nil {
		return "", nil, err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return "", nil, err
	}
	return file, slot, f.Close()
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
// day that has no session yet and is not in training.skip (in the site's
// time zone).
func NextFreeSlot(now time.Time, cfg *config.Config, taken []Session) time.Time {
	return FreeSlot(now, cfg, taken).Start
}

// Slot is the session slot a new module takes, with the slots passed over
// on the way, so that the trainer knows why it is not the next one.
type Slot struct {
	Start   time.Time
	Trainer string
	Passed  []Passed
}

// Passed is a slot passed over: Why is the training.skip name of its day,
// or "taken" when a session is already on that day.
type Passed struct {
	Start time.Time
	Why   string
}

// maxPassed bounds the search for a free slot: a training.skip list that
// covers every week for twenty years is a mistake, not a calendar.
const maxPassed = 52 * 20

// FreeSlot is NextFreeSlot with the slots it passed over.
func FreeSlot(now time.Time, cfg *config.Config, taken []Session) Slot {
	busy := map[string]bool{}
	for _, s := range taken {
		busy[s.Start.In(cfg.Location).Format(time.DateOnly)] = true
	}
	var slot Slot
	t := NextSlot(now.In(cfg.Location), cfg)
	for range maxPassed {
		why, skipped := cfg.Training.Skipped(t)
		if busy[t.Format(time.DateOnly)] {
			why, skipped = "taken", true
		}
		if !skipped {
			break
		}
		slot.Passed = append(slot.Passed, Passed{Start: t, Why: why})
		t = NextSlot(t, cfg)
	}
	slot.Start = t
	return slot
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
