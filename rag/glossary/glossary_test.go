package glossary

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// testTSV is a small glossary for precise matching tests.
const testTSV = `# test glossary
sco	上海合作组织|上合组织|上合	Shanghai Cooperation Organization|SCO	ШОС
shanghai	上海	Shanghai	Шанхай
wang-yi	王毅	Wang Yi	Ван И
us	美国	United States|=US
who	世界卫生组织	World Health Organization|=WHO
cfm	外长理事会	Council of Foreign Ministers|Foreign Ministers' Meeting	Совет министров иностранных дел
december	12月|十二月	December
february	2月|二月	February
covid	新冠肺炎	COVID-19
-	欧美
`

func mustParse(t testing.TB, s string) *Glossary {
	t.Helper()
	g, err := Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return g
}

func mustDefault(t testing.TB) *Glossary {
	t.Helper()
	g, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return g
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"too few columns", "# c\nsco\n", 2, "want 2 to 4"},
		{"too many columns", "a\tx\ty\tz\tw\n", 1, "got 5"},
		{"bad id upper case", "SCO\t上合\tSCO\n", 1, "bad concept id"},
		{"bad id space", "s co\t上合\tSCO\n", 1, "bad concept id"},
		{"empty id", "\t上合\tSCO\n", 1, "bad concept id"},
		{"empty term", "\nsco\t上合||上合组织\tSCO\n", 2, "empty term in the zh column"},
		{"bare equals", "sco\t上合\t=\n", 1, "empty term in the en column"},
		{"no terms", "sco\t \t\n", 1, "has no terms"},
		{"duplicate concept", "a\t甲\tA\n\n# x\na\t乙\tB\n", 4, `already defined on line 1`},
		{"term in two concepts", "a\t甲\tSCO\nb\t乙\tsco\n", 2, `already belongs to concept "a" (line 1)`},
		{"term twice in concept", "a\t甲\tSCO|Sco\n", 1, "appears twice"},
		{"invalid utf8", "a\t甲\tA\nb\t\xff\tB\n", 2, "UTF-8"},
		{"error after crlf lines", "a\t甲\tA\r\nb 乙\r\n", 2, "want 2 to 4"},
		{"case-sensitive Cyrillic", "a\t甲\tA\t=ШОС\n", 1, "does not apply to Cyrillic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", pe.Line, pe.Msg, tt.line, tt.msg)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Errorf("error %q does not name the line", err)
			}
		})
	}
}

func TestParse(t *testing.T) {
	in := "\ufeff# header\r\n\r\n  # indented comment\r\nsco\t上合组织|上合\t SCO | =OCS \r\nru-only\t\t\tШОС\nlast\t甲\tA" // no final newline
	g := mustParse(t, in)
	if g.Len() != 3 {
		t.Errorf("Len = %d, want 3", g.Len())
	}
	tests := []struct {
		concept, lang, want string
	}{
		{"sco", "zh", "上合组织"},
		{"sco", "en", "SCO"},
		{"sco", "ru", ""},
		{"ru-only", "ru", "ШОС"},
		{"ru-only", "en", ""},
		{"last", "en", "A"},
		{"nope", "zh", ""},
		{"sco", "fr", ""},
	}
	for _, tt := range tests {
		t.Run(tt.concept+"/"+tt.lang, func(t *testing.T) {
			if got := g.Term(tt.concept, tt.lang); got != tt.want {
				t.Errorf("Term = %q, want %q", got, tt.want)
			}
		})
	}
	if got, want := g.Terms("sco", "en"), []string{"SCO", "OCS"}; !slices.Equal(got, want) {
		t.Errorf("Terms(sco, en) = %q, want %q", got, want)
	}
	// "=OCS" is case-sensitive, "SCO" is not.
	if got := g.Concepts("ocs sco OCS"); !slices.Equal(got, []string{"sco"}) {
		t.Errorf("Concepts = %q", got)
	}
	if got := len(g.Find("ocs sco OCS")); got != 2 {
		t.Errorf("Find found %d matches, want 2 (sco, OCS)", got)
	}
}

// span is a match reduced to what the Find tests compare.
type span struct {
	Concept, Text, Lang string
}

func spans(text string, ms []Match) []span {
	var out []span
	for _, m := range ms {
		out = append(out, span{m.Concept, text[m.Start:m.End], m.Lang})
	}
	return out
}

var findTests = []struct {
	name string
	text string
	want []span
}{
	{"longest match", "上海合作组织在上海", []span{{"sco", "上海合作组织", "zh"}, {"shanghai", "上海", "zh"}}},
	{"short form", "上合组织和上合", []span{{"sco", "上合组织", "zh"}, {"sco", "上合", "zh"}}},
	{"han anywhere", "王毅出席上合组织外长理事会会议", []span{{"wang-yi", "王毅", "zh"}, {"sco", "上合组织", "zh"}, {"cfm", "外长理事会", "zh"}}},
	{"latin next to han", "SCO框架内王毅说", []span{{"sco", "SCO", "en"}, {"wang-yi", "王毅", "zh"}}},
	{"word boundary end", "SCOPE of SCO's work", []span{{"sco", "SCO", "en"}}},
	{"word boundary start", "ASCO and _SCO and SCO2 but SCO.", []span{{"sco", "SCO", "en"}}},
	{"case insensitive", "the sco and wang yi", []span{{"sco", "sco", "en"}, {"wang-yi", "wang yi", "en"}}},
	{"longest latin", "Shanghai Cooperation Organization, Shanghai", []span{{"sco", "Shanghai Cooperation Organization", "en"}, {"shanghai", "Shanghai", "en"}}},
	{"whitespace runs", "Wang\n   Yi met\tthe Council of  Foreign\nMinisters", []span{{"wang-yi", "Wang\n   Yi", "en"}, {"cfm", "Council of  Foreign\nMinisters", "en"}}},
	{"curly apostrophe", "SCO Foreign Ministers’ Meeting", []span{{"sco", "SCO", "en"}, {"cfm", "Foreign Ministers’ Meeting", "en"}}},
	{"full width", "ＳＣＯ会议", []span{{"sco", "ＳＣＯ", "en"}}},
	{"exact case", "tell us about the US and WHO, who knows", []span{{"us", "US", "en"}, {"who", "WHO", "en"}}},
	{"digits boundary", "12月和2月,不是312月", []span{{"december", "12月", "zh"}, {"february", "2月", "zh"}}},
	{"blocker", "欧美国家和美国", []span{{"us", "美国", "zh"}}},
	{"hyphen and digits", "COVID-19 and COVID-190", []span{{"covid", "COVID-19", "en"}}},
	{"cyrillic, in another case", "саммит ШОС в Шанхае", []span{{"sco", "ШОС", "ru"}, {"shanghai", "Шанхае", "ru"}}},
	{"russian phrase in another case", "заседание Совета министров иностранных дел", []span{{"cfm", "Совета министров иностранных дел", "ru"}}},
	{"russian stem, not prefix", "Шанхайская организация", nil},
	{"traditional chinese", "上海合作組織與美國", []span{{"sco", "上海合作組織", "zh"}, {"us", "美國", "zh"}}},
	{"zero-width inside a name", "上合\u200b组织", []span{{"sco", "上合\u200b组织", "zh"}}},
	{"nothing", "nothing here", nil},
	{"empty", "", nil},
}

func TestFind(t *testing.T) {
	g := mustParse(t, testTSV)
	for _, tt := range findTests {
		t.Run(tt.name, func(t *testing.T) {
			got := spans(tt.text, g.Find(tt.text))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFindTermAndOffsets(t *testing.T) {
	g := mustParse(t, testTSV)
	text := "Ｘ the sco"
	ms := g.Find(text)
	want := []Match{{Concept: "sco", Term: "SCO", Lang: "en", Start: len("Ｘ the "), End: len(text)}}
	if !slices.Equal(ms, want) {
		t.Errorf("Find = %+v, want %+v", ms, want)
	}
}

func TestConcepts(t *testing.T) {
	g := mustParse(t, testTSV)
	got := g.Concepts("SCO 王毅 上合组织 Wang Yi 外长理事会 SCO")
	want := []string{"sco", "wang-yi", "cfm"}
	if !slices.Equal(got, want) {
		t.Errorf("Concepts = %q, want %q", got, want)
	}
	if got := g.Concepts("欧美"); got != nil {
		t.Errorf("Concepts of a blocker = %q, want nil", got)
	}
}

func TestExpandSmall(t *testing.T) {
	g := mustParse(t, testTSV)
	tests := []struct {
		text string
		want []string
	}{
		{"王毅在上合组织", []string{"Wang Yi", "Ван И", "Shanghai Cooperation Organization", "SCO", "ШОС"}},
		{"Wang Yi at the SCO", []string{"王毅", "Ван И", "上海合作组织", "上合组织", "上合", "ШОС"}},
		// found in both zh and en: only ru is missing
		{"王毅 Wang Yi", []string{"Ван И"}},
		{"no concepts", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := g.Expand(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Expand = %q, want %q", got, tt.want)
			}
		})
	}
}

// devQuestions are the development questions (shared/eval/dev.jsonl) with
// terms their expansion must contain: the other-language names of what they
// ask about.
var devQuestions = []struct {
	id, q string
	want  []string
}{
	{"dev-01", "What four proposals did Wang Yi make at the SCO foreign ministers' meeting in Astana in May 2024?", []string{"四点建议", "王毅", "上合组织", "外长理事会", "阿斯塔纳", "5月"}},
	{"dev-02", "王毅在杜尚别上合组织外长理事会会议上提出了什么建议?", []string{"Dushanbe", "Wang Yi", "SCO", "Council of Foreign Ministers", "proposal"}},
	{"dev-03", "Which foreign ministers did Wang Yi hold bilateral talks with in Astana?", []string{"阿斯塔纳", "王毅", "双边会谈", "外长"}},
	{"dev-04", "2020年上合组织外长会议批准了多少份文件草案?", []string{"SCO", "Council of Foreign Ministers", "draft documents"}},
	{"dev-05", "Who briefed the media about Xi Jinping attending the 20th SCO summit?", []string{"习近平", "上合组织", "峰会"}},
	{"dev-06", "什么是“钢铁驼队”?", []string{"steel camel fleet"}},
	{"dev-07", "What did Wang Yi say about vaccine nationalism?", []string{"王毅", "疫苗民族主义"}},
	{"dev-08", "阿斯塔纳峰会将在什么时候举行?", []string{"Astana", "summit"}},
	{"dev-09", "What did the foreign ministers do before the Astana meeting began?", []string{"外长", "阿斯塔纳"}},
	{"dev-10", "Where was the SCO Council of Foreign Ministers meeting held in July 2021?", []string{"上合组织", "外长理事会", "7月"}},
	{"dev-11", "How was the 20th SCO summit in November 2020 held?", []string{"上合组织", "峰会", "11月"}},
	{"dev-12", "What did Wang Yi propose on vaccines at the SCO foreign ministers' meeting reported by Chinanews?", []string{"疫苗", "中新社", "外长理事会"}},
	{"dev-13", "Who won the 2022 FIFA World Cup?", nil},
	{"dev-14", "上合组织2030年峰会在哪里举行?", []string{"SCO", "summit"}},
}

func TestExpandDev(t *testing.T) {
	g := mustDefault(t)
	var golden strings.Builder
	for _, tt := range devQuestions {
		t.Run(tt.id, func(t *testing.T) {
			got := g.Expand(tt.q)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Expand(%q) lacks %q; got %q", tt.q, w, got)
				}
			}
			if tt.want == nil && got != nil {
				t.Errorf("Expand(%q) = %q, want nothing", tt.q, got)
			}
			// The expansion never repeats a language the concept was asked in.
			found := map[string]map[string]bool{}
			for _, m := range g.Find(tt.q) {
				if found[m.Concept] == nil {
					found[m.Concept] = map[string]bool{}
				}
				found[m.Concept][m.Lang] = true
			}
			for _, term := range got {
				for _, m := range g.Find(term) {
					if found[m.Concept][m.Lang] {
						t.Errorf("expansion term %q is in a language (%s) the question already used for %s", term, m.Lang, m.Concept)
					}
				}
			}
			golden.WriteString(tt.id + "\t" + tt.q + "\n\tconcepts: " + strings.Join(g.Concepts(tt.q), ", ") + "\n\texpand:   " + strings.Join(got, " | ") + "\n")
		})
	}
	checkGolden(t, "dev_expand.golden", golden.String())
}

func TestMerge(t *testing.T) {
	base := mustParse(t, "a\t甲\tAlpha|Al\nb\t乙|乙乙\tBeta\nc\t丙\t\n")
	user := mustParse(t, "a\t甲一\tAlfa|Alpha\tАльфа\nd\t丁|乙乙\tDelta\nc2\t\tGamma\tГамма\n")
	m := base.Merge(user)

	tests := []struct {
		concept, lang string
		want          []string
	}{
		{"a", "zh", []string{"甲一", "甲"}},             // union, user's first
		{"a", "en", []string{"Alfa", "Alpha", "Al"}}, // user's preferred, no duplicate
		{"a", "ru", []string{"Альфа"}},
		{"b", "zh", []string{"乙"}}, // 乙乙 moved to d
		{"d", "zh", []string{"丁", "乙乙"}},
		{"c", "zh", []string{"丙"}},
		{"c2", "en", []string{"Gamma"}},
	}
	for _, tt := range tests {
		t.Run(tt.concept+"/"+tt.lang, func(t *testing.T) {
			if got := m.Terms(tt.concept, tt.lang); !slices.Equal(got, tt.want) {
				t.Errorf("Terms = %q, want %q", got, tt.want)
			}
		})
	}
	if m.Len() != 5 {
		t.Errorf("Len = %d, want 5", m.Len())
	}
	if got := m.Concepts("乙乙 Alfa"); !slices.Equal(got, []string{"d", "a"}) {
		t.Errorf("merged Concepts = %q", got)
	}
	// The inputs are unchanged.
	if got := base.Terms("b", "zh"); !slices.Equal(got, []string{"乙", "乙乙"}) {
		t.Errorf("base changed: %q", got)
	}
	if base.Len() != 3 || user.Len() != 3 {
		t.Errorf("input lengths changed: %d %d", base.Len(), user.Len())
	}
	if m.ID() == base.ID() || m.ID() == user.ID() {
		t.Error("merged ID equals an input's ID")
	}
	if base.Merge(nil) != base {
		t.Error("Merge(nil) did not return the receiver")
	}
	// A concept whose every term moves away disappears.
	gone := mustParse(t, "x\t甲\t\n").Merge(mustParse(t, "y\t甲\t\n"))
	if gone.Len() != 1 || gone.Term("x", "zh") != "" || gone.Term("y", "zh") != "甲" {
		t.Errorf("emptied concept kept: Len %d", gone.Len())
	}
}

func TestMergeDefault(t *testing.T) {
	g := mustDefault(t)
	user := mustParse(t, "wang-yi\t王外长\t\nnew-thing\t新东西\tNew Thing\n")
	m := g.Merge(user)
	if m.Len() != g.Len()+1 {
		t.Errorf("Len = %d, want %d", m.Len(), g.Len()+1)
	}
	if got := m.Term("wang-yi", "zh"); got != "王外长" {
		t.Errorf("preferred zh = %q, want the user's", got)
	}
	if got := m.Term("wang-yi", "en"); got != "Wang Yi" {
		t.Errorf("en = %q, want kept from the default", got)
	}
	if got := m.Expand("新东西和王外长"); !slices.Contains(got, "New Thing") || !slices.Contains(got, "Wang Yi") {
		t.Errorf("Expand = %q", got)
	}
}

func TestID(t *testing.T) {
	a := mustParse(t, "a\t甲\tA\nb\t乙\tB\n")
	reordered := mustParse(t, "# comment\nb\t乙\tB\n\na\t甲\tA\n")
	added := mustParse(t, "a\t甲\tA\nb\t乙\tB|Bee\n")
	preferred := mustParse(t, "a\t甲\tA\nb\t乙\t=B\n")
	if len(a.ID()) != 12 {
		t.Errorf("ID %q is not 12 characters", a.ID())
	}
	if a.ID() != reordered.ID() {
		t.Error("ID changed with row order or comments")
	}
	if a.ID() == added.ID() {
		t.Error("ID did not change when a term was added")
	}
	if a.ID() == preferred.ID() {
		t.Error("ID did not change when a term became case-sensitive")
	}
	d1, d2 := mustDefault(t), mustDefault(t)
	if d1.ID() != d2.ID() {
		t.Error("Default ID is not stable")
	}
}

func TestConcurrentUse(t *testing.T) {
	g := mustDefault(t)
	text := benchText(t)
	want := g.Concepts(text)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := g.Concepts(text); !slices.Equal(got, want) {
					t.Error("concurrent Concepts differ")
					return
				}
				g.Expand(text)
			}
		})
	}
	wg.Wait()
}

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("couldn't read golden file (run with -update): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output; rerun with -update after checking:\n%s", path, diffLines(string(want), got))
	}
}

// diffLines lists the lines only in want (-) or only in got (+).
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

func TestKinds(t *testing.T) {
	g := mustParse(t, "sco\t上合\tSCO\n[place]\nastana\t阿斯塔纳\tAstana\n[ topic ]\nwin-win\t共赢\twin-win\n")
	for _, c := range []struct {
		concept string
		want    Kind
		entity  bool
	}{
		{"sco", "", false}, // above any kind line
		{"astana", KindPlace, true},
		{"win-win", KindTopic, false},
		{"unknown", "", false},
	} {
		if got := g.Kind(c.concept); got != c.want || got.Entity() != c.entity {
			t.Errorf("Kind(%q) = %q (entity %v), want %q (%v)", c.concept, got, got.Entity(), c.want, c.entity)
		}
	}
	// A user row without a kind keeps the built-in one; with one, it wins.
	user := mustParse(t, "astana\t努尔苏丹\tNur-Sultan\n[topic]\nsco\t上海合作组织\n")
	m := g.Merge(user)
	if m.Kind("astana") != KindPlace || m.Kind("sco") != KindTopic {
		t.Errorf("merged kinds: astana %q, sco %q; want place, topic", m.Kind("astana"), m.Kind("sco"))
	}
	// The built-in glossary gives every concept a kind.
	d := mustDefault(t)
	for _, e := range d.entries {
		if e.kind == "" {
			t.Errorf("built-in concept %q has no kind", e.id)
		}
	}
	if d.Kind("secretary-general") != KindOrganisation || d.Kind("dushanbe") != KindPlace || d.Kind("meet-with") != KindEvent {
		t.Errorf("built-in kinds: %q %q %q", d.Kind("secretary-general"), d.Kind("dushanbe"), d.Kind("meet-with"))
	}
	if _, err := Parse(strings.NewReader("[city]\nastana\t阿斯塔纳\n")); err == nil || !strings.Contains(err.Error(), `unknown kind "city"`) {
		t.Errorf("unknown kind: err = %v", err)
	}
}

func TestHyphenBetweenLettersIsOptional(t *testing.T) {
	g := mustParse(t, "rats\t地区反恐怖机构\tRegional Anti-Terrorist Structure\nastana\t阿斯塔纳\tAstana|Nur-Sultan\ncovid\t新冠\tCOVID-19\n")
	for text, want := range map[string]string{
		"the SCO Regional Antiterrorist Structure (RATS)": "rats",
		"the Regional Anti-Terrorist Structure":           "rats",
		"flights to Nursultan":                            "astana",
		"COVID-19 and covid19":                            "covid",
		"the Regional Anti–Terrorist Structure":           "rats",   // en dash
		"the Regional Anti‑Terrorist Structure":           "rats",   // non-breaking hyphen
		"flights to Nur—Sultan":                           "astana", // em dash
	} {
		if got := g.Concepts(text); len(got) != 1 || got[0] != want {
			t.Errorf("Concepts(%q) = %v, want [%s]", text, got, want)
		}
	}
	if got := g.Concepts("a regional anti - terrorist structure"); len(got) != 0 {
		t.Errorf("a dash between words is not a hyphen inside one: got %v", got)
	}
}

func TestIDs(t *testing.T) {
	g := mustParse(t, testTSV)
	want := []string{"cfm", "covid", "december", "february", "sco", "shanghai", "us", "wang-yi", "who"}
	if got := g.IDs(); !slices.Equal(got, want) {
		t.Errorf("IDs() = %q, want %q (sorted, no blocker)", got, want)
	}
}
