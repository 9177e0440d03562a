package translit

import (
	"reflect"
	"testing"
	"unicode"
)

func TestNameRuns(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"俄罗斯外长拉夫罗夫表示，", []string{"俄罗斯", "拉夫罗夫"}},
		{"乌兹别克斯坦总统米尔济约耶夫在撒马尔罕会见普京。", []string{"乌兹别克斯坦", "米尔济约耶夫", "撒马尔罕", "普京"}},
		{"巴基斯坦前总理伊姆兰·汗", []string{"巴基斯坦", "伊姆兰"}},
		{"卡瑟姆-若马尔特·托卡耶夫", []string{"卡瑟姆", "若马尔特", "托卡耶夫"}},
		{"上合组织秘书长诺罗夫", []string{"诺罗夫"}},
		// Ordinary words at the edges are trimmed off.
		{"拉夫罗夫提出倡议", []string{"拉夫罗夫"}},
		{"托卡耶夫特别强调", []string{"托卡耶夫"}},
		{"阿斯塔纳达成协议", []string{"阿斯塔纳"}},
		{"哈萨克斯坦安全会议", []string{"哈萨克斯坦"}},
		{"发布声明", nil},
		{"经济合作", nil},
		// Two characters: kept unless an ordinary word; one is dropped.
		{"印度总理莫迪", []string{"莫迪"}},
		{"特别是", nil},
		{"基金会", nil},
		{"美国", nil},
		{"", nil},
		{"Lavrov said", nil},
	}
	for _, tt := range tests {
		if got := NameRuns(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NameRuns(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Foreign Minister Sergei Lavrov met Wang Yi in Astana.", []string{"Sergei", "Lavrov", "Wang", "Yi", "Astana"}},
		{"The SCO summit in Cholpon-Ata", []string{"Cholpon", "Ata"}},
		{"Oʻzbekiston and O'zbekiston'", []string{"Oʻzbekiston", "O'zbekiston"}},
		{"Министр иностранных дел Сергей Лавров", []string{"Сергей", "Лавров"}},
		{"President Tokayev, in September, said", []string{"Tokayev"}},
		{"Mirziyoyev (Мирзиёев) и Токаев", []string{"Mirziyoyev", "Мирзиёев", "Токаев"}},
		{"TASS and BRICS", nil},
		{"Lavrov's visit, Tokayev’s speech", []string{"Lavrov", "Tokayev"}},
		{"拉夫罗夫", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Words(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestIsTranslitChar(t *testing.T) {
	for _, r := range "阿巴拜贝比波布查达德迪杜多厄尔法菲夫弗福盖戈格哈汗赫霍吉加贾杰捷金卡凯科克库拉莱赖兰朗劳勒雷里利列林卢鲁伦罗洛马迈曼梅米明莫姆穆纳娜内尼努诺帕佩皮普奇切萨塞桑森沙舍什斯苏索塔泰坦特提图托瓦万韦维沃乌西希谢辛休亚耶伊因尤扎泽兹佐" {
		if !IsTranslitChar(r) {
			t.Errorf("IsTranslitChar(%q) = false", r)
		}
	}
	for _, r := range "的是在和了中国上日东北新大a1·" {
		if IsTranslitChar(r) {
			t.Errorf("IsTranslitChar(%q) = true", r)
		}
	}
}

// TestIsTranslitCharEveryRune: IsTranslitChar's range check in front of
// the set drops none of its characters.
func TestIsTranslitCharEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := IsTranslitChar(r), translitSet[r]; got != want {
			t.Fatalf("IsTranslitChar(%U) = %v, the set says %v", r, got, want)
		}
	}
}
