package corpus

import (
	"strings"
	"testing"
)

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"blocks become paragraphs",
			`<html><body><h1>Summit opens</h1><div><p>First <b>bold</b> words.</p><p>Second<br>line.</p></div><ul><li>One item here.</li></ul></body></html>`,
			"Summit opens\n\nFirst bold words.\n\nSecond\nline.\n\nOne item here."},
		{"furniture dropped",
			`<html><head><title>T</title><style>p{}</style><script>var x = "<p>no</p>";</script></head><body>
			<header><a href="/">Logo</a> Site tagline text</header><nav>World Politics</nav>
			<form><label>Search</label><input></form><aside>Most read things</aside><noscript>Enable JS</noscript>
			<iframe src="x"></iframe><svg><text>icon</text></svg>
			<p>Kept paragraph.</p>
			<footer>Footer words</footer></body></html>`,
			"Kept paragraph."},
		{"class and id furniture dropped",
			`<body><div class="top-nav">Menu words</div><div id="share_tools">Share words</div><div class="comment-list">A comment.</div>
			<div class="related-news">Other story.</div><div class="ad">Buy now.</div><div class="header">Kept header-like class.</div>
			<div class="breadcrumb">Home</div><div style="display: none">Hidden.</div><div hidden>Hidden too.</div>
			<div role="navigation">Nav role.</div><p>Kept paragraph.</p></body>`,
			"Kept header-like class.\n\nKept paragraph."},
		{"header inside article kept",
			`<body><header>Site</header><article><header><h1>Headline here</h1></header><p>Body text.</p><footer>Article footnote.</footer></article></body>`,
			"Headline here\n\nBody text.\n\nArticle footnote."},
		{"link lists dropped, links in text kept",
			`<body><div><a href="/a">World</a> | <a href="/b">Politics</a> | <a href="/c">Business</a></div>
			<p>The <a href="/sco">SCO</a> summit opened in Astana on Thursday with ten leaders.</p>
			<p><a href="/x">Kazakhstan opens new border crossing</a></p>
			<p>来源:<a href="http://www.news.cn/a.htm">新华网</a></p></body>`,
			"The SCO summit opened in Astana on Thursday with ten leaders.\n\n来源:新华网"},
		{"inline spacing",
			"<p>王毅<b>出席</b>会议。 Wang  Yi\n attended <i>the</i>meeting.</p>",
			"王毅出席会议。 Wang Yi attended themeeting."},
		{"not html at all", "plain text, no tags", "plain text, no tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTMLToText(tt.in); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestHTMLMeta(t *testing.T) {
	page := `<!DOCTYPE html><html lang="zh-CN"><head>
	<title>上合峰会开幕_国际频道_新华网</title>
	<meta property="og:site_name" content="新华网">
	<meta name="publishdate" content="2024-07-04">
	<link rel="canonical" href="http://www.news.cn/world/20240704/abc/c.html">
	</head><body><h1>上合峰会在阿斯塔纳开幕</h1><p>正文。</p></body></html>`
	_, m := htmlToText(page)
	want := htmlMeta{title: "上合峰会开幕_国际频道_新华网", h1: "上合峰会在阿斯塔纳开幕", date: "2024-07-04",
		canonical: "http://www.news.cn/world/20240704/abc/c.html", site: "新华网", lang: "zh-CN"}
	if m != want {
		t.Errorf("meta = %+v\nwant %+v", m, want)
	}
	if got := m.bestTitle(); got != "上合峰会在阿斯塔纳开幕" {
		t.Errorf("bestTitle = %q", got)
	}
	m.h1 = ""
	if got := m.bestTitle(); got != "上合峰会开幕" {
		t.Errorf("bestTitle from <title> = %q, want the site suffixes gone", got)
	}
	// og:title wins, and time/og:url are read
	_, m = htmlToText(`<head><meta property="og:title" content="OG title"><meta property="og:url" content="https://x.example/a"></head><body><h1>H1</h1><time datetime="2021-07-14T15:08:00+08:00">July 14</time></body>`)
	if m.bestTitle() != "OG title" || m.ogURL != "https://x.example/a" || m.publishedDate() != "2021-07-14T15:08:00+08:00" {
		t.Errorf("meta = %+v", m)
	}
	if !strings.Contains(HTMLToText(`<p>a</p><p>b</p>`), "a\n\nb") {
		t.Error("paragraphs not separated")
	}
}

// x/net/html refuses a page nested deeper than 512 elements; its text must
// still come through, page metadata and skipped elements as usual.
func TestHTMLToTextDeeplyNested(t *testing.T) {
	const article = "The foreign ministers of the SCO member states met in Astana on Tuesday."
	for _, depth := range []int{600, 5000} {
		var b strings.Builder
		b.WriteString(`<html><head><title>Ministers meet - Example News</title><meta property="og:site_name" content="Example News"></head><body>`)
		b.WriteString("<p>Opening paragraph before the nesting.</p>")
		for range depth {
			b.WriteString(`<div class="wrap"><span>`)
		}
		b.WriteString("<p>" + article + "</p><script>var hidden = 1;</script><nav>Menu</nav><p>Second paragraph, deep inside.</p>")
		for range depth {
			b.WriteString("</span></div>")
		}
		b.WriteString("<p>Closing paragraph after it.</p></body></html>")
		text, m := htmlToText(b.String())
		for _, want := range []string{"Opening paragraph before the nesting.", article, "Second paragraph, deep inside.", "Closing paragraph after it."} {
			if !strings.Contains(text, want) {
				t.Errorf("depth %d: %q missing from %q", depth, want, text)
			}
		}
		if strings.Contains(text, "hidden") {
			t.Errorf("depth %d: script text shown: %q", depth, text)
		}
		if m.site != "Example News" || m.title == "" {
			t.Errorf("depth %d: meta = %+v", depth, m)
		}
		if _, err := build("deep.html", []byte(b.String())); err != nil {
			t.Errorf("depth %d: build: %v", depth, err)
		}
	}
	// "<div/>" opens a <div> like "<div>" does.
	selfClosed := "<body>" + strings.Repeat("<div/>", 1000) + "<p>" + article + "</p></body>"
	if text := HTMLToText(selfClosed); !strings.Contains(text, article) {
		t.Errorf("self-closed divs: got %q", text)
	}
}
