package fetch

import "errors"

// The kinds of failure a fetch reports. Every error Fetch returns is an
// *Error whose Kind is one of these, so callers can test it with
// errors.Is(err, fetch.ErrTooLarge) without parsing messages.
var (
	// ErrInvalidURL means the URL cannot be fetched as written: it does
	// not parse, has no host, or its scheme is not http or https.
	ErrInvalidURL = errors.New("invalid URL")
	// ErrPrivateAddress means the host resolved to (or redirected to) a
	// loopback, private, link-local, unspecified, multicast or otherwise
	// reserved address while Config.AllowPrivate was false.
	ErrPrivateAddress = errors.New("private address")
	// ErrUnreachable means no connection could be made or the connection
	// broke: an unknown host, a refused connection, a reset.
	ErrUnreachable = errors.New("unreachable")
	// ErrTimeout means the page did not arrive within Config.Timeout.
	ErrTimeout = errors.New("timed out")
	// ErrStatus means the server answered with a status other than 2xx
	// (401 and 403 are ErrLoginWall instead).
	ErrStatus = errors.New("bad HTTP status")
	// ErrLoginWall means the page is behind a login: the server answered
	// 401 or 403, or sent a tiny page holding a password field.
	ErrLoginWall = errors.New("login required")
	// ErrTooLarge means the page is larger than Config.MaxBytes.
	ErrTooLarge = errors.New("page too large")
	// ErrTooManyRedirects means the redirects went on for more than
	// Config.MaxRedirects hops, or came back to a URL already visited.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrNotWebPage means the content is not HTML, XHTML or plain text (a
	// PDF, an image, a binary file), by its Content-Type or its bytes.
	ErrNotWebPage = errors.New("not a web page")
	// ErrCanceled means the caller's context ended before the page
	// arrived; the error also wraps ctx.Err().
	ErrCanceled = errors.New("canceled")
	// ErrUndecodable means the page's bytes could not be turned into text
	// in any charset it declares or that can be detected.
	ErrUndecodable = errors.New("undecodable page")
)

// Error is a failed fetch. Its message is one line a user can be shown:
// "couldn't fetch URL: " and why. The cause, when there is one, is kept for
// logs and errors.Is (context.DeadlineExceeded, a *net.OpError, …).
type Error struct {
	// Kind is one of the Err… values of this package.
	Kind error
	// URL is the URL that failed: the one asked for, or the redirect
	// target that broke the rule.
	URL string
	// Reason says why, in words for a user: "the server answered 404 Not
	// Found", "the page is larger than 5 MiB".
	Reason string
	// Status is the HTTP status code when the server answered, else 0.
	Status int
	// Err is the underlying cause, or nil.
	Err error
}

// Error returns "couldn't fetch URL: reason".
func (e *Error) Error() string {
	if e.URL == "" {
		return "couldn't fetch the page: " + e.Reason
	}
	return "couldn't fetch " + e.URL + ": " + e.Reason
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's Kind, so that errors.Is(err,
// ErrTooLarge) holds for a page that was too large.
func (e *Error) Is(target error) bool { return target == e.Kind }
