package themes_test

// Browser checks of the sales views: the case library's filters and totals,
// the script library's copy buttons, and how the competitor matrix, the
// action board and the health report look on a desktop and on a phone.
// Set PLAYBOOK_SCREENSHOTS=DIR to keep screenshots of each.

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// caseCase is one case of the views fixture.
func caseCase(title, outcome, industry string, size, cycle int, competitors string) string {
	return fmt.Sprintf(`---
title: %s
customer: %s客户
outcome: %s
industries: [%s]
deal_size: %d
cycle_days: %d
competitors: [%s]
owner: 王磊
reviewed: 2026-11-01
---

%s的经过。
`, title, title, outcome, industry, size, cycle, competitors, title)
}

// viewsSite has five cases whose totals are easy to work out by hand:
// decided cycles 186, 34, 210, 58 → median 122; won value 1,560,000.
var viewsSite = map[string]string{
	"playbook.yaml": "title: 视图浏览器测试\nbaseURL: https://kb.example.com/kb/\nlanguage: zh-CN\n",
	"content/competitors/star.md": `---
title: 星图CRM
competitor: 星图CRM
segment: 大型企业与金融机构，千人以上销售团队
pricing: 旗舰版约 980 元/人/年起，私有化部署一次性 80 万元起
strengths: [品牌知名度高，金融行业案例多, 私有化部署方案成熟]
weaknesses: [实施周期长，中型项目普遍 6–9 个月, 定制开发依赖原厂]
our_edge: [标准化上线周期 6–8 周, 移动端与企业微信打通]
traps: [请问贵司上一个同等规模的客户，从签约到全员上线用了多少天？]
owner: 陈静
reviewed: 2026-11-01
---
`,
	"content/competitors/gull.md": `---
title: 海鸥SCRM
competitor: 海鸥SCRM
segment: 零售、连锁餐饮
pricing: 按企业微信席位收费
strengths: [企业微信私域运营功能非常深]
weaknesses: [没有完整的销售过程管理]
our_edge: [完整的线索—商机—报价—合同—回款闭环]
traps: [大客户团购和渠道订单的报价、审批、合同在系统里怎么走？]
owner: 陈静
reviewed: 2026-06-01
---
`,
	"content/competitors/lone.md": "---\ntitle: 孤狼\ncompetitor: 孤狼\nowner: 王磊\nreviewed: 2026-11-01\n---\n",
	"content/cases/acme.md":       caseCase("东林银行", "won", "金融", 1280000, 186, "competitors/star"),
	"content/cases/bolt.md":       caseCase("瑞丰精密", "won", "制造业", 220000, 34, "competitors/gull"),
	"content/cases/cobalt.md":     caseCase("安和保险", "lost", "金融", 750000, 210, "competitors/star"),
	"content/cases/delta.md":      caseCase("百味连锁", "open", "零售", 90000, 10, "competitors/star, competitors/gull"),
	"content/cases/echo.md":       caseCase("绿源生鲜", "won", "零售", 60000, 58, ""),
	"content/scripts/price.md": `---
title: 价格异议
objection: 你们太贵了，比别家贵了一大截。
channel: visit
stages: [negotiation, proposal]
owner: 陈静
reviewed: 2026-11-01
---

> “理解，花几十万上一套系统，谨慎是对的。”

先问参照物，不急着解释。

> 再算三年账。
`,
	"content/scripts/call.md": `---
title: 陌生电话开场
objection: 我现在没空，你发个资料给我吧。
channel: phone
stages: [prospecting]
owner: 陈静
reviewed: 2026-11-01
---

> “好的，三十秒说完来意。”
`,
	"content/scripts/mail.md": `---
title: 预算用完
objection: 今年的预算已经用完了，明年再说吧。
channel: email
stages: [closing]
---

您好，明年预算编制前，我们先做一次诊断。
`,
	"content/training/basics.md": "---\ntitle: 产品基础\nsession: 2026-12-04T15:00:00+08:00\nduration: 90\ntrainer: 刘洋\nowner: 刘洋\nreviewed: 2026-11-01\n---\n",
	"content/retros/q3.md": `---
title: 2026 Q3 季度复盘
date: 2026-10-10
owner: 许诺
actions:
  - {what: 写一套制造业方案模板, owner: 刘洋, due: 2026-11-15, status: open}
  - {what: 更新价格话术里的三年账算法, owner: 陈静, due: 2026-11-20, status: open}
  - {what: 招聘制造业售前, owner: 王磊, due: 2026-12-31, status: open}
  - {what: 审批提速, owner: 许诺, due: 2026-10-31, status: done}
  - {what: 迁移成本计算器, owner: 刘洋, due: 2026-12-01, status: dropped}
related: [cases/acme]
---
`,
	"content/guides/handbook.md": "---\ntitle: 新人手册\nowner: 许诺\nreviewed: 2025-01-01\nreview_every: 90d\n---\n\n先读[价格异议](../scripts/price.md)。\n",
	"content/guides/nobody.md":   "---\ntitle: 无人维护的页面\nstages: [discovery]\n---\n",
}

func TestSalesViewsInBrowser(t *testing.T) {
	chromium := findChromium(t)
	site := buildSite(t, viewsSite)
	ctx := newBrowser(t, chromium)
	shots := os.Getenv("PLAYBOOK_SCREENSHOTS")
	desktop := chromedp.EmulateViewport(1280, 900)
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(1))
	totals := func() string {
		return eval[string](t, ctx, `[...document.querySelectorAll("[data-totals] dd")].map(d => d.textContent.trim().replace(/\s+/g, " ")).join(" | ")`)
	}
	shown := func() []string {
		return eval[[]string](t, ctx, `[...document.querySelectorAll("[data-filter-list] > li")].filter(li => !li.hidden).map(li => li.querySelector("h2").textContent.trim())`)
	}

	t.Run("case filters narrow the list and recount the totals", func(t *testing.T) {
		do(t, ctx, desktop)
		open(t, ctx, site+"cases/")
		const all = "5 | 3 / 1 / 1 | ¥1,560,000 | 122 天 | 已结束（赢单或丢单）的案例"
		if got := totals(); got != all {
			t.Errorf("totals of every case = %q, want %q", got, all)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`.fchip[data-facet="competitor"][data-value="competitors/star"]`)))
		if got := shown(); strings.Join(slices.Sorted(slices.Values(got)), ",") != "东林银行,安和保险,百味连锁" {
			t.Errorf("cases against 星图 = %q, want 东林银行, 安和保险, 百味连锁", got)
		}
		// Decided against 星图: 东林银行 won (186 days), 安和保险 lost (210 days).
		if got, want := totals(), "3 | 1 / 1 / 1 | ¥1,280,000 | 198 天 | 已结束（赢单或丢单）的案例"; got != want {
			t.Errorf("totals against 星图 = %q, want %q", got, want)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`.fchip[data-facet="outcome"][data-value="lost"]`)))
		if got := shown(); len(got) != 1 || got[0] != "安和保险" {
			t.Errorf("lost against 星图 = %q, want only 安和保险", got)
		}
		if got, want := totals(), "1 | 0 / 1 / 0 | — | 210 天 | 已结束（赢单或丢单）的案例"; got != want {
			t.Errorf("totals of lost against 星图 = %q, want %q", got, want)
		}
		if q := eval[string](t, ctx, `decodeURIComponent(location.search)`); !strings.Contains(q, "competitor=competitors/star") || !strings.Contains(q, "outcome=lost") {
			t.Errorf("query = %q, want the competitor and outcome chosen", q)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`[data-filter-clear]`)))
		// Deal size: only 东林银行 is 100万 or more; industry and band combine.
		do(t, ctx, chromedp.Click(chromedp.CSS(`.fchip[data-facet="deal"][data-value="xl"]`)))
		if got := shown(); len(got) != 1 || got[0] != "东林银行" {
			t.Errorf("deals of 100万 and more = %q, want only 东林银行", got)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`[data-filter-clear]`)))
		open(t, ctx, site+"cases/?industry="+url.QueryEscape("零售"))
		if got := shown(); len(got) != 2 {
			t.Errorf("a shared link filtered by 零售 shows %q, want 百味连锁 and 绿源生鲜", got)
		}
		if got, want := totals(), "2 | 1 / 0 / 1 | ¥60,000 | 58 天 | 已结束（赢单或丢单）的案例"; got != want {
			t.Errorf("totals of 零售 = %q, want %q", got, want)
		}
	})

	t.Run("script library copy button copies that script's talk track", func(t *testing.T) {
		do(t, ctx, desktop)
		open(t, ctx, site+"scripts/")
		stages := eval[[]string](t, ctx, `[...document.querySelectorAll(".script-stage-title")].map(h => h.firstChild.textContent.trim())`)
		if strings.Join(stages, ",") != "潜在客户发现,方案提供,成交" {
			t.Errorf("stages of the script library = %q, want 潜在客户发现, 方案提供, 成交 (process order)", stages)
		}
		grantClipboard(t, ctx, site)
		do(t, ctx, chromedp.Click(chromedp.CSS(`.script-stage[aria-labelledby=st-proposal] .script-copy .copy-btn`)))
		poll(t, ctx, `document.querySelector(".script-stage[aria-labelledby=st-proposal] .script-copy .copy-btn").classList.contains("copied")`)
		copied := eval[string](t, ctx, `navigator.clipboard.readText().catch(() => "")`, chromedp.EvalAwaitPromise)
		if !strings.Contains(copied, "谨慎是对的") || !strings.Contains(copied, "\n\n再算三年账") || strings.Contains(copied, "三十秒") || strings.Contains(copied, "参照物") {
			t.Errorf("clipboard = %q, want the lines to say of 价格异议, a blank line apart, without its guidance", copied)
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`.fchip[data-facet="channel"][data-value="email"]`)))
		visible := eval[int](t, ctx, `[...document.querySelectorAll(".script-stage")].filter(s => !s.hidden).length`)
		if visible != 1 {
			t.Errorf("after the 邮件 chip %d stage groups show, want 1 (the others are empty)", visible)
		}
	})

	t.Run("action board folds done and dropped", func(t *testing.T) {
		open(t, ctx, site+"actions/")
		first := eval[string](t, ctx, `document.querySelector(".bucket").id`)
		if first != "overdue" {
			t.Errorf("first bucket = %q, want overdue", first)
		}
		folded := eval[[]string](t, ctx, `[...document.querySelectorAll("details.bucket:not([open])")].map(d => d.id)`)
		if strings.Join(folded, ",") != "done,dropped" {
			t.Errorf("folded buckets = %q, want done, dropped", folded)
		}
	})

	for _, vp := range []struct {
		name string
		size chromedp.Action[chromedp.Void]
	}{{"desktop", desktop}, {"phone", phone}} {
		t.Run("views on a "+vp.name, func(t *testing.T) {
			do(t, ctx, vp.size)
			for _, p := range []string{"competitors", "cases", "scripts", "actions", "health"} {
				open(t, ctx, site+p+"/")
				checkNoOverflow(t, ctx, "/kb/"+p+"/ on a "+vp.name)
				screenshot(t, ctx, shots, p+"-"+vp.name)
			}
		})
	}

	t.Run("matrix stacks on a phone, with the win rates", func(t *testing.T) {
		do(t, ctx, phone)
		open(t, ctx, site+"competitors/")
		lefts := eval[[]float64](t, ctx, `[...document.querySelectorAll(".mx-card")].map(c => c.getBoundingClientRect().left)`)
		if len(lefts) != 3 || lefts[0] != lefts[1] || lefts[1] != lefts[2] {
			t.Errorf("battlecards on a phone start at x = %v, want 3 stacked at one x", lefts)
		}
		rates := eval[[]string](t, ctx, `[...document.querySelectorAll(".mx-card")].map(c => c.querySelector(".mx-name").textContent.trim().split(/\s/)[0] + " " + c.querySelector(".winrate").textContent.trim())`)
		want := []string{"星图CRM 50% 胜率", "海鸥SCRM 100% 胜率", "孤狼 暂无已决案例"}
		for _, w := range want {
			found := false
			for _, r := range rates {
				found = found || r == w
			}
			if !found {
				t.Errorf("matrix reads %q, want %q among them", rates, w)
			}
		}
	})
}
