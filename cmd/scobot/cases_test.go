package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// askCase asks one question of the built-in corpus, as a user would.
func askCase(t *testing.T, db, question string) answerOut {
	t.Helper()
	code, out, errOut := run(t, nil, "", "ask", "--json", "--db", db, question)
	if code != 0 {
		t.Fatalf("ask %q: exit %d: %s", question, code, errOut)
	}
	var a answerOut
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask %q: %v", question, err)
	}
	return a
}

// answerOut is the part of `ask --json` the cases look at.
type answerOut struct {
	Answer    string `json:"answer"`
	Abstained bool   `json:"abstained"`
	Citations []struct {
		Doc  string `json:"doc"`
		Date string `json:"date"`
	} `json:"citations"`
}

// A month and year in the question choose the reports; they are not words
// for the answer to hold (the 2024 reports' talks with Lavrov have none).
func TestCaseMonthAndYearKeepTheAnswer(t *testing.T) {
	db := t.TempDir()
	for _, q := range []string{
		"Which foreign ministers did Wang Yi meet in Astana in May 2024?",
		"Which foreign ministers did Wang Yi meet in Astana?",
	} {
		a := askCase(t, db, q)
		if a.Abstained || !strings.Contains(a.Answer, "拉夫罗夫") && !strings.Contains(a.Answer, "Lavrov") {
			t.Errorf("%s\nwant Lavrov in the answer:\n%s", q, a.Answer)
		}
	}
}

// A year in the question limits what is quoted, not only the order.
func TestCaseYearLimitsTheQuotes(t *testing.T) {
	a := askCase(t, t.TempDir(), "What did Wang Yi propose in 2021?")
	if a.Abstained || len(a.Citations) == 0 {
		t.Fatalf("abstained: %s", a.Answer)
	}
	for _, c := range a.Citations {
		if !strings.HasPrefix(c.Date, "2021") {
			t.Errorf("cites %s of %s; a 2021 question quotes the 2021 report only:\n%s", c.Doc, c.Date, a.Answer)
		}
	}
	if !strings.Contains(a.Answer, "five-point proposal") {
		t.Errorf("want the five-point proposal:\n%s", a.Answer)
	}
}

// "Latest" is the newest report.
func TestCaseLatest(t *testing.T) {
	for _, q := range []string{"What happened at the latest SCO foreign ministers' meeting?", "最近一次上合组织外长会议在哪里举行?"} {
		a := askCase(t, t.TempDir(), q)
		if a.Abstained || len(a.Citations) == 0 || a.Citations[0].Date != "2024-05-21" {
			t.Errorf("%s: want the 2024 report first: %+v", q, a)
		}
	}
}

// Without a model, a follow-up puts its place where the previous
// question's was.
func TestCaseChatFollowUpReplacesThePlace(t *testing.T) {
	in := "What did Wang Yi propose in Dushanbe?\nand in Astana?\n"
	code, out, errOut := run(t, nil, in, "chat", "--db", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	answers := strings.Split(out, "Sources:")
	if len(answers) < 3 {
		t.Fatalf("want two answers with sources:\n%s", out)
	}
	if !strings.Contains(answers[0], "five-point") {
		t.Errorf("first answer should be Dushanbe's five points:\n%s", answers[0])
	}
	if !strings.Contains(answers[1], "四点建议") || strings.Contains(answers[1], "corpus does not say") {
		t.Errorf("the follow-up should be Astana's four points:\n%s", answers[1])
	}
}

// A Russian question about Astana 2024 is answered, in Russian words where
// the answer has its own.
func TestCaseRussianQuestion(t *testing.T) {
	a := askCase(t, t.TempDir(), "Какие предложения выдвинул Ван И в Астане в 2024 году?")
	if a.Abstained || !strings.Contains(a.Answer, "四点建议") {
		t.Errorf("want Astana's four proposals:\n%s", a.Answer)
	}
	if !strings.HasPrefix(a.Answer, "Согласно сообщениям") {
		t.Errorf("the answer should open in Russian:\n%s", a.Answer)
	}
}
