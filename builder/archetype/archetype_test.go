package archetype_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder/archetype"
	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
	"go.yaml.in/yaml/v3"
)

// contractFields are the fields the content contract gives each type
// (docs: /work/shared/content-model.md, "Types"); a new page shows them all
// so the author sees what to fill in.
var contractFields = map[string][]string{
	"script":     {"stages", "channel", "objection"},
	"case":       {"customer", "industries", "deal_size", "currency", "outcome", "cycle_days", "closed", "team", "products", "competitors"},
	"competitor": {"competitor", "website", "segment", "pricing", "strengths", "weaknesses", "our_edge", "traps"},
	"training":   {"session", "duration", "trainer", "audience", "objectives", "prerequisites", "tracks", "materials", "slides", "quiz"},
	"retro":      {"date", "period", "facilitator", "participants", "wins", "problems", "whys", "actions", "related"},
	"page":       {},
}

// everyPage are fields every new page starts with.
var everyPage = []string{"title", "date", "draft", "tags", "owner"}

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // a Monday

func frontMatter(t *testing.T, file string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(string(b), "---\n", 3)
	if len(parts) != 3 || parts[0] != "" {
		t.Fatalf("%s does not start with YAML front matter:\n%s", file, b)
	}
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(parts[1]), &m); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

// TestNewEveryType: each type's new page is a draft carrying every field of
// its type, valid as it stands (so `playbook build -D` works right away).
func TestNewEveryType(t *testing.T) {
	cfg := config.Default()
	for _, typ := range content.Types {
		t.Run(typ, func(t *testing.T) {
			site := t.TempDir()
			file, err := archetype.New(site, typ, "价格 异议", now, cfg)
			if err != nil {
				t.Fatal(err)
			}
			section := content.TypeSection(typ)
			want := filepath.Join(site, "content", section, "价格-异议.md")
			if file != want {
				t.Errorf("file = %s, want %s", file, want)
			}
			fm := frontMatter(t, file)
			for _, k := range append(append([]string{}, everyPage...), contractFields[typ]...) {
				if _, ok := fm[k]; !ok {
					t.Errorf("front matter lacks %s", k)
				}
			}
			if fm["draft"] != true {
				t.Errorf("draft = %v, want true", fm["draft"])
			}
			if fm["title"] != "价格 异议" {
				t.Errorf("title = %v", fm["title"])
			}
			src, _ := os.ReadFile(file)
			rel := strings.TrimPrefix(filepath.ToSlash(file), filepath.ToSlash(site)+"/content/")
			p, errs := content.Parse(rel, src, cfg.Rules())
			if len(errs) > 0 {
				t.Fatalf("the new page does not validate:\n%v\n%s", errs, src)
			}
			if p.Type != typ {
				t.Errorf("type = %s, want %s", p.Type, typ)
			}
			if p.Visible(now, false, false, false) || !p.Visible(now, true, false, false) {
				t.Error("the new page should be hidden unless drafts are shown")
			}
			if !p.Date.Equal(now) {
				t.Errorf("date = %v, want %v", p.Date, now)
			}
		})
	}
}

// TestNewTraining: a new module gets the next free session slot and the
// next trainer of the rotation.
func TestNewTraining(t *testing.T) {
	cfg, err := config.Parse([]byte("timezone: Asia/Shanghai\ntraining:\n  weekday: friday\n  time: \"15:00\"\n  rotation: [王磊, 陈静]\n"))
	if err != nil {
		t.Fatal(err)
	}
	file, err := archetype.New(t.TempDir(), "training", "谈判", now, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fm := frontMatter(t, file)
	if fm["trainer"] != "王磊" {
		t.Errorf("trainer = %v, want 王磊", fm["trainer"])
	}
	session, ok := fm["session"].(time.Time)
	if want := time.Date(2026, 11, 27, 15, 0, 0, 0, cfg.Location); !ok || !session.Equal(want) {
		t.Errorf("session = %v, want %v (the next Friday 15:00 in Shanghai)", fm["session"], want)
	}
}

func TestNextSlot(t *testing.T) {
	cfg := config.Default() // Friday 15:00, Asia/Shanghai
	sh := cfg.Location
	tests := []struct{ now, want time.Time }{
		{time.Date(2026, 11, 23, 9, 0, 0, 0, sh), time.Date(2026, 11, 27, 15, 0, 0, 0, sh)},   // Monday
		{time.Date(2026, 11, 27, 14, 59, 0, 0, sh), time.Date(2026, 11, 27, 15, 0, 0, 0, sh)}, // Friday before
		{time.Date(2026, 11, 27, 15, 0, 0, 0, sh), time.Date(2026, 12, 4, 15, 0, 0, 0, sh)},   // Friday at the time
		{time.Date(2026, 11, 28, 9, 0, 0, 0, sh), time.Date(2026, 12, 4, 15, 0, 0, 0, sh)},    // Saturday
	}
	for _, tt := range tests {
		if got := archetype.NextSlot(tt.now, cfg); !got.Equal(tt.want) {
			t.Errorf("NextSlot(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	cfg := config.Default()
	site := t.TempDir()
	if _, err := archetype.New(site, "bogus", "x", now, cfg); !errors.Is(err, archetype.ErrUnknownType) {
		t.Errorf("unknown type: err = %v, want ErrUnknownType", err)
	}
	if _, err := archetype.New(site, "script", "///", now, cfg); err == nil {
		t.Error("a title that makes no file name was accepted")
	}
	file, err := archetype.New(site, "script", "开场", now, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := archetype.New(site, "script", "开场", now, cfg); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second New = %v, want already exists", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Error("an existing page was overwritten")
	}
}

func TestFileNames(t *testing.T) {
	cfg := config.Default()
	for title, want := range map[string]string{
		"客户说太贵了":         "客户说太贵了",
		"A/B 测试: 怎么说?":   "A-B-测试--怎么说",
		"  价格 #1 <草稿>  ": "价格-1-草稿",
		"..隐藏":           "隐藏",
	} {
		file, err := archetype.New(t.TempDir(), "page", title, now, cfg)
		if err != nil {
			t.Errorf("%q: %v", title, err)
			continue
		}
		if got := strings.TrimSuffix(filepath.Base(file), ".md"); got != want {
			t.Errorf("title %q → file %q, want %q", title, got, want)
		}
	}
}

// TestSiteOverride: the site's archetypes/TYPE.md replaces that type's only.
func TestSiteOverride(t *testing.T) {
	site := t.TempDir()
	if err := os.MkdirAll(filepath.Join(site, "archetypes"), 0o755); err != nil {
		t.Fatal(err)
	}
	tpl := "---\ntitle: \"{{.Title}}\"\ndraft: true\nchannel: im\n---\n本团队模板\n"
	if err := os.WriteFile(filepath.Join(site, "archetypes", "script.md"), []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	file, err := archetype.New(site, "script", "开场", now, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "本团队模板") || !strings.Contains(string(b), "channel: im") {
		t.Errorf("the site's archetype was not used:\n%s", b)
	}
	file, err = archetype.New(site, "case", "东林", now, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); strings.Contains(string(b), "本团队模板") {
		t.Error("the script override leaked into case")
	}
	if err := os.WriteFile(filepath.Join(site, "archetypes", "retro.md"), []byte("{{.Nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := archetype.New(site, "retro", "复盘", now, cfg); err == nil || !strings.Contains(err.Error(), "archetype retro") {
		t.Errorf("a broken archetype: err = %v", err)
	}
}

// TestNewTrainingFollowsExisting: the new session takes the first slot no
// module holds yet, and the trainer after whoever gave the latest session.
func TestNewTrainingFollowsExisting(t *testing.T) {
	cfg, err := config.Parse([]byte("timezone: Asia/Shanghai\ntraining:\n  weekday: thursday\n  time: \"10:30\"\n  rotation: [王磊, 陈静, 刘洋]\n"))
	if err != nil {
		t.Fatal(err)
	}
	site := t.TempDir()
	write := func(name, fm string) {
		dir := filepath.Join(site, "content", "training")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("---\n"+fm+"---\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Thursdays after the Monday clock: Nov 26 and Dec 3 are taken (one in
	// UTC, still Dec 3 in Shanghai); the latest session, Dec 3, is 陈静's.
	write("a.md", "title: A\nsession: 2026-11-26T10:30:00+08:00\ntrainer: 刘洋\n")
	write("b.md", "title: B\nsession: 2026-12-03T02:30:00Z\ntrainer: 陈静\ndraft: true\n")
	write("old.md", "title: Old\nsession: 2026-10-01T10:30:00+08:00\ntrainer: 王磊\n")
	file, err := archetype.New(site, "training", "新模块", now, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fm := frontMatter(t, file)
	session, _ := fm["session"].(time.Time)
	if want := time.Date(2026, 12, 10, 10, 30, 0, 0, cfg.Location); !session.Equal(want) {
		t.Errorf("session = %v, want %v (the first free Thursday 10:30)", fm["session"], want)
	}
	if fm["trainer"] != "刘洋" {
		t.Errorf("trainer = %v, want 刘洋 (after 陈静, who gave the latest session)", fm["trainer"])
	}
}

func TestNextTrainer(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2026, 11, d, 15, 0, 0, 0, time.UTC) }
	rot := []string{"王磊", "陈静", "刘洋"}
	tests := []struct {
		name     string
		rotation []string
		taken    []archetype.Session
		want     string
	}{
		{"no sessions: first name", rot, nil, "王磊"},
		{"after the latest, not the last in file order", rot, []archetype.Session{{at(20), "陈静"}, {at(6), "刘洋"}}, "刘洋"},
		{"wraps around", rot, []archetype.Session{{at(6), "刘洋"}}, "王磊"},
		{"trainer outside the rotation: first name", rot, []archetype.Session{{at(6), "客座讲师"}}, "王磊"},
		{"no rotation", nil, []archetype.Session{{at(6), "刘洋"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := archetype.NextTrainer(tt.rotation, tt.taken); got != tt.want {
				t.Errorf("NextTrainer = %q, want %q", got, tt.want)
			}
		})
	}
}
