package config_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/playbook-sales/playbook/builder/config"
	"github.com/playbook-sales/playbook/builder/content"
)

func keys(cs []content.Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Key
	}
	return out
}

// TestDefaults: a site without playbook.yaml, or with an empty one, gets
// the documented defaults.
func TestDefaults(t *testing.T) {
	fromEmptyFile, err := config.Parse([]byte("# only a comment\n"))
	if err != nil {
		t.Fatal(err)
	}
	fromNoFile, err := config.Load(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*config.Config{"Default()": config.Default(), "empty file": fromEmptyFile, "no file": fromNoFile} {
		t.Run(name, func(t *testing.T) {
			if c.Title != "Playbook" || c.Language != "zh-CN" || c.Timezone != "Asia/Shanghai" || c.Theme != "default" {
				t.Errorf("title, language, timezone, theme = %q, %q, %q, %q", c.Title, c.Language, c.Timezone, c.Theme)
			}
			if c.Location == nil || c.Location.String() != "Asia/Shanghai" {
				t.Errorf("Location = %v", c.Location)
			}
			wantStages := []string{"prospecting", "contact", "discovery", "proposal", "negotiation", "closing", "onboarding", "renewal"}
			if got := keys(c.Stages); !slices.Equal(got, wantStages) {
				t.Errorf("stages = %q, want %q", got, wantStages)
			}
			if got := c.StageName("negotiation"); got != "谈判" {
				t.Errorf("StageName(negotiation) = %q, want 谈判", got)
			}
			if got := keys(c.Roles); !slices.Equal(got, []string{"manager", "rep", "csm", "support"}) {
				t.Errorf("roles = %q", got)
			}
			if got := c.RoleName("csm"); got != "客户成功经理" {
				t.Errorf("RoleName(csm) = %q", got)
			}
			wantReview := map[string]content.Duration{"script": 90, "competitor": 90, "training": 180, "case": 365, "page": 180}
			if len(c.Review) != len(wantReview) {
				t.Errorf("Review = %v, want %v", c.Review, wantReview)
			}
			for typ, d := range wantReview {
				if c.Review[typ] != d {
					t.Errorf("Review[%s] = %v, want %v", typ, c.Review[typ], d)
				}
			}
			if _, ok := c.Review["retro"]; ok {
				t.Error("retros record the past and should never go stale by default")
			}
			if c.Training.Weekday != "friday" || c.Training.Time != "15:00" || c.Markup.UnsafeHTML {
				t.Errorf("training, markup = %+v, %+v", c.Training, c.Markup)
			}
			r := c.Rules()
			if len(r.Stages) != 8 || len(r.Roles) != 4 || r.Location != c.Location || r.ReviewEvery["case"] != 365 {
				t.Errorf("Rules() = %+v", r)
			}
		})
	}
}

// TestParse covers settings that change the defaults.
func TestParse(t *testing.T) {
	c, err := config.Parse([]byte(strings.Join([]string{
		"title: 云帆销售手册",
		"baseURL: https://example.com/kb/",
		"language: en",
		"timezone: Europe/Berlin",
		"stages:",
		"  - key: lead",
		"    name: 线索",
		"  - key: demo",
		"  - key: won",
		"    name: 赢单",
		"roles:",
		"  - {key: ae, name: 客户经理}",
		"review_every:",
		"  default: 30d",
		"  case: 1y",
		"  page: never",
		"markup:",
		"  unsafe_html: true",
		"training:",
		"  weekday: Tue",
		`  time: "09:30"`,
		"  rotation: [王磊, 陈静]",
		"params:",
		"  logo: /img/logo.svg",
		"  nested: {a: 1}",
	}, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(c.Stages); !slices.Equal(got, []string{"lead", "demo", "won"}) {
		t.Errorf("stages = %q, want them in the written order", got)
	}
	if c.StageName("demo") != "demo" || c.StageName("won") != "赢单" {
		t.Errorf("stage names: demo %q, won %q (a stage without a name is called by its key)", c.StageName("demo"), c.StageName("won"))
	}
	if got := keys(c.Roles); !slices.Equal(got, []string{"ae"}) {
		t.Errorf("roles = %q", got)
	}
	want := map[string]content.Duration{"script": 30, "competitor": 30, "training": 30, "retro": 30, "case": 365}
	if len(c.Review) != len(want) {
		t.Errorf("Review = %v, want %v", c.Review, want)
	}
	for typ, d := range want {
		if c.Review[typ] != d {
			t.Errorf("Review[%s] = %v, want %v", typ, c.Review[typ], d)
		}
	}
	if c.Location.String() != "Europe/Berlin" || c.Language != "en" || !c.Markup.UnsafeHTML || c.BaseURL != "https://example.com/kb/" {
		t.Errorf("config = %+v", c)
	}
	if wd, err := c.SessionWeekday(); err != nil || wd.String() != "Tuesday" {
		t.Errorf("SessionWeekday = %v, %v", wd, err)
	}
	if c.Params["logo"] != "/img/logo.svg" {
		t.Errorf("params = %v", c.Params)
	}
	// The rules content validation gets follow the custom stages.
	p, errs := content.Parse("scripts/x.md", []byte("---\ntitle: x\nstages: [线索, won]\n---\n"), c.Rules())
	if len(errs) != 0 || !slices.Equal(p.Stages, []string{"lead", "won"}) {
		t.Errorf("stages with custom config = %q, errors %v", p.Stages, errs)
	}
	_, errs = content.Parse("scripts/x.md", []byte("---\ntitle: x\nstages: [negotiation]\n---\n"), c.Rules())
	if len(errs) != 1 || errs[0].Error() != `content/scripts/x.md:3: stages: unknown key "negotiation"; want one of lead|demo|won (set them in playbook.yaml)` {
		t.Errorf("errors = %v", errs)
	}
}

// TestReportURL: the search box reports misses to an https URL or a path
// of the site's own host; unset, to nothing.
func TestReportURL(t *testing.T) {
	for _, u := range []string{"", "https://stats.example.com/playbook/miss", "https://stats.example.com:8443/m?site=kb", "/collect/miss", "/"} {
		t.Run(u, func(t *testing.T) {
			c, err := config.Parse([]byte("search:\n  report_url: \"" + u + "\"\n"))
			if err != nil || c.Search.ReportURL != u {
				t.Errorf("Parse: %+v, %v", c, err)
			}
		})
	}
	if config.Default().Search.ReportURL != "" {
		t.Error("the default reports misses somewhere")
	}
}

// TestParseErrors: each mistake names playbook.yaml, the key, and where it
// can, the line.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "unknown top-level key",
			src:  "title: x\n\ncolour: red\n",
			want: "playbook.yaml:3: colour: unknown key; allowed: baseURL, description, language, markup, params, review_every, roles, search, stages, theme, timezone, title, training",
		},
		{
			name: "key in the wrong case",
			src:  "baseUrl: https://example.com/\n",
			want: "playbook.yaml:1: baseUrl: unknown key; allowed: baseURL, description, language, markup, params, review_every, roles, search, stages, theme, timezone, title, training",
		},
		{
			name: "unknown nested key",
			src:  "title: x\nmarkup:\n  unsafe: true\n",
			want: "playbook.yaml:3: markup.unsafe: unknown key; allowed: unsafe_html",
		},
		{
			name: "unknown key under training",
			src:  "training:\n  weekday: friday\n  hour: 15\n",
			want: "playbook.yaml:3: training.hour: unknown key; allowed: rotation, skip, time, weekday",
		},
		{
			name: "training.skip item that is no date",
			src:  "training:\n  skip:\n    - 2027-01-01 元旦\n    - 十月一日 国庆节\n",
			want: `playbook.yaml:4: training.skip[2]: want a date such as 2027-01-01 or a range such as 2027-10-01..2027-10-07, then an optional name ("2027-10-01..2027-10-07 国庆节"), got "十月一日 国庆节"`,
		},
		{
			name: "training.skip range that ends before it starts",
			src:  "training:\n  skip: [2027-10-07..2027-10-01]\n",
			want: `playbook.yaml:2: training.skip[1]: want a date such as 2027-01-01 or a range such as 2027-10-01..2027-10-07, then an optional name ("2027-10-01..2027-10-07 国庆节"), got "2027-10-07..2027-10-01"`,
		},
		{
			name: "unknown key in a stage",
			src:  "stages:\n  - key: lead\n    name: 线索\n  - key: demo\n    nme: 演示\n",
			want: "playbook.yaml:5: stages[2].nme: unknown key; allowed: key, name",
		},
		{
			name: "unknown key in a role",
			src:  "roles:\n  - {key: ae, title: 客户经理}\n",
			want: "playbook.yaml:2: roles[1].title: unknown key; allowed: key, name",
		},
		{
			name: "language",
			src:  "language: zh-TW\n",
			want: `playbook.yaml: language: want zh-CN or en, got "zh-TW"`,
		},
		{
			name: "timezone",
			src:  "timezone: Beijing\n",
			want: `playbook.yaml: timezone: want an IANA zone such as Asia/Shanghai, got "Beijing"`,
		},
		{
			name: "review_every value",
			src:  "review_every:\n  script: 三个月\n",
			want: `playbook.yaml: review_every.script: want a positive number and a unit d, w, m or y (90d, 6w, 3m, 1y), got "三个月"`,
		},
		{
			name: "review_every type",
			src:  "review_every:\n  scripts: 90d\n",
			want: "playbook.yaml: review_every.scripts: unknown type; want default or one of script, case, competitor, training, retro, page",
		},
		{
			name: "YAML error on the first line",
			src:  "\ttitle: x\n",
			want: "playbook.yaml: yaml: line 1: found character that cannot start any token",
		},
		{
			name: "control character",
			src:  "title: x\ndescription: \x01\n",
			want: "playbook.yaml: yaml: line 2: control characters are not allowed",
		},
		{
			name: "review_every overflowing",
			src:  "review_every:\n  case: 99999999999999999y\n",
			want: `playbook.yaml: review_every.case: want a duration from 1d to 10y (or never), got "99999999999999999y"`,
		},
		{
			name: "review_every default",
			src:  "review_every:\n  default: 90\n",
			want: `playbook.yaml: review_every.script: want a positive number and a unit d, w, m or y (90d, 6w, 3m, 1y), got "90"`,
		},
		{
			name: "stage twice",
			src:  "stages:\n  - key: lead\n  - key: lead\n",
			want: `playbook.yaml: stages: key "lead" appears twice`,
		},
		{
			name: "stage without key",
			src:  "stages:\n  - name: 线索\n",
			want: "playbook.yaml: stages[1]: key is required",
		},
		{
			name: "stages as plain words",
			src:  "stages: [lead, demo]\n",
			want: "playbook.yaml: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `lead` into content.Choice\n  line 1: cannot unmarshal !!str `demo` into content.Choice",
		},
		{
			name: "training weekday",
			src:  "training:\n  weekday: 周五\n",
			want: `playbook.yaml: training.weekday: want a day such as friday, got "周五"`,
		},
		{
			name: "training time",
			src:  "training:\n  time: 3pm\n",
			want: `playbook.yaml: training.time: want HH:MM such as 15:00, got "3pm"`,
		},
		{
			name: "unknown key under search",
			src:  "search:\n  report: https://x.example.com/\n",
			want: "playbook.yaml:2: search.report: unknown key; allowed: report_url",
		},
		{
			name: "report_url over plain http",
			src:  "title: x\nsearch:\n  report_url: http://stats.example.com/miss\n",
			want: `playbook.yaml:3: search.report_url: want an absolute https:// URL without user or password, or a site path starting with /, got "http://stats.example.com/miss"`,
		},
		{
			name: "report_url relative",
			src:  "search: {report_url: collect/miss}\n",
			want: `playbook.yaml:1: search.report_url: want an absolute https:// URL without user or password, or a site path starting with /, got "collect/miss"`,
		},
		{
			name: "report_url of another host without scheme",
			src:  "search:\n\n  report_url: //stats.example.com/miss\n",
			want: `playbook.yaml:3: search.report_url: want an absolute https:// URL without user or password, or a site path starting with /, got "//stats.example.com/miss"`,
		},
		{
			name: "report_url with a password, which every page would show",
			src:  "search:\n  report_url: https://bot:secret@stats.example.com/miss\n",
			want: `playbook.yaml:2: search.report_url: want an absolute https:// URL without user or password, or a site path starting with /, got "https://bot:secret@stats.example.com/miss"`,
		},
		{
			name: "report_url javascript:",
			src:  "search:\n  report_url: \"javascript:alert(1)\"\n",
			want: `playbook.yaml:2: search.report_url: want an absolute https:// URL without user or password, or a site path starting with /, got "javascript:alert(1)"`,
		},
		{
			name: "report_url with a backslash",
			src:  "search:\n  report_url: /\\\\evil.example.com/x\n",
			want: `playbook.yaml:2: search.report_url: want an absolute https:// URL without user or password, or a site path starting with /, got "/\\\\evil.example.com/x"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Parse([]byte(tt.src))
			if err == nil {
				t.Fatalf("no error; config %+v", c)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got: %s\nwant: %s", err, tt.want)
			}
		})
	}
	t.Run("YAML syntax", func(t *testing.T) {
		_, err := config.Parse([]byte("title: x\ntags: [a\n"))
		if err == nil || !strings.HasPrefix(err.Error(), "playbook.yaml: ") {
			t.Errorf("error = %v, want one naming playbook.yaml", err)
		}
	})
}

// TestLoad reads playbook.yaml from a site folder.
func TestLoad(t *testing.T) {
	c, err := config.Load(fstest.MapFS{"playbook.yaml": {Data: []byte("title: 云帆\n")}})
	if err != nil || c.Title != "云帆" {
		t.Fatalf("Load = %+v, %v", c, err)
	}
	_, err = config.Load(fstest.MapFS{"playbook.yaml": {Data: []byte("titel: 云帆\n")}})
	if err == nil || !strings.HasPrefix(err.Error(), "playbook.yaml:1: titel: unknown key") {
		t.Errorf("Load error = %v", err)
	}
}

// TestSkipDays: training.skip takes days and runs of days, named or not,
// in the site's time zone, and nothing else.
func TestSkipDays(t *testing.T) {
	c, err := config.Parse([]byte("timezone: Asia/Shanghai\ntraining:\n  skip:\n    - 2027-01-01\n    - 2027-10-01..2027-10-07 国庆节\n"))
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02 15:04", s, sh)
		return d
	}
	for _, tc := range []struct {
		day, why string
		skipped  bool
	}{
		{"2026-12-31 15:00", "", false},
		{"2027-01-01 15:00", "training.skip", true},
		{"2027-01-01 23:59", "training.skip", true},
		{"2027-09-30 15:00", "", false},
		{"2027-10-01 00:00", "国庆节", true},
		{"2027-10-07 15:00", "国庆节", true},
		{"2027-10-08 15:00", "", false},
	} {
		t.Run(tc.day, func(t *testing.T) {
			why, skipped := c.Training.Skipped(day(tc.day))
			if why != tc.why || skipped != tc.skipped {
				t.Errorf("Skipped(%s) = %q, %v; want %q, %v", tc.day, why, skipped, tc.why, tc.skipped)
			}
		})
	}
	// The same instant on a UTC clock is still the Shanghai day.
	if _, skipped := c.Training.Skipped(day("2027-10-08 07:00").UTC()); skipped {
		t.Error("2027-10-07 23:00 UTC is 2027-10-08 in Shanghai, not a skipped day")
	}
}
