package retrieve

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/internal/realdocs"
)

// yearsByRE is what analyse did before findYears: yearRE's matches.
func yearsByRE(text string) []int {
	var years []int
	for _, m := range yearRE.FindAllStringSubmatch(text, -1) {
		if y, err := strconv.Atoi(m[1]); err == nil {
			years = append(years, y)
		}
	}
	return years
}

// yearSamples are the hard cases: the range's edges, neighbours of every
// kind, runs of digits, full-width digits and invalid UTF-8.
var yearSamples = []string{
	"", "1949", "1950", "1999", "2000", "2099", "2100", "1899", "19500", "02024", "2024", "x2024", "2024x", "_2024", "2024_",
	"2024年", "于2024年5月", "(2024)", "2024-2025", "2024/2025", "20242025", "2024 2025 1951", "１９９９", "2024\xff", "\xff2024",
	"in 2024, and 1995.", "2024é", "é2024", "a2024b 2024", "1998–2001", "199", "20 24", "2O24", "2024.5", "5.2024", "2024\n1960",
	"12024 2024", "20245 2024", "1950s", "the 2020s", "ФЗ-2024", "2024г", "2019202",
}

// TestFindYearsSameAsRE: findYears finds what yearRE finds, on the
// samples, on synthetic chunks, on every line and whole text of the seed
// reports and the real
// development documents (if ../shared/realdev/docs is beside the
// repository), and on every string of up to five characters over an
// alphabet of digits and neighbours.
func TestFindYearsSameAsRE(t *testing.T) {
	texts := slices.Clone(yearSamples)
	for _, c := range indexChunks(200) {
		texts = append(texts, c.Text)
	}
	for _, doc := range append(realdocs.Seeds(t, "../.."), realdocs.Real(t, "../..")...) {
		texts = append(texts, doc)
		texts = append(texts, strings.Split(doc, "\n")...)
	}
	for _, text := range texts {
		if got, want := findYears(text), yearsByRE(text); !slices.Equal(got, want) {
			t.Fatalf("findYears(%q) = %v, want %v", text, got, want)
		}
	}
	alphabet := []string{"0", "1", "2", "5", "9", "a", "_", " ", "年", "\xff"}
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		if got, want := findYears(prefix), yearsByRE(prefix); !slices.Equal(got, want) {
			t.Fatalf("findYears(%q) = %v, want %v", prefix, got, want)
		}
		if n == 0 {
			return
		}
		for _, a := range alphabet {
			gen(prefix+a, n-1)
		}
	}
	gen("", 5)
	// Years from 1940 to 2110 in every neighbourhood.
	for y := 1940; y <= 2110; y++ {
		for _, around := range [][2]string{{"", ""}, {" ", " "}, {"a", ""}, {"", "a"}, {"年", "年"}, {"1", ""}, {"", "1"}} {
			text := around[0] + strconv.Itoa(y) + around[1]
			if got, want := findYears(text), yearsByRE(text); !slices.Equal(got, want) {
				t.Fatalf("findYears(%q) = %v, want %v", text, got, want)
			}
		}
	}
}

// FuzzFindYearsSameAsRE is TestFindYearsSameAsRE on fuzzed texts.
func FuzzFindYearsSameAsRE(f *testing.F) {
	for _, s := range yearSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := findYears(text), yearsByRE(text); !slices.Equal(got, want) {
			t.Fatalf("findYears(%q) = %v, want %v", text, got, want)
		}
	})
}
