package fetch_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// metaCharsetTag is the <meta> that declares the GBK page's charset.
var metaCharsetTag = regexp.MustCompile(`(?i)<meta http-equiv="Content-Type"[^>]*>`)

// hugeSize is more than the default 5 MiB cap.
const hugeSize = 6 << 20

// newsSite serves the pages of testdata/site, in the ways news sites
// serve them, and the failures the fetcher must report, on 127.0.0.1.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "site", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	gbk := func(b []byte) []byte {
		out, err := simplifiedchinese.GBK.NewEncoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	serve := func(contentType string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			} else {
				w.Header()["Content-Type"] = nil // no header at all, not even a sniffed one
			}
			w.Write(body)
		}
	}
	gbkPage := read("gbk_portal.html")
	gbkBare := metaCharsetTag.ReplaceAll(gbkPage, nil)

	mux := http.NewServeMux()
	// Articles in several styles.
	mux.Handle("/world/2024/07/04/sco-astana-declaration", serve("text/html; charset=utf-8", read("og_article.html")))
	mux.Handle("/news/tianjin-development-bank", serve("text/html", read("jsonld_article.html")))
	mux.Handle("/gj/2024-07/04/content_meta.htm", serve("text/html", gbk(gbkPage)))
	mux.Handle("/gj/2024-07/04/content_header.htm", serve("text/html; charset=GBK", gbk(gbkBare)))
	mux.Handle("/gj/2024-07/04/content_sniffed.htm", serve("", gbk(gbkBare)))
	mux.Handle("/ru/astana-declaration", serve("text/html; charset=utf-8", read("boilerplate_ru.html")))
	mux.Handle("/wire/2019/06/14/china-kyrgyzstan.txt", serve("text/plain; charset=utf-8", read("plain_report.txt")))
	mux.Handle("/caspian/samarkand-preparations", serve("text/html; charset=utf-8", read("multipart_article.html")))
	mux.Handle("/brief/zhang-ming-kulubaev", serve("text/html; charset=utf-8", read("short_brief.html")))
	mux.Handle("/sz/qin-gang-goa", serve("application/xhtml+xml; charset=utf-8", read("zh_portal_teasers.html")))
	mux.Handle("/empty", serve("text/html; charset=utf-8", read("no_article.html")))
	// Walls and failures.
	mux.Handle("/premium/login", serve("text/html; charset=utf-8", read("login.html")))
	mux.HandleFunc("/premium/story", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write(read("login.html"))
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/world/2024/07/04/sco-astana-declaration", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/a", http.StatusFound) })
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n >= 20 {
			serve("text/plain", []byte("the end of a long chain of redirects, finally some text"))(w, r)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><p>The first words arrive, then nothing"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>SCO news SCO news SCO news.</p>\n"), 1000)
		for n := 0; n < hugeSize; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		// Says how big it is, sends a little, then waits: only a
		// fetcher that believes the Content-Length answers at once.
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(hugeSize))
		w.Write(bytes.Repeat([]byte("x"), 1024))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		// Never ends: only a fetcher that stops reading at the cap
		// answers before its timeout.
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>more and more</p>\n"), 1000)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.Handle("/data.json", serve("application/json", []byte(`{"summit": "Astana", "year": 2024}`)))
	mux.Handle("/docs/declaration.pdf", serve("application/pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")))
	mux.Handle("/photo.jpg", serve("image/jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")))
	mux.Handle("/disguised", serve("text/html", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")))
	mux.Handle("/untyped-binary", serve("", []byte("\x00\x01\x02\x03binary\x00\x00\x05")))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}
