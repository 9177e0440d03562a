package tokens

import "unicode"

// Lang guesses the language of s from its letters: "zh" when Han characters
// are at least a fifth of them (a Han character carries about as much as a
// whole English word, so a Chinese text quoting English names stays "zh"
// while an English text quoting a Chinese name stays "en"), "ru" when most
// of the other letters are Cyrillic, and "en" otherwise, including for text
// with no letters at all.
func Lang(s string) string {
	han, cyrillic, letters := 0, 0, 0
	for _, r := range s {
		switch {
		case IsHan(r):
			han++
			letters++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	switch {
	case han > 0 && han*5 >= letters:
		return "zh"
	case cyrillic > 0 && cyrillic*2 > letters-han:
		return "ru"
	}
	return "en"
}
