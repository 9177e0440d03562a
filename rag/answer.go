package rag

// Answer modes.
const (
	AnswerExtractive = "extractive"
	AnswerLLM        = "llm"
)

// Answer is a reply to one question: text whose [n] markers point into
// Citations, and the passages it was composed from, in rank order.
type Answer struct {
	Question string `json:"question"`
	// Resolved is the standalone question that was answered: Question
	// itself, or a follow-up rewritten with the conversation's context.
	Resolved  string     `json:"resolved,omitempty"`
	Text      string     `json:"answer"`
	Abstained bool       `json:"abstained"`
	Mode      string     `json:"mode"`
	Lang      string     `json:"lang"`
	Citations []Citation `json:"citations"`
	Passages  []Passage  `json:"passages"`
	// Note, when set, tells the user something about how the answer was
	// made (e.g. that the language model was unavailable).
	Note string `json:"note,omitempty"`
	// Statements are the quoted sentences of an extractive answer, each
	// with the citation it carries.
	Statements []Statement `json:"-"`
	// Support is the retrieval's estimate of how well the corpus covers
	// the question (0–1).
	Support float64 `json:"-"`
	// Checked, for an answer a language model wrote, is what checking it
	// found; nil for other answers.
	Checked *GenerationCheck `json:"checked,omitempty"`
	// FollowUps are questions to ask next about what the answer's passages
	// also cover, in the asker's language; none for an abstention.
	FollowUps []string `json:"follow_ups,omitempty"`
}

// GenerationCheck is what checking a generated answer found: how many of
// the citation markers the model wrote point at a source it was given, and
// how many of its sentences the passages they cite support (the others
// are removed).
type GenerationCheck struct {
	Markers      int `json:"markers"`       // citation markers written
	ValidMarkers int `json:"valid_markers"` // of them, those pointing at a source given
	Sentences    int `json:"sentences"`     // sentences checked
	Supported    int `json:"supported"`     // of them, those the cited passages support
}

// Statement is one quoted sentence of an extractive answer.
type Statement struct {
	Text  string      // verbatim from the cited document's cleaned text
	N     int         // citation number
	Doc   string      // the cited document
	Chunk string      // the ID of the chunk quoted
	Lang  string      // language of Text
	Gloss []GlossPair // names in the sentence rendered in the asker's language
	// Also are the citation numbers of the reports in another language
	// whose sentence Text is the asker's-language version of, cited after
	// N; none when Text is quoted for itself.
	Also []int
}

// GlossPair pairs a term as the source writes it with its rendering in the
// asker's language.
type GlossPair struct{ From, To string }

// AnswerOptions tune one answer.
type AnswerOptions struct {
	K    int  // passages retrieved; 0 → 5
	Mode Mode // retrieval mode; "" → hybrid
}
