package retrieve

import "strings"

// Pinyin syllables are an initial (or none) and a final. The combinations
// are not all real syllables; for telling a romanised Chinese name
// ("Liyuan", "Meijiang") from a foreign one ("Trump") that is enough. The
// ü finals are left out: names write them u (Xu, Yu) and a bare v would
// make every Russian surname in -ov pinyin.
var (
	pinyinInitials = []string{"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w", ""}
	pinyinFinals   = map[string]bool{}
)

func init() {
	for _, f := range strings.Fields("a o e i u ai ei ui ao ou iu ie er an en in un ang eng ing ong ia iao ian iang iong ua uo uai uan uang ue uen ueng") {
		pinyinFinals[f] = true
	}
}

// pinyinLike reports whether a Latin word can be read as a run of pinyin
// syllables: a Chinese name written in the Latin alphabet, which a Chinese
// report writes in characters that no transliteration table links to it.
func pinyinLike(word string) bool {
	w := strings.ToLower(word)
	if w == "" {
		return false
	}
	// ok[i]: w[:i] splits into syllables.
	ok := make([]bool, len(w)+1)
	ok[0] = true
	for i := 0; i < len(w); i++ {
		if !ok[i] {
			continue
		}
		for _, ini := range pinyinInitials {
			if !strings.HasPrefix(w[i:], ini) {
				continue
			}
			for j := i + len(ini) + 1; j <= len(w) && j-i <= 6; j++ {
				if pinyinFinals[w[i+len(ini):j]] {
					ok[j] = true
				}
			}
		}
	}
	return ok[len(w)]
}
