package translit

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Filler sentences of news text without names, per language.
var (
	fillerZH = []string{
		"双方就深化务实合作、维护地区安全稳定等问题深入交换意见。",
		"会议通过了关于加强经贸合作的联合声明，并签署多项合作文件。",
		"他表示，上合组织成员国应继续加强在安全、经济和人文领域的合作。",
		"与会各方一致认为，应共同应对恐怖主义、分裂主义和极端主义威胁。",
		"据报道，峰会期间各国领导人还举行了双边会晤。",
		"特别是在能源、交通和数字经济领域，合作潜力巨大。",
	}
	fillerEN = []string{
		"The two sides exchanged views on regional security and economic cooperation. ",
		"The leaders adopted a joint declaration and signed several agreements. ",
		"According to the statement, member states will expand trade in national currencies. ",
		"The meeting was held on the sidelines of the summit on Tuesday. ",
	}
	fillerRU = []string{
		"Стороны обменялись мнениями по вопросам региональной безопасности. ",
		"По итогам встречи была принята совместная декларация. ",
		"Президент подчеркнул важность расширения торгово-экономического сотрудничества. ",
	}
)

// makeChunks returns n chunks of about 500 characters of synthetic news text
// in Chinese, English and Russian, with names from names.tsv.
func makeChunks(tb testing.TB, n int) []string {
	tb.Helper()
	names := loadNames(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	chunks := make([]string, n)
	var sb strings.Builder
	for i := range chunks {
		sb.Reset()
		lang := i % 3
		for sb.Len() < 1200 && len([]rune(sb.String())) < 500 {
			nm := names[rng.IntN(len(names))]
			switch lang {
			case 0:
				sb.WriteString(nm.zh + "表示，")
				sb.WriteString(fillerZH[rng.IntN(len(fillerZH))])
			case 1:
				sb.WriteString(nm.en + " said that ")
				sb.WriteString(fillerEN[rng.IntN(len(fillerEN))])
			default:
				sb.WriteString(nm.ru + " заявил, что ")
				sb.WriteString(fillerRU[rng.IntN(len(fillerRU))])
			}
		}
		chunks[i] = sb.String()
	}
	return chunks
}

// randomNames returns n made-up names: runs of transliteration characters
// and Latin syllable strings, to fill an inventory as a large corpus would.
func randomNames(n int) []string {
	rng := rand.New(rand.NewPCG(3, 4))
	han := []rune(hanTranslitChars)
	cons := []string{"b", "d", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "kh", "sh", "ch", "zh"}
	vow := []string{"a", "e", "i", "o", "u", "ya", "ye"}
	out := make([]string, n)
	for i := range out {
		syl := 2 + rng.IntN(4)
		var sb strings.Builder
		if i%2 == 0 {
			for range syl {
				sb.WriteRune(han[rng.IntN(len(han))])
			}
		} else {
			for j := range syl {
				c := cons[rng.IntN(len(cons))]
				if j == 0 {
					c = strings.ToUpper(c[:1]) + c[1:]
				}
				sb.WriteString(c + vow[rng.IntN(len(vow))])
			}
			sb.WriteString([]string{"v", "n", "", "r"}[rng.IntN(4)])
		}
		out[i] = sb.String()
	}
	return out
}

// BenchmarkInventoryAdd builds an inventory over 10,000 chunks of about 500
// characters per iteration.
func BenchmarkInventoryAdd(b *testing.B) {
	chunks := makeChunks(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		inv := NewInventory()
		for _, c := range chunks {
			inv.Add(c)
		}
	}
}

// BenchmarkLookup looks names up in an inventory of 100,000 chunks plus
// 100,000 made-up names.
func BenchmarkLookup(b *testing.B) {
	inv := NewInventory()
	for _, c := range makeChunks(b, 100000) {
		inv.Add(c)
	}
	for _, n := range randomNames(100000) {
		if err := inv.AddName(n); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("inventory of %d forms", inv.Len())
	queries := []string{"Lavrov", "托卡耶夫", "Mirziyoyev", "Samarkand", "Бишкек", "Abdrakhmanov", "伊姆兰·汗"}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		inv.Lookup(queries[i%len(queries)])
		i++
	}
}

func BenchmarkKey(b *testing.B) {
	names := []string{"拉夫罗夫", "Nazarbayev", "Мирзиёев", "米尔济约耶夫", "Kassym-Jomart Tokayev"}
	i := 0
	for b.Loop() {
		Key(names[i%len(names)])
		i++
	}
}

func BenchmarkKeySimilarity(b *testing.B) {
	pairs := [][2]string{{Key("纳扎尔巴耶夫"), Key("Nazarbayev")}, {Key("Lavrov"), Key("Karimov")}, {Key("普京"), Key("Putin")}}
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		KeySimilarity(p[0], p[1])
		i++
	}
}

func BenchmarkNameRuns(b *testing.B) {
	chunks := makeChunks(b, 300)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		NameRuns(chunks[i%len(chunks)])
		i++
	}
}

// BenchmarkForms finds the name-like forms of one chunk of about 500
// characters per iteration, as the engine's analysis does for every chunk.
func BenchmarkForms(b *testing.B) {
	chunks := makeChunks(b, 300)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		Forms(chunks[i%len(chunks)])
		i++
	}
}
