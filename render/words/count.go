package words

import (
	"strconv"
	"strings"
)

// Count writes n with the form of a counted noun its language wants: one,
// few and many are the keys of the noun's forms, each with one %d or %s
// for the number. Russian chooses by n's last digits (1 встреча, 2–4
// встречи, 5–20 встреч, 21 встреча); English and Chinese use one for 1 and
// many otherwise. A key whose form takes %s gets the number from Number.
func Count(lang string, n int, one, few, many Key) string {
	k := many
	switch {
	case lang == "ru":
		k = ruForm(n, one, few, many)
	case n == 1:
		k = one
	}
	if strings.Contains(Text(lang, k), "%s") {
		return Text(lang, k, Number(lang, n))
	}
	return Text(lang, k, n)
}

// ruForm picks a Russian noun's form for n: one for 1, 21, 31…; few for
// 2–4, 22–24…; many for the rest (5–20, 25–30, 11–14…).
func ruForm(n int, one, few, many Key) Key {
	if n < 0 {
		n = -n
	}
	switch d, dd := n%10, n%100; {
	case dd >= 11 && dd <= 14:
		return many
	case d == 1:
		return one
	case d >= 2 && d <= 4:
		return few
	}
	return many
}

// Number writes a count from one to ten as a word in lang ("four", "四",
// "четыре"), any other as digits. The Russian words are those that count
// a neuter noun (одно предложение), the Chinese two is 两, as counting
// proposals wants.
func Number(lang string, n int) string {
	ws := strings.Fields(Text(lang, NumberWords))
	if n < 1 || n > len(ws) {
		return strconv.Itoa(n)
	}
	return ws[n-1]
}
