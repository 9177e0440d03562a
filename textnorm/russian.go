package textnorm

import (
	"strings"
	"unicode"
)

// StemRussian returns the stem of a lower-case Russian word, the form in
// which its case forms compare equal: "ташкенте", "ташкента" and "ташкент"
// give "ташкент"; "каримова", "каримовым" and "каримов" give "карим";
// "астане" and "астана" give "астан". Other words come back unchanged.
//
// It removes one inflectional ending (the longest that leaves a stem of at
// least three letters, two for a one-letter ending), then a final й and a
// final vowel, then a surname suffix -ов/-ев/-ин. The stems need not be
// words; they are only ever compared with each other, so what matters is
// that the forms of one word share a stem and different words do not.
//
// Why not the Snowball Russian stemmer (github.com/kljensen/snowball, which
// the module proxy serves)? Measured on 50 words of SCO news in their case
// forms (names of people, cities and states, and the nouns of summits and
// memoranda; the first 50 rows of russianLemmas in textnorm_test.go, which
// later gained the plural adjectives -ых/-их), Snowball gives one word's forms
// different stems for 16 of the 50 — Каримов/Каримова (карим/каримов),
// Астана/Астане (аста/астан), саммит/саммита (самм/саммит), most surnames —
// because its rules are for common nouns and verbs, while questions about
// SCO diplomacy turn on names. This stemmer splits 3 of the 50 (a fleeting
// vowel, Египет/Египта; a verb's infinitive and past; член/членство) with no
// two words sharing a stem.
func StemRussian(w string) string {
	if !isCyrillicWord(w) {
		return w
	}
	w = strings.ReplaceAll(w, "ё", "е")
	r := []rune(w)
	for _, e := range russianEndings {
		min := 3
		if len(e) == 1 {
			min = 2
		}
		if len(r)-len(e) >= min && hasRuneSuffix(r, e) {
			r = r[:len(r)-len(e)]
			break
		}
	}
	if n := len(r); n > 3 && r[n-1] == 'й' {
		r = r[:n-1]
	}
	if n := len(r); n > 3 && strings.ContainsRune("аеиоуыэюя", r[n-1]) {
		r = r[:n-1]
	}
	for _, e := range surnameSuffixes {
		if len(r)-len(e) >= 3 && hasRuneSuffix(r, e) {
			r = r[:len(r)-len(e)]
			break
		}
	}
	return string(r)
}

// russianEndings are the case endings of Russian nouns and adjectives (and
// the infinitive's -ть), longest first.
var russianEndings = runesList(
	"иями",
	"ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ией", "иях", "ием", "иям",
	"ой", "ей", "ий", "ый", "ых", "их", "ая", "яя", "ое", "ее", "ые", "ие", "ую", "юю", "ом", "ем", "ах", "ях", "ам", "ям",
	"ым", "им", "ию", "ии", "ия", "ье", "ья", "ьи", "ью", "ть",
	"ы", "и", "а", "я", "у", "ю", "е", "о", "ь",
)

// surnameSuffixes end most Russian and Central Asian surnames; the forms of
// a surname keep them or not depending on their ending (Каримов, Каримова).
var surnameSuffixes = runesList("ов", "ев", "ин")

func runesList(ws ...string) [][]rune {
	out := make([][]rune, len(ws))
	for i, w := range ws {
		out[i] = []rune(w)
	}
	return out
}

func hasRuneSuffix(r, suffix []rune) bool {
	if len(suffix) > len(r) {
		return false
	}
	off := len(r) - len(suffix)
	for i, c := range suffix {
		if r[off+i] != c {
			return false
		}
	}
	return true
}

// isCyrillicWord reports whether w is made of lower-case Cyrillic letters
// (Russian, Kazakh, Kyrgyz, Uzbek) and hyphens.
func isCyrillicWord(w string) bool {
	if w == "" {
		return false
	}
	for _, c := range w {
		if c != '-' && !(unicode.Is(unicode.Cyrillic, c) && unicode.IsLower(c)) {
			return false
		}
	}
	return true
}
