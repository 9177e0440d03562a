package translit

import "testing"

func TestKey(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		// One name in three scripts gives one key.
		{"Lavrov", "laflof"},
		{"Лавров", "laflof"},
		{"拉夫罗夫", "laflof"},
		{"Tokayev", "tokaef"},
		{"Токаев", "tokaef"},
		{"托卡耶夫", "tokaef"},
		{"Nazarbayev", "nasalpaef"},
		{"Назарбаев", "nasalpaef"},
		{"纳扎尔巴耶夫", "nasalpaef"},
		{"Karimov", "kalimof"},
		{"Каримов", "kalimof"},
		{"卡里莫夫", "kalimof"},
		{"Bishkek", "piskek"},
		{"比什凯克", "piskek"},
		{"Imran Khan", "imlankan"},
		{"伊姆兰·汗", "imlankan"},
		{"Mirziyoyev", "milsioef"},
		{"Мирзиёев", "milsioef"},
		// Diacritics, apostrophes and case.
		{"Oʻzbekiston", "ospekiston"},
		{"O'zbekiston", "ospekiston"},
		{"ERDOĞAN", "eltokan"},
		{"Türkiye", "tulkie"},
		{"Şavkat", "safkat"},
		// Central Asian Cyrillic letters.
		{"Қасым-Жомарт", "kasimsomalt"},
		{"Раҳмон", "lakmon"},
		{"Өскемен", "oskemen"},
		// Latin rules: digraphs, c before e/i, final ng, glides, -burg.
		{"Shchukin", "sukin"},
		{"Cicero", "siselo"},
		{"Beijing", "pesin"},
		{"Yeltsin", "elsin"},
		{"Yekaterinburg", "ekatelimpo"},
		{"叶卡捷琳堡", "ekajelimpo"},
		{"Trump", "tlump"},
		{"特朗普", "tlampu"},
		// Han rules: bare consonants, apical vowels, heteronyms, glides.
		{"斯", "s"},
		{"什", "s"},
		{"勒", "l"},
		{"瓦西里", "fajili"},
		{"乌法", "ufa"},
		{"约", "o"},
		// Nothing to read.
		{"", ""},
		{"123 !?", ""},
		{"ごはん", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.name); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestKeyAlphabet(t *testing.T) {
	for _, name := range []string{"Лавров", "Ёжиков", "Щукин", "Xinhua", "Qarshi", "普京", "Ağa Xan", "Ἀθῆναι", "Ǆ"} {
		for _, c := range []byte(Key(name)) {
			if c >= 128 || defaultScorer.index[c] < 0 {
				t.Errorf("Key(%q) = %q has symbol %q outside the alphabet", name, Key(name), c)
			}
		}
	}
}

func TestScriptOf(t *testing.T) {
	tests := []struct {
		name string
		want Script
	}{
		{"Lavrov", Latin},
		{"Łukaszenka", Latin},
		{"Лавров", Cyrillic},
		{"拉夫罗夫", Han},
		{"伊姆兰·汗", Han},
		{"123", Other},
		{"", Other},
	}
	for _, tt := range tests {
		if got := ScriptOf(tt.name); got != tt.want {
			t.Errorf("ScriptOf(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b  string
		match bool
	}{
		{"拉夫罗夫", "Lavrov", true},
		{"托卡耶夫", "Токаев", true},
		{"普京", "Putin", true},
		{"撒马尔罕", "Samarkand", true},
		{"塔什干", "Tashkent", true},
		{"热恩别科夫", "Jeenbekov", true},
		{"拉赫蒙", "Rahmon", true},
		{"伊姆兰·汗", "Imran Khan", true},
		{"阿利莫夫", "Alimov", true},
		{"诺罗夫", "Norov", true},
		{"阿利耶夫", "Aliyev", true}, // two consonants: equal keys only
		{"Lavrov", "Lavrov", true},
		// Different names.
		{"拉夫罗夫", "Karimov", false},
		{"阿利莫夫", "Aliyev", false},
		{"卡里莫夫", "Kamilov", false},
		{"拜登", "Putin", false},
		{"纳扎尔巴耶夫", "Atambayev", false},
		// Too short to judge.
		{"汗", "Khan", false},
		{"奥什", "Osh", false},
		{"", "", false},
	}
	for _, tt := range tests {
		s := Similarity(tt.a, tt.b)
		if s < 0 || s > 1 {
			t.Errorf("Similarity(%q, %q) = %v, outside [0, 1]", tt.a, tt.b, s)
		}
		if got := Match(tt.a, tt.b); got != tt.match {
			t.Errorf("Match(%q, %q) = %v (similarity %.3f, keys %q %q), want %v",
				tt.a, tt.b, got, s, Key(tt.a), Key(tt.b), tt.match)
		}
		if r := Similarity(tt.b, tt.a); r != s {
			t.Errorf("Similarity not symmetric for %q, %q: %v vs %v", tt.a, tt.b, s, r)
		}
	}
}
