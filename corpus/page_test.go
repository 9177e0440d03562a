package corpus

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestPageID(t *testing.T) {
	tests := []struct {
		name, url, want string
	}{
		{"article", "https://www.steppeherald.example/world/2024/07/04/sco-astana-declaration",
			"steppeherald.example_world-2024-07-04-sco-astana-declaration_"},
		{"extension dropped", "http://ptxw.jjjtsb.com/l/2011-06/15/content_4881628.htm", "ptxw.jjjtsb.com_l-2011-06-15-content-4881628_"},
		{"query kept", "https://news.example/view.php?id=42", "news.example_view-id-42_"},
		{"chinese path", "https://news.example/新闻/上合组织", "news.example_"},
		{"root", "https://news.example/", "news.example_"},
		{"long path cut at a dash", "https://news.example/" + strings.Repeat("summit-", 20), "news.example_summit-summit-summit-summit-summit-summit-summit-summit_"},
		{"not a URL", "mailto:desk@example.com", "page_"},
	}
	safe := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*_[0-9a-f]{8}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := PageID(tt.url)
			if !strings.HasPrefix(id, tt.want) || len(id) != len(tt.want)+8 {
				t.Errorf("PageID(%q) = %q, want %q + 8 hex digits", tt.url, id, tt.want)
			}
			if !safe.MatchString(id) || strings.Contains(id, "..") {
				t.Errorf("PageID(%q) = %q is not a safe file name", tt.url, id)
			}
		})
	}
	same := []string{
		"https://www.steppeherald.example/world/sco/",
		"http://steppeherald.example/world/sco",
		"https://steppeherald.example:443/world/sco#comments",
		"https://steppeherald.example/world/sco?utm_source=telegram&utm_medium=share",
	}
	for _, u := range same[1:] {
		if PageID(u) != PageID(same[0]) {
			t.Errorf("PageID(%q) = %s, PageID(%q) = %s: want the same", u, PageID(u), same[0], PageID(same[0]))
		}
	}
	differ := []string{
		"https://news.example/view.php?id=42",
		"https://news.example/view.php?id=43",
		"https://news.example:8080/view.php?id=42",
		"https://other.example/view.php?id=42",
	}
	seen := map[string]string{}
	for _, u := range differ {
		id := PageID(u)
		if prev, dup := seen[id]; dup {
			t.Errorf("PageID(%q) = PageID(%q) = %s", u, prev, id)
		}
		seen[id] = u
	}
}

const ogPage = `<!DOCTYPE html><html lang="en"><head><meta charset="gbk">
<title>SCO ministers meet in Astana | Steppe Herald</title>
<meta property="og:title" content="SCO ministers meet in Astana">
<meta property="og:site_name" content="Steppe Herald">
<meta property="article:published_time" content="2024-05-21T18:00:00+05:00">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>SCO ministers meet in Astana</h1>
<p>ASTANA, May 21 — Foreign ministers of the Shanghai Cooperation Organization met in Astana on Tuesday to prepare the July summit of heads of state.</p>
<p>Chinese Foreign Minister Wang Yi said the member states should deepen cooperation on security, trade and connectivity.</p></article>
<footer>© 2024 Steppe Herald</footer></body></html>`

const jsonLDPage = `<html><head><title>Eurasia Monitor</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Eurasia Monitor"},
{"@type":["NewsArticle"],"headline":"SCO agrees to set up a development bank","datePublished":"2025-09-01T16:05:00+08:00","publisher":{"@type":"Organization","name":"Eurasia Monitor"}}]}</script>
</head><body><div class="story"><p>TIANJIN, Sept 1 — Leaders of the Shanghai Cooperation Organization agreed on Monday to set up a development bank of their own, a project China has pressed for more than a decade.</p>
<p>Chinese President Xi Jinping said China would provide 2 billion yuan in grants to member states this year.</p></div></body></html>`

const plainReport = "China, Kyrgyzstan agree to deepen SCO cooperation\n\nBISHKEK, June 14, 2019 (Xinhua) -- Chinese President Xi Jinping and Kyrgyz President Sooronbay Jeenbekov agreed on Friday to deepen security cooperation within the framework of the SCO.\n"

// TestFromPage: title, date, publisher, URL and languages from the page,
// and the same Document when Load reads the file PageFile makes of it.
func TestFromPage(t *testing.T) {
	fetched := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name                            string
		page                            Page
		title, date, source, url, langs string
		file                            string
	}{
		{"og", Page{URL: "https://steppeherald.example/world/ministers", ContentType: "text/html", Body: ogPage, Fetched: fetched},
			"SCO ministers meet in Astana", "2024-05-21", "Steppe Herald", "https://steppeherald.example/world/ministers", "en", ".html"},
		{"json-ld", Page{URL: "https://eurasia-monitor.example/2025/bank", ContentType: "application/xhtml+xml", Body: jsonLDPage},
			"SCO agrees to set up a development bank", "2025-09-01", "Eurasia Monitor", "https://eurasia-monitor.example/2025/bank", "en", ".html"},
		{"relative canonical", Page{URL: "https://steppeherald.example/amp/ministers?from=feed", ContentType: "text/html",
			Body: strings.Replace(ogPage, "</head>", `<link rel="canonical" href="/world/ministers"></head>`, 1)},
			"SCO ministers meet in Astana", "2024-05-21", "Steppe Herald", "https://steppeherald.example/world/ministers", "en", ".html"},
		{"plain text", Page{URL: "https://wire.example/xinhua/kyrgyz", ContentType: "text/plain; charset=utf-8", Body: plainReport},
			"China, Kyrgyzstan agree to deepen SCO cooperation", "2019-06-14", "Xinhua", "https://wire.example/xinhua/kyrgyz", "en", ".txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := FromPage(tt.page)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Date != tt.date || doc.Source != tt.source || doc.URL != tt.url || strings.Join(doc.Langs, ",") != tt.langs {
				t.Errorf("title %q date %q source %q url %q langs %v\nwant  %q      %q        %q        %q     %s",
					doc.Title, doc.Date, doc.Source, doc.URL, doc.Langs, tt.title, tt.date, tt.source, tt.url, tt.langs)
			}
			if doc.ID != PageID(tt.page.URL) || doc.File != doc.ID+tt.file {
				t.Errorf("ID %q file %q, want %q and the extension %s", doc.ID, doc.File, PageID(tt.page.URL), tt.file)
			}
			if !strings.HasPrefix(doc.Text(), tt.title+"\n\n") {
				t.Errorf("text does not open with the headline: %.80q", doc.Text())
			}
			if strings.Contains(doc.Text(), "Source:") || strings.Contains(doc.Text(), "©") || strings.Contains(doc.Text(), "World") {
				t.Errorf("furniture or the saved source line in the text: %q", doc.Text())
			}
			name, data, err := PageFile(tt.page)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Load(context.Background(), fstest.MapFS{name: {Data: data}}, nil)
			if err != nil || len(res.Docs) != 1 {
				t.Fatalf("Load of the saved page: %v, %d documents, skipped %v", err, len(res.Docs), res.Skipped)
			}
			if !reflect.DeepEqual(res.Docs[0], doc) {
				t.Errorf("Load reads the saved page as\n%+v\nFromPage gave\n%+v", res.Docs[0], doc)
			}
		})
	}
}

// TestFromPageFailures: no article text, or no usable URL.
func TestFromPageFailures(t *testing.T) {
	empty := `<html><body><nav><a href="/">Home</a> <a href="/a">World</a></nav><footer>© 2024 Steppe Herald</footer></body></html>`
	_, err := FromPage(Page{URL: "https://steppeherald.example/empty", ContentType: "text/html", Body: empty})
	if !errors.Is(err, ErrNoText) || !strings.HasPrefix(err.Error(), "couldn't find an article at https://steppeherald.example/empty: the page holds no article text") {
		t.Errorf("empty page: %v", err)
	}
	if _, err := FromPage(Page{URL: "", ContentType: "text/html", Body: ogPage}); err == nil {
		t.Error("a page with no URL was accepted")
	}
	if _, err := FromPage(Page{URL: "ftp://x.example/a", ContentType: "text/plain", Body: plainReport}); err == nil {
		t.Error("an ftp URL was accepted")
	}
}

// sidebarPage has an article and, in a column with no telling class name,
// three stories of other news in full sentences: the cleaner alone keeps
// them, readability does not.
const sidebarPage = `<html><head><title>Summit ends with Tianjin Declaration - Monitor</title></head><body>
<div class="wrap"><div class="col-main"><h1>Summit ends with Tianjin Declaration</h1><div class="story"><div class="story-body">
<p>TIANJIN, Sept 1 — Leaders of the Shanghai Cooperation Organization signed the Tianjin Declaration on Monday at the end of their summit, and backed a ten-year development strategy for the bloc.</p>
<p>Chinese President Xi Jinping told the gathering that China would provide 2 billion yuan in grants to member states this year, and more in loans through the organization's banking consortium.</p>
<p>Russian President Vladimir Putin and Indian Prime Minister Narendra Modi both attended the meeting in the port city, which diplomats described as the largest in the bloc's history.</p></div></div></div>
<div class="col-side"><div class="box"><h3>Most popular</h3><div class="item">Oil prices slip as markets weigh the demand outlook in Asia and Europe this week.</div>
<div class="item">Kyrgyz parliament approves a new budget after a long debate over spending on roads.</div>
<div class="item">Uzbek cotton harvest is expected to rise for the third year in a row, officials say.</div></div></div></div></body></html>`

// cardsPage has a two-sentence brief and, below it, longer cards of other
// news that readability takes for the article.
const cardsPage = `<html><head><meta property="og:title" content="SCO secretary-general meets Kyrgyz minister"></head><body>
<div class="wrapper"><div class="brief"><h1>SCO secretary-general meets Kyrgyz minister</h1>
<p>BISHKEK, March 14 — SCO Secretary-General Zhang Ming met Kyrgyz Foreign Minister Jeenbek Kulubaev on Tuesday to discuss this year's meetings.</p></div>
<div class="more"><h2>More from Bishkek Today</h2>
<div class="card"><p>The city council has approved a plan to plant ten thousand trees along the main avenues this spring, officials said on Monday, after residents complained about dust and heat in the summer months.</p></div>
<div class="card"><p>Prices for bread and flour rose slightly in February, the statistics committee reported, while fuel prices stayed the same for the third month in a row across most regions of the country.</p></div>
<div class="card"><p>A new bus route will connect the southern districts with the city centre from April, the transport department announced, promising buses every ten minutes at peak hours.</p></div></div></div></body></html>`

// TestExtractors: the combined extractor (the default) drops what
// readability finds is not the article, and falls back to the cleaner when
// readability picks a box of other stories.
func TestExtractors(t *testing.T) {
	tests := []struct {
		name            string
		page            string
		x               Extractor
		present, absent []string
	}{
		{"sidebar, cleaner alone", sidebarPage, ExtractCleaner, []string{"Tianjin Declaration on Monday", "Oil prices slip"}, nil},
		{"sidebar, readability", sidebarPage, ExtractReadability, []string{"Tianjin Declaration on Monday"}, []string{"Oil prices", "cotton"}},
		{"sidebar, default", sidebarPage, DefaultExtractor,
			[]string{"Summit ends with Tianjin Declaration\n\nTIANJIN, Sept 1", "largest in the bloc's history."}, []string{"Oil prices", "Kyrgyz parliament", "cotton"}},
		{"cards, readability", cardsPage, ExtractReadability, []string{"ten thousand trees"}, []string{"Zhang Ming"}},
		{"cards, default falls back", cardsPage, DefaultExtractor, []string{"Zhang Ming met Kyrgyz Foreign Minister"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExtractText(tt.page, "https://monitor.example/a", tt.x)
			for _, s := range tt.present {
				if !strings.Contains(got, s) {
					t.Errorf("%q missing from\n%s", s, got)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(got, s) {
					t.Errorf("%q left in\n%s", s, got)
				}
			}
		})
	}
}

func TestParseJSONLD(t *testing.T) {
	tests := []struct {
		name, src string
		want      ldArticle
	}{
		{"article", `{"@type":"NewsArticle","headline":" SCO  summit ","datePublished":"2024-07-04","publisher":{"name":"Xinhua"},"inLanguage":"zh"}`,
			ldArticle{headline: "SCO summit", published: "2024-07-04", publisher: "Xinhua", lang: "zh"}},
		{"graph", `{"@graph":[{"@type":"WebPage","name":"x"},{"@type":"ReportageNews","name":"SCO","datePublished":"2024-07-04"}]}`,
			ldArticle{headline: "SCO", published: "2024-07-04"}},
		{"array and type list", `[{"@type":"Organization"},{"@type":["schema:Article","Thing"],"headline":"A","publisher":"TASS"}]`,
			ldArticle{headline: "A", publisher: "TASS"}},
		{"no article", `{"@type":"WebSite","name":"Site"}`, ldArticle{}},
		{"not JSON", `{"@type":`, ldArticle{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseJSONLD(tt.src); got != tt.want {
				t.Errorf("parseJSONLD = %+v, want %+v", got, tt.want)
			}
		})
	}
}
