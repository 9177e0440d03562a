package hashembed

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func embed1(t *testing.T, e *Embedder, text string) []float32 {
	t.Helper()
	v, err := e.EmbedQuery(context.Background(), text)
	if err != nil {
		t.Fatalf("EmbedQuery(%q): %v", text, err)
	}
	return v
}

func cosine(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func norm(v []float32) float64 { return math.Sqrt(cosine(v, v)) }

func TestUnitNorm(t *testing.T) {
	e := New(Config{})
	for _, text := range []string{
		"", "   ", "。,!?", "the of and", // no features
		"Wang Yi attended the SCO meeting in Astana.",
		"王毅出席上海合作组织成员国外长理事会会议",
		strings.Repeat("vaccine ", 1000),
	} {
		t.Run(text, func(t *testing.T) {
			v := embed1(t, e, text)
			if len(v) != DefaultDim {
				t.Fatalf("len = %d, want %d", len(v), DefaultDim)
			}
			if n := norm(v); math.Abs(n-1) > 1e-5 {
				t.Errorf("norm = %v, want 1", n)
			}
		})
	}
}

func TestEmptyTextVector(t *testing.T) {
	e := New(Config{Dim: 64})
	a, b := embed1(t, e, ""), embed1(t, e, "the, of.")
	if !slices.Equal(a, b) {
		t.Error("texts without features should share one fixed vector")
	}
	real := embed1(t, e, "Wang Yi attended the SCO meeting in Astana")
	if c := cosine(a, real); math.Abs(c) > 0.5 {
		t.Errorf("empty vector is too close to a real text: cosine %v", c)
	}
}

// TestDeterministic pins a few components so that a change of hash, seed,
// weights or tokenisation (which would invalidate stored vectors without a
// version bump) fails here.
func TestDeterministic(t *testing.T) {
	e := New(Config{})
	text := "Wang Yi attended the SCO meeting in Astana. 王毅出席会议。"
	v1 := embed1(t, e, text)
	v2 := embed1(t, New(Config{}), text)
	if !slices.Equal(v1, v2) {
		t.Fatal("two embedders gave different vectors for the same text")
	}
	vs, err := e.Embed(context.Background(), []string{"x y", text})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vs[1], v1) {
		t.Error("Embed and EmbedQuery differ for the same text")
	}
	// Signed indexes of the non-zero components.
	var nonZero []int
	for i, x := range v1 {
		switch {
		case x > 0:
			nonZero = append(nonZero, i)
		case x < 0:
			nonZero = append(nonZero, -i)
		}
	}
	want := []int{-67, -79, -110, 148, 294, -389, 466, -500, 650, 799, 842}
	if !slices.Equal(nonZero, want) {
		t.Errorf("non-zero dimensions = %v, want %v (vectors changed: bump version)", nonZero, want)
	}
}

func TestSimilarCloserThanUnrelated(t *testing.T) {
	e := New(Config{})
	tests := []struct {
		name, query, similar, unrelated string
	}{
		{
			"en",
			"What did Wang Yi say about vaccine nationalism?",
			"The countries should firmly oppose vaccine nationalism, solve the problem of vaccine production and distribution.",
			"The meeting has also made comprehensive preparations for the SCO summit in September.",
		},
		{
			"zh",
			"什么是钢铁驼队?",
			"中哈宣布支持中欧班列发挥更大作用,将其打造成驰骋欧亚大陆的“钢铁驼队”。",
			"会议开始前,各方外长为伊朗总统莱西和外长阿卜杜拉希扬不幸遇难默哀。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := embed1(t, e, tt.query)
			s, u := cosine(q, embed1(t, e, tt.similar)), cosine(q, embed1(t, e, tt.unrelated))
			if s <= u+0.1 {
				t.Errorf("similar cosine %.3f not clearly above unrelated %.3f", s, u)
			}
		})
	}
}

func TestExtraFeatures(t *testing.T) {
	concepts := func(text string) []string {
		if strings.Contains(text, "Dushanbe") || strings.Contains(text, "杜尚别") {
			return []string{"place:dushanbe"}
		}
		return nil
	}
	plain := New(Config{})
	withExtra := New(Config{Extra: concepts, ExtraID: "test-1"})
	en, zh := "the meeting in Dushanbe", "在杜尚别举行的会议"
	before := cosine(embed1(t, plain, en), embed1(t, plain, zh))
	after := cosine(embed1(t, withExtra, en), embed1(t, withExtra, zh))
	if after < before+0.3 {
		t.Errorf("a shared extra feature should bring the texts together: cosine %.3f → %.3f", before, after)
	}
}

func TestID(t *testing.T) {
	extra := func(string) []string { return nil }
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"default", Config{}, "hashembed-v5/d1024"},
		{"dim", Config{Dim: 256}, "hashembed-v5/d256"},
		{"extra id ignored without extra", Config{ExtraID: "g1"}, "hashembed-v5/d1024"},
		{"extra", Config{Extra: extra, ExtraID: "g1"}, "hashembed-v5/d1024/x:g1/w2"},
		{"extra weight", Config{Extra: extra, ExtraID: "g1", ExtraWeight: 1.5}, "hashembed-v5/d1024/x:g1/w1.5"},
		{"extra without id", Config{Extra: extra}, "hashembed-v5/d1024/x:?/w2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(tt.cfg)
			if got := e.ID(); got != tt.want {
				t.Errorf("ID() = %q, want %q", got, tt.want)
			}
			if len(embed1(t, e, "x y")) != e.Dim() {
				t.Error("vector length differs from Dim()")
			}
		})
	}
}

func TestContextCancelled(t *testing.T) {
	e := New(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Embed(ctx, []string{"a", "b"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Embed with cancelled ctx: err = %v, want context.Canceled", err)
	}
	if _, err := e.EmbedQuery(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Errorf("EmbedQuery with cancelled ctx: err = %v, want context.Canceled", err)
	}
}

func BenchmarkEmbed(b *testing.B) {
	chunks := map[string]string{
		"en": "Wang Yi proposed that, under the current situation, member states should strengthen communication and coordination within the SCO framework to jointly respond to risks and challenges. Firstly, they should deepen cooperation in disease prevention and control, promote the development of vaccines and equitable distribution, and support the construction of an SCO vaccine research and development center. Secondly, they should deepen economic cooperation, accelerate the construction of the “Belt and Road” within the SCO, and promote regional interconnectivity.",
		"zh": "王毅提出,当前形势下,成员国应在上合组织框架内加强沟通协调,共同应对风险挑战。一是要深化疫情防控合作,推动疫苗研发和公平分配,支持上合组织疫苗研发中心建设;二是要深化经济合作,加快共建“一带一路”,推动地区互联互通;三是要加强国际事务协调,维护多边主义,共同应对全球性挑战。",
	}
	e := New(Config{})
	ctx := context.Background()
	for name, text := range chunks {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Embed(ctx, []string{text}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A vector is the same to the bit on every call: features sharing a
// dimension are summed in the text's order, not a map's (the float64 sums
// would differ in their last bits, and a float32 now and then).
func TestEmbedIsBitIdentical(t *testing.T) {
	e := New(Config{Dim: 4}) // every dimension shared by many features
	text := "The Shanghai Cooperation Organization held its summit in Astana; leaders of China, Russia, " +
		"Kazakhstan, Kyrgyzstan, Tajikistan, Uzbekistan, India, Pakistan and Iran signed the declaration " +
		"on security, trade, energy, transport, culture and the fight against terrorism, separatism and extremism " +
		"on 4 July 2024, 上海合作组织成员国元首理事会第二十四次会议在阿斯塔纳举行。"
	first := e.accumulate(text)
	for range 200 {
		acc := e.accumulate(text)
		for i := range acc {
			if math.Float64bits(acc[i]) != math.Float64bits(first[i]) {
				t.Fatalf("dimension %d: %v, then %v", i, first[i], acc[i])
			}
		}
	}
}
