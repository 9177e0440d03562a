package textnorm

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestQuickNFKCCharacters: for every character quickNFKC takes, its NFKC
// form is what quickNFKC makes of it, and both the character and that form
// never combine with the character before them (a boundary before, a
// combining class of 0), so a text made only of such characters
// normalises character by character. (An ASCII letter may combine with a
// mark after it, but a mark is not one of them.)
func TestQuickNFKCCharacters(t *testing.T) {
	n := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		s := string(r)
		q, ok := quickNFKC(s)
		if !utf8.ValidRune(r) || !ok {
			continue
		}
		n++
		for _, x := range []string{s, q} {
			if p := norm.NFKC.PropertiesString(x); !p.BoundaryBefore() || p.CCC() != 0 {
				t.Errorf("%U: quickNFKC takes it, but %q may combine with what comes before it", r, x)
			}
		}
		if want := norm.NFKC.String(s); q != want {
			t.Errorf("quickNFKC(%U) = %q, NFKC gives %q", r, q, want)
		}
	}
	if want := 128 + (0x9FFF - 0x4E00 + 1) + (0xFF5E - 0xFF01 + 1) + utf8.RuneCountInString(nfkcKept); n != want {
		t.Errorf("quickNFKC takes %d characters, want %d", n, want)
	}
}

// FuzzQuickNFKC: where quickNFKC answers, NFKC gives the same.
func FuzzQuickNFKC(f *testing.F) {
	for _, s := range []string{"", "abc", "上合组织", "上合組織", "ＳＣＯ", "a\u0301", "上\u0301", "\u00e9", "한국", "\u1100\u1161", "①", "Ташкент", "\ufb01", "\xff", "王毅提出，当前形势下：（一）２０２４年", "Ａ\u0301", "“上合”、《宪章》", "…", "\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if q, ok := quickNFKC(s); ok && q != norm.NFKC.String(s) {
			t.Fatalf("quickNFKC(%q) = %q, but NFKC gives %q", s, q, norm.NFKC.String(s))
		}
	})
}
