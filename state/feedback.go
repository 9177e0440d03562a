package state

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Vote is a reader's verdict on an answer.
type Vote string

// The two votes the buttons under an answer give.
const (
	VoteUp   Vote = "up"   // 👍
	VoteDown Vote = "down" // 👎
)

// Citation is one source an answer cited.
type Citation struct {
	DocID string `json:"doc_id"`
	Title string `json:"title,omitempty"`
}

// Feedback is one 👍 or 👎 on an answer.
type Feedback struct {
	// ID is assigned by AddFeedback: a number, in the order votes came.
	ID        string
	Vote      Vote
	Question  string
	Answer    string
	Citations []Citation
	Chat      string
	UserID    int64
	// At is when the vote was given (the DB's clock when zero).
	At time.Time
	// Mode is how the answer was made ("extractive", "llm", …).
	Mode string
	// AnswerID, when not empty, names the answer voted on (the caller's
	// choice, e.g. the callback token's answer). A second vote by the same
	// user on the same answer replaces the first and keeps its ID, so a
	// reader who changes 👍 to 👎 counts once.
	AnswerID string
}

// storedFeedback is Feedback as it is written (JSON, versioned).
type storedFeedback struct {
	V         int        `json:"v"`
	Vote      Vote       `json:"vote"`
	Question  string     `json:"q"`
	Answer    string     `json:"a"`
	Citations []Citation `json:"cites,omitempty"`
	Chat      string     `json:"chat"`
	UserID    int64      `json:"user"`
	At        time.Time  `json:"at"`
	Mode      string     `json:"mode,omitempty"`
	AnswerID  string     `json:"answer_id,omitempty"`
}

// AddFeedback stores f and returns it with its ID (and At, when it was
// zero). Its vote must be VoteUp or VoteDown and its question not empty.
func (db *DB) AddFeedback(ctx context.Context, f Feedback) (Feedback, error) {
	if f.Vote != VoteUp && f.Vote != VoteDown {
		return Feedback{}, fmt.Errorf("couldn't save the feedback: vote %q is neither %q nor %q", f.Vote, VoteUp, VoteDown)
	}
	if strings.TrimSpace(f.Question) == "" {
		return Feedback{}, errors.New("couldn't save the feedback: it has no question")
	}
	if f.At.IsZero() {
		f.At = db.now()
	}
	val, err := json.Marshal(storedFeedback{V: 1, Vote: f.Vote, Question: f.Question, Answer: f.Answer,
		Citations: f.Citations, Chat: f.Chat, UserID: f.UserID, At: f.At, Mode: f.Mode, AnswerID: f.AnswerID})
	if err != nil {
		return Feedback{}, fmt.Errorf("couldn't save the feedback: %w", err)
	}
	err = db.update(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeedback)
		var idxKey []byte
		if f.AnswerID != "" {
			idxKey = fmt.Appendf(nil, "%s\x00%d", f.AnswerID, f.UserID)
			if old := tx.Bucket(bucketFeedbackIndex).Get(idxKey); old != nil {
				f.ID = strconv.FormatUint(beUint64(old), 10)
				return b.Put(old, val)
			}
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		f.ID = strconv.FormatUint(seq, 10)
		if idxKey != nil {
			if err := tx.Bucket(bucketFeedbackIndex).Put(idxKey, seqKey(seq)); err != nil {
				return err
			}
		}
		return b.Put(seqKey(seq), val)
	})
	if err != nil {
		return Feedback{}, fmt.Errorf("couldn't save the feedback: %w", err)
	}
	return f, nil
}

// FeedbackFilter selects feedback for ListFeedback; the zero value selects
// everything.
type FeedbackFilter struct {
	// OnlyDown keeps only 👎.
	OnlyDown bool
	// Since keeps only votes given at or after it (when not zero).
	Since time.Time
}

// ListFeedback returns the feedback the filter selects, in the order it was
// given.
func (db *DB) ListFeedback(ctx context.Context, filter FeedbackFilter) ([]Feedback, error) {
	var out []Feedback
	err := db.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFeedback).ForEach(func(k, v []byte) error {
			var s storedFeedback
			if err := json.Unmarshal(v, &s); err != nil {
				return fmt.Errorf("feedback %d: %w", binary.BigEndian.Uint64(k), err)
			}
			if filter.OnlyDown && s.Vote != VoteDown {
				return nil
			}
			if !filter.Since.IsZero() && s.At.Before(filter.Since) {
				return nil
			}
			out = append(out, Feedback{ID: strconv.FormatUint(binary.BigEndian.Uint64(k), 10),
				Vote: s.Vote, Question: s.Question, Answer: s.Answer, Citations: s.Citations,
				Chat: s.Chat, UserID: s.UserID, At: s.At, Mode: s.Mode, AnswerID: s.AnswerID})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("couldn't read the feedback: %w", err)
	}
	return out, nil
}

// Tags written on every exported question: where it came from, and that a
// person must check it before it counts.
const (
	// TagFeedback marks a question that came from a reader's 👎.
	TagFeedback = "feedback"
	// TagNeedsReview marks a question whose docs and facts a person must
	// still check.
	TagNeedsReview = "needs-review"
	// TagAbstained marks a 👎 on an answer that cited nothing (it said the
	// reports do not cover the question): its docs are empty, which the
	// evaluation reads as "should abstain" until a reviewer adds the right
	// documents.
	TagAbstained = "abstained"
)

// exportLine is one line of scobot's evaluation question format
// (rag/evaluate.Question): id, question, docs, facts, tags.
type exportLine struct {
	ID       string     `json:"id"`
	Question string     `json:"question"`
	Docs     []string   `json:"docs"`
	Facts    [][]string `json:"facts"`
	Tags     []string   `json:"tags"`
}

// ExportFeedback writes the 👎 given at or after since (all of them when
// since is zero) to w as JSONL lines of scobot's evaluation question
// format, which `scobot eval --qa FILE` reads, and returns how many it
// wrote.
//
// The right documents and facts of a disliked answer are not known, so the
// convention is: id "feedback-<ID>"; the question as asked; docs are the
// documents the answer cited (each once, in citation order); facts are
// empty; tags are "feedback" and "needs-review" (and "abstained" when the
// answer cited nothing). A reviewer corrects docs and adds facts, then
// removes "needs-review".
func (db *DB) ExportFeedback(ctx context.Context, w io.Writer, since time.Time) (int, error) {
	fs, err := db.ListFeedback(ctx, FeedbackFilter{OnlyDown: true, Since: since})
	if err != nil {
		return 0, fmt.Errorf("couldn't export the feedback: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, f := range fs {
		line := exportLine{ID: "feedback-" + f.ID, Question: f.Question, Docs: []string{}, Facts: [][]string{},
			Tags: []string{TagFeedback, TagNeedsReview}}
		seen := map[string]bool{}
		for _, c := range f.Citations {
			if c.DocID != "" && !seen[c.DocID] {
				seen[c.DocID] = true
				line.Docs = append(line.Docs, c.DocID)
			}
		}
		if len(line.Docs) == 0 {
			line.Tags = append(line.Tags, TagAbstained)
		}
		if err := enc.Encode(line); err != nil {
			return i, fmt.Errorf("couldn't export the feedback: %w", err)
		}
	}
	return len(fs), nil
}
