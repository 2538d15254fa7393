package content

import (
	"errors"
	"fmt"
	"strings"
)

// Kind names what an Error is about, independent of its wording: one row
// of the message table below, which holds the English text (what the
// build prints, what tools and searches know) and the Chinese text shown
// first on a zh-CN site. The zero Kind is a message without a row (the
// detail of an operating-system error, say): it is shown in English only.
type Kind int

// The kinds of message. Add a kind here and its row in messages; a kind
// without a Chinese text fails TestEveryKindHasChinese.
const (
	KindOther Kind = iota
	KindNotUTF8
	KindBinary
	KindNeverClosed
	KindInvalidSyntax
	KindNotMapping
	KindKeyTwice
	KindAliasBomb
	KindMatterTooBig
	KindTooDeep
	KindPathBreaksURL
	KindWantOne
	KindWantText
	KindItemWantOne
	KindItemWantText
	KindWantTextList
	KindWantBool
	KindWantNumber
	KindNumberAtLeast
	KindNumberRange
	KindWantInteger
	KindIntegerAtLeast
	KindIntegerRange
	KindWantDateValue
	KindDateRange
	KindWantDate
	KindWantOneOf
	KindUnknownChoice
	KindWantWebsite
	KindWantEntries
	KindWantEntry
	KindTitleRequired
	KindBadSlug
	KindTooLong
	KindItemTooLong
	KindTooMany
	KindBadAlias
	KindBadAliasPercent
	KindBadAliasRune
	KindAliasHome
	KindAliasOwnURL
	KindDurationForm
	KindDurationPositive
	KindDurationRange
	KindWantCurrency
	KindQuestionRequired
	KindTooFewChoices
	KindAnswerRequired
	KindNoSuchChoice
	KindWhatRequired
	KindUnknownField
	KindNearMiss
	KindNotFinite
	KindRefMissing
	KindRefMissingNear
	KindRefWrongType
	KindURLClash
	KindPrereqCycle
	KindLinkMissing
	KindInternalInList
	KindFileTooBig
	KindNotInSite
	KindNotFolder
	KindOutsideSite
	KindBrokenSymlink
	KindSymlinkLoop
	KindNotRegular
	KindCannotRead
	KindFolderTwice
	KindURLClaimed
	KindNeedsFolder
	KindIsFile
	kindCount // not a kind: the size of the table
)

// message is one row of the table: fmt formats taking the same arguments.
type message struct{ en, zh string }

var messages = [kindCount]message{
	KindOther:            {"%s", "%s"},
	KindNotUTF8:          {"not valid UTF-8 (GBK?); save the file as UTF-8", "不是 UTF-8 编码（可能是 GBK）；请把文件另存为 UTF-8"},
	KindBinary:           {"binary data (a NUL byte); want UTF-8 markdown text", "是二进制数据（含 NUL 字节）；这里要的是 UTF-8 的 Markdown 文本"},
	KindNeverClosed:      {"%s front matter opened here is never closed; end it with a line with only %s", "%s 前置信息从这里开始，却没有结束；请在其后加一行，只写 %s"},
	KindInvalidSyntax:    {"invalid %s: %s", "%s 格式有误：%s"},
	KindNotMapping:       {"want key: value lines (a YAML mapping)", "应为“键: 值”形式的行（YAML 映射）"},
	KindKeyTwice:         {"key is given twice; keep one", "这个键写了两次；只保留一个"},
	KindAliasBomb:        {"YAML aliases (*name) copy more than %d values; front matter allows %d, write the values out instead", "YAML 别名（*name）复制了超过 %d 个值；前置信息最多允许 %d 个，请把值直接写出来"},
	KindMatterTooBig:     {"%d KiB is more than front matter may hold (%d KiB); move long text into the body", "%d KiB 超过了前置信息的上限（%d KiB）；请把长文本移到正文"},
	KindTooDeep:          {"lists and mappings nested more than %d levels deep; front matter allows %d", "列表和映射嵌套超过 %d 层；前置信息最多允许 %d 层"},
	KindPathBreaksURL:    {"the path has %q, which breaks the page's URL and links to it; rename the file or folder (%s and control characters are not allowed)", "路径中有 %q，会破坏页面网址和指向它的链接；请重命名文件或文件夹（不允许 %s 和控制字符）"},
	KindWantOne:          {"want one value, got %s", "应为单个值，实际是 %s"},
	KindWantText:         {"want text, got %s", "应为文本，实际是 %s"},
	KindItemWantOne:      {"item %d: want one value, got %s", "第 %d 项：应为单个值，实际是 %s"},
	KindItemWantText:     {"item %d: want text, got %s", "第 %d 项：应为文本，实际是 %s"},
	KindWantTextList:     {"want a list of text, got %s", "应为文本列表，实际是 %s"},
	KindWantBool:         {"want true or false, got %s", "应为 true 或 false，实际是 %s"},
	KindWantNumber:       {"want a number such as 480000 (or 48万), got %s", "应为数字，例如 480000（或 48万），实际是 %s"},
	KindNumberAtLeast:    {"want a number of at least %g, got %s", "应为不小于 %g 的数字，实际是 %s"},
	KindNumberRange:      {"want a number from %g to %.0f, got %s", "应为 %g 到 %.0f 之间的数字，实际是 %s"},
	KindWantInteger:      {"want a whole number, got %s", "应为整数，实际是 %s"},
	KindIntegerAtLeast:   {"want a whole number of at least %d, got %s", "应为不小于 %d 的整数，实际是 %s"},
	KindIntegerRange:     {"want a whole number from %d to %d, got %s", "应为 %d 到 %d 之间的整数，实际是 %s"},
	KindWantDateValue:    {"want a date like 2026-10-09, got %s", "应为日期，例如 2026-10-09，实际是 %s"},
	KindDateRange:        {"want a date from %d-01-01 to %d-12-31, got %q", "应为 %d-01-01 到 %d-12-31 之间的日期，实际是 %q"},
	KindWantDate:         {"want a date like 2026-10-09 or a time like 2026-10-09T15:00:00+08:00, got %q", "应为日期（如 2026-10-09）或时间（如 2026-10-09T15:00:00+08:00），实际是 %q"},
	KindWantOneOf:        {"want one of %s, got %q", "应为 %s 之一，实际是 %q"},
	KindUnknownChoice:    {"unknown key %q; want one of %s (set them in playbook.yaml)", "未知的键 %q；应为 %s 之一（在 playbook.yaml 中设置）"},
	KindWantWebsite:      {"want a web address starting with https:// or http://, got %q", "应为以 https:// 或 http:// 开头的网址，实际是 %q"},
	KindWantEntries:      {"want a list of entries, got %s", "应为条目列表，实际是 %s"},
	KindWantEntry:        {"want an entry with named fields, got %s", "应为带字段名的条目，实际是 %s"},
	KindTitleRequired:    {"required: every page needs a title", "必填：每个页面都需要标题"},
	KindBadSlug:          {"want a single URL segment without / \\ ? # %% or spaces, got %q", "应为一段网址，不含 / \\ ? # %% 或空格，实际是 %q"},
	KindTooLong:          {"want at most %d characters, got %d", "最多 %d 个字符，实际有 %d 个"},
	KindItemTooLong:      {"item %d: want at most %d characters, got %d", "第 %d 项：最多 %d 个字符，实际有 %d 个"},
	KindTooMany:          {"want at most %d values, got %d", "最多 %d 个值，实际有 %d 个"},
	KindBadAlias:         {"want a site path such as /old/price/, got %q", "应为本站路径，例如 /old/price/，实际是 %q"},
	KindBadAliasPercent:  {"want a site path such as /old/price/, got %q (a %% must start an escape such as %%20)", "应为本站路径，例如 /old/price/，实际是 %q（%% 只能用于 %%20 这样的转义）"},
	KindBadAliasRune:     {"want a site path such as /old/price/, got %q (%q is not allowed)", "应为本站路径，例如 /old/price/，实际是 %q（不允许 %q）"},
	KindAliasHome:        {"%q would replace the home page; want a path such as /old/price/", "%q 会替换首页；应为 /old/price/ 这样的路径"},
	KindAliasOwnURL:      {"%q is the page's own URL; remove it", "%q 是本页自己的网址；请删除"},
	KindDurationForm:     {"want a number and a unit such as 90d, 6w, 3m or 1y, got %q", "应为数字加单位，例如 90d、6w、3m 或 1y，实际是 %q"},
	KindDurationPositive: {"want a positive number and a unit d, w, m or y (90d, 6w, 3m, 1y), got %q", "应为正数加单位 d、w、m 或 y（90d、6w、3m、1y），实际是 %q"},
	KindDurationRange:    {"want a duration from 1d to %s (or never), got %q", "应为 1d 到 %s 之间的时长（或 never），实际是 %q"},
	KindWantCurrency:     {"want a three-letter currency code such as CNY or USD, got %q", "应为三个字母的货币代码，例如 CNY 或 USD，实际是 %q"},
	KindQuestionRequired: {"required: the text of the question", "必填：题目的文字"},
	KindTooFewChoices:    {"want a list of at least 2 choices, got %d", "至少要有 2 个选项，实际有 %d 个"},
	KindAnswerRequired:   {"required: the number of the right choice, counting from 1 (or a list of numbers)", "必填：正确选项的序号，从 1 数起（或序号列表）"},
	KindNoSuchChoice:     {"choice %d does not exist: there are %d choices, counted from 1", "没有第 %d 个选项：共有 %d 个选项，从 1 数起"},
	KindWhatRequired:     {"required: what is to be done", "必填：要做的事"},
	KindUnknownField:     {"unknown field %q; allowed: %s", "未知字段 %q；允许的字段：%s"},
	KindNearMiss:         {"unknown key; did you mean %q?", "未知的键；是不是想写 %q？"},
	KindNotFinite:        {"want finite numbers, got %v", "应为有限的数字，实际是 %v"},
	KindRefMissing:       {"%q does not exist; want the content path of a page without .md, such as %s", "%q 不存在；应为页面的内容路径（不带 .md），例如 %s"},
	KindRefMissingNear:   {"%q does not exist; want the content path of a page without .md, such as %s (did you mean %q?)", "%q 不存在；应为页面的内容路径（不带 .md），例如 %s（是不是 %q？）"},
	KindRefWrongType:     {"%q is a %s page; want a %s page", "%q 是 %s 类型的页面；这里要的是 %s 类型"},
	KindURLClash:         {"URL %s is also claimed by %s; give one of them another slug or file name", "网址 %s 也被 %s 占用；请给其中一个换 slug 或文件名"},
	KindPrereqCycle:      {"prerequisite cycle %s (files: %s); remove one of these prerequisites", "先修课程形成循环 %s（文件：%s）；请删掉其中一个先修"},
	KindLinkMissing:      {"%s does not exist; link to a content file by its relative path, such as ../cases/acme.md", "%s 不存在；请用相对路径链接内容文件，例如 ../cases/acme.md"},
	KindFileTooBig:       {"%s, over the limit of %s for one file; split it into smaller pages", "%s，超过了单个文件 %s 的上限；请拆成几个小页面"},
	KindNotInSite:        {"not a path inside the site folder", "不是站点文件夹内的路径"},
	KindNotFolder:        {"not a folder", "不是文件夹"},
	KindOutsideSite:      {"leads outside the site folder, to %s; Playbook follows only links that stay inside it", "指向站点文件夹之外的 %s；Playbook 只跟随留在站点内的链接"},
	KindBrokenSymlink:    {"symlink to %s, which does not exist; restore the file or remove the link", "符号链接指向 %s，但它不存在；请恢复该文件或删除链接"},
	KindSymlinkLoop:      {"symlink loop: following the link comes back to it (or passes more than 255 links); point it at a file", "符号链接循环：顺着链接又回到了它自己（或经过了 255 个以上的链接）；请让它指向一个文件"},
	KindNotRegular:       {"not a regular file (%s); Playbook reads only regular files and folders", "不是普通文件（%s）；Playbook 只读取普通文件和文件夹"},
	KindCannotRead:       {"cannot read: %s", "无法读取：%s"},
	KindFolderTwice:      {"a symlink leads to the folder %s, which is read already; link to each folder once, and never to a folder above the link", "有符号链接指向已经读取过的文件夹 %s；每个文件夹只链接一次，也不要链接到链接所在位置的上级文件夹"},
	KindURLClaimed:       {"URL %s is also claimed by %s; %s", "网址 %s 也被 %s 占用；%s"},
	KindNeedsFolder:      {"URL %s needs a folder %s/, but %s writes a file there; %s", "网址 %s 需要文件夹 %s/，但 %s 在那里写了一个文件；%s"},
	KindIsFile:           {"URL %s is a file, but %s needs %s/ as a folder; %s", "网址 %s 是一个文件，但 %s 需要 %s/ 是文件夹；%s"},
	KindInternalInList:   {"heading %q is marked {.internal} inside a list or quote, where it marks nothing; start the heading at the beginning of a line, outside lists and quotes", "标题 %q 标了 {.internal}，但它在列表或引用里，标记无效；请把标题放在行首，列表和引用之外"},
}

// NewError is an Error of kind k, its message made from k's English text
// and args; Zh gives the Chinese text from the same args.
func NewError(file string, line int, field string, k Kind, args ...any) *Error {
	return &Error{File: file, Line: line, Field: field, Msg: fmt.Sprintf(messages[k].en, args...), Kind: k, Args: args}
}

// Zh is the message in Chinese, "" when its kind has no row (KindOther).
func (e *Error) Zh() string {
	if e.Kind == KindOther || e.Kind >= kindCount {
		return ""
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if p, ok := a.(Phrase); ok {
			a = p.Zh
		}
		args[i] = a
	}
	return fmt.Sprintf(messages[e.Kind].zh, args...)
}

// Phrase is a part of a message with its own Chinese text, such as what
// a value is ("a list") or the fix a clash of URLs needs. It prints as its
// English; Zh puts in its Chinese.
type Phrase struct{ En, Zh string }

func (p Phrase) String() string { return p.En }

// IsZh reports whether a site's language (playbook.yaml's language:
// zh-CN, the default) wants messages in Chinese.
func IsZh(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "zh") }

// ZhLine is the error's field and message in Chinese, the field's English
// name kept beside it ("结果 outcome：应为 …"); "" without a Chinese text.
func (e *Error) ZhLine() string {
	zh := e.Zh()
	if zh == "" {
		return ""
	}
	return FieldZh(e.Field) + "：" + zh
}

// fieldNames are the Chinese names of front matter keys and of the other
// things an error can be about.
var fieldNames = map[string]string{
	"front matter": "前置信息", "link": "链接", "file": "文件", "body": "正文", "url": "网址",
	"title": "标题", "slug": "网址名", "aliases": "别名", "type": "类型", "weight": "排序",
	"date": "日期", "lastmod": "修改日期", "draft": "草稿", "tags": "标签", "regions": "地区",
	"industries": "行业", "stages": "销售阶段", "roles": "角色", "owner": "负责人",
	"reviewed": "审阅日期", "review_every": "审阅周期", "summary": "摘要", "related": "相关页面",
	"channel": "渠道", "objection": "异议", "outcome": "结果", "deal_size": "金额",
	"currency": "币种", "cycle_days": "周期天数", "closed": "结单日期", "website": "网站",
	"duration": "时长", "audience": "对象", "slides": "幻灯片", "quiz": "测验",
	"prerequisites": "先修", "tracks": "学习路径", "actions": "行动项", "publishDate": "发布日期",
	"expiryDate": "过期日期", "question": "题目", "choices": "选项", "answer": "答案",
	"explain": "解析", "what": "事项", "due": "截止日期", "status": "状态",
}

// FieldZh names a field in Chinese with its English name beside it, by
// its last key: "结果 outcome", "答案 quiz[2].answer", "行动项 actions[1]".
// A field without a Chinese name is given as it is.
func FieldZh(field string) string {
	last := field[strings.LastIndexAny(field, ".]")+1:]
	if zh := fieldNames[last]; zh != "" {
		return zh + " " + field
	}
	if base, _, ok := strings.Cut(field, "["); ok && fieldNames[base] != "" {
		return fieldNames[base] + " " + field
	}
	return field
}

// kindError is an error of a helper that parses one value (a date, a
// duration, an alias): its caller turns it into an Error of the same kind.
type kindError struct {
	kind Kind
	args []any
}

func (e *kindError) Error() string { return fmt.Sprintf(messages[e.kind].en, e.args...) }

func errorOf(k Kind, args ...any) error { return &kindError{k, args} }

// errorFor is the Error of a parse helper's err at file, line and field,
// keeping its kind when it has one.
func errorFor(file string, line int, field string, err error) *Error {
	var ke *kindError
	if errors.As(err, &ke) {
		return NewError(file, line, field, ke.kind, ke.args...)
	}
	return NewError(file, line, field, KindOther, err.Error())
}
