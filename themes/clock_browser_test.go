package themes_test

// The reader's clock (static/js/clock.js): a site built on one day and read
// on later ones. The build marks the next training session, the overdue
// retro actions and the pages due for review at its own clock; the browser's
// Date, set days later with setClock, must move every one of those marks,
// and their counts, to that day. With JavaScript off the build's marks stay.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// clockBuilt is when clockSite is built: Monday 2026-11-23 09:00 in Shanghai.
var clockBuilt = time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// clockSite has four sessions around the build, actions falling due in the
// days after it and a page whose review falls due a week later.
var clockSite = map[string]string{
	"playbook.yaml":          "title: 时钟测试\nbaseURL: https://kb.example.com/kb/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n",
	"content/training/s1.md": "---\ntitle: 一 开场白\nsession: 2026-11-20T15:00:00+08:00\nduration: 60\ntrainer: 刘洋\n---\n",
	"content/training/s2.md": "---\ntitle: 二 需求挖掘\nsession: 2026-11-25T15:00:00+08:00\nduration: 60\ntrainer: 陈静\n---\n",
	"content/training/s3.md": "---\ntitle: 三 价格谈判\nsession: 2026-11-27T15:00:00+08:00\nduration: 90\ntrainer: 王磊\n---\n",
	"content/training/s4.md": "---\ntitle: 四 竞品攻防\nsession: 2026-12-04T15:00:00+08:00\nduration: 60\ntrainer: 赵敏\n---\n",
	"content/retros/q4.md": `---
title: Q4 复盘
date: 2026-11-16
actions:
  - {what: 写制造业方案, owner: 刘洋, due: 2026-11-20, status: open}
  - {what: 更新报价单, owner: 王磊, due: 2026-11-25, status: open}
  - {what: 整理案例, owner: 陈静, due: 2026-11-30, status: open}
  - {what: 录培训视频, owner: 刘洋, status: open}
  - {what: 审批提速, owner: 许诺, due: 2026-11-10, status: done}
---
`,
	"content/guides/old.md":   "---\ntitle: 旧手册\nowner: 许诺\nreviewed: 2026-08-01\nreview_every: 90d\n---\n",
	"content/guides/soon.md":  "---\ntitle: 报价流程\nowner: 陈静\nreviewed: 2026-09-01\nreview_every: 90d\n---\n",
	"content/guides/fresh.md": "---\ntitle: 新手册\nowner: 陈静\nreviewed: 2026-11-01\nreview_every: 180d\n---\n",
}

// readerView is what the reader sees of the time-dependent marks.
type readerView struct {
	Next, Upcoming, Past string // session titles; lists joined by "|"
	ThisWeek             string // the week marked 本周
	Overdue, Open        string // action board: count and the actions shown
	Tally                string // owners in order with their overdue/open counts
	RetroOverdue         string // actions flagged overdue on the retro page
	Stale                string // health: count and pages listed; badge on soon.md
}

func (v readerView) String() string {
	return strings.Join([]string{"next " + v.Next, "upcoming " + v.Upcoming, "past " + v.Past, "this week " + v.ThisWeek,
		"overdue " + v.Overdue, "open " + v.Open, "tally " + v.Tally, "retro " + v.RetroOverdue, "stale " + v.Stale}, "\n")
}

// shown lists the texts of the elements of sel that are displayed.
const shownJS = `(sel, f) => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).map(f || (e => e.textContent.trim())).join("|")`

func readView(t *testing.T, ctx context.Context, site string) readerView {
	t.Helper()
	var v readerView
	get := func(js string) string { return eval[string](t, ctx, "("+shownJS+")"+js) }
	open(t, ctx, site+"training/")
	v.Next = get(`(".next-session .next-title")`) + " / " + get(`(".session-next .session-title")`)
	v.Upcoming = get(`("[data-calendar=upcoming] .session-title, [data-calendar=upcoming] .empty")`)
	v.Past = get(`("[data-calendar=past] .session-title")`)
	v.ThisWeek = get(`(".status-this-week", e => e.closest(".week").querySelector(".week-no").textContent)`)
	open(t, ctx, site+"actions/")
	v.Overdue = get(`("#overdue h2 .count, #overdue .action-what, [data-clock-empty-of=overdue]")`)
	v.Open = get(`("#open h2 .count, #open .action-what")`)
	v.Tally = get(`(".tally-owner", li => [...li.children].filter(e => e.offsetParent !== null).map(e => e.textContent.trim()).join(" "))`)
	open(t, ctx, site+"retros/q4/")
	v.RetroOverdue = get(`("tr.action-overdue .action-what")`) + " / " + get(`(".action-table .status-overdue", e => e.closest("tr").querySelector(".action-what").textContent)`)
	open(t, ctx, site+"health/")
	v.Stale = get(`("[data-clock-count-of=stale], #stale h3, #stale li a")`)
	open(t, ctx, site+"guides/soon/")
	v.Stale += " / " + get(`(".meta .badge-stale, .notice-stale", e => e.className)`)
	return v
}

func TestReaderClockInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSiteAt(t, clockSite, clockBuilt)
	ctx := newBrowser(t, chromium)

	atBuild := readerView{
		Next:         "二 需求挖掘 / 二 需求挖掘",
		Upcoming:     "二 需求挖掘|三 价格谈判|四 竞品攻防",
		Past:         "一 开场白",
		ThisWeek:     "第 48 周",
		Overdue:      "1|写制造业方案",
		Open:         "3|更新报价单|整理案例|录培训视频",
		Tally:        "刘洋 2 项 1 已逾期 1 进行中|王磊 1 项 1 进行中|陈静 1 项 1 进行中|许诺 1 项 1 已完成",
		RetroOverdue: "写制造业方案 / 写制造业方案",
		Stale:        "1|许诺 1|旧手册 / ",
	}
	tests := []struct {
		name string
		at   time.Time // the browser's clock
		want readerView
	}{
		// A reader whose clock is behind the build sees the build's marks.
		{"clock before the build", clockBuilt.Add(-48 * time.Hour), atBuild},
		{"at the build", clockBuilt, atBuild},
		// Thursday: session two is over, the 王磊 action overdue.
		{"three days later", clockBuilt.Add(3*24*time.Hour + time.Hour), readerView{
			Next:         "三 价格谈判 / 三 价格谈判",
			Upcoming:     "三 价格谈判|四 竞品攻防",
			Past:         "二 需求挖掘|一 开场白",
			ThisWeek:     "第 48 周|第 48 周", // upcoming and past both have sessions of this week
			Overdue:      "2|写制造业方案|更新报价单",
			Open:         "2|整理案例|录培训视频",
			Tally:        "刘洋 2 项 1 已逾期 1 进行中|王磊 1 项 1 已逾期|陈静 1 项 1 进行中|许诺 1 项 1 已完成",
			RetroOverdue: "写制造业方案|更新报价单 / 写制造业方案|更新报价单",
			Stale:        "1|许诺 1|旧手册 / ",
		}},
		// Tuesday of the next week: 陈静's action is late too, and so is
		// the review of 报价流程 (due 2026-11-30), listed under 陈静.
		{"eight days later", clockBuilt.Add(8 * 24 * time.Hour), readerView{
			Next:         "四 竞品攻防 / 四 竞品攻防",
			Upcoming:     "四 竞品攻防",
			Past:         "三 价格谈判|二 需求挖掘|一 开场白",
			ThisWeek:     "第 49 周",
			Overdue:      "3|写制造业方案|更新报价单|整理案例",
			Open:         "1|录培训视频",
			Tally:        "刘洋 2 项 1 已逾期 1 进行中|王磊 1 项 1 已逾期|陈静 1 项 1 已逾期|许诺 1 项 1 已完成",
			RetroOverdue: "写制造业方案|更新报价单|整理案例 / 写制造业方案|更新报价单|整理案例",
			Stale:        "2|许诺 1|旧手册|陈静 1|报价流程 / badge badge-stale|notice notice-stale",
		}},
		// After the last session: nothing upcoming, no next session.
		{"two weeks later", clockBuilt.Add(14 * 24 * time.Hour), readerView{
			Next:         " / ",
			Upcoming:     "暂无排期的培训。",
			Past:         "四 竞品攻防|三 价格谈判|二 需求挖掘|一 开场白",
			ThisWeek:     "",
			Overdue:      "3|写制造业方案|更新报价单|整理案例",
			Open:         "1|录培训视频",
			Tally:        "刘洋 2 项 1 已逾期 1 进行中|王磊 1 项 1 已逾期|陈静 1 项 1 已逾期|许诺 1 项 1 已完成",
			RetroOverdue: "写制造业方案|更新报价单|整理案例 / 写制造业方案|更新报价单|整理案例",
			Stale:        "2|许诺 1|旧手册|陈静 1|报价流程 / badge badge-stale|notice notice-stale",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setClock(t, ctx, tt.at)
			if got := readView(t, ctx, site); got != tt.want {
				t.Errorf("with the browser's clock at %s the pages read\n%s\nwant\n%s", tt.at.Format(time.RFC3339), got, tt.want)
			}
		})
	}

	t.Run("without JavaScript the build's marks stay", func(t *testing.T) {
		setClock(t, ctx, clockBuilt.Add(8*24*time.Hour))
		noJS := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		})
		do(t, ctx, noJS)
		if got := readView(t, ctx, site); got != atBuild {
			t.Errorf("without JavaScript, eight days later, the pages read\n%s\nwant the build's\n%s", got, atBuild)
		}
	})
}
