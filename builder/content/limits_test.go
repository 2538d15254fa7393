package content_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/playbook-sales/playbook/builder/content"
)

// aliasBomb is the "billion laughs" of YAML: each line copies the one
// above nine times, so 10 lines stand for 9^9 (387 million) strings.
func aliasBomb(levels int) string {
	ls := []string{"---", "title: bomb", `a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`}
	for i := 1; i < levels; i++ {
		ref := fmt.Sprintf("*a%d", i-1)
		ls = append(ls, fmt.Sprintf("a%d: &a%d [%s]", i, i, strings.Repeat(ref+",", 8)+ref))
	}
	return lines(append(ls, "---", "正文")...)
}

// nested writes a value nested n lists deep in a front matter format.
func nested(format string, n int) string {
	v := strings.Repeat("[", n) + strings.Repeat("]", n)
	switch format {
	case "yaml":
		return lines("---", "title: deep", "x: "+v, "---", "正文")
	case "toml":
		return lines("+++", `title = "deep"`, "x = "+v, "+++", "正文")
	}
	return lines("{", `"title": "deep",`, `"x": `+v, "}", "正文")
}

// TestFrontMatterLimits: front matter written to exhaust memory or time is
// an error naming the file, line and field, found quickly; front matter
// within the limits parses as before.
func TestFrontMatterLimits(t *testing.T) {
	big := strings.Repeat("x", content.MaxFrontMatterSize)
	tests := []struct {
		name, src string
		want      string // the only error; "" for none
	}{
		{"YAML alias bomb", aliasBomb(10),
			"content/guides/x.md:7: a4: YAML aliases (*name) copy more than 10000 values; front matter allows 10000, write the values out instead"},
		{"YAML alias bomb under a key of a list", lines("---", "title: x", "a: &a [1,2,3,4,5,6,7,8,9,10]", "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]",
			"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]", "d:", "  - e: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]", "---"),
			"content/guides/x.md:7: d: YAML aliases (*name) copy more than 10000 values; front matter allows 10000, write the values out instead"},
		{"YAML aliases within the limit", lines("---", "title: x", "a: &a [1, 2]", "b: *a", "c: [*a, *a]", "---"), ""},
		{"YAML nested 50,000 deep", nested("yaml", 50000), "content/guides/x.md:3: front matter: invalid YAML: exceeded max depth of 10000"},
		{"YAML nested 33 deep", nested("yaml", 32),
			"content/guides/x.md:3: x: lists and mappings nested more than 32 levels deep; front matter allows 32"},
		{"YAML nested 32 deep", nested("yaml", 31), ""},
		{"YAML block mappings 40 deep", lines(append(append([]string{"---", "title: x"}, blockNest(40)...), "---")...),
			"content/guides/x.md:35: k1: lists and mappings nested more than 32 levels deep; front matter allows 32"},
		{"TOML nested 50,000 deep", nested("toml", 50000),
			"content/guides/x.md:3: x: lists and mappings nested more than 32 levels deep; front matter allows 32"},
		{"TOML nested 32 deep", nested("toml", 31), ""},
		{"JSON nested 50,000 deep", nested("json", 50000), "content/guides/x.md:3: front matter: invalid JSON: invalid character '[' exceeded max depth"},
		{"JSON nested 33 deep", nested("json", 32),
			"content/guides/x.md:3: x: lists and mappings nested more than 32 levels deep; front matter allows 32"},
		{"JSON nested 32 deep", nested("json", 31), ""},
		{"YAML over the size limit", lines("---", "title: x", "summary: "+big, "---"),
			"content/guides/x.md:2: front matter: 257 KiB is more than front matter may hold (256 KiB); move long text into the body"},
		{"TOML over the size limit", lines("+++", `title = "x"`, `summary = "`+big+`"`, "+++"),
			"content/guides/x.md:2: front matter: 257 KiB is more than front matter may hold (256 KiB); move long text into the body"},
		{"JSON over the size limit", lines("", "{", `"title": "x",`, `"summary": "`+big+`"`, "}"),
			"content/guides/x.md:2: front matter: 257 KiB is more than front matter may hold (256 KiB); move long text into the body"},
		{"a body over the front matter limit is fine", lines("---", "title: x", "---", big), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := content.Parse("guides/x.md", []byte(tt.src), testRules(t))
			got := errLines(errs)
			switch {
			case tt.want == "" && (len(got) > 0 || p == nil):
				t.Errorf("errors = %q, want none", got)
			case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// blockNest writes n mappings nested by indentation: k1: / k2: / … leaf.
func blockNest(n int) []string {
	var ls []string
	for i := 1; i <= n; i++ {
		ls = append(ls, strings.Repeat(" ", i-1)+fmt.Sprintf("k%d:", i))
	}
	return append(ls, strings.Repeat(" ", n)+"leaf: 1")
}

// TestParseLineEndingsAndBOMs: front matter is found whatever the line
// endings and however many byte-order marks an editor or tool left, and
// lines are counted as an editor shows them.
func TestParseLineEndingsAndBOMs(t *testing.T) {
	src := lines("---", "title: 价格异议", "owner: 王磊", "tags: [价格]", "---", "", "你们太贵了。")
	tests := []struct{ name, src string }{
		{"CR only (classic Mac OS)", strings.ReplaceAll(src, "\n", "\r")},
		{"two BOMs", "\ufeff\ufeff" + src},
		{"three BOMs and CRLF", "\ufeff\ufeff\ufeff" + strings.ReplaceAll(src, "\n", "\r\n")},
		{"mixed CR, CRLF and LF", strings.Replace(strings.Replace(src, "\n", "\r", 2), "\n", "\r\n", 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, "scripts/x.md", tt.src)
			if !p.HasFrontMatter || p.Title != "价格异议" || p.Owner != "王磊" || !slices.Equal(p.Tags, []string{"价格"}) {
				t.Errorf("front matter %v, title %q, owner %q, tags %q: the front matter was not read", p.HasFrontMatter, p.Title, p.Owner, p.Tags)
			}
			if strings.ContainsAny(string(p.Body), "\r\ufeff") || strings.TrimSpace(string(p.Body)) != "你们太贵了。" || p.BodyLine != 6 {
				t.Errorf("body = %q at line %d, want the text alone at line 6", p.Body, p.BodyLine)
			}
			bad := strings.Replace(tt.src, "owner: 王磊", "channel: fax", 1)
			_, errs := content.Parse("scripts/x.md", []byte(bad), testRules(t))
			want := `content/scripts/x.md:3: channel: want one of phone|email|visit|im|meeting, got "fax"`
			if got := errLines(errs); len(got) != 1 || got[0] != want {
				t.Errorf("errors = %q, want %q", got, want)
			}
		})
	}
}

// TestParseJSONEnds: JSON front matter ends at the } matching its {, as
// Hugo reads it: the body may follow on the next line or the same one.
func TestParseJSONEnds(t *testing.T) {
	tests := []struct {
		name, src, body string
		bodyLine        int
	}{
		{"body right after the }", lines("{", `  "title": "x"`, "}", "## 正文"), "## 正文\n", 4},
		{"empty line after the }", lines("{", `  "title": "x"`, "}", "", "## 正文"), "\n## 正文\n", 4},
		{"body on the line of the }", lines("{", `  "title": "x"`, "} 正文"), "正文\n", 3},
		{"braces inside strings", lines("{", `  "title": "x",`, `  "summary": "}{ 不算 }"`, "}", "正文"), "正文\n", 5},
		{"nested objects", lines("{", `  "title": "x",`, `  "params": {"a": {"b": 1}}`, "}", "正文"), "正文\n", 5},
		{"nothing after the }", lines("{", `  "title": "x"`, "}"), "", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, "guides/x.md", tt.src)
			if p.Format != "json" || p.Title != "x" || string(p.Body) != tt.body || p.BodyLine != tt.bodyLine {
				t.Errorf("format %q, title %q, body %q at line %d; want json, x, %q at line %d",
					p.Format, p.Title, p.Body, p.BodyLine, tt.body, tt.bodyLine)
			}
		})
	}
	errTests := []struct{ name, src, want string }{
		{"never closed", lines("{", `  "title": "x"`, "正文"),
			"content/guides/x.md:1: front matter: JSON front matter opened here is never closed; end it with a line with only }"},
		{"a syntax error names its line", lines("", "{", `  "title": "x",`, `  "tags": [a],`, "}", "正文"),
			"content/guides/x.md:4: front matter: invalid JSON: invalid character 'a' looking for beginning of value"},
		{"a field error names its line", lines("{", `  "title": "x",`, `  "draft": "nah"`, "}", "正文"),
			`content/guides/x.md:3: draft: want true or false, got "nah"`},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := content.Parse("guides/x.md", []byte(tt.src), testRules(t))
			if got := errLines(errs); len(got) != 1 || got[0] != tt.want {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestParseURLRules: file names, slugs and aliases that would break URLs
// are errors naming the file; aliases are cleaned and listed once.
func TestParseURLRules(t *testing.T) {
	fm := lines("---", "title: x", "---")
	tests := []struct{ name, rel, src, want string }{
		{"# in a file name", "guides/c#x.md", fm,
			`content/guides/c#x.md:1: file: the path has '#', which breaks the page's URL and links to it; rename the file or folder (#?%\ and control characters are not allowed)`},
		{"? in a file name", "guides/c?x.md", fm,
			`content/guides/c?x.md:1: file: the path has '?', which breaks the page's URL and links to it; rename the file or folder (#?%\ and control characters are not allowed)`},
		{"% in a folder name", "guides/100%/x.md", fm,
			`content/guides/100%/x.md:1: file: the path has '%', which breaks the page's URL and links to it; rename the file or folder (#?%\ and control characters are not allowed)`},
		{"a backslash in a file name", `guides/a\b.md`, fm,
			`content/guides/a\b.md:1: file: the path has '\\', which breaks the page's URL and links to it; rename the file or folder (#?%\ and control characters are not allowed)`},
		{"a control character in a file name", "guides/a\tb.md", fm,
			`content/guides/a	b.md:1: file: the path has '\t', which breaks the page's URL and links to it; rename the file or folder (#?%\ and control characters are not allowed)`},
		{"a file name with # and a good slug", "guides/c#x.md", lines("---", "title: x", "slug: cx", "---"),
			`content/guides/c#x.md:1: file: the path has '#', which breaks the page's URL and links to it; rename the file or folder (#?%\ and control characters are not allowed)`},
		{"a NUL in a slug", "guides/x.md", lines("---", "title: x", `slug: "a\0b"`, "---"),
			`content/guides/x.md:3: slug: want a single URL segment without / \ ? # % or spaces, got "a\x00b"`},
		{"a NUL in an alias", "guides/x.md", lines("---", "title: x", `aliases: ["/a\0b/"]`, "---"),
			`content/guides/x.md:3: aliases: want a site path such as /old/price/, got "/a\x00b/" ('\x00' is not allowed)`},
		{"an escaped # in an alias", "guides/x.md", lines("---", "title: x", `aliases: [/a%23b/]`, "---"),
			`content/guides/x.md:3: aliases: want a site path such as /old/price/, got "/a%23b/" ('#' is not allowed)`},
		{"a broken escape in an alias", "guides/x.md", lines("---", "title: x", `aliases: [/100%/]`, "---"),
			`content/guides/x.md:3: aliases: want a site path such as /old/price/, got "/100%/" (a % must start an escape such as %20)`},
		{"an escaped .. in an alias", "guides/x.md", lines("---", "title: x", `aliases: [/a/%2e%2e/b/]`, "---"),
			`content/guides/x.md:3: aliases: want a site path such as /old/price/, got "/a/%2e%2e/b/"`},
		{"an alias of the page's own URL", "guides/x.md", lines("---", "title: x", `aliases: [/Guides/X]`, "---"),
			`content/guides/x.md:3: aliases: "/Guides/X" is the page's own URL; remove it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := content.Parse(tt.rel, []byte(tt.src), testRules(t))
			if got := errLines(errs); len(got) != 1 || got[0] != tt.want {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	t.Run("aliases listed twice, escaped or not, are one redirect", func(t *testing.T) {
		p := mustParse(t, "guides/x.md", lines("---", "title: x",
			"aliases: [/a/, /a/, a, /%E4%BB%B7%E6%A0%BC/, /价格/, /A/]", "---"))
		if want := []string{"/a/", "/价格/", "/A/"}; !slices.Equal(p.Aliases, want) {
			t.Errorf("aliases = %q, want %q", p.Aliases, want)
		}
	})
}

// TestParseSessionEnd: a session ends at a time calendars and JSON can
// write, because its date and duration have ranges (ranges.go); a huge
// value is an error naming the field, not a wrapped clock.
func TestParseSessionEnd(t *testing.T) {
	tests := []struct{ name, fm string }{
		{"year 9999", "session: 9999-12-29T10:00:00"},
		{"the largest duration", "session: 2026-12-01T10:00:00\nduration: 9223372036854775807"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := content.Parse("training/x.md", []byte(lines("---", "title: x", tt.fm, "---")), testRules(t))
			if got := errLines(errs); len(got) != 1 || !strings.Contains(got[0], "want ") {
				t.Errorf("errors: got %q, want one naming the allowed range", got)
			}
		})
	}
	p := mustParse(t, "training/x.md", lines("---", "title: x", "session: 2999-12-31T10:00:00", "duration: 1440", "---"))
	if end := p.Training.Session.Add(time.Duration(p.Training.Duration) * time.Minute); end.Year() > 3000 {
		t.Errorf("the latest session ends %v", end)
	}
}

// BenchmarkParseHostile measures what the limits bound: how long front
// matter written to exhaust a build takes to be refused.
//
//	go test ./builder/content -run NONE -bench ParseHostile -benchmem
func BenchmarkParseHostile(b *testing.B) {
	inputs := []struct{ name, src string }{
		{"YAML alias bomb of 10 lines", aliasBomb(10)},
		{"YAML alias bomb of 30 lines", aliasBomb(30)},
		{"TOML nested 128,000 deep", nested("toml", 128000)},
		{"YAML nested 9,999 deep", nested("yaml", 9999)},
		{"YAML 250 KiB of keys", keys("---", "%s: 1", "---", content.MaxFrontMatterSize/13)},
		{"TOML 250 KiB of keys", keys("+++", "%s = 1", "+++", content.MaxFrontMatterSize/13)},
	}
	rules := testRules(b)
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.src)))
			for b.Loop() {
				content.Parse("guides/x.md", []byte(in.src), rules)
			}
		})
	}
}

// keys writes front matter of n distinct keys, each line as format.
func keys(open, format, end string, n int) string {
	var sb strings.Builder
	sb.WriteString(open + "\n")
	for i := range n {
		fmt.Fprintf(&sb, format+"\n", fmt.Sprintf("k%07d", i))
	}
	fmt.Fprintf(&sb, format+"\n%s\n", "title", end)
	return sb.String()
}
