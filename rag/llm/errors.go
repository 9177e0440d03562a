package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// ErrNotConfigured is returned by Complete and Stream when the Client has no
// chat model.
var ErrNotConfigured = errors.New("no chat model is configured")

// ErrUnavailable is wrapped by every error that means the language model
// service could not give an answer: a failure that remained after retries, a
// request the API refused (400, 401, 403, 404), a malformed or empty reply.
var ErrUnavailable = errors.New("the language model service is unavailable")

// ErrTruncated is wrapped by the error Complete and Stream return, along
// with the text, when a reply is incomplete: the server stopped it at its
// token limit (finish_reason "length"), or it was longer than the
// caller's ChatOptions.MaxChars. The text is usable; the caller should
// say that it is cut off. It does not wrap ErrUnavailable.
var ErrTruncated = errors.New("the reply was cut off")

// maxDetail bounds how much of a server's error message goes into an error.
const maxDetail = 200

// unavailableError is a failure of the service: its text is "couldn't <op>:
// the language model service is unavailable: <cause>", and it wraps
// ErrUnavailable (and the context's error when the caller's deadline
// passed). It deliberately does not wrap the client library's error, whose
// text holds the raw response body and the request URL.
type unavailableError struct {
	op     string
	cause  string
	ctxErr error
}

// Error implements error.
func (e *unavailableError) Error() string {
	return fmt.Sprintf("couldn't %s: %v: %s", e.op, ErrUnavailable, e.cause)
}

// Unwrap returns ErrUnavailable and, if set, the context's error.
func (e *unavailableError) Unwrap() []error {
	if e.ctxErr != nil {
		return []error{ErrUnavailable, e.ctxErr}
	}
	return []error{ErrUnavailable}
}

// classifier turns the client library's errors into errors fit to show: a
// short cause, no key, no URL, no raw body.
type classifier struct {
	redact func(string) string
}

// unavailable returns an unavailableError with a redacted cause.
func (c classifier) unavailable(op, cause string) error {
	return &unavailableError{op: op, cause: c.redact(cause)}
}

// classify wraps err, which a call for op with model failed with. If ctx is
// done the caller's context error is returned (wrapped; a deadline also
// wraps ErrUnavailable), whatever err is.
func (c classifier) classify(ctx context.Context, op, model string, err error, st *callStats) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return &unavailableError{op: op, cause: "timed out", ctxErr: ctxErr}
		}
		return fmt.Errorf("couldn't %s: %w", op, ctxErr)
	}
	return c.unavailable(op, c.cause(model, err, st))
}

// cause words err for a person.
func (c classifier) cause(model string, err error, st *callStats) string {
	var (
		reqErr *openai.RequestError
		apiErr *openai.APIError
		urlErr *url.Error
	)
	switch {
	case errors.As(err, &reqErr): // not JSON in the OpenAI shape: plain text, HTML, empty, vLLM's {"message":…}
		return statusCause(reqErr.HTTPStatusCode, c.redact(bodyMessage(reqErr.Body)), false, model, st)
	case errors.As(err, &apiErr) && apiErr.HTTPStatusCode == 0:
		// An error event inside a stream: no status.
		return "the service reported an error" + detail(c.redact(apiErr.Message))
	case errors.As(err, &apiErr):
		return statusCause(apiErr.HTTPStatusCode, c.redact(apiErr.Message), true, model, st)
	case errors.Is(err, errCircuitOpen):
		return errCircuitOpen.Error()
	case errors.Is(err, errAttemptTimeout):
		return "timed out" + st.summary()
	case errors.Is(err, openai.ErrTooManyEmptyStreamMessages):
		return "malformed stream"
	case isDecodeError(err):
		return "malformed response"
	case errors.As(err, &urlErr):
		return "couldn't reach the service" + st.summary() + detail(c.redact(urlErr.Err.Error()))
	default:
		// The library refused the request before sending it (for example
		// a parameter a reasoning model does not take).
		return "request not sent" + detail(c.redact(err.Error()))
	}
}

// statusCause words a failure status. shaped says the body was an OpenAI-style
// {"error":{…}} object, msg is its message (or the best guess at one),
// already redacted.
func statusCause(status int, msg string, shaped bool, model string, st *callStats) string {
	switch {
	case status == 401:
		return "the API rejected the key (401)"
	case status == 403:
		return "access denied (403)" + detail(msg)
	case status == 404 && (shaped || strings.Contains(strings.ToLower(msg), "model")):
		return fmt.Sprintf("model %q not found (404)", model) + detail(msg)
	case status == 404:
		return "endpoint not found (404); check the base URL"
	case status == 429:
		return "rate limited (429)" + st.summary() + detail(msg)
	case status >= 500:
		return fmt.Sprintf("server error (%d)", status) + st.summary()
	case status == 400 || status == 422:
		return fmt.Sprintf("request rejected (%d)", status) + detail(msg)
	default:
		return fmt.Sprintf("unexpected status %d", status) + detail(msg)
	}
}

// summary says how many attempts a failure took and how long, when more
// than one.
func (st *callStats) summary() string {
	if st == nil || st.attempts < 2 {
		return ""
	}
	d := st.elapsed.Round(time.Millisecond)
	if st.elapsed >= time.Second {
		d = st.elapsed.Round(100 * time.Millisecond)
	}
	return fmt.Sprintf(" after %d attempts in %v", st.attempts, d)
}

// isDecodeError reports whether err is a failure to decode a response.
func isDecodeError(err error) bool {
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	return errors.As(err, &syntaxErr) || errors.As(err, &typeErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// bodyMessage guesses the message of an error body that is not in the
// OpenAI shape: {"message":…} (vLLM), {"error":"…"} (Ollama's native API),
// or the first line of plain text. HTML and empty bodies have none.
func bodyMessage(body []byte) string {
	var v struct {
		Message string `json:"message"`
		Error   any    `json:"error"`
	}
	if json.Unmarshal(body, &v) == nil {
		if s, ok := v.Error.(string); ok && v.Message == "" {
			return s
		}
		return v.Message
	}
	text := strings.TrimSpace(string(body))
	if text == "" || strings.HasPrefix(text, "<") {
		return ""
	}
	line, _, _ := strings.Cut(text, "\n")
	return line
}

// detail formats a server's message as ": msg", cut to maxDetail runes, or ""
// when there is none. msg must be redacted already: a cut could leave part of
// a key that redacting afterwards would miss.
func detail(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	if msg == "" {
		return ""
	}
	if utf8.RuneCountInString(msg) > maxDetail {
		msg = string([]rune(msg)[:maxDetail]) + "…"
	}
	return ": " + msg
}
