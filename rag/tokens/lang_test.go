package tokens

import "testing"

func TestLang(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "en"},
		{"digits only", "2024 05 21", "en"},
		{"chinese", "王毅出席上海合作组织成员国外长理事会会议", "zh"},
		{"chinese with english names", "王毅会见俄罗斯外长拉夫罗夫(Sergei Lavrov)并举行会谈", "zh"},
		{"english", "Wang Yi attends the SCO meeting in Astana", "en"},
		{"english with a chinese name", "Vice Foreign Minister Le Yucheng (乐玉成) briefed the Chinese and foreign media on the summit", "en"},
		{"russian", "Шанхайская организация сотрудничества", "ru"},
		{"russian with latin acronym", "Саммит ШОС и SCO в Астане", "ru"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Lang(tt.in); got != tt.want {
				t.Errorf("Lang(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
