package textnorm

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestNFKCStableCharacters: every character nfkcStable lets through is
// one NFKC leaves as it is (no decomposition, combining class 0) and that
// never combines with the character before it, so a text made only of
// them is NFKC already. (An ASCII letter may combine with a mark after it,
// but a mark is not one of them.)
func TestNFKCStableCharacters(t *testing.T) {
	n := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) || !nfkcStable(string(r)) {
			continue
		}
		n++
		s := string(r)
		p := norm.NFKC.PropertiesString(s)
		if !p.BoundaryBefore() || p.Decomposition() != nil || p.CCC() != 0 || norm.NFKC.String(s) != s {
			t.Errorf("%U passes nfkcStable but NFKC may change it", r)
		}
	}
	if want := 128 + (0x9FFF - 0x4E00 + 1); n != want {
		t.Errorf("nfkcStable lets %d characters through, want %d", n, want)
	}
}

// FuzzNFKCStable: a text nfkcStable passes is one NFKC returns unchanged.
func FuzzNFKCStable(f *testing.F) {
	for _, s := range []string{"", "abc", "上合组织", "上合組織", "ＳＣＯ", "a\u0301", "上\u0301", "\u00e9", "한국", "\u1100\u1161", "①", "Ташкент", "\ufb01", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if nfkcStable(s) && norm.NFKC.String(s) != s {
			t.Fatalf("nfkcStable(%q), but NFKC gives %q", s, norm.NFKC.String(s))
		}
	})
}
