package answer

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/scobot/scobot/rag"
	"github.com/scobot/scobot/rag/internal/ragtest"
	"github.com/scobot/scobot/rag/retrieve"
)

// newTestEngine builds a lexical engine over ragtest.Fixture with the
// built-in glossary.
func newTestEngine(t *testing.T) *retrieve.Engine {
	t.Helper()
	g, _ := ragtest.Glossaries(t)
	return retrieve.NewEngine(retrieve.Config{Chunks: ragtest.Fixture(), Glossary: g})
}

// checkCitations asserts the answer's grounding: every marker points at a
// listed source, every source is cited, numbers run 1..n, and every quoted
// sentence is verbatim in the chunk (so in the document) it cites.
func checkCitations(t *testing.T, e *retrieve.Engine, a rag.Answer) {
	t.Helper()
	cited := map[int]bool{}
	for _, m := range ragtest.MarkerRE.FindAllStringSubmatch(a.Text, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(a.Citations) {
			t.Errorf("marker [%d] points at no source (have %d): %s", n, len(a.Citations), a.Text)
		}
		cited[n] = true
	}
	for i, c := range a.Citations {
		if c.N != i+1 {
			t.Errorf("citation %d numbered %d", i+1, c.N)
		}
		if !cited[c.N] {
			t.Errorf("source [%d] %s listed but never cited", c.N, c.Doc)
		}
	}
	for _, s := range a.Statements {
		ch, ok := chunkOf(e, s.Doc, s.Chunk)
		if !ok {
			t.Errorf("statement cites unknown chunk %s", s.Chunk)
			continue
		}
		if !strings.Contains(ch.Text, s.Text) && !ragtest.Contains(e.DocChunks(s.Doc), s.Text) {
			t.Errorf("statement %q is not in document %s", s.Text, s.Doc)
		}
		if a.Citations[s.N-1].Doc != s.Doc {
			t.Errorf("statement from %s carries [%d] = %s", s.Doc, s.N, a.Citations[s.N-1].Doc)
		}
	}
}

// chunkOf finds the chunk of doc with the given ID.
func chunkOf(e *retrieve.Engine, doc, id string) (rag.Chunk, bool) {
	for _, c := range e.DocChunks(doc) {
		if c.ID == id {
			return c, true
		}
	}
	return rag.Chunk{}, false
}

func TestAnswerCitesWhatItQuotes(t *testing.T) {
	e := newTestEngine(t)
	tests := []struct {
		q    string
		doc  string   // the first source
		want []string // strings the answer must contain
	}{
		{"Which foreign ministers did Wang Yi hold bilateral talks with in Astana?", "astana-mfa", []string{"拉夫罗夫", "Lavrov"}},
		{"王毅在杜尚别提出了什么建议?", "dushanbe", []string{"five-point proposal"}},
		{"What did Wang Yi say about vaccine nationalism?", "dushanbe", []string{"vaccine nationalism"}},
		{"How was the 20th SCO summit held?", "briefing", []string{"video"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a, err := NewAssistant(e).Answer(context.Background(), tt.q, rag.AnswerOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Abstained {
				t.Fatalf("abstained (support %.2f): %s", a.Support, a.Text)
			}
			if a.Mode != rag.AnswerExtractive || len(a.Citations) == 0 || a.Citations[0].Doc != tt.doc {
				t.Errorf("mode %s, citations %+v; want first source %s", a.Mode, a.Citations, tt.doc)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("answer lacks %q:\n%s", w, a.Text)
				}
			}
			checkCitations(t, e, a)
		})
	}
}

func TestAnswerFollowsAnnouncedList(t *testing.T) {
	e := newTestEngine(t)
	a, err := NewAssistant(e).Answer(context.Background(), "王毅在阿斯塔纳提出了哪四点建议?", rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range []string{"一要坚持战略自主", "二要坚持安危共担", "三要坚持普惠共赢", "四要坚持开放包容"} {
		if !strings.Contains(a.Text, item) {
			t.Errorf("answer lacks list item %q:\n%s", item, a.Text)
		}
	}
	checkCitations(t, e, a)
}

func TestAnswerGlossesNamesAcrossLanguages(t *testing.T) {
	e := newTestEngine(t)
	a, err := NewAssistant(e).Answer(context.Background(), "Which foreign ministers did Wang Yi hold bilateral talks with in Astana?", rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Lang != "en" || !strings.Contains(a.Text, "拉夫罗夫 = Lavrov") {
		t.Errorf("want an English answer glossing 拉夫罗夫 = Lavrov, got (%s):\n%s", a.Lang, a.Text)
	}
	if !strings.Contains(a.Text, "2024-05-21") {
		t.Errorf("answer should say the date of what it quotes:\n%s", a.Text)
	}
}

func TestAnswerAbstainsWithoutSources(t *testing.T) {
	e := newTestEngine(t)
	for _, q := range []string{
		"Who won the 2022 FIFA World Cup?",
		"上合组织2030年峰会在哪里举行?",
		"How do I bake sourdough bread?",
	} {
		t.Run(q, func(t *testing.T) {
			a, err := NewAssistant(e).Answer(context.Background(), q, rag.AnswerOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Abstained || len(a.Citations) != 0 || len(a.Statements) != 0 {
				t.Fatalf("want an abstention with no sources, got %+v", a)
			}
			if ragtest.MarkerRE.MatchString(a.Text) {
				t.Errorf("abstention carries a marker: %s", a.Text)
			}
		})
	}
	a, _ := NewAssistant(e).Answer(context.Background(), "上合组织2030年峰会在哪里举行?", rag.AnswerOptions{})
	if !strings.Contains(a.Text, "语料库中没有") {
		t.Errorf("a Chinese question gets a Chinese abstention, got %q", a.Text)
	}
}

func TestCheckQuestion(t *testing.T) {
	e := newTestEngine(t)
	if _, err := NewAssistant(e).Answer(context.Background(), "  \n ", rag.AnswerOptions{}); !errors.Is(err, rag.ErrEmptyQuestion) {
		t.Errorf("empty question: err = %v", err)
	}
	long := strings.Repeat("问", rag.MaxQuestionRunes+1)
	if _, err := NewAssistant(e).Answer(context.Background(), long, rag.AnswerOptions{}); !errors.Is(err, rag.ErrQuestionTooLong) {
		t.Errorf("long question: err = %v", err)
	}
}

func TestAbstainsWhenNamesNeverMeet(t *testing.T) {
	e := newTestEngine(t)
	// Le Yucheng and Dushanbe are each in a report, never in the same one.
	a, err := NewAssistant(e).Answer(context.Background(), "What did Le Yucheng say in Dushanbe?", rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Abstained || len(a.Citations) != 0 {
		t.Errorf("want an abstention, got %s", a.Text)
	}
	// Lavrov and Astana are in one report: answered.
	a, _ = NewAssistant(e).Answer(context.Background(), "Did Wang Yi hold talks with Lavrov in Astana?", rag.AnswerOptions{})
	if a.Abstained {
		t.Errorf("names reported together should be answered: %s", a.Text)
	}
}

func TestAbstainsOnNamesNoReportMentions(t *testing.T) {
	e := newTestEngine(t)
	// The glossary knows the Secretary-General; no report names one.
	r, err := e.Retrieve(context.Background(), "Who is the Secretary-General of the SCO?", retrieve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Unnamed) != 1 || r.Unnamed[0] != "secretary-general" || !r.Abstains() {
		t.Errorf("Unnamed = %v, abstains %v; want [secretary-general], true", r.Unnamed, r.Abstains())
	}
	// The asker is told what no report names, in their language.
	if a := Extract(e, "Who is the Secretary-General of the SCO?", r); !a.Abstained || a.Note != "No report mentions Secretary-General." {
		t.Errorf("abstained %v, note %q", a.Abstained, a.Note)
	}
	if a, _ := NewAssistant(e).Answer(context.Background(), "上合组织秘书长是谁?", rag.AnswerOptions{}); !a.Abstained || a.Note != "没有一篇报道提到秘书长。" {
		t.Errorf("abstained %v, note %q", a.Abstained, a.Note)
	}
	// "Meet" is a phrase, not an entity: the reports may say "hold talks".
	r, _ = e.Retrieve(context.Background(), "Did Wang Yi meet Lavrov?", retrieve.Options{})
	if len(r.Unnamed) != 0 {
		t.Errorf("Unnamed = %v, want none", r.Unnamed)
	}
	// Lavrov is named (in Chinese only): answered.
	r, _ = e.Retrieve(context.Background(), "Did Wang Yi hold talks with Lavrov in Astana?", retrieve.Options{})
	if len(r.Unnamed) != 0 || r.Abstains() {
		t.Errorf("Unnamed = %v, abstains %v; want none, false", r.Unnamed, r.Abstains())
	}
}

// A question of a year whose reports are all of another tells the asker
// which years the reports are of, in their language.
func TestAbstentionSaysTheReportsYears(t *testing.T) {
	e := newTestEngine(t)
	q := "What did Wang Yi propose in Dushanbe in 2023?"
	r, err := e.Retrieve(context.Background(), q, retrieve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a := Extract(e, q, r); !a.Abstained || a.Note != "The reports that name this are of 2021, not of 2023." {
		t.Errorf("abstained %v, note %q", a.Abstained, a.Note)
	}
	if a, _ := NewAssistant(e).Answer(context.Background(), "2023年王毅在杜尚别提出了什么？", rag.AnswerOptions{}); !a.Abstained || a.Note != "提到这些的报道是2021年的，不是2023年的。" {
		t.Errorf("abstained %v, note %q", a.Abstained, a.Note)
	}
}

// A sentence that answers what happened, whose date is in the sentence
// before it in the same paragraph, is quoted with that sentence: the date
// asked for is in the quote. In another paragraph it is not carried.
func TestQuoteCarriesTheSentenceBeforeThatHoldsTheAnswer(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	timeline := rag.Chunk{ID: "timeline#0", Doc: "timeline", Lang: "zh", Title: "上合组织历次峰会回顾",
		Text: "2004年6月17日，第四次峰会在乌兹别克斯坦首都塔什干举行。成员国元首正式启动上合组织地区反恐怖机构，签署了多份重要文件。\n\n" +
			"2005年7月5日，第五次峰会在阿斯塔纳举行。\n成员国元首签署了《阿斯塔纳宣言》。"}
	e := retrieve.NewEngine(retrieve.Config{Chunks: []rag.Chunk{timeline}, Glossary: g, Lexicon: lex})
	a := answerOf(t, e, "上合组织地区反恐怖机构何时正式启动？")
	if !strings.Contains(a.Text, "2004年6月17日，第四次峰会在乌兹别克斯坦首都塔什干举行。成员国元首正式启动") {
		t.Errorf("want the launch quoted with the sentence that dates it:\n%s", a.Text)
	}
	if got := withLead(timeline.Text, &retrieve.Sentence{Text: "2005年7月5日，第五次峰会在阿斯塔纳举行。"}, "成员国元首签署了《阿斯塔纳宣言》。"); got != "" {
		t.Errorf("a sentence of the next paragraph carried: %q", got)
	}
}

// A question that asks how reports differ quotes each report's own words,
// the one that does not date the event too; otherwise the best report's
// sentences crowd the other out.
func TestComparingQuestionQuotesEachReport(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	a := rag.Chunk{ID: "a#0", Doc: "a", Lang: "en", Title: "Astana summit adopts documents", Date: "2024-07-04",
		Text: "The SCO summit in Astana adopted 25 documents on Thursday, the Kazakh presidency said. " +
			"The SCO summit in Astana was chaired by President Tokayev. " +
			"Leaders at the SCO summit in Astana signed the Astana Declaration."}
	b := rag.Chunk{ID: "b#0", Doc: "b", Lang: "en", Title: "Leaders meet in Kazakhstan",
		Text: "Officials said 22 documents were signed at the SCO summit in Astana."}
	e := retrieve.NewEngine(retrieve.Config{Chunks: []rag.Chunk{a, b}, Glossary: g, Lexicon: lex})
	ans := answerOf(t, e, "Reports of the SCO summit in Astana in 2024 disagree on how many documents it adopted. What figures do they give?")
	for _, want := range []string{"25 documents", "22 documents"} {
		if !strings.Contains(ans.Text, want) {
			t.Errorf("want %q quoted:\n%s", want, ans.Text)
		}
	}
	if q := e.ParseQuery("How many documents did the SCO summit in Astana adopt?"); q.Compares {
		t.Error("a plain question read as comparing reports")
	}
}

// A short paragraph that does not end like a sentence is a heading; a long
// one is a sentence a scrape cut off, and may be quoted.
func TestIsHeading(t *testing.T) {
	cut := "Chinese State Councilor Tang Jiaxuan and the foreign ministers of six SCO members -- Li Zhaoxing from China, Igor Ivanov from Russia -- and representatives of international organizations attended the inaugural ceremony of the secretariat, located i"
	cutZh := "中国外交部长杨洁篪6月10日发表文章指出:“我们有充分的理由相信,在各方共同关心和推动下,上海合作组织10周年纪念峰会一定会取得圆满成功,各国元首即将作出的重大决策将使这个新型多边区域合作组织更加团结紧密地向前迈进,更加务实高效地履行职责,为推"
	headline := "Wang Yi Attends Shanghai Cooperation Organization Member States’ Council of Foreign Ministers Meeting, Emphasizes Deepening Cooperation for Win-Win Development"
	text := "SCO opens its Secretariat in Beijing\n\n" + headline + "\n\nThe Shanghai Cooperation Organization opened its secretariat on Thursday.\n\n" + cutZh + "\n\n" + cut
	for s, want := range map[string]bool{
		"SCO opens its Secretariat in Beijing": true,
		headline:                               true,
		cutZh:                                  false,
		"The Shanghai Cooperation Organization opened its secretariat on Thursday.": false,
		cut: false,
	} {
		if got := IsHeading(s, text); got != want {
			t.Errorf("IsHeading(%.40q…) = %v, want %v", s, got, want)
		}
	}
}

// A sentence that opens with "he" is about the person named a sentence or
// two before it: asked about that person, it is quoted, and it comes with
// the sentence before it that names him, even across a paragraph break
// (alone it would not say whom it is about).
func TestPronounSentence(t *testing.T) {
	for _, tt := range []struct {
		name, text, q string
		want          []string // quoted, in this order
	}{
		{"comes with its referent",
			"China's senior diplomat Zhang Ming has taken charge as the new Secretary-General of the SCO.\n\n" +
				"Zhang took over from Vladimir Norov on January 1 for a three-year term.\n\n" +
				"He was until recently China's ambassador to the European Union.",
			"Who was China's ambassador to the European Union?",
			[]string{"Zhang took over from Vladimir Norov", "He was until recently"}},
		{"counts for the person named before",
			"Veteran diplomat Li Hongwei has become the new director of the SCO's Regional Anti-Terrorist Structure.\n\n" +
				"Li took over from his predecessor on May 1 for a three-year term.\n\n" +
				"He was until recently consul general in Almaty.",
			"What post did Li Hongwei hold before he became director?",
			[]string{"consul general in Almaty"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := answerOfChunks(t, []rag.Chunk{{ID: "p#0", Doc: "p", Lang: "en", Title: "A new post", Text: tt.text}}, tt.q)
			at := 0
			for _, w := range tt.want {
				i := strings.Index(a.Text[at:], w)
				if i < 0 {
					t.Fatalf("want %q quoted after what comes before it:\n%s", w, a.Text)
				}
				at += i
			}
		})
	}
}

// An undated report is of the year another of its passages names: asked
// about 2025, its paragraph that does not repeat the year may be quoted.
func TestUndatedReportIsOfTheYearItNames(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	chunks := []rag.Chunk{
		{ID: "tj#0", Doc: "tj", Pos: 0, Lang: "zh", Title: "2025年上合组织峰会将在天津举行",
			Text: "外交部发言人22日宣布：2025年上海合作组织峰会将于8月31日至9月1日在天津举行。国家主席习近平将主持会议并发表主旨讲话。"},
		{ID: "tj#1", Doc: "tj", Pos: 1, Lang: "zh", Title: "2025年上合组织峰会将在天津举行",
			Text: "届时，习近平主席将同20多位外国领导人和10位国际组织负责人聚首海河之滨，总结上合组织成功经验。"},
	}
	e := retrieve.NewEngine(retrieve.Config{Chunks: append(ragtest.Fixture(), chunks...), Glossary: g, Lexicon: lex})
	a := answerOf(t, e, "2025年天津峰会期间，习近平将同多少位外国领导人聚首？")
	if !strings.Contains(a.Text, "20多位外国领导人") {
		t.Errorf("want the undated report's second paragraph quoted:\n%s", a.Text)
	}
}

// A quoted sentence comes with the one after it that adds to its point
// ("… also attended"): alone it would tell half of who was there. A
// sentence after it that adds nothing is not carried, nor is Yemen's
// "也门" read as "also".
func TestQuoteCarriesTheSentenceThatAddsToIt(t *testing.T) {
	c := rag.Chunk{ID: "gu#0", Doc: "gu", Lang: "en", Title: "Guests arrive for the Bishkek summit",
		Text: "The Turkmen president will attend the Bishkek summit as a guest of the presidency. " +
			"The UN Under-Secretary-General Ivan Petrov and the ASEAN deputy secretary-general will also attend. " +
			"The weather in Bishkek was mild on Tuesday."}
	a := answerOfChunks(t, []rag.Chunk{c}, "Which guests of the presidency will attend the Bishkek summit?")
	if !strings.Contains(a.Text, "Ivan Petrov") {
		t.Errorf("want the sentence adding guests quoted with the one it adds to:\n%s", a.Text)
	}
	for s, want := range map[string]bool{
		"独联体执委会主席也将与会。": true, "He also met the Iranian minister.": true, "Он также встретился с министром.": true,
		"也门代表出席了会议。": false, "The weather was mild.": false, "Это тоже важно": true,
	} {
		if got := additiveRE.MatchString(s); got != want {
			t.Errorf("additiveRE.MatchString(%q) = %v, want %v", s, got, want)
		}
	}
}

// answerOfChunks answers q from an engine over chunks alone, with the
// built-in glossary and lexicon.
func answerOfChunks(t *testing.T, chunks []rag.Chunk, q string) rag.Answer {
	t.Helper()
	g, lex := ragtest.Glossaries(t)
	return answerOf(t, retrieve.NewEngine(retrieve.Config{Chunks: chunks, Glossary: g, Lexicon: lex}), q)
}

// TestWarm: a warmed assistant has the reports by date made, which its
// first answer would otherwise make, and answers as before.
func TestWarm(t *testing.T) {
	e := newTestEngine(t)
	a := NewAssistant(e)
	a.Warm()
	if len(a.docs.dated) == 0 {
		t.Fatal("Warm did not list the reports by date")
	}
	got, err := a.Answer(context.Background(), "王毅在杜尚别提出了什么建议?", rag.AnswerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := NewAssistant(e).Answer(context.Background(), "王毅在杜尚别提出了什么建议?", rag.AnswerOptions{})
	if got.Text != want.Text {
		t.Errorf("warmed answer %q, want %q", got.Text, want.Text)
	}
}

// A report names a person in full once, then by surname ("…, Jiang
// said"): that sentence holds the person as much as the first does, so it
// is quoted for what the question asks of them, before others' words on
// the same thing fill the answer.
func TestSurnameNamesThePersonNamedBefore(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	report := rag.Chunk{ID: "spb#0", Doc: "spb", Lang: "en", Title: "SCO summit closes in St. Petersburg",
		Text: "Chinese President Jiang Zemin spoke at a press conference after the summit. " +
			"Russian President Vladimir Putin said the fight against terrorism needs every member. " +
			"Kazakh President Nursultan Nazarbayev said terrorism threatens the whole region. " +
			"Kyrgyz President Askar Akayev said terrorism must be fought together. " +
			"Tajik President Emomali Rahmon said terrorism knows no borders. " +
			"Uzbek President Islam Karimov said terrorism is the gravest danger. " +
			"Members will take more firm actions against terrorism, Jiang said."}
	e := retrieve.NewEngine(retrieve.Config{Chunks: []rag.Chunk{report}, Glossary: g, Lexicon: lex})
	a := answerOf(t, e, "What did Jiang Zemin say about terrorism?")
	if !strings.Contains(a.Text, "firm actions") {
		t.Errorf("want the sentence naming Jiang by surname quoted:\n%s", a.Text)
	}
	u := retrieve.Unit{Person: true, Alts: [][]string{{"jiang", "zemin"}, {"江泽"}, {"askar", "akayev"}}}
	if got := u.Surnames(); len(got) != 2 || got[0] != "jiang" || got[1] != "akayev" {
		t.Errorf("Surnames = %q, want [jiang akayev]", got)
	}
}

// A surname before a capitalised word begins another's full name.
func TestStandsAlone(t *testing.T) {
	for text, want := range map[string]bool{
		"Zhang has taken charge.":               true,
		"It was held by Zhang Deguang in 2004.": false,
		"…, Zhang said.":                        true,
		"Zhangjiakou hosted it.":                false,
		"Zhang Deguang and later Zhang.":        true,
	} {
		if got := standsAlone(text, "zhang"); got != want {
			t.Errorf("standsAlone(%q) = %v, want %v", text, got, want)
		}
	}
}

// A sentence is judged against the best of the sub-question it scores
// for: the second sentence on the ceremony, in another report, is quoted
// though it scores far below the best sentence on who congratulated.
func TestEachPartJudgedByItsOwnBest(t *testing.T) {
	pm := retrieve.DefaultParams()
	q := retrieve.Query{Parts: []retrieve.Part{{Answer: retrieve.AnswerPerson}, {Answer: retrieve.AnswerDate}}}
	cand := func(text, doc string, p0, p1 float64) Candidate {
		return Candidate{Text: text, Passage: rag.Passage{Chunk: rag.Chunk{ID: doc + "#0", Doc: doc}}, Score: max(p0, p1),
			Parts: []float64{p0, p1}, own: []float64{p0 / 10, p1 / 3}}
	}
	cands := []Candidate{
		cand("The heads of state sent congratulations.", "a", 10, 0),
		cand("The opening ceremony took place on 15 January 2004.", "b", 0, 3),
		cand("On this occasion the UN Secretary-General sent a message.", "b", 0, 2),
	}
	sig := func(s string) map[string]bool { return map[string]bool{s: true} }
	chosen := pickSentences(pm, q, cands, sig)
	if len(chosen) != 3 {
		t.Errorf("chose %d sentences, want all 3: %+v", len(chosen), chosen)
	}
}

// A sentence that opens by pointing back at the event the one before names
// ("On this occasion") holds, in part, what that one names.
func TestBackReferenceHoldsTheSentenceBefore(t *testing.T) {
	g, lex := ragtest.Glossaries(t)
	chunk := rag.Chunk{ID: "sec#0", Doc: "sec", Lang: "en", Title: "Secretariat",
		Text: "The opening ceremony was held in the morning. " +
			"On this occasion, Zhang Deguang received messages from the UN chief. " +
			"The weather was cold and the roads were icy. " +
			"Meanwhile, Li Zhaoxing received messages from the UN chief."}
	e := retrieve.NewEngine(retrieve.Config{Chunks: []rag.Chunk{chunk}, Glossary: g, Lexicon: lex})
	r, err := e.Retrieve(context.Background(), "Who received messages at the opening ceremony?", retrieve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]float64{}
	for _, c := range Candidates(e, r) {
		score[c.Text] = c.Score
	}
	on, other := score["On this occasion, Zhang Deguang received messages from the UN chief."], score["Meanwhile, Li Zhaoxing received messages from the UN chief."]
	if on <= other {
		t.Errorf("scores %v: want the sentence pointing back above the one that does not", score)
	}
}

// A sentence quoted with the one before it stands for that one, however
// alike their signatures: the date of the summit and what it agreed, not
// the date alone.
func TestLongerQuoteStandsForTheShorter(t *testing.T) {
	pm := retrieve.DefaultParams()
	q := retrieve.Query{Parts: []retrieve.Part{{Answer: retrieve.AnswerDate}, {Answer: retrieve.AnswerAny}}}
	short := "2003年5月29日,第三次峰会在俄首都莫斯科举行。"
	long := short + "成员国元首在加强协调等重大问题上达成广泛共识。"
	cands := []Candidate{
		{Text: long, Score: 0.86, Parts: []float64{0.75, 0.86}, own: []float64{0.17, 0.33}},
		{Text: short, Score: 0.56, Parts: []float64{0.56, 0.19}, own: []float64{1, 0}},
	}
	same := func(string) map[string]bool { return map[string]bool{"2003": true, "莫斯科": true} }
	chosen := pickSentences(pm, q, cands, same)
	if len(chosen) != 1 || chosen[0].Text != long {
		t.Errorf("chose %+v, want the longer quote alone", chosen)
	}
}

// A question asking two things may take each from its own report: the
// date from a report of the summit that does not name the leaders asked
// about in the next breath (Retrieval.PartCovering).
func TestEachPartFromItsOwnReport(t *testing.T) {
	chunks := []rag.Chunk{
		{ID: "dated#0", Doc: "dated", Lang: "en", Title: "Summits so far", Text: "The second summit was held in St Petersburg on June 7, 2002. The third summit was held in Moscow."},
		{ID: "quotes#0", Doc: "quotes", Lang: "en", Title: "Leaders praise the SCO", Text: "At the summit in St Petersburg, Vladimir Putin said the SCO is a stabilizing factor. Askar Akayev said the SCO has withstood the test."},
	}
	chunks = append(chunks, ragtest.Fixture()...) // St Petersburg in few reports: a specific name
	g, lex := ragtest.Glossaries(t)
	e := retrieve.NewEngine(retrieve.Config{Chunks: chunks, Glossary: g, Lexicon: lex})
	q := "On what date was the summit held in St Petersburg, and what did Putin and Akayev say?"
	r, err := e.Retrieve(context.Background(), q, retrieve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Covering["quotes"] || r.Covering["dated"] || !r.PartCovering["dated"] {
		t.Fatalf("covering %v, part covering %v: want quotes covering, dated covering a part", r.Covering, r.PartCovering)
	}
	if a := Extract(e, q, r); !strings.Contains(a.Text, "June 7, 2002") || !strings.Contains(a.Text, "stabilizing factor") {
		t.Errorf("want the date and the words, each from its report:\n%s", a.Text)
	}
}

// A question of a year quotes an undated report that names no year at all
// but all of the question's names: it may be of that year. An undated
// report naming only other years is still left out.
func TestUndatedYearlessReportMayBeOfTheYear(t *testing.T) {
	chunks := append([]rag.Chunk{
		{ID: "launch#0", Doc: "launch", Lang: "en", Title: "RATS launched", Text: "The Regional Anti-Terrorist Structure was launched in Tashkent on Thursday. Hu Jintao attended the launch ceremony."},
		{ID: "summary#0", Doc: "summary", Lang: "en", Title: "Summits so far", Date: "2015-07-09", Text: "On June 17, 2004, the summit in Tashkent launched the Regional Anti-Terrorist Structure."},
		{ID: "later#0", Doc: "later", Lang: "en", Title: "RATS council", Text: "In 2019 the council of the Regional Anti-Terrorist Structure met in Tashkent. Vladimir Norov attended the meeting."},
	}, ragtest.Fixture()...)
	a := answerOfChunks(t, chunks, "Who attended the launch of the Regional Anti-Terrorist Structure in Tashkent in 2004?")
	if !strings.Contains(a.Text, "Hu Jintao") || strings.Contains(a.Text, "Norov") {
		t.Errorf("want the yearless report quoted, not the 2019 one:\n%s", a.Text)
	}
}

// The last paragraph of a report, cut off by the scrape in mid-sentence,
// is the report's words, not a heading: it may be quoted.
func TestCutOffLastParagraphIsQuoted(t *testing.T) {
	chunks := append([]rag.Chunk{{ID: "summits#0", Doc: "summits", Lang: "zh", Title: "历次峰会",
		Text: "2004年6月17日,第四次峰会在乌兹别克斯坦首都塔什干举行。\n\n2005年7月5日,第五次峰会在哈萨克斯坦首都阿斯塔纳"}}, ragtest.Fixture()...)
	a := answerOfChunks(t, chunks, "第五次峰会在哈萨克斯坦哪个城市举行？")
	if !strings.Contains(a.Text, "2005年7月5日,第五次峰会在哈萨克斯坦首都阿斯塔纳") {
		t.Errorf("want the cut-off paragraph quoted:\n%s", a.Text)
	}
	if IsHeading("2005年7月5日,第五次峰会在哈萨克斯坦首都阿斯塔纳", "2005年7月5日,第五次峰会在哈萨克斯坦首都阿斯塔纳") != true {
		t.Error("IsHeading itself knows no report's end")
	}
}

// An interviewer's question is never quoted as an answer, however many of
// the asker's words it holds.
func TestQuestionsInReportsAreNotQuoted(t *testing.T) {
	chunks := append([]rag.Chunk{{ID: "iv#0", Doc: "iv", Lang: "en", Title: "Interview",
		Text: "Reporter: Why did the foreign ministers of the SCO meet in Moscow this year? " +
			"Wang Yi: The foreign ministers of the SCO met in Moscow to prepare the summit."}}, ragtest.Fixture()...)
	a := answerOfChunks(t, chunks, "Why did the SCO foreign ministers meet in Moscow?")
	if strings.Contains(a.Text, "Reporter:") || !strings.Contains(a.Text, "to prepare the summit") {
		t.Errorf("want the answer, not the interviewer's question:\n%s", a.Text)
	}
}

// The yearless report may be of the year asked only when it names all of
// the question's names itself: one naming a single city of a several-city
// question (which covers it with the others) is of no year asked.
func TestYearlessReportMustNameAll(t *testing.T) {
	chunks := append([]rag.Chunk{
		{ID: "bishkek#0", Doc: "bishkek", Lang: "en", Title: "Bishkek summit", Date: "2019-06-14", Text: "President Hassan Rouhani represented Iran at the SCO summit in Bishkek."},
		{ID: "shanghai#0", Doc: "shanghai", Lang: "en", Title: "Shanghai summit", Date: "2006-06-13", Text: "President Mahmoud Ahmadinejad represented Iran at the SCO summit in Shanghai."},
		{ID: "later#0", Doc: "later", Lang: "en", Title: "SCO Plus", Text: "Acting President Mohammad Mokhber represented Iran at the SCO summit, as Shanghai had hoped."},
	}, ragtest.Fixture()...)
	g, lex := ragtest.Glossaries(t)
	e := retrieve.NewEngine(retrieve.Config{Chunks: chunks, Glossary: g, Lexicon: lex})
	r, err := e.Retrieve(context.Background(), "Who represented Iran at the summit in Bishkek in 2019 and at the summit in Shanghai in 2006?", retrieve.Options{K: 8})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Covering["later"] {
		t.Fatalf("covering %v: want the report naming Shanghai among those of each city", r.Covering)
	}
	for _, p := range quotable(e, r) {
		if p.Doc == "later" {
			t.Errorf("the yearless report naming Shanghai alone is quotable for 2019 and 2006")
		}
	}
}
