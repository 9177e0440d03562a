package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// MetadataFile is the name of the curated metadata file at the root of a
// document folder.
//
// It is one JSON object keyed by document ID; each value sets any subset of
// "title", "date" (YYYY-MM-DD, or YYYY-MM / YYYY), "source" and "url", which
// then replace what the heuristics found:
//
//	{
//	  "001_14086ad8159a262e": {
//	    "title": "王毅出席上海合作组织成员国外长理事会会议",
//	    "date": "2024-05-21",
//	    "source": "Ministry of Foreign Affairs of the PRC",
//	    "url": "https://www.mfa.gov.cn/…"
//	  }
//	}
//
// The file is UTF-8, with or without a byte-order mark. Any other field, a
// value that is not a string, a malformed date or a repeated ID is an error
// that names the line. An ID that matches no
// document is only a warning.
const MetadataFile = "metadata.json"

// override is the curated metadata of one document; nil fields are not set.
type override struct {
	title, date, source, url *string
	line                     int // where the entry starts in the file
}

func (o override) apply(d *Document) {
	for _, f := range []struct {
		v   *string
		dst *string
	}{{o.title, &d.Title}, {o.date, &d.Date}, {o.source, &d.Source}, {o.url, &d.URL}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
}

var overrideDateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// parseOverrides reads a metadata file (see MetadataFile). A UTF-8
// byte-order mark at its start, as Windows editors write, is ignored.
func parseOverrides(data []byte) (map[string]override, error) {
	data = bytes.TrimPrefix(data, bomUTF8)
	p := &overrideParser{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	out, err := p.parse()
	if err != nil {
		return nil, fmt.Errorf("%s line %d: %w", MetadataFile, p.line(), err)
	}
	return out, nil
}

// overrideParser walks the file token by token so that every error can say
// which line it is on.
type overrideParser struct {
	data []byte
	dec  *json.Decoder
}

// line is the 1-based line of the decoder's position.
func (p *overrideParser) line() int {
	off := min(int(p.dec.InputOffset()), len(p.data))
	return 1 + bytes.Count(p.data[:off], []byte("\n"))
}

func (p *overrideParser) token() (json.Token, error) {
	t, err := p.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected end of file")
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return t, err
}

func (p *overrideParser) delim(want json.Delim) error {
	t, err := p.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, t)
	}
	return nil
}

func (p *overrideParser) parse() (map[string]override, error) {
	if err := p.delim('{'); err != nil {
		return nil, err
	}
	out := map[string]override{}
	for p.dec.More() {
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		id, _ := t.(string)
		if strings.TrimSpace(id) == "" {
			return nil, errors.New("empty document ID")
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("document %q appears twice", id)
		}
		o, err := p.entry(id)
		if err != nil {
			return nil, err
		}
		out[id] = o
	}
	if err := p.delim('}'); err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the top-level object")
	}
	return out, nil
}

func (p *overrideParser) entry(id string) (override, error) {
	o := override{line: p.line()}
	if err := p.delim('{'); err != nil {
		return o, fmt.Errorf("document %q: %w", id, err)
	}
	seen := map[string]bool{}
	for p.dec.More() {
		t, err := p.token()
		if err != nil {
			return o, err
		}
		field, _ := t.(string)
		if seen[field] {
			return o, fmt.Errorf("document %q: field %q appears twice", id, field)
		}
		seen[field] = true
		t, err = p.token()
		if err != nil {
			return o, err
		}
		v, ok := t.(string)
		if !ok {
			return o, fmt.Errorf("document %q: field %q: want a string, got %v", id, field, t)
		}
		v = strings.TrimSpace(v)
		switch field {
		case "title":
			o.title = &v
		case "date":
			if v != "" && (!overrideDateRE.MatchString(v) || !validISO(v)) {
				return o, fmt.Errorf("document %q: field \"date\": want YYYY-MM-DD, YYYY-MM or YYYY, got %q", id, v)
			}
			o.date = &v
		case "source":
			o.source = &v
		case "url":
			o.url = &v
		default:
			return o, fmt.Errorf("document %q: unknown field %q (want title, date, source or url)", id, field)
		}
	}
	if err := p.delim('}'); err != nil {
		return o, fmt.Errorf("document %q: %w", id, err)
	}
	return o, nil
}

// validISO reports whether a YYYY[-MM[-DD]] string names a real date.
func validISO(s string) bool {
	parts := strings.Split(s, "-")
	d := date{y: atoi(parts[0]), m: 1, d: 1}
	if len(parts) > 1 {
		d.m = atoi(parts[1])
	}
	if len(parts) > 2 {
		d.d = atoi(parts[2])
	}
	return d.valid()
}
