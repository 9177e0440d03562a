package translit

import (
	"strings"
	"unicode"
)

// The skeleton alphabet of a key. Consonant classes:
//
//	p  b p                    f  f v w (pinyin w before a vowel other than u)
//	m  m                      n  n, ng at the end of a syllable
//	t  d t th                 k  g k kh h gh q(Cyrillic қ) x(as ks)
//	l  l r, pinyin l and er   s  s z sh zh ch ts dz dzh j(Latin), pinyin
//	                             s z c sh zh ch r
//	j  pinyin j q x, Latin q, word-initial Latin x: close to s, k and t
//
// Vowels: a e i o u (y is a glide before a vowel and dropped, else i).
const (
	consonants = "pfmntklsj"
	vowels     = "aeiou"
)

// isVowel reports whether c is a vowel of the skeleton (or ASCII) alphabet.
func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// scriptOf returns the script of a single rune.
func scriptOf(r rune) Script {
	switch {
	case r < 0x80:
		if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return Latin
		}
		return Other
	case unicode.Is(unicode.Han, r):
		return Han
	case unicode.Is(unicode.Cyrillic, r):
		return Cyrillic
	case unicode.Is(unicode.Latin, r):
		return Latin
	}
	return Other
}

// isWordJoiner reports whether r may stand inside a Latin or Cyrillic word
// without breaking it: apostrophes (O'zbekiston, Oʻzbekiston, soft-sign
// marks) and combining diacritics.
func isWordJoiner(r rune) bool {
	switch r {
	case '\'', '`', 'ʻ', 'ʼ', 'ʹ', 'ʺ', '’', '‘':
		return true
	}
	return unicode.Is(unicode.Mn, r)
}

// ScriptOf returns the script of name: the script of most of its letters
// (Latin, Cyrillic or Han), or Other if it has none.
func ScriptOf(name string) Script {
	var n [4]int
	for _, r := range name {
		n[scriptOf(r)]++
	}
	best := Other
	for s := Latin; s <= Han; s++ {
		if n[s] > n[best] || (best == Other && n[s] > 0) {
			best = s
		}
	}
	return best
}

// Key returns the phonetic key of a name written in Latin, Cyrillic or Han
// characters (or a mix), comparable across scripts: Key("Lavrov"),
// Key("Лавров") and Key("拉夫罗夫") are all "laflof". Characters of other
// scripts, digits, spaces and punctuation are ignored, so "伊姆兰·汗" and
// "Imran Khan" both give "imlankan". The key uses the alphabet "pfmntklsj"
// for consonant classes and "aeiou" for vowels; see the package comment. An
// empty key means the name has no letters of the three scripts.
func Key(name string) string {
	raw := make([]byte, 0, 2*len(name))
	var word strings.Builder
	wordScript := Other
	flush := func() {
		if word.Len() > 0 {
			raw = latinSymbols(word.String(), raw)
			word.Reset()
		}
		wordScript = Other
	}
	for _, r := range name {
		if isWordJoiner(r) && wordScript != Other {
			continue
		}
		s := scriptOf(r)
		if s != wordScript {
			flush()
			wordScript = s
		}
		switch s {
		case Latin:
			word.WriteString(foldLatin(r))
		case Cyrillic:
			word.WriteString(cyrillicToLatin(r))
		case Han:
			raw = hanSymbols(r, raw)
		}
	}
	flush()
	return normalize(raw)
}

// normalize simplifies vowel pairs (ai, ei → e; au, ao → o; ou → u), writes
// n before p as m and collapses runs of the same symbol.
func normalize(raw []byte) string {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if i+1 < len(raw) {
			switch string(raw[i : i+2]) {
			case "ai", "ei":
				c = 'e'
				i++
			case "au", "ao":
				c = 'o'
				i++
			case "ou":
				c = 'u'
				i++
			}
		}
		if c == 'n' && i+1 < len(raw) && raw[i+1] == 'p' {
			c = 'm' // n assimilates before a labial: Trump 特朗普
		}
		if len(out) > 0 && out[len(out)-1] == c {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// latinDigraphs are the letter groups of lower-case ASCII Latin read as one
// sound, longest first, with their skeleton symbols.
var latinDigraphs = []struct{ from, to string }{
	{"shch", "s"},
	{"sch", "s"},
	{"dzh", "s"},
	{"tch", "s"},
	{"sh", "s"},
	{"ch", "s"},
	{"zh", "s"},
	{"ts", "s"},
	{"tz", "s"},
	{"dz", "s"},
	{"kh", "k"},
	{"gh", "k"},
	{"ck", "k"},
	{"ph", "f"},
	{"th", "t"},
}

// latinLetters maps the plain lower-case ASCII consonants to their symbols;
// c, h, q, x and y depend on context and are handled in latinSymbols.
var latinLetters = [26]byte{
	'b' - 'a': 'p', 'p' - 'a': 'p',
	'f' - 'a': 'f', 'v' - 'a': 'f', 'w' - 'a': 'f',
	'm' - 'a': 'm', 'n' - 'a': 'n',
	'd' - 'a': 't', 't' - 'a': 't',
	'g' - 'a': 'k', 'k' - 'a': 'k',
	'l' - 'a': 'l', 'r' - 'a': 'l',
	's' - 'a': 's', 'z' - 'a': 's', 'j' - 'a': 's',
	'a' - 'a': 'a', 'e' - 'a': 'e', 'i' - 'a': 'i', 'o' - 'a': 'o', 'u' - 'a': 'u',
}

// latinSymbols appends the skeleton symbols of one lower-case ASCII word to
// out. Letters outside a-z are skipped.
func latinSymbols(w string, out []byte) []byte {
	n := len(w)
	for i := 0; i < n; {
		rest := w[i:]
		matched := false
		for _, d := range latinDigraphs {
			if strings.HasPrefix(rest, d.from) {
				out = append(out, d.to...)
				i += len(d.from)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		c := w[i]
		switch {
		case c == 'n' && i+2 == n && w[i+1] == 'g':
			out = append(out, 'n') // final ng is one n (Beijing, Singh)
			i += 2
			continue
		case (c == 'b') && (rest == "burg" || rest == "bourg"):
			out = append(out, 'p', 'o') // -burg is 堡 bao: 叶卡捷琳堡
			i = n
			continue
		case c == 'c':
			if i+1 < n && (w[i+1] == 'e' || w[i+1] == 'i' || w[i+1] == 'y') {
				out = append(out, 's')
			} else {
				out = append(out, 'k')
			}
		case c == 'q':
			out = append(out, 'j') // Uzbek q (k) or pinyin q (ch)
		case c == 'x':
			if i == 0 {
				out = append(out, 'j') // pinyin x (Xi) or Uzbek x (kh)
			} else {
				out = append(out, 'k', 's')
			}
		case c == 'y':
			if !(i+1 < n && isVowel(w[i+1])) {
				out = append(out, 'i') // a glide before a vowel is dropped
			}
		case c == 'h':
			if i == 0 || !strings.ContainsRune("bdjprt", rune(w[i-1])) {
				out = append(out, 'k')
			} // after b, d, j, p, r, t (Bhutto, Dhaka) h is silent
		case 'a' <= c && c <= 'z':
			out = append(out, latinLetters[c-'a'])
		}
		i++
	}
	return out
}

// foldLatin returns the lower-case ASCII spelling of a Latin letter: "é" is
// "e", "š" is "sh", "ß" is "ss". Letters it does not know give "".
func foldLatin(r rune) string {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		if 'a' <= r && r <= 'z' {
			return string(r)
		}
		return ""
	}
	if s, ok := latinFold[unicode.ToLower(r)]; ok {
		return s
	}
	return ""
}

// latinFold spells the lower-case Latin letters with diacritics in ASCII.
// Turkic and Slavic hačeks and cedillas keep their sound (š sh, ç ch, ž zh).
var latinFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae",
	'ç': "ch", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i",
	'î': "i", 'ï': "i", 'ð': "d", 'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o",
	'õ': "o", 'ö': "o", 'ø': "o", 'ù': "u", 'ú': "u", 'û': "u", 'ü': "u",
	'ý': "y", 'ÿ': "y", 'þ': "th", 'ß': "ss",
	'ā': "a", 'ă': "a", 'ą': "a", 'ć': "ch", 'ĉ': "ch", 'ċ': "c", 'č': "ch",
	'ď': "d", 'đ': "d", 'ē': "e", 'ĕ': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ĝ': "g", 'ğ': "g", 'ġ': "g", 'ģ': "g", 'ĥ': "h", 'ħ': "h", 'ĩ': "i",
	'ī': "i", 'ĭ': "i", 'į': "i", 'ı': "i", 'ĳ': "ij", 'ĵ': "j", 'ķ': "k",
	'ĺ': "l", 'ļ': "l", 'ľ': "l", 'ŀ': "l", 'ł': "l", 'ń': "n", 'ņ': "n",
	'ň': "n", 'ŋ': "ng", 'ō': "o", 'ŏ': "o", 'ő': "o", 'œ': "oe", 'ŕ': "r",
	'ŗ': "r", 'ř': "r", 'ś': "s", 'ŝ': "sh", 'ş': "sh", 'š': "sh", 'ţ': "ts",
	'ť': "t", 'ŧ': "t", 'ũ': "u", 'ū': "u", 'ŭ': "u", 'ů': "u", 'ű': "u",
	'ų': "u", 'ŵ': "w", 'ŷ': "y", 'ź': "z", 'ż': "z", 'ž': "zh", 'ſ': "s",
	'ə': "a", 'ǵ': "g", 'ǧ': "g", 'ǩ': "k", 'ǰ': "j", 'ș': "sh", 'ț': "ts",
	'ḩ': "h", 'ḥ': "h", 'ṣ': "s", 'ṭ': "t", 'ẓ': "z", 'ḍ': "d", 'ẏ': "y",
}

// cyrillicToLatin spells a Cyrillic letter in Latin letters that latinSymbols
// reads back: Russian in a simplified BGN style (х kh, ж zh, ц ts, щ shch,
// ы y, ь and ъ silent) plus the Kazakh, Kyrgyz, Uzbek, Tajik, Ukrainian and
// Mongolian letters. Letters it does not know give "".
func cyrillicToLatin(r rune) string {
	if s, ok := cyrillicLatin[unicode.ToLower(r)]; ok {
		return s
	}
	return ""
}

// cyrillicLatin spells the lower-case Cyrillic letters in Latin.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Kazakh, Kyrgyz, Mongolian.
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "ng", 'ө': "o", 'ұ': "u", 'ү': "u",
	'һ': "h", 'і': "i",
	// Uzbek, Tajik.
	'ў': "o", 'ҳ': "h", 'ҷ': "j", 'ӣ': "i", 'ӯ': "u", 'ҫ': "s", 'ӆ': "l",
	// Ukrainian, Belarusian.
	'є': "ye", 'ї': "yi", 'ґ': "g",
	// Old letters.
	'ѣ': "e", 'ѳ': "f", 'ѵ': "i",
}
