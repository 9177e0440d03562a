// Package fetch downloads one web page for the corpus, safely: only http
// and https, a deadline on the whole fetch, a cap on the page's size, a
// bounded number of redirects, only HTML, XHTML and plain text, and no
// connection to a loopback, private, link-local, unspecified or multicast
// address unless the caller allows it. The address rule is enforced on
// the address actually dialled, after DNS, so a host name that resolves to
// 127.0.0.1 or a redirect to http://10.0.0.1/ is refused too.
//
// A fetched page comes back decoded to UTF-8 (from the charset the server
// or the page declares, else detected from the bytes: GBK and GB18030 pages
// are common). Turning it into an article is corpus.FromPage's job.
//
// Every failure is an *Error whose message is one line for a user ("couldn't
// fetch https://x/y: the server answered 404 Not Found") and whose Kind is
// one of this package's Err… values.
//
// fetch reads no environment variables and logs nothing: the caller
// configures it through Config.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Defaults for the zero fields of a Config.
const (
	// DefaultTimeout bounds one whole fetch: connecting, redirects and
	// reading the body.
	DefaultTimeout = 20 * time.Second
	// DefaultMaxBytes is the largest page read (5 MiB, after any
	// transfer compression is undone).
	DefaultMaxBytes = 5 << 20
	// DefaultMaxRedirects is how many redirects are followed.
	DefaultMaxRedirects = 5
	// DefaultUserAgent is sent when Config.UserAgent is empty.
	DefaultUserAgent = "scobot/1 (news report ingestion)"
	// DefaultAllowPrivateSetting names the setting in the private-address
	// message when Config.AllowPrivateSetting is empty.
	DefaultAllowPrivateSetting = "AllowPrivate"
)

// Config says how a Fetcher fetches. The zero value is usable: every zero
// field takes its default.
type Config struct {
	// Timeout bounds one whole fetch; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes is the largest page body accepted; 0 means
	// DefaultMaxBytes. A larger page is refused with ErrTooLarge, and
	// no more than MaxBytes+1 bytes of it are read.
	MaxBytes int64
	// MaxRedirects is how many redirects are followed; 0 means
	// DefaultMaxRedirects, a negative value follows none.
	MaxRedirects int
	// AllowPrivate lets the fetcher connect to loopback, private,
	// link-local, unspecified, multicast and other reserved addresses.
	// Leave it false in production: with it a URL can reach services
	// on the bot's own machine or network. Tests against httptest
	// servers (on 127.0.0.1) set it.
	AllowPrivate bool
	// AllowPrivateSetting is how the caller's users set AllowPrivate
	// (an environment variable, a flag), named in the error for a
	// private address: "…; set INGEST_ALLOW_PRIVATE to allow it". Empty
	// means DefaultAllowPrivateSetting.
	AllowPrivateSetting string
	// UserAgent is sent with every request; empty means
	// DefaultUserAgent.
	UserAgent string
	// Accept lists the media types (without parameters, lower case) a
	// fetched page may have; nil or empty means PageTypes(): HTML, XHTML
	// and plain text. A feed reader sets
	// append(PageTypes(), FeedTypes()...). A body that sniffs as binary is
	// refused whatever its declared type.
	Accept []string
}

// PageTypes returns the media types a Fetcher accepts by default: web
// pages (HTML, XHTML) and plain text.
func PageTypes() []string {
	return []string{"text/html", "application/xhtml+xml", "text/plain"}
}

// FeedTypes returns the media types feeds are served with: RSS, Atom,
// generic XML and JSON Feed (with generic JSON, which many servers send
// for it). Add them to Config.Accept to fetch feeds.
func FeedTypes() []string {
	return []string{"application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/feed+json", "application/json"}
}

// withDefaults returns c with its zero fields set.
func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	switch {
	case c.MaxRedirects == 0:
		c.MaxRedirects = DefaultMaxRedirects
	case c.MaxRedirects < 0:
		c.MaxRedirects = 0
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.AllowPrivateSetting == "" {
		c.AllowPrivateSetting = DefaultAllowPrivateSetting
	}
	if len(c.Accept) == 0 {
		c.Accept = PageTypes()
	} else {
		c.Accept = append([]string(nil), c.Accept...)
	}
	return c
}

// Page is a fetched page.
type Page struct {
	// URL is the page's final URL, after redirects.
	URL string
	// ContentType is the media type without parameters: "text/html",
	// "application/xhtml+xml" or "text/plain", or another type of
	// Config.Accept ("application/rss+xml", …).
	ContentType string
	// Charset is the charset the body was decoded from, as the WHATWG
	// names it ("utf-8", "gbk", "gb18030", "windows-1251", …).
	Charset string
	// Body is the page's content decoded to UTF-8. For HTML it is the
	// markup, whose own <meta charset> may still name the original
	// charset; for XML, its <?xml encoding="…"?> may too.
	Body string
	// Fetched is when the response arrived.
	Fetched time.Time
}

// IsHTML reports whether the page is HTML or XHTML (rather than plain
// text, or a feed).
func (p Page) IsHTML() bool {
	return p.ContentType == "text/html" || p.ContentType == "application/xhtml+xml"
}

// isMarkup reports whether a media type is HTML or XML of any kind, whose
// charset the document itself may declare.
func isMarkup(mediaType string) bool {
	return mediaType == "text/html" || strings.HasSuffix(mediaType, "/xml") || strings.HasSuffix(mediaType, "+xml")
}

// Fetcher fetches pages. It is safe for concurrent use; build one with New
// and keep it, so connections are reused.
type Fetcher struct {
	cfg    Config
	accept map[string]bool
	client *http.Client
}

// New returns a Fetcher for cfg (its zero fields take their defaults).
func New(cfg Config) *Fetcher {
	public := IsPublic
	if cfg.AllowPrivate {
		public = nil
	}
	return newFetcher(cfg, public)
}

// newFetcher is New with the rule for addresses given: public says which
// addresses may be dialled (nil: all).
func newFetcher(cfg Config, public func(netip.Addr) bool) *Fetcher {
	cfg = cfg.withDefaults()
	dialer := &net.Dialer{
		Timeout: cfg.Timeout,
		Control: addressGuard(public),
	}
	transport := &http.Transport{
		// No proxy: the address rule must apply to the page's own
		// host, and a proxy from the environment would hide it.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
	}
	f := &Fetcher{cfg: cfg, accept: map[string]bool{}}
	for _, t := range cfg.Accept {
		f.accept[strings.ToLower(strings.TrimSpace(t))] = true
	}
	f.client = &http.Client{
		Transport:     transport,
		CheckRedirect: f.checkRedirect,
	}
	return f
}

// Config returns the configuration in use, defaults filled in.
func (f *Fetcher) Config() Config { return f.cfg }

// Close releases idle connections. The Fetcher stays usable.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

// errRedirectLimit and a *redirectLoopError come out of checkRedirect and
// are turned into ErrTooManyRedirects.
var errRedirectLimit = errors.New("redirect limit")

// redirectLoopError is a redirect back to a URL already visited.
type redirectLoopError struct{ url string }

func (e *redirectLoopError) Error() string { return "redirect loop back to " + e.url }

// badSchemeError is a redirect to a scheme other than http or https.
type badSchemeError struct{ scheme string }

func (e *badSchemeError) Error() string { return "redirect to a " + e.scheme + " URL" }

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return &badSchemeError{scheme: s}
	}
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return &redirectLoopError{url: req.URL.String()}
		}
	}
	if len(via) > f.cfg.MaxRedirects {
		return errRedirectLimit
	}
	return nil
}

// Fetch downloads rawURL and returns the page decoded to UTF-8. It fails
// with an *Error (see the Err… kinds) when the URL is not http(s), the
// address is private and not allowed, the server cannot be reached or
// does not answer within Config.Timeout, answers other than 2xx, asks for a
// login, redirects too often or in a loop, sends a type Config.Accept does
// not list (by default anything but HTML, XHTML or plain text) or binary
// bytes, or more than Config.MaxBytes. When ctx ends first,
// the error wraps ctx.Err().
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (Page, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return Page{}, err
	}
	fctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(fctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Page{}, &Error{Kind: ErrInvalidURL, URL: rawURL, Reason: "it is not a valid URL", Err: err}
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", f.acceptHeader())
	resp, err := f.client.Do(req)
	if err != nil {
		return Page{}, f.transportError(ctx, u.String(), err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	if err := checkStatus(final, resp.StatusCode); err != nil {
		return Page{}, err
	}
	mediaType, params := "", map[string]string{}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, p, err := mime.ParseMediaType(ct)
		if err != nil {
			return Page{}, &Error{Kind: ErrNotWebPage, URL: final, Reason: "it is not a web page (its content type is unreadable)", Err: err}
		}
		if !f.accept[mt] {
			return Page{}, notWebPage(final, mt)
		}
		mediaType, params = mt, p
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		return Page{}, f.tooLarge(final)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return Page{}, f.transportError(ctx, final, err)
	}
	if int64(len(body)) > f.cfg.MaxBytes {
		return Page{}, f.tooLarge(final)
	}
	fetched := time.Now()
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	if !strings.HasPrefix(sniffed, "text/") {
		return Page{}, notWebPage(final, sniffed)
	}
	if mediaType == "" {
		mediaType = "text/plain"
		if sniffed == "text/html" || sniffed == "text/xml" {
			mediaType = "text/html"
		}
	}
	text, cs, err := decodeBody(body, params["charset"], isMarkup(mediaType))
	if err != nil {
		return Page{}, &Error{Kind: ErrUndecodable, URL: final, Reason: "its text is in no charset that could be read", Err: err}
	}
	page := Page{URL: final, ContentType: mediaType, Charset: cs, Body: text, Fetched: fetched}
	if page.IsHTML() && isLoginPage(text) {
		return Page{}, &Error{Kind: ErrLoginWall, URL: final, Reason: "the page asks for a login (a password form and almost no text)"}
	}
	return page, nil
}

// acceptHeader is the Accept request header: the accepted types first,
// anything else last (a server that ignores the header still answers, and
// the type is checked on the response).
func (f *Fetcher) acceptHeader() string {
	return strings.Join(f.cfg.Accept, ",") + ",*/*;q=0.1"
}

// parseURL accepts an absolute http or https URL with a host.
func parseURL(rawURL string) (*url.URL, error) {
	s := strings.TrimSpace(rawURL)
	u, err := url.Parse(s)
	if err != nil {
		return nil, &Error{Kind: ErrInvalidURL, URL: s, Reason: "it is not a valid URL", Err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &Error{Kind: ErrInvalidURL, URL: s, Reason: "only http and https URLs can be fetched"}
	}
	if u.Hostname() == "" {
		return nil, &Error{Kind: ErrInvalidURL, URL: s, Reason: "the URL names no host"}
	}
	u.Fragment = ""
	return u, nil
}

// checkStatus turns a status other than 2xx into an *Error. The reason
// names the status by its standard text, never the server's own.
func checkStatus(u string, code int) error {
	if code >= 200 && code < 300 {
		return nil
	}
	status := fmt.Sprintf("%d %s", code, http.StatusText(code))
	status = strings.TrimSpace(status)
	if code == http.StatusUnauthorized || code == http.StatusForbidden {
		return &Error{Kind: ErrLoginWall, URL: u, Status: code, Reason: "the page needs a login or is forbidden (the server answered " + status + ")"}
	}
	return &Error{Kind: ErrStatus, URL: u, Status: code, Reason: "the server answered " + status}
}

func notWebPage(u, mediaType string) error {
	if len(mediaType) > 60 {
		mediaType = mediaType[:60]
	}
	return &Error{Kind: ErrNotWebPage, URL: u, Reason: "it is not a web page (" + mediaType + ")"}
}

func (f *Fetcher) tooLarge(u string) error {
	return &Error{Kind: ErrTooLarge, URL: u, Reason: "the page is larger than " + sizeString(f.cfg.MaxBytes)}
}

// transportError classifies what http.Client.Do or a body read returned.
func (f *Fetcher) transportError(ctx context.Context, u string, err error) error {
	var (
		blocked *blockedError
		scheme  *badSchemeError
		uerr    *url.Error
		loop    *redirectLoopError
	)
	at := u
	if errors.As(err, &uerr) && uerr.URL != "" {
		at = uerr.URL
	}
	switch {
	case errors.As(err, &blocked):
		return &Error{Kind: ErrPrivateAddress, URL: at, Err: err,
			Reason: "address " + blocked.ip.String() + " is private; set " + f.cfg.AllowPrivateSetting + " to allow it"}
	case errors.As(err, &loop):
		return &Error{Kind: ErrTooManyRedirects, URL: u, Err: err, Reason: "it redirects in a loop (back to " + loop.url + ")"}
	case errors.Is(err, errRedirectLimit):
		return &Error{Kind: ErrTooManyRedirects, URL: u, Err: err, Reason: fmt.Sprintf("it redirected more than %d times", f.cfg.MaxRedirects)}
	case errors.As(err, &scheme):
		return &Error{Kind: ErrInvalidURL, URL: u, Err: err, Reason: "it redirects to a " + scheme.scheme + " URL; only http and https are fetched"}
	case ctx.Err() != nil:
		return &Error{Kind: ErrCanceled, URL: u, Err: ctx.Err(), Reason: "the fetch was cancelled"}
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return &Error{Kind: ErrTimeout, URL: u, Err: err, Reason: "the server did not send the page within " + f.cfg.Timeout.String()}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return &Error{Kind: ErrUnreachable, URL: u, Err: err, Reason: "the host " + dnsErr.Name + " is unknown"}
	}
	return &Error{Kind: ErrUnreachable, URL: u, Err: err, Reason: "the server could not be reached"}
}

// isTimeout reports whether err says it is a timeout (net.Error).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// sizeString writes a byte count as a person would: "5 MiB", "64 KiB".
func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
