package model

import (
	"reflect"
	"testing"
)

func TestSplitSlides(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []slidePart
	}{
		{"one slide", "# 标题\n\n正文", []slidePart{{Body: "# 标题\n\n正文"}}},
		{"--- right under text splits, not a setext heading", "第一页\n---\n第二页", []slidePart{{Body: "第一页"}, {Body: "第二页"}}},
		{"blank parts are dropped", "---\n甲\n\n---\n\n---\n乙\n---\n", []slidePart{{Body: "甲"}, {Body: "乙"}}},
		{"--- inside fenced code stays", "```yaml\n---\nkey: 1\n```\n---\n下一页", []slidePart{{Body: "```yaml\n---\nkey: 1\n```"}, {Body: "下一页"}}},
		{"tilde fence with a longer close", "~~~~\n---\n~~~~~\n---\nB", []slidePart{{Body: "~~~~\n---\n~~~~~"}, {Body: "B"}}},
		{"notes after Note:", "## 要点\n- 一\nNote: 停一下\n问问大家", []slidePart{{Body: "## 要点\n- 一", Notes: "停一下\n问问大家"}}},
		{"notes after 备注：", "甲\n备注：全角冒号\n---\n乙", []slidePart{{Body: "甲", Notes: "全角冒号"}, {Body: "乙"}}},
		{"notes end at the next slide", "甲\nNotes:\n提示\n---\n乙\n备注: 二", []slidePart{{Body: "甲", Notes: "提示"}, {Body: "乙", Notes: "二"}}},
		{"Note: in code is code", "```\nNote: x\n```", []slidePart{{Body: "```\nNote: x\n```"}}},
		{"CRLF files", "甲\r\n---\r\n乙\r\n", []slidePart{{Body: "甲"}, {Body: "乙"}}},
		{"indented --- is still a break", "甲\n  ---  \n乙", []slidePart{{Body: "甲"}, {Body: "乙"}}},
		{"---- is not a break", "甲\n----\n乙", []slidePart{{Body: "甲\n----\n乙"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitSlides(tt.body); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitSlides(%q)\n got %q\nwant %q", tt.body, got, tt.want)
			}
		})
	}
}
