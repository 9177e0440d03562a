package llm

import (
	"fmt"
	"log/slog"
	"strings"
)

// redacted is what a Secret prints as, however it is printed.
const redacted = "[REDACTED]"

// Secret holds an API key. It never prints or logs: String, GoString, Format
// (every fmt verb), LogValue, MarshalJSON and MarshalText all give
// "[REDACTED]". Only Reveal returns the key itself. (One hole: encoding/json
// writes a map key of a string type as it is, so never use a Secret as a map
// key.)
type Secret string

// Reveal returns the key itself, for the Authorization header and nothing else.
func (s Secret) Reveal() string { return string(s) }

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]", so %#v redacts too.
func (s Secret) GoString() string { return redacted }

// Format writes "[REDACTED]" whatever the verb and flags.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue makes slog print "[REDACTED]".
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON encodes the secret as the JSON string "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes the secret as "[REDACTED]" for text encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// redactor removes secrets from text that may have come from a server (an
// error body echoing the request's headers) or from a URL.
type redactor struct {
	secrets []string
}

// newRedactor returns a redactor for the non-empty secrets.
func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

// redact replaces every occurrence of every secret in s with "[REDACTED]".
func (r redactor) redact(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	return s
}
