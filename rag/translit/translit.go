// Package translit matches personal and place names across the Latin,
// Cyrillic and Han scripts by pronunciation, for names that no hand glossary
// lists.
//
// Chinese writes foreign names as transliterations: 拉夫罗夫 = Lavrov =
// Лавров, 托卡耶夫 = Tokayev = Токаев. Key reduces a name in any of the three
// scripts to a phonetic skeleton in one small alphabet, so that such forms get
// equal or nearly equal keys:
//
//   - Han is read in toneless pinyin (github.com/mozillazg/go-pinyin, with a
//     few transliteration readings of heteronyms fixed, e.g. 什 shi, 勒 le);
//     the characters Chinese uses for a bare consonant (夫 f, 尔 r, 克 k, 斯 s,
//     姆 m, 德 d, 特 t, 格 g, 布 b, 赫 kh, 弗 f, 勒 l) lose their vowel.
//   - Cyrillic is transliterated (Russian plus the Kazakh, Kyrgyz, Uzbek and
//     Tajik letters) and then read like Latin.
//   - Latin is folded to lower-case ASCII (diacritics stripped) and its
//     digraphs are read (sh, kh, zh, ch, ts, dzh, ph, th, ...).
//
// All three then meet in the skeleton alphabet (see Key): voiced and voiceless
// consonants fall together (b/p, d/t, g/k/kh/h), l and r fall together (Chinese
// writes r as l), all sibilants and affricates fall together (s, z, sh, zh,
// ch, ts, dzh), v/f/w fall together, pinyin j/q/x get a class of their own
// that is close to s, k and t (基 ki, 吉 gi, 季 ti, 西 si, 希 khi), y-glides
// are dropped, vowel pairs are simplified and doubled letters are collapsed.
//
// Similarity compares two names by a weighted edit distance over their keys
// (cheap vowel edits, cheap substitutions between near classes, costly
// consonant edits), and Match applies the measured Threshold and a minimum
// key size (MinConsonants). NameRuns finds the runs of Han transliteration
// characters in Chinese text, Words the capitalised Latin and Cyrillic words,
// and Inventory collects them over a corpus so that, for a name in a
// question, Lookup finds its forms in the other scripts.
//
// Everything here is deterministic and needs no network.
package translit

// Script is the writing system of a name form.
type Script int

// The scripts a form can be written in.
const (
	// Other is any text that is not mainly Latin, Cyrillic or Han.
	Other Script = iota
	// Latin is the Latin alphabet (with or without diacritics).
	Latin
	// Cyrillic is the Cyrillic alphabet, including the Central Asian letters.
	Cyrillic
	// Han is Chinese characters.
	Han
)

// String returns the name of the script in lower case.
func (s Script) String() string {
	switch s {
	case Latin:
		return "latin"
	case Cyrillic:
		return "cyrillic"
	case Han:
		return "han"
	default:
		return "other"
	}
}
