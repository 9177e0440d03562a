// Command extractcmp measures how well each way of extracting an article
// from an HTML page (corpus.Extractor: the readability library, today's
// cleaner, and the two combined) keeps the article and drops the rest, and
// prints a table.
//
//	go run ./tools/extractcmp [-realdev ../shared/realdev] [-v]
//
// Three sets of pages, each with its own reference:
//
//   - html: the real HTML pages of the test news site
//     (ingest/fetch/testdata/site) and of corpus/testdata/sites; the
//     reference is the article as written (tools/extractcmp/testdata/
//     NAME.ref.txt: headline and paragraphs).
//   - seeds: the five built-in reports (corpus/docs). They are scraped text,
//     not HTML, so each is rendered as a flat page (every line a <p>,
//     markdown links as <a>, headings as <h2>, list items as <li>); the
//     reference is its reviewed cleaned text (corpus/testdata/golden).
//   - realdev: the 38 real reports of ../shared/realdev (when present),
//     rendered the same way; with no cleaned reference, the article text
//     is represented by the passages qa_notes.md quotes verbatim as the
//     answers to its questions (an editor's pick of what matters in each
//     report).
//
// Figures (summed over the pages of a set):
//
//   - kept: the share of the reference's sentences (realdev: quoted
//     passages) found in the output, spaces ignored: whole, or 85% of
//     their character pairs (the cleaner repairs converter damage that
//     the quotes keep);
//   - off-ref: the share of output lines (paragraphs) that are not in the
//     reference: neither a part of it nor sharing 60% of their character
//     pairs with it (html and seeds only);
//   - furniture: the share of output lines that look like page furniture
//     whatever the reference: a line with a URL or e-mail address, a
//     copyright or ICP notice, a run of separators (| » › >) or one short
//     label with no punctuation after the first line;
//   - lines: output lines in all.
//
// The realdev texts are read from their folder and never written anywhere.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/scobot/scobot/corpus"
)

// page is one page to extract, with its reference.
type page struct {
	name    string
	html    string
	ref     []string // reference sentences or passages
	refAll  string   // the whole reference, normalised (for off-ref); "" when there is none
	refText string   // the whole reference as written, lower-cased
}

// figures are the counts behind one row of the table.
type figures struct {
	pages, refSents, keptSents, lines, offRef, furniture int
}

func (f *figures) add(g figures) {
	f.pages += g.pages
	f.refSents += g.refSents
	f.keptSents += g.keptSents
	f.lines += g.lines
	f.offRef += g.offRef
	f.furniture += g.furniture
}

var extractors = []corpus.Extractor{corpus.ExtractReadability, corpus.ExtractCleaner, corpus.ExtractCombined}

// row is one line of the table: a set's figures for one extractor.
type row struct {
	set string
	x   corpus.Extractor
	figures
}

func main() {
	realdev := flag.String("realdev", "../shared/realdev", "folder of the realdev set (skipped when absent)")
	verbose := flag.Bool("v", false, "print the figures of every page (to stderr)")
	flag.Parse()
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "extractcmp:", err)
		os.Exit(1)
	}
	var detail io.Writer
	if *verbose {
		detail = os.Stderr
	}
	rows, err := compare(root, *realdev, detail)
	if err != nil {
		fmt.Fprintln(os.Stderr, "extractcmp:", err)
		os.Exit(1)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\tpages\textractor\tkept\toff-ref\tfurniture\tlines\t")
	for _, r := range rows {
		offRef := "-"
		if r.set != "realdev" {
			offRef = pct(r.offRef, r.lines)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t\n", r.set, r.pages, r.x,
			pct(r.keptSents, r.refSents), offRef, pct(r.furniture, r.lines), r.lines)
	}
	tw.Flush()
}

// compare measures every extractor on every set it can find (realdev is
// left out when its folder is absent, with a note on stderr), writing each
// page's figures to detail when it is not nil.
func compare(root, realdev string, detail io.Writer) ([]row, error) {
	sets := []struct {
		name  string
		pages func() ([]page, error)
	}{
		{"html", func() ([]page, error) { return htmlPages(root) }},
		{"seeds", func() ([]page, error) { return seedPages(root) }},
		{"realdev", func() ([]page, error) { return realdevPages(realdev) }},
	}
	var rows []row
	for _, s := range sets {
		pages, err := s.pages()
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(os.Stderr, "extractcmp: %s skipped: %v\n", s.name, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, x := range extractors {
			r := row{set: s.name, x: x}
			for _, p := range pages {
				f := measure(p, corpus.ExtractText(p.html, "", x))
				if detail != nil {
					fmt.Fprintf(detail, "%-8s %-12s %-60s kept %d/%d off-ref %d furniture %d lines %d\n",
						s.name, x, p.name, f.keptSents, f.refSents, f.offRef, f.furniture, f.lines)
				}
				r.add(f)
			}
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func pct(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

// measure compares one extraction with its page's reference.
func measure(p page, out string) figures {
	f := figures{pages: 1}
	normOut := norm(out)
	outPairs := pairs(strings.ToLower(out))
	for _, s := range p.ref {
		f.refSents++
		if found(s, normOut, outPairs) {
			f.keptSents++
		}
	}
	refPairs := pairs(p.refText)
	first := true
	for _, l := range strings.Split(out, "\n\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		f.lines++
		if p.refAll != "" || len(p.ref) == 0 {
			if !inReference(l, p.refAll, refPairs) {
				f.offRef++
			}
		}
		if isFurniture(l, first) {
			f.furniture++
		}
		first = false
	}
	return f
}

// found reports whether a reference sentence is in the output: whole
// (spaces ignored), or with at least 85% of its tokens (pairs) there (the cleaner
// repairs what converters broke, "網(wǎng)" to "網" and "*治" to "政治", so a
// verbatim quote of the raw text may no longer match letter for letter).
func found(s, out string, outPairs map[string]bool) bool {
	if strings.Contains(out, norm(s)) {
		return true
	}
	sp := pairs(strings.ToLower(s))
	if len(sp) == 0 {
		return false
	}
	shared := 0
	for p := range sp {
		if outPairs[p] {
			shared++
		}
	}
	return shared*100 >= len(sp)*85
}

// inReference reports whether an output line is part of the reference
// (spaces ignored), or shares at least 60% of its tokens (pairs) with it.
func inReference(l, ref string, refPairs map[string]bool) bool {
	if ref == "" {
		return false
	}
	if strings.Contains(ref, norm(l)) {
		return true
	}
	lp := pairs(strings.ToLower(l))
	if len(lp) == 0 {
		return false
	}
	shared := 0
	for p := range lp {
		if refPairs[p] {
			shared++
		}
	}
	return shared*10 >= len(lp)*6
}

// norm lower-cases s and removes its white space, so that texts differing
// only in spacing (CJK spacing, line wrapping) compare equal.
func norm(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// pairs returns the tokens of a normalised text: its words of letters or
// digits, and the adjacent pairs of its CJK characters (Chinese has no
// spaces to find words by).
func pairs(s string) map[string]bool {
	out := map[string]bool{}
	var word []rune
	var prevCJK rune
	flush := func() {
		if len(word) > 0 {
			out[string(word)] = true
			word = word[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			if prevCJK != 0 {
				out[string([]rune{prevCJK, r})] = true
			}
			prevCJK = r
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word = append(word, r)
		default:
			flush()
		}
		prevCJK = 0
	}
	flush()
	return out
}

var (
	urlRE        = regexp.MustCompile(`(?i)https?://|www\.|[\w.-]+@[\w-]+\.[a-z]{2,}`)
	noticeRE     = regexp.MustCompile(`(?i)©|copyright|all rights reserved|版权所有|icp备|icp证|все права`)
	separatorRE  = regexp.MustCompile(`\s[|»›>/·]\s|[|｜]`)
	punctuatedRE = regexp.MustCompile(`[。！？!?.,，、;；:：]`)
)

// isFurniture reports whether an output line looks like page furniture,
// by its shape alone (see the package comment). The first line is the
// headline and is never a short label.
func isFurniture(l string, first bool) bool {
	switch {
	case urlRE.MatchString(l), noticeRE.MatchString(l):
		return true
	case len(separatorRE.FindAllString(l, -1)) >= 2 && weight(l) < 120:
		return true
	case !first && weight(l) < 30 && !punctuatedRE.MatchString(l):
		return true
	}
	return false
}

// weight counts a CJK character as 2 and any other non-space character
// as 1, so Chinese and Latin lines of the same reading length compare.
func weight(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			w += 2
		case !unicode.IsSpace(r):
			w++
		}
	}
	return w
}

// sentenceRE splits a reference into sentences.
var sentenceRE = regexp.MustCompile(`(?m)[^。！？!?\n]+(?:[。！？!?]+|\.(?:\s|$)|$)`)

// sentences splits a reference text into its sentences of 8 runes or more.
func sentences(text string) []string {
	var out []string
	for _, s := range sentenceRE.FindAllString(text, -1) {
		s = strings.TrimSpace(s)
		if len([]rune(s)) >= 8 {
			out = append(out, s)
		}
	}
	return out
}

// moduleRoot finds the folder of go.mod from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("couldn't find go.mod above the working directory")
		}
		dir = parent
	}
}

// htmlPages are the real HTML pages with hand-written references.
func htmlPages(root string) ([]page, error) {
	files := []string{
		"ingest/fetch/testdata/site/og_article.html",
		"ingest/fetch/testdata/site/jsonld_article.html",
		"ingest/fetch/testdata/site/gbk_portal.html",
		"ingest/fetch/testdata/site/boilerplate_ru.html",
		"ingest/fetch/testdata/site/no_article.html",
		"ingest/fetch/testdata/site/multipart_article.html",
		"ingest/fetch/testdata/site/short_brief.html",
		"ingest/fetch/testdata/site/zh_portal_teasers.html",
		"corpus/testdata/sites/gb18030_portal_summit.htm",
		"corpus/testdata/sites/steppe_herald_astana.html",
	}
	var out []page
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, fmt.Errorf("couldn't read a page: %w", err)
		}
		src, err := corpus.Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("couldn't decode %s: %w", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		ref, err := os.ReadFile(filepath.Join(root, "tools/extractcmp/testdata", name+".ref.txt"))
		if err != nil {
			return nil, fmt.Errorf("couldn't read the reference: %w", err)
		}
		out = append(out, page{name: name, html: src, ref: sentences(string(ref)), refAll: norm(string(ref)), refText: strings.ToLower(string(ref))})
	}
	return out, nil
}

// seedPages are the built-in reports as flat pages, with their golden
// cleaned text as the reference.
func seedPages(root string) ([]page, error) {
	docs, err := filepath.Glob(filepath.Join(root, "corpus/docs/*.txt"))
	if err != nil || len(docs) == 0 {
		return nil, fmt.Errorf("couldn't find the seeds: %w", fs.ErrNotExist)
	}
	var out []page
	for _, f := range docs {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("couldn't read a seed: %w", err)
		}
		text, err := corpus.Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("couldn't decode %s: %w", f, err)
		}
		id := strings.TrimSuffix(filepath.Base(f), ".txt")
		golden, err := os.ReadFile(filepath.Join(root, "corpus/testdata/golden", id+".txt"))
		if err != nil {
			return nil, fmt.Errorf("couldn't read the golden text: %w", err)
		}
		var ref strings.Builder
		for _, l := range strings.Split(string(golden), "\n") {
			if !strings.HasPrefix(l, "=== part ") {
				ref.WriteString(l + "\n")
			}
		}
		out = append(out, page{name: id, html: flatPage(text), ref: sentences(ref.String()), refAll: norm(ref.String()), refText: strings.ToLower(ref.String())})
	}
	return out, nil
}

// glossRE finds the pinyin a converter glued after characters ("網(wǎng)"): the
// quotes keep it, and it is taken out of them before they are looked for.
var glossRE = regexp.MustCompile(`\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)`)

// quoteRE finds one quoted passage of qa_notes.md: "- `ID`: «…»".
var quoteRE = regexp.MustCompile("^- `([^`]+)`: «(.+)»")

// realdevPages are the realdev reports as flat pages, with the passages
// qa_notes.md quotes from each as the reference.
func realdevPages(dir string) ([]page, error) {
	notes, err := os.Open(filepath.Join(dir, "qa_notes.md"))
	if err != nil {
		return nil, err
	}
	defer notes.Close()
	quotes := map[string][]string{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(notes)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := quoteRE.FindStringSubmatch(sc.Text())
		if m == nil || seen[m[1]+"\x00"+m[2]] {
			continue
		}
		seen[m[1]+"\x00"+m[2]] = true
		for _, q := range strings.Split(m[2], "» … «") {
			quotes[m[1]] = append(quotes[m[1]], q)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("couldn't read qa_notes.md: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "docs", "*.txt"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("couldn't find the realdev reports: %w", fs.ErrNotExist)
	}
	sort.Strings(files)
	var out []page
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("couldn't read a report: %w", err)
		}
		text, err := corpus.Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("couldn't decode %s: %w", f, err)
		}
		id := strings.TrimSuffix(filepath.Base(f), ".txt")
		var ref []string
		for _, q := range quotes[id] {
			ref = append(ref, glossRE.ReplaceAllString(q, ""))
		}
		out = append(out, page{name: id, html: flatPage(text), ref: ref})
	}
	return out, nil
}

var (
	mdLinkRE    = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)\)`)
	mdHeadingRE = regexp.MustCompile(`^#{1,6}\s+`)
	mdBulletRE  = regexp.MustCompile(`^[-*+•]\s+`)
)

// flatPage renders scraped text as the flattest page that could have
// produced it: one <p> per paragraph (lines separated by a blank line),
// its lines separated by <br>; a list item or heading where markdown says
// so; markdown links as links; all inside one <div>.
func flatPage(text string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body><div>\n")
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		var rows []string
		for _, l := range strings.Split(block, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				rows = append(rows, l)
			}
		}
		if len(rows) == 0 {
			continue
		}
		tag := "p"
		switch {
		case len(rows) == 1 && mdHeadingRE.MatchString(rows[0]):
			tag, rows[0] = "h2", mdHeadingRE.ReplaceAllString(rows[0], "")
		case mdBulletRE.MatchString(rows[0]):
			tag = "li"
			for i := range rows {
				rows[i] = mdBulletRE.ReplaceAllString(rows[i], "")
			}
		}
		for i := range rows {
			rows[i] = inlineLinks(rows[i])
		}
		fmt.Fprintf(&b, "<%s>%s</%s>\n", tag, strings.Join(rows, "<br>\n"), tag)
	}
	b.WriteString("</div></body></html>\n")
	return b.String()
}

// inlineLinks escapes a line and turns its markdown links into <a>.
func inlineLinks(l string) string {
	var b strings.Builder
	last := 0
	for _, m := range mdLinkRE.FindAllStringSubmatchIndex(l, -1) {
		b.WriteString(html.EscapeString(l[last:m[0]]))
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, html.EscapeString(l[m[4]:m[5]]), html.EscapeString(l[m[2]:m[3]]))
		last = m[1]
	}
	b.WriteString(html.EscapeString(l[last:]))
	return b.String()
}
