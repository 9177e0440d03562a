package glossary

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ParseError reports a malformed line of a glossary file.
type ParseError struct {
	Line int    // 1-based line number
	Msg  string // what is wrong with it
}

// Error implements error.
func (e *ParseError) Error() string { return fmt.Sprintf("glossary line %d: %s", e.Line, e.Msg) }

// Parse reads a glossary file: one concept per line, tab-separated columns
// "concept, zh terms[, en terms[, ru terms]]", terms separated by '|', the first
// term of a column preferred, '=' before a term for case-sensitive matching,
// '#' starting a comment line. The header of the embedded glossary.tsv
// documents the format in full.
//
// A malformed line yields a *ParseError naming the line number.
func Parse(r io.Reader) (*Glossary, error) {
	br := bufio.NewReader(r)
	var (
		entries  []entry
		defined  = make(map[string]int) // concept id → line
		termLine = make(map[string]int) // term key → line
		termOf   = make(map[string]string)
		kind     Kind // of the rows that follow, from the last [kind] line
	)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("couldn't read glossary: %w", err)
		}
		if line == "" && err != nil {
			break
		}
		line = strings.TrimRight(line, "\r\n")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if !utf8.ValidString(line) {
			return nil, &ParseError{n, "not valid UTF-8"}
		}
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			if err != nil {
				break
			}
			continue
		}
		if k, ok := kindLine(line); ok {
			if !k.valid() {
				return nil, &ParseError{n, fmt.Sprintf("unknown kind %q: want one of %s", string(k), kindList())}
			}
			kind = k
			if err != nil {
				break
			}
			continue
		}
		e, perr := parseLine(line)
		if perr != "" {
			return nil, &ParseError{n, perr}
		}
		e.kind = kind
		if prev, ok := defined[e.id]; ok {
			return nil, &ParseError{n, fmt.Sprintf("concept %q already defined on line %d", e.id, prev)}
		}
		defined[e.id] = n
		local := make(map[string]bool)
		for _, col := range e.terms {
			for _, s := range col {
				k := foldKey(s.text)
				if local[k] {
					return nil, &ParseError{n, fmt.Sprintf("term %q appears twice in concept %q", s.text, e.id)}
				}
				local[k] = true
				if prev, ok := termLine[k]; ok {
					return nil, &ParseError{n, fmt.Sprintf("term %q already belongs to concept %q (line %d)", s.text, termOf[k], prev)}
				}
			}
		}
		for k := range local {
			termLine[k] = n
			termOf[k] = e.id
		}
		entries = append(entries, e)
		if err != nil {
			break
		}
	}
	return build(entries), nil
}

// parseLine parses one non-comment line; it returns a message on error.
func parseLine(line string) (entry, string) {
	fields := strings.Split(line, "\t")
	if len(fields) < 2 || len(fields) > 4 {
		return entry{}, fmt.Sprintf("want 2 to 4 tab-separated columns (concept, zh[, en[, ru]]), got %d", len(fields))
	}
	e := entry{id: strings.TrimSpace(fields[0])}
	if !validID(e.id) {
		return entry{}, fmt.Sprintf("bad concept id %q: use lower-case ASCII letters, digits, '.', '_' and '-' (or '-' alone for blockers)", e.id)
	}
	total := 0
	for l, col := range fields[1:] {
		col = strings.TrimSpace(col)
		if col == "" {
			continue
		}
		for _, raw := range strings.Split(col, "|") {
			s := spec{text: strings.TrimSpace(raw)}
			if rest, ok := strings.CutPrefix(s.text, "="); ok {
				s.text, s.exact = strings.TrimSpace(rest), true
				if hasCyrillic(s.text) {
					// Russian text is matched by its stems, lower-cased.
					return entry{}, fmt.Sprintf("term %q: '=' (case-sensitive) does not apply to Cyrillic terms, which match every case form", raw)
				}
			}
			if s.text == "" {
				return entry{}, fmt.Sprintf("empty term in the %s column", langName(l))
			}
			e.terms[l] = append(e.terms[l], s)
			total++
		}
	}
	if total == 0 {
		return entry{}, fmt.Sprintf("concept %q has no terms", e.id)
	}
	return e, ""
}

// validID reports whether id is a well-formed concept id.
func validID(id string) bool {
	if id == blockerID {
		return true
	}
	if id == "" {
		return false
	}
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '-' || r == '.' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return true
}
