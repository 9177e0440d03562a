package glossary

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func mustLexicon(t testing.TB) *Glossary {
	t.Helper()
	g, err := Lexicon()
	if err != nil {
		t.Fatalf("Lexicon: %v", err)
	}
	return g
}

func TestLexiconParses(t *testing.T) {
	g := mustLexicon(t)
	if n := g.Len(); n < 600 || n > 1300 {
		t.Errorf("lexicon has %d concepts, want about 600–1200", n)
	}
	for _, e := range g.entries {
		if e.id == blockerID {
			continue
		}
		// Expansion needs both sides: a line with one language only can
		// never bridge a question to a report in the other.
		if len(e.terms[langZH]) == 0 || len(e.terms[langEN]) == 0 {
			t.Errorf("concept %q lacks a Chinese or an English term", e.id)
		}
	}
}

// TestLexiconDisjointFromGlossary checks that no lexicon term is also a
// glossary term: names (and the ordinary words glossary.tsv already holds)
// stay there, and a word has one home.
func TestLexiconDisjointFromGlossary(t *testing.T) {
	lex, names := mustLexicon(t), mustDefault(t)
	owner := make(map[string]string)
	for _, e := range names.entries {
		for _, col := range e.terms {
			for _, s := range col {
				owner[foldKey(s.text)] = e.id
			}
		}
	}
	for _, e := range lex.entries {
		for _, col := range e.terms {
			for _, s := range col {
				if c, ok := owner[foldKey(s.text)]; ok {
					t.Errorf("lexicon concept %q: term %q is already in glossary.tsv (concept %q)", e.id, s.text, c)
				}
			}
		}
	}
}

// singleHanAllowed are the one-character Chinese terms the lexicon may hold;
// any other fires inside unrelated words (see the header of lexicon.tsv).
var singleHanAllowed = map[string]bool{"年": true}

func TestLexiconNoStrayOneCharacterHan(t *testing.T) {
	g := mustLexicon(t)
	for _, e := range g.entries {
		for _, s := range e.terms[langZH] {
			r, _ := utf8.DecodeRuneInString(s.text)
			if utf8.RuneCountInString(s.text) == 1 && r >= 0x3400 && !singleHanAllowed[s.text] {
				t.Errorf("concept %q: one-character Chinese term %q", e.id, s.text)
			}
		}
	}
}

// lexiconExpansions are expansions retrieval relies on: an English question
// must reach the Chinese words of a Chinese-only report, and the reverse.
// not lists expansions that would be wrong (ordinary words inside names).
var lexiconExpansions = []struct {
	name string
	text string
	want []string
	not  []string
}{
	// en → zh
	{"initiative-guide", "Which initiative did Wang Yi say should guide security cooperation?", []string{"倡议", "指引", "安全", "合作"}, nil},
	{"condemn", "What did the foreign ministers condemn?", []string{"谴责"}, nil},
	{"condemnation", "Was there a condemnation of the attack?", []string{"谴责", "袭击"}, nil},
	{"before the meeting", "Whom did the ministers mourn before the meeting?", []string{"会议", "之前"}, nil},
	{"received-collectively", "Which president received the ministers collectively?", []string{"接见", "集体", "部长"}, nil},
	{"issue-after", "What did they issue after their talks?", []string{"发表", "之后"}, nil},
	{"traditional-medicine", "What about traditional medicine?", []string{"传统", "医药"}, nil},
	{"invitation", "At whose invitation did Xi attend?", []string{"邀请", "出席"}, nil},
	{"experts", "How many experts returned to Central Asia?", []string{"专家", "返回"}, []string{"中心", "核心"}},
	{"golden-decade", "What is the second golden decade?", []string{"金色十年"}, nil},
	{"held", "Where was the meeting held?", []string{"举行", "会议"}, nil},
	{"propose", "What did China propose?", []string{"提出"}, nil},
	{"support-oppose", "Which countries support or oppose it?", []string{"支持", "反对", "国家"}, nil},
	{"signed-agreement", "Which agreements were signed?", []string{"签署", "协议"}, nil},
	{"approved-drafts", "How many drafts were approved?", []string{"批准", "草案"}, nil},
	{"call-strengthen-deepen", "They called for strengthening and deepening ties", []string{"呼吁", "加强", "深化", "关系"}, nil},
	{"promote-development", "How to promote development?", []string{"推动", "发展"}, nil},
	{"safeguard", "safeguarding regional peace", []string{"维护", "地区", "和平"}, nil},
	{"host", "Which country hosted the summit?", []string{"主办"}, nil},
	{"economy-trade-investment", "economy, trade and investment", []string{"经济", "贸易", "投资"}, nil},
	{"energy-railway", "energy and railway projects", []string{"能源", "铁路", "项目"}, nil},
	{"port-flights", "reopening of ports and flights", []string{"口岸", "航班", "恢复"}, nil},
	{"drug-trafficking", "drug trafficking across the border", []string{"贩毒", "边境"}, nil},
	{"twenty-first-time", "more than twenty, for the first time", []string{"二十", "首次"}, nil},
	{"global-bilateral", "global and bilateral issues", []string{"全球", "双边", "问题"}, nil},
	{"declaration", "the Dushanbe declaration", []string{"宣言"}, nil},
	{"this-year", "the summit this year", []string{"今年"}, nil},
	{"visit", "his visit to Russia", []string{"访问"}, nil},
	{"united-nations", "the United Nations", nil, []string{"民族"}},
	{"about", "What did he say about vaccines?", nil, []string{"将近", "接近"}},
	// zh → en
	{"zh-condemn", "各国外长谴责一切形式的恐怖主义", []string{"condemn", "all forms of"}, nil},
	{"zh-victims", "各方为遇难者哀悼", []string{"victims"}, nil},
	{"zh-collective", "参加了总统的集体会见", []string{"attend", "collectively"}, nil},
	{"zh-issue", "两国外长发表联合声明", []string{"issue"}, nil},
	{"zh-tcm", "开展中医药合作", []string{"medicine", "cooperation"}, nil},
	{"zh-invite", "应邀出席", []string{"invitation", "attend"}, nil},
	{"zh-experts", "千名专家计划", []string{"expert", "thousand"}, nil},
	{"zh-golden-decade", "第二个金色十年的开局之年", []string{"golden decade", "second"}, nil},
	{"zh-trust", "增进信任", []string{"trust"}, nil},
	{"zh-port-flight", "恢复口岸货运和航班", []string{"port", "flight", "resume"}, nil},
	{"zh-approve-draft", "批准20多项文件草案", []string{"approve", "document", "draft"}, nil},
	{"zh-hold", "阿斯塔纳峰会将在什么时候举行", []string{"hold", "time"}, nil},
	{"zh-year", "2020年", []string{"year"}, nil},
	{"zh-security", "地区安全与稳定", []string{"regional security", "stability"}, nil},
}

func TestLexiconExpand(t *testing.T) {
	g := mustLexicon(t)
	for _, tt := range lexiconExpansions {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Expand(tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Expand(%q) lacks %q; got %q", tt.text, w, got)
				}
			}
			for _, w := range tt.not {
				if slices.Contains(got, w) {
					t.Errorf("Expand(%q) has %q; got %q", tt.text, w, got)
				}
			}
		})
	}
}

// TestLexiconFindConcepts pins which concept a word lands in, where a wrong
// home would be easy to make: inflected forms, homographs, longest match.
func TestLexiconFindConcepts(t *testing.T) {
	g := mustLexicon(t)
	for _, tt := range []struct{ text, concept string }{
		{"condemned", "condemn"},
		{"Condemnation", "condemn"},
		{"issued", "issue"},
		{"issues", "question"},
		{"freight trains", "train-service"},
		{"training", "train"},
		{"all forms of", "all-forms"},
		{"中国会见", ""}, // no "parliament" inside 中国 + 会见
		{"年轻人", "youth"},
		{"金色十年", "golden-decade"},
		{"20th", "twentieth"},
		{"2020", ""}, // "20" is not found inside a longer number
		{"第二十次会议", "twentieth"},
	} {
		t.Run(tt.text, func(t *testing.T) {
			ms := g.Find(tt.text)
			if tt.concept == "" {
				for _, m := range ms {
					if m.Concept == "parliament" || m.Concept == "num-twenty" {
						t.Errorf("Find(%q) found %s (%q)", tt.text, m.Concept, m.Term)
					}
				}
				return
			}
			if len(ms) == 0 || ms[0].Concept != tt.concept || ms[0].Start != 0 {
				t.Errorf("Find(%q) = %+v, want %s first", tt.text, ms, tt.concept)
			}
		})
	}
}

// TestLexiconDevGolden records the lexicon's expansion of every development
// question (testdata/lexicon_dev_expand.golden; -update rewrites it), so a
// change to lexicon.tsv shows what it does to real questions.
func TestLexiconDevGolden(t *testing.T) {
	g := mustLexicon(t)
	var b strings.Builder
	for _, q := range devQuestions {
		b.WriteString(q.id + "\t" + q.q + "\n\tconcepts: " + strings.Join(g.Concepts(q.q), ", ") +
			"\n\texpand:   " + strings.Join(g.Expand(q.q), " | ") + "\n")
	}
	checkGolden(t, "lexicon_dev_expand.golden", b.String())
}

func BenchmarkLexiconExpand(b *testing.B) {
	g := mustLexicon(b)
	for _, q := range []struct{ name, text string }{
		{"en", "Which initiative did Wang Yi say should guide security cooperation in the region?"},
		{"zh", "王毅在杜尚别上合组织外长理事会会议上提出了什么建议?"},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g.Expand(q.text)
			}
		})
	}
}

func BenchmarkLexicon(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Lexicon(); err != nil {
			b.Fatal(err)
		}
	}
}

// Mourning lives in glossary.tsv, with 默哀 (the moment of silence the 2024
// report describes), so an English "mourn" reaches it.
func TestMournIsInTheGlossary(t *testing.T) {
	g := mustDefault(t)
	for text, want := range map[string][]string{
		"Whom did the ministers mourn before the meeting?": {"默哀", "哀悼"},
		"各方为遇难者哀悼":                                         {"mourn"},
	} {
		got := g.Expand(text)
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("Expand(%q) = %v, lacks %q", text, got, w)
			}
		}
	}
}
