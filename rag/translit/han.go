package translit

import (
	"strings"

	pinyin "github.com/mozillazg/go-pinyin"
)

// hanReadings fixes the reading of heteronyms whose first pinyin in the
// dictionary is not the one used in transliterations.
var hanReadings = map[rune]string{
	'什': "shi", // 什 shen (what); transliterates sh: 比什凯克
	'勒': "le",  // 勒 lei (tie); transliterates l: 勒
	'缪': "miu", // 缪 mou
	'曾': "zeng",
	'柏': "bo",  // 柏 bai (cypress); 柏林 Berlin
	'乐': "le",  // 乐 le/yue
	'单': "dan", // 单 dan/shan/chan
	'茜': "xi",  // 茜 qian; 茜 xi in names
	'伽': "jia",
	'石': "shi",
	'尉': "wei",
	'蕃': "fan",
}

// hanBare are the characters that Chinese transliteration uses for a
// consonant with no vowel after it (夫 -v, 尔 -r, 克 -k, 斯 -s, ...); their
// pinyin vowel is dropped. 尔, 儿 and 耳 (er) always become l.
var hanBare = map[rune]bool{
	'布': true, '德': true, '特': true, '格': true, '克': true, '夫': true,
	'弗': true, '姆': true, '勒': true, '赫': true, '卜': true,
}

// noReading is the go-pinyin fallback for characters without a reading:
// they are dropped.
func noReading(rune, pinyin.Args) []string { return nil }

// dictReading returns the first toneless reading of r in the go-pinyin
// dictionary, or "".
func dictReading(r rune) string {
	p := pinyin.SinglePinyin(r, pinyin.Args{Style: pinyin.Normal, Fallback: noReading})
	if len(p) == 0 {
		return ""
	}
	return p[0]
}

// translitReadings holds the readings of the transliteration characters,
// looked up once: go-pinyin's conversion is slow for a hot path.
var translitReadings = func() map[rune]string {
	m := map[rune]string{}
	for _, r := range hanTranslitChars {
		m[r] = dictReading(r)
	}
	for r, s := range hanReadings {
		m[r] = s
	}
	return m
}()

// hanReading returns the toneless pinyin of one Han character ("" if none),
// in its transliteration reading where that differs.
func hanReading(r rune) string {
	if s, ok := translitReadings[r]; ok {
		return s
	}
	return dictReading(r)
}

// pinyinInitials are the pinyin initials, two-letter ones first, with their
// skeleton symbols. y and w are glides and handled in syllableSymbols.
var pinyinInitials = []struct{ from, to string }{
	{"zh", "s"}, {"ch", "s"}, {"sh", "s"},
	{"b", "p"}, {"p", "p"}, {"m", "m"}, {"f", "f"},
	{"d", "t"}, {"t", "t"}, {"n", "n"}, {"l", "l"},
	{"g", "k"}, {"k", "k"}, {"h", "k"},
	{"j", "j"}, {"q", "j"}, {"x", "j"},
	{"r", "s"}, {"z", "s"}, {"c", "s"}, {"s", "s"},
}

// pinyinFinals maps a pinyin final (after its initial, with the y/w glide
// spelled as i/u) to its skeleton vowels and nasal. Medial i and u are
// dropped (罗 luo = lo, 别 bie = be), ai/ei are e (凯 kai = ke), ao/ou are o,
// ng is n, ü is u and üe is o (约 yue = yo).
var pinyinFinals = map[string]string{
	"a": "a", "o": "o", "e": "e", "i": "i", "u": "u", "v": "u",
	"ai": "e", "ei": "e", "ao": "o", "ou": "o",
	"an": "an", "en": "en", "ang": "an", "eng": "en", "ong": "on",
	"ia": "a", "ie": "e", "iao": "o", "iu": "u", "iou": "u",
	"ian": "en", "in": "in", "iang": "an", "ing": "in", "iong": "on",
	"ua": "a", "uo": "o", "uai": "e", "ui": "i", "uei": "i",
	"uan": "an", "uang": "an", "un": "un", "uen": "en", "ueng": "on",
	"ue": "o", "ve": "o", "van": "an", "vn": "un",
	"er": "l",
}

// hanSymbols appends the skeleton symbols of one Han character to out.
func hanSymbols(r rune, out []byte) []byte {
	py := hanReading(r)
	if py == "" {
		return out
	}
	return syllableSymbols(py, hanBare[r], out)
}

// syllableSymbols appends the skeleton symbols of one toneless pinyin
// syllable. bare drops the vowel (the character stands for a lone consonant).
func syllableSymbols(py string, bare bool, out []byte) []byte {
	if py == "er" {
		return append(out, 'l')
	}
	initial, final := "", py
	switch {
	case strings.HasPrefix(py, "wu"):
		final = py[1:] // 乌 wu = u
	case strings.HasPrefix(py, "w"):
		initial, final = "f", "u"+py[1:] // 瓦 wa = va, 维 wei = vi
		if py == "wo" {
			final = "o"
		}
	case strings.HasPrefix(py, "yu"):
		final = "v" + py[2:] // 于 yu = ü; 尤 you is iou = u
	case strings.HasPrefix(py, "yi"):
		final = py[1:]
	case strings.HasPrefix(py, "y"):
		final = "i" + py[1:]
	default:
		for _, in := range pinyinInitials {
			if strings.HasPrefix(py, in.from) {
				initial, final = in.to, py[len(in.from):]
				break
			}
		}
	}
	out = append(out, initial...)
	if bare && initial != "" {
		return out
	}
	switch initial {
	case "s":
		if final == "i" {
			return out // apical vowel of zi ci si zhi chi shi ri
		}
	case "j":
		if strings.HasPrefix(final, "u") {
			final = "v" + final[1:] // ju = jü
		}
	}
	if v, ok := pinyinFinals[final]; ok {
		return append(out, v...)
	}
	return append(out, final...)
}
