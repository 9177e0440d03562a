package evaluate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
)

// Split is the fixed division of a development set into halves (a tuning
// half and a report half) by document: each half lists its documents and the
// unanswerable questions it holds. An answerable question belongs to the half
// holding its documents.
type Split struct {
	About  string               `json:"about"`
	Halves map[string]SplitHalf `json:"halves"`
}

// SplitHalf is one half of a Split.
type SplitHalf struct {
	Docs         []string `json:"docs"`
	Unanswerable []string `json:"unanswerable"`
}

// ReadSplit reads and checks a split file: at least two halves, no document
// or question in two of them.
func ReadSplit(path string) (Split, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Split{}, fmt.Errorf("couldn't read the split file: %w", err)
	}
	var s Split
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // a misspelt "unanswerable" would drop its questions
	if err := dec.Decode(&s); err != nil {
		return Split{}, fmt.Errorf("split file %s: %w", path, err)
	}
	if len(s.Halves) < 2 {
		return Split{}, fmt.Errorf("split file %s: want at least two halves, got %d", path, len(s.Halves))
	}
	docHalf, qHalf := map[string]string{}, map[string]string{}
	for _, name := range s.names() {
		h := s.Halves[name]
		for _, d := range h.Docs {
			if prev, ok := docHalf[d]; ok {
				return Split{}, fmt.Errorf("split file %s: document %s is in both %s and %s", path, d, prev, name)
			}
			docHalf[d] = name
		}
		for _, q := range h.Unanswerable {
			if prev, ok := qHalf[q]; ok {
				return Split{}, fmt.Errorf("split file %s: question %s is in both %s and %s", path, q, prev, name)
			}
			qHalf[q] = name
		}
	}
	return s, nil
}

// names returns the halves' names in order.
func (s Split) names() []string {
	names := make([]string, 0, len(s.Halves))
	for n := range s.Halves {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Half returns the named half, or an error listing the halves there are.
func (s Split) Half(name string) (SplitHalf, error) {
	h, ok := s.Halves[name]
	if !ok {
		return SplitHalf{}, fmt.Errorf("no half %q in the split (have %s)", name, strings.Join(s.names(), ", "))
	}
	return h, nil
}

// Excluded returns the documents of every half but the named one: the
// reports a run on that half must not see.
func (s Split) Excluded(name string) map[string]bool {
	out := map[string]bool{}
	for n, h := range s.Halves {
		if n == name {
			continue
		}
		for _, d := range h.Docs {
			out[d] = true
		}
	}
	return out
}

// Questions keeps the questions of the named half: the answerable ones all of
// whose documents are in it, and the unanswerable ones it lists. A question
// whose documents span halves, or that no half claims, is an error: the split
// must say where every question goes.
func (s Split) Questions(name string, qs []Question) ([]Question, error) {
	if _, err := s.Half(name); err != nil {
		return nil, err
	}
	docHalf := map[string]string{}
	unanswerable := map[string]string{}
	for n, hh := range s.Halves {
		for _, d := range hh.Docs {
			docHalf[d] = n
		}
		for _, q := range hh.Unanswerable {
			unanswerable[q] = n
		}
	}
	var out []Question
	for _, q := range qs {
		var half string
		if !q.Answerable() {
			half = unanswerable[q.ID]
			if half == "" {
				return nil, fmt.Errorf("question %s: the split assigns this unanswerable question to no half", q.ID)
			}
		} else {
			for _, d := range q.Docs {
				dh := docHalf[d]
				if dh == "" {
					return nil, fmt.Errorf("question %s: document %s is in no half of the split", q.ID, d)
				}
				if half != "" && dh != half {
					return nil, fmt.Errorf("question %s: its documents span the halves %s and %s", q.ID, half, dh)
				}
				half = dh
			}
		}
		if half == name {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no question belongs to the half %q", name)
	}
	return slices.Clip(out), nil
}
