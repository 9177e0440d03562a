package retrieve

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
)

// secretariat is a report of the opening of the SCO Secretariat that
// mentions its budget four sentences after the opening.
var secretariat = []rag.Chunk{
	{ID: "sec#0", Doc: "sec", Lang: "en", Date: "2004-01-15", Text: "The SCO opened its Secretariat in Beijing on Thursday. Zhang Deguang became the first Secretary-General. The staff is drawn from all members. Russian is one of its working languages. Member states pay into the budget by a scale the Council of Foreign Ministers agreed."},
}

func TestEvidenceIsGatheredInOneWindow(t *testing.T) {
	e := newGlossaryEngine(t, append(ragtest.Fixture(), secretariat...))
	ctx := context.Background()
	// Everything asked is in the first paragraph.
	r, err := e.Retrieve(ctx, "Who became the first Secretary-General when the Secretariat opened in Beijing?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Evidence.Coverage < 0.9 || r.Evidence.Names != 1 || r.Evidence.Answer != 1 {
		t.Errorf("answerable: evidence %+v, want coverage about 1, names and answer 1", r.Evidence)
	}
	if r.Abstains() {
		t.Errorf("answerable question refused (p %.2f)", r.Support)
	}
	// The budget is in the passage, but not near the opening in Beijing.
	r, err = e.Retrieve(ctx, "How large was the annual budget when the Secretariat opened in Beijing?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ev := r.Evidence
	if ev.Coverage > 0.8 || ev.Missing < 0.2 {
		t.Errorf("trap: evidence %+v, want the budget missing from the best window", ev)
	}
	if r.Passages[ev.Best].Doc != "sec" {
		t.Errorf("the best window should be in the Secretariat report, not %s", r.Passages[ev.Best].ID)
	}
	// Over the whole passage the budget would count as found.
	g, lex := ragtest.Glossaries(t)
	p := DefaultParams()
	p.EvidenceWindow = 100
	whole := NewEngine(Config{Chunks: append(ragtest.Fixture(), secretariat...), Glossary: g, Lexicon: lex, Params: &p})
	rw, _ := whole.Retrieve(ctx, "How large was the annual budget when the Secretariat opened in Beijing?", Options{})
	if rw.Evidence.Coverage < ev.Coverage+0.1 {
		t.Errorf("coverage in a window %.2f, in the whole passage %.2f: the window should not reach the budget", ev.Coverage, rw.Evidence.Coverage)
	}
}

func TestEvidenceFeatures(t *testing.T) {
	ev := Evidence{Coverage: 0.1, Focus: 0.2, Names: 0.3, Missing: 0.4, Answer: 0.5, Year: 0.6, YearKnown: 0.7, Unknown: 0.8, Parts: 0.9}
	if got := ev.Features(); len(got) != len(FeatureNames) || got[0] != 0.1 || got[8] != 0.9 {
		t.Errorf("features %v, names %v", got, FeatureNames)
	}
}

func TestHoldsAnswer(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	q := e.ParseQuery("Who met Wang Yi?")
	for _, tt := range []struct {
		text string
		t    AnswerType
		want bool
	}{
		{"The summit was held on 17 June 2004.", AnswerDate, true},
		{"会议于6月17日举行。", AnswerDate, true},
		{"The summit was held in the capital.", AnswerDate, false},
		{"Twenty-three documents were signed.", AnswerNumber, true},
		{"签署了23份文件。", AnswerNumber, true},
		{"It was signed in 2004.", AnswerNumber, false}, // a year is not a count
		{"Twenty years ago, on 15 January 2004, it opened.", AnswerNumber, false},
		{"20年前,它在北京成立。", AnswerNumber, false},
		{"Секретариат открылся 20 лет назад.", AnswerNumber, false},
		{"Twenty states signed it.", AnswerNumber, true},
		{"He met Sergei Lavrov.", AnswerPerson, true},
		{"他会见了拉夫罗夫。", AnswerPerson, true},
		{"На заседании председательствовал А.Н.Арипов.", AnswerPerson, true},
		{"Wang Yi spoke.", AnswerPerson, false}, // the question's own name is no answer
		// A state or city the glossary knows is no unknown person's name.
		{"设在乌兹别克斯坦首都塔什干的机构正式启动。", AnswerPerson, false},
		{"设在塔什干的机构由阿利莫夫领导。", AnswerPerson, true},
		{"The meeting was held in Dushanbe.", AnswerPlace, true},
		{"The meeting was held.", AnswerPlace, false},
		{"He said the SCO had grown.", AnswerWords, true},
		{"王毅指出,上合组织不断壮大。", AnswerWords, true},
		{"Лавров заявил, что ШОС растёт.", AnswerWords, true},
		{"Modi, Tokayev and Xi attended the meeting.", AnswerWords, false},
		{"莫迪、托卡耶夫出席会议。", AnswerWords, false},
		{"Anything at all.", AnswerAny, true},
	} {
		if got := e.HoldsAnswer(tt.text, tt.t, q); got != tt.want {
			t.Errorf("HoldsAnswer(%q, %d) = %v, want %v", tt.text, tt.t, got, tt.want)
		}
	}
}

func TestFitSeparatesAndGeneralises(t *testing.T) {
	// Answerable when the first feature is high; the second is noise.
	var xs [][]float64
	var ys []bool
	for i := 0; i < 40; i++ {
		c := float64(i) / 40
		xs = append(xs, []float64{c, math.Mod(float64(i)*0.37, 1)})
		ys = append(ys, c >= 0.5)
	}
	m := Fit(xs, ys, nil, 0.1)
	if m.Weights[0] <= 0 || math.Abs(m.Weights[1]) > m.Weights[0]/2 {
		t.Errorf("model %s: want a large positive first weight, a small second", m)
	}
	if acc := Accuracy(LeaveOneOut(xs, ys, nil, 0.1), ys, 0.5); acc < 0.9 {
		t.Errorf("leave-one-out accuracy %.2f, want at least 0.9", acc)
	}
	// Counting the unanswerable ones more moves the boundary up.
	ws := make([]float64, len(ys))
	for i, y := range ys {
		ws[i] = 1
		if !y {
			ws[i] = 5
		}
	}
	heavy := Fit(xs, ys, ws, 0.1)
	if heavy.Prob([]float64{0.55, 0.5}) >= m.Prob([]float64{0.55, 0.5}) {
		t.Error("weighing unanswerable examples more should lower the probability near the boundary")
	}
	if (Model{}).Prob([]float64{0}) != 1 {
		t.Error("an empty model never abstains")
	}
}

func TestUnitsPartsAndAnswerTypes(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	q := e.ParseQuery("Who chaired the meeting in Dushanbe, and when did Wang Yi propose five points?")
	if len(q.Parts) != 2 || q.Parts[0].Answer != AnswerPerson || q.Parts[1].Answer != AnswerDate {
		t.Fatalf("parts %+v, want a person part and a date part", q.Parts)
	}
	parts := map[string]int{}
	for _, u := range q.Units {
		parts[u.Concept] = u.Part
	}
	if parts["dushanbe"] != 0 || parts["wang-yi"] != 1 {
		t.Errorf("units' parts %v: Dushanbe in the first, Wang Yi in the second", parts)
	}
	zh := e.ParseQuery("2011年峰会由谁主持？成员国元首签署了什么宣言？")
	if len(zh.Parts) != 2 || zh.Parts[0].Answer != AnswerPerson {
		t.Errorf("Chinese parts %+v", zh.Parts)
	}
	// Months and "latest" are the time constraint's, not things to find.
	for _, u := range e.ParseQuery("What happened at the latest meeting in May?").Units {
		if (u.Concept == "may" || u.Text == "latest") != u.Time {
			t.Errorf("unit %q: time %v", u.Text, u.Time)
		}
	}
	// The first question word decides: a person, asked about a time.
	for q, want := range map[string]AnswerType{
		"Who headed it when it was launched?":      AnswerPerson,
		"What did they agree when they met?":       AnswerAny,
		"Which city hosted it?":                    AnswerPlace,
		"In which cities were they held?":          AnswerPlace,
		"In what year was it founded?":             AnswerDate,
		"What was the budget, and how many staff?": AnswerAny,
		"哪座城市举办了峰会？":                               AnswerPlace,
		"签署了哪些文件？":                                 AnswerAny,
		"成员国应在哪几个方面加强协调？":                          AnswerAny,
		"峰会在哪举行？":                                  AnswerPlace,
		"峰会在哪座城市举行？":                               AnswerPlace,
		"Когда состоялся саммит?":                  AnswerDate,
		"他在任的是哪几年？":                                AnswerDate,
		"In which years did he serve?":             AnswerDate,
		// What someone said: a statement, not an attendance list.
		"What did Imran Khan say in his speech?": AnswerWords,
		"What did Lavrov say about Afghanistan?": AnswerWords,
		"王毅在讲话中说了什么？":                            AnswerWords,
		"Что заявил Лавров в Ташкенте?":          AnswerWords,
		"What did they agree when Putin spoke?":  AnswerAny,
		"Who said it?":                           AnswerPerson,
		"When did he say it?":                    AnswerDate,
		// Figures and ordinals are numbers, in English and Russian.
		"What figure for trade did the communiqué cite?": AnswerNumber,
		"Какой объём торговли назван в коммюнике?":       AnswerNumber,
		"и каким по счёту заседанием он был?":            AnswerNumber,
	} {
		if got := answerType(q); got != want {
			t.Errorf("answerType(%q) = %d, want %d", q, got, want)
		}
	}
}

// A Russian question asks its second thing after "и" and a question word,
// and its question words in any case form frame it: no report holds
// "каким" or "по счёту".
func TestRussianQuestionFrames(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	q := e.ParseQuery("Когда в Астане прошёл саммит ШОС и каким по счёту заседанием он был?")
	if len(q.Parts) != 2 || q.Parts[0].Answer != AnswerDate || q.Parts[1].Answer != AnswerNumber {
		t.Errorf("parts %+v: want a date, then a number", q.Parts)
	}
	for _, u := range q.Units {
		if u.Text == "каким" || strings.Contains(u.Text, "счёт") {
			t.Errorf("unit %q: a question word is a thing to find", u.Text)
		}
	}
}

// "в 2019 году" is a date, as "2019年" is: the year constrains the
// answer, and году is no word to find (every report says "year").
func TestRussianYearIsADate(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	q := e.ParseQuery("Кто председательствовал на саммите ШОС в Бишкеке в 2019 году?")
	if !slices.Equal(q.Time.Years, []int{2019}) {
		t.Errorf("years %v, want [2019]", q.Time.Years)
	}
	for _, u := range q.Units {
		if strings.HasPrefix(u.Text, "год") {
			t.Errorf("unit %q: the year's word is a thing to find", u.Text)
		}
	}
}

// A run of Han characters is a term without the pronoun that opens it
// and the particles that close it.
func TestHanTermsLosePronounsAndParticles(t *testing.T) {
	e := newGlossaryEngine(t, ragtest.Fixture())
	var terms []string
	for _, u := range e.ParseQuery("上合组织首任秘书长是谁？他在任的是哪几年？").Units {
		if u.Kind == UnitTerm {
			terms = append(terms, u.Text)
		}
	}
	if !slices.Contains(terms, "在任") || slices.ContainsFunc(terms, func(s string) bool { return strings.ContainsAny(s, "他的") }) {
		t.Errorf("terms %q: want 在任, no pronoun or particle", terms)
	}
	for _, u := range append(e.ParseQuery("江泽民如何评价这次峰会？").Units, e.ParseQuery("秘书处的日常运转靠什么？").Units...) {
		if u.Text == "这次" || strings.HasPrefix(u.Text, "的") {
			t.Errorf("unit %q: a demonstrative is a thing to find", u.Text)
		}
	}
}

func TestNamesTheGlossaryLacks(t *testing.T) {
	chunks := append(ragtest.Fixture(), rag.Chunk{ID: "tash#0", Doc: "tash", Lang: "ru", Text: "На заседании выступил узбекский президент Ислам Каримов."})
	e := newGlossaryEngine(t, chunks)
	// Karimov is not in a glossary row that the fixture needs: found by
	// pronunciation in the Russian report.
	q := e.ParseQuery("What did Karimov say?")
	var karimov *Unit
	for i, u := range q.Units {
		if u.Text == "Karimov" {
			karimov = &q.Units[i]
		}
	}
	if karimov == nil || karimov.Kind != UnitEntity {
		t.Fatalf("units %+v: want Karimov as a name", q.Units)
	}
	// A foreign name no report holds in any script: no report is about it.
	r, err := e.Retrieve(context.Background(), "What did Zbigniew Brzezinski say about the SCO?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.Unnamed, "Brzezinski") || !r.Abstains() {
		t.Errorf("unnamed %v, abstains %v: want Brzezinski unnamed and the question refused", r.Unnamed, r.Abstains())
	}
	// A Chinese name in pinyin may be in the Chinese reports in characters.
	r, _ = e.Retrieve(context.Background(), "What did Lu Kang say about the SCO?", Options{})
	if slices.Contains(r.Unnamed, "Kang") || slices.Contains(r.Unnamed, "Lu") {
		t.Errorf("unnamed %v: a pinyin name is never ruled absent", r.Unnamed)
	}
}

func TestPinyinLike(t *testing.T) {
	for w, want := range map[string]bool{
		"Liyuan": true, "Meijiang": true, "Zhang": true, "Xi": true, "Qingdao": true,
		"Trump": false, "Brzezinski": false, "Karimov": false, "Lavrov": false,
	} {
		if got := pinyinLike(w); got != want {
			t.Errorf("pinyinLike(%s) = %v, want %v", w, got, want)
		}
	}
}

func TestOutsideYears(t *testing.T) {
	// Reports dated 2020 to 2024, and one whose date a scrape garbled.
	cs := append(ragtest.Fixture(), rag.Chunk{ID: "x#0", Doc: "x", Lang: "en", Date: "n.d.-01", Text: "An undated note."})
	e := newGlossaryEngine(t, cs)
	for years, want := range map[string]bool{
		"2030": true,  // after the newest report
		"2010": true,  // before any year the reports name
		"2022": false, // inside the span: a report may tell of it undated
		"2021": false, // named
	} {
		var y int
		for _, c := range years {
			y = y*10 + int(c-'0')
		}
		if got := e.outsideYears(TimeConstraint{Years: []int{y}}); got != want {
			t.Errorf("outsideYears(%s) = %v, want %v", years, got, want)
		}
	}
}

// TestWhatSomeoneSaid: "what did X say in his speech" is answered from a
// report of X's words, and refused where the reports only list X among
// those present (the speech, and any statement, missing: Lacks).
func TestWhatSomeoneSaid(t *testing.T) {
	attended := rag.Chunk{ID: "bishkek#0", Doc: "bishkek", Lang: "en", Date: "2019-06-14", Text: "The SCO summit opened in Bishkek on 14 June 2019. Narendra Modi, Xi Jinping, Imran Khan and Vladimir Putin attended the meeting. Sooronbay Jeenbekov chaired it."}
	said := rag.Chunk{ID: "bishkek#1", Doc: "bishkek", Lang: "en", Date: "2019-06-14", Text: "At the Bishkek summit Imran Khan said that Pakistan would deepen its cooperation with the SCO against terrorism."}
	ctx := context.Background()
	const q = "What did Imran Khan say in his speech at the Bishkek summit?"
	r, err := newGlossaryEngine(t, append(ragtest.Fixture(), attended)).Retrieve(ctx, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Query.Parts[0].Answer != AnswerWords || !r.Abstains() {
		t.Errorf("only the attendance reported: asks for %d, abstains %v (evidence %+v)", r.Query.Parts[0].Answer, r.Abstains(), r.Evidence)
	}
	r, err = newGlossaryEngine(t, append(ragtest.Fixture(), attended, said)).Retrieve(ctx, q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Abstains() {
		t.Errorf("his words reported, yet refused (evidence %+v)", r.Evidence)
	}
}
