package glossary

import (
	_ "embed"
	"fmt"
	"strings"
)

// lexiconTSV is the lexicon of ordinary words; its header documents its
// purpose and how to extend it.
//
//go:embed lexicon.tsv
var lexiconTSV string

// Lexicon returns the embedded lexicon of ordinary words (lexicon.tsv) as a
// Glossary: the everyday vocabulary of diplomatic news (谴责 = condemn, 邀请 =
// invitation, 专家 = expert …) for expanding a question into the other
// language. It is separate from the glossary of names (Default) and shares no
// term with it. Each call parses the file afresh; callers should keep the
// result.
func Lexicon() (*Glossary, error) {
	g, err := Parse(strings.NewReader(lexiconTSV))
	if err != nil {
		return nil, fmt.Errorf("couldn't parse embedded lexicon: %w", err)
	}
	return g, nil
}
