package markdown

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func sayTexts(ls []Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Text
	}
	return out
}

func TestTalkTrack(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		say      []string // lines to say, in order
		internal []string // headings of internal sections
		stray    []int    // lines of unusable {.internal} marks
		notSaid  []string // text that must not be a line to say
	}{
		{
			name:     "internal section runs to the next heading of its level",
			src:      "## 话术\n\n> “您好”\n\n## 千万别说 {.internal}\n\n> “这是最低价”\n\n### 细节\n\n> “还在内部”\n\n## 收尾\n\n> “谢谢”\n",
			say:      []string{"“您好”", "“谢谢”"},
			internal: []string{"千万别说"},
			notSaid:  []string{"这是最低价", "还在内部"},
		},
		{
			name:     "a higher-level heading ends it too",
			src:      "### 内部 {.internal}\n\n> 不说\n\n## 对客户\n\n> 要说\n",
			say:      []string{"要说"},
			internal: []string{"内部"},
			notSaid:  []string{"不说"},
		},
		{
			name: "quotes in lists count, nested quotes once",
			src:  "- 先问：\n\n  > 预算多少？\n\n> 外层\n>\n> > 内层\n",
			say:  []string{"预算多少？", "外层\n内层"},
		},
		{
			name:    "prose, tables and links are never lines to say",
			src:     "先别急着解释。\n\n| a | b |\n|---|---|\n| 表格 | 内容 |\n\n见 [案例](x.md)。\n\n> 只有这句\n",
			say:     []string{"只有这句"},
			notSaid: []string{"先别急着解释", "表格", "案例"},
		},
		{
			name:  "a mark inside a list or quote opens nothing",
			src:   "> ## 引用里 {.internal}\n>\n> 文字\n\n- 列表\n\n  ## 列表里 {.internal}\n",
			say:   []string{"引用里\n文字"},
			stray: []int{1, 7},
		},
		{
			name: "an empty quote is no line",
			src:  ">\n\n> 有字\n",
			say:  []string{"有字"},
		},
		{
			name:     "other classes leave a heading alone",
			src:      "## 标题 {.note}\n\n> 说\n",
			say:      []string{"说"},
			internal: nil,
		},
	}
	r := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := r.RenderScript([]byte(tt.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := sayTexts(res.Say); !slices.Equal(got, tt.say) {
				t.Errorf("say = %q, want %q", got, tt.say)
			}
			var heads []string
			for _, s := range res.Internal {
				heads = append(heads, s.Heading)
			}
			if !slices.Equal(heads, tt.internal) {
				t.Errorf("internal = %q, want %q", heads, tt.internal)
			}
			var stray []int
			for _, s := range res.Stray {
				stray = append(stray, s.Line)
			}
			if !slices.Equal(stray, tt.stray) {
				t.Errorf("stray lines = %v, want %v", stray, tt.stray)
			}
			if n := strings.Count(res.HTML, `class="say"`); n != len(tt.say) {
				t.Errorf("%d say blocks in HTML, want %d:\n%s", n, len(tt.say), res.HTML)
			}
			for _, s := range res.Say {
				for _, bad := range tt.notSaid {
					if strings.Contains(s.Text, bad) {
						t.Errorf("line to say %q holds %q", s.Text, bad)
					}
				}
			}
		})
	}
}

// TestTalkInternalHTML: an internal section is one <section class="internal">
// holding its heading and body, in any page, and Render (not a script)
// makes no lines to say.
func TestTalkInternalHTML(t *testing.T) {
	res, err := New(Options{}).Render([]byte("## 话术\n\n> 说\n\n## 别说 {.internal}\n\n不要说的话\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Say) != 0 || strings.Contains(res.HTML, `class="say"`) {
		t.Errorf("Render made lines to say: %v\n%s", res.Say, res.HTML)
	}
	want := "<section class=\"internal\">\n<h2 class=\"internal\" id=\"别说\">别说</h2>\n<p>不要说的话</p>\n</section>\n"
	if !strings.HasSuffix(res.HTML, want) {
		t.Errorf("HTML ends\n%s\nwant\n%s", res.HTML, want)
	}
	if len(res.Internal) != 1 || res.Internal[0].Text != "不要说的话" || res.Internal[0].Line != 5 {
		t.Errorf("internal = %+v", res.Internal)
	}
}

// TestTalkUnmarked: a script's heading that reads like internal guidance
// but carries no mark is reported; a marked one is not.
func TestTalkUnmarked(t *testing.T) {
	src := "## 千万别说\n\n> 这是最低价\n\n## 内部备注 {.internal}\n\n## 开场\n\n> 您好\n\n### Do not say\n"
	res, err := New(Options{}).RenderScript([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range res.Unmarked {
		got = append(got, fmt.Sprintf("%d:%s", u.Line, u.Heading))
	}
	if want := []string{"1:千万别说", "11:Do not say"}; !slices.Equal(got, want) {
		t.Errorf("unmarked = %q, want %q", got, want)
	}
}

// TestTalkHardBreaks: a quote's hard line breaks stay lines, as the
// browser copies them; soft breaks between Chinese lines join.
func TestTalkHardBreaks(t *testing.T) {
	res, err := New(Options{}).RenderScript([]byte("> 包括：\\\n> 1\\. 问题\\\n> 2\\. 投入\n> 明细\n>\n> 祝好\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sayTexts(res.Say), []string{"包括：\n1. 问题\n2. 投入明细\n祝好"}; !slices.Equal(got, want) {
		t.Errorf("say = %q, want %q", got, want)
	}
}
