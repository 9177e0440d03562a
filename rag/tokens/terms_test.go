package tokens

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"punctuation only", " ,.!?。“”—", nil},
		{"lower-case and stop words", "The Foreign Ministers of the SCO", []string{"foreign", "minister", "sco"}},
		{"question words dropped", "What did Wang Yi say, and where?", []string{"wang", "yi", "say"}},
		{"possessive", "Wang Yi’s first visit, China's role", []string{"wang", "yi", "first", "visit", "china", "role"}},
		{"a meeting is not meeting someone", "Ministers meet at meetings; the briefing briefed", []string{"minister", "meet", "meeting", "briefing", "brief"}},
		{"plural and inflections", "proposals proposed propose proposing meetings meeting countries stopped attended",
			[]string{"proposal", "propos", "propos", "propos", "meeting", "meeting", "country", "stop", "attend"}},
		{"protected words", "news Beijing during", []string{"news", "beijing", "during"}},
		{"hyphens split", "COVID-19 state-to-state five-point", []string{"covid", "19", "stat", "stat", "five", "point"}},
		{"numbers", "in 2021, 3.5% of 1,000 (05)", []string{"2021", "3.5", "1000", "5"}},
		{"comma is not a thousands separator", "1,2 and 12,34", []string{"1", "2", "12", "34"}},
		{"alphanumeric", "5G and G20", []string{"5g", "g20"}},
		{"dotted acronym", "the U.S. and U.N. said", []string{"us", "un", "said"}},
		{"full width folded", "Ｆｕｌｌ ｗｉｄｔｈ ２０２４", []string{"full", "width", "2024"}},
		{"cyrillic, stemmed", "Шанхайская организация сотрудничества и Россия",
			[]string{"шанхайск", "организац", "сотрудничеств", "росс"}},
		{"english ordinals give their number", "the 75th anniversary, 21st century, 5g", []string{"75th", "75", "anniversary", "21st", "21", "century", "5g"}},
		{"russian case forms meet", "в Ташкенте Каримовым", []string{"ташкент", "карим"}},
		{"traditional han", "上海合作組織", []string{"上海", "海合", "合作", "作组", "组织"}},
		{"zero-width inside a word", "上合\u200b组织 Lav\u00adrov", []string{"上合", "合组", "组织", "lavrov"}},
		{"han bigrams", "上海合作组织", []string{"上海", "海合", "合作", "作组", "组织"}},
		{"han single character run", "中、俄", []string{"中", "俄"}},
		{"han single stop character", "“上海精神”和“一带一路”", []string{"上海", "海精", "精神", "一带", "带一", "一路"}},
		{"han stop characters kept inside runs", "和平在现在", []string{"和平", "平在", "在现", "现在"}},
		{"han particles cut runs", "王毅的建议", []string{"王毅", "建议"}},
		{"han question words cut", "什么是“钢铁驼队”?", []string{"钢铁", "铁驼", "驼队"}},
		{"han question word cut mid-run", "王毅提出哪些建议", []string{"王毅", "毅提", "提出", "建议"}},
		{"han question word longest first", "为什么合作", []string{"合作"}},
		{"number and han unit", "5月21日电", []string{"5", "5月", "21", "21日", "电"}},
		{"number and han approximate", "批准20多项文件", []string{"批准", "20", "20多", "项文", "文件"}},
		{"number and han with leading zero", "05月", []string{"5", "5月"}},
		{"mixed scripts", "王毅Wang Yi会见Lavrov", []string{"王毅", "wang", "yi", "会见", "lavrov"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Terms(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Terms(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"policies", "policy"},
		{"policy", "policy"},
		{"studied", "study"},
		{"issues", "issu"},
		{"issue", "issu"},
		{"states", "stat"},
		{"called", "call"},
		{"planned", "plan"},
		{"need", "need"},
		{"bring", "bring"},
		{"string", "string"},
		{"virus", "virus"},
		{"analysis", "analysis"},
		{"process", "process"},
		{"sco", "sco"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := stem(tt.in); got != tt.want {
				t.Errorf("stem(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsHan(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{'上', true}, {'〇', true}, {'𠀀', true}, {'a', false}, {'。', false}, {'ア', false}, {'한', false}, {'Ж', false},
	}
	for _, tt := range tests {
		t.Run(string(tt.r), func(t *testing.T) {
			if got := IsHan(tt.r); got != tt.want {
				t.Errorf("IsHan(%q) = %v, want %v", tt.r, got, tt.want)
			}
		})
	}
}

func FuzzTerms(f *testing.F) {
	f.Add("王毅在杜尚别上合组织外长理事会会议上提出了什么建议?")
	f.Add("COVID-19 state-to-state 3.5% of 1,000 U.S. Wang Yi’s 5月21日")
	f.Add("Шанхайская организация")
	f.Add("a.b. 1,23 1,234,5 ’s '")
	f.Fuzz(func(t *testing.T, s string) {
		for _, term := range Terms(s) {
			if term == "" || !utf8.ValidString(term) {
				t.Fatalf("Terms(%q) has bad term %q", s, term)
			}
			if strings.ContainsFunc(term, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' }) {
				t.Fatalf("Terms(%q) has term with space %q", s, term)
			}
		}
	})
}

func BenchmarkTerms(b *testing.B) {
	for _, bm := range []struct{ name, text string }{
		{"en", strings.Repeat("Wang Yi proposed that member states should strengthen communication and coordination within the SCO framework. ", 8)},
		{"zh", strings.Repeat("王毅提出,当前形势下,成员国应在上合组织框架内加强沟通协调,共同应对风险挑战。", 8)},
		// Traditional characters and full-width forms: the text NFKC and
		// the simplification table must change.
		{"zh-traditional", strings.Repeat("王毅提出，當前形勢下，成員國應在上合組織框架內加強溝通協調，共同應對風險挑戰。", 8)},
		{"mixed", strings.Repeat("ＳＣＯ外長理事會 2024年5月21日 Wang Yi’s 3.5% U.S. Ташкенте 上合组织 ", 8)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.text)))
			for b.Loop() {
				Terms(bm.text)
			}
		})
	}
}

// TestIsWordRuneEveryRune: isWordRune's shortcut below U+0300 agrees with
// the Unicode tables on every code point.
func TestIsWordRuneEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !IsHan(r)
		if got := isWordRune(r); got != want {
			t.Fatalf("isWordRune(%U) = %v, want %v", r, got, want)
		}
	}
}
