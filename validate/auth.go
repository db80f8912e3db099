package validate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/audiopreflight/audiopreflight/internal/redact"
)

// Authorization schemes the API's published examples use (docs/server.md#the-api).
var authSchemes = []string{"ELSA", "Bearer"}

// AuthHeader is the Authorization header a run would send.
type AuthHeader struct {
	// Value is the header's value, "<scheme> <token>"; empty when none.
	Value string
	// ShowSecrets lets findings carry the token unredacted.
	ShowSecrets bool
}

// CheckAuth runs the authentication step (docs/server.md#authentication)
// for a request type. They are the same for every input of a run.
func CheckAuth(requestType string, h AuthHeader) []Finding {
	finding := func(name, detail string, params map[string]string) []Finding {
		if params == nil {
			params = map[string]string{}
		}
		return []Finding{{Exception: MustLookup(name), Params: params, Step: StepAuth, Detail: detail}}
	}
	if strings.TrimSpace(h.Value) == "" {
		detail := "no Authorization header was given"
		if h.Value != "" {
			detail = "the Authorization header is only whitespace"
		}
		return finding(NoTokenProvided, detail, nil)
	}
	if requestType == Scripted {
		if why := headerProblem(h.Value); why != "" {
			return finding(InvalidHeaderParameter, why, nil)
		}
		return nil
	}
	token := sessionToken(h.Value)
	if why := tokenProblem(token); why != "" {
		shown := token
		if !h.ShowSecrets {
			shown = Redact(token)
		}
		return finding(InvalidSessionToken, why, map[string]string{"token": shown})
	}
	return nil
}

// headerProblem says why a scripted request's header is not
// "<scheme> <token>" with scheme ELSA or Bearer (any case) and exactly one
// token after one space; "" when it is.
func headerProblem(v string) string {
	parts := strings.Split(v, " ")
	if len(parts) != 2 {
		return fmt.Sprintf("the header has %d space-separated parts; it must be \"<scheme> <token>\"", len(parts))
	}
	if !isScheme(parts[0]) {
		return "the scheme is not ELSA or Bearer"
	}
	if parts[1] == "" {
		return "the token after the scheme is empty"
	}
	if why := tokenProblem(parts[1]); why != "" {
		return why
	}
	return ""
}

func isScheme(s string) bool {
	for _, sc := range authSchemes {
		if strings.EqualFold(s, sc) {
			return true
		}
	}
	return false
}

// sessionToken is the token of an unscripted request's header: what follows
// a recognised scheme and its space, or the whole value when there is no
// scheme ("Bearer Bearer x" has the token "Bearer x").
func sessionToken(v string) string {
	if scheme, rest, ok := strings.Cut(v, " "); ok && isScheme(scheme) {
		return rest
	}
	return v
}

// tokenProblem says what in a token the server cannot take: whitespace,
// control or non-ASCII characters (a pasted newline, a doubled scheme, a
// zero-width space). It names the character and its position, never the
// token.
func tokenProblem(token string) string {
	if token == "" {
		return "the token is empty"
	}
	for i, r := range []rune(token) {
		var what string
		switch {
		case r == utf8.RuneError:
			what = "an invalid UTF-8 byte"
		case unicode.IsSpace(r):
			what = fmt.Sprintf("whitespace (%U)", r)
		case unicode.IsControl(r):
			what = fmt.Sprintf("a control character (%U)", r)
		case r > unicode.MaxASCII:
			what = fmt.Sprintf("a non-ASCII character (%U)", r)
		default:
			continue
		}
		return fmt.Sprintf("the token has %s at character %d of %d", what, i+1, utf8.RuneCountInString(token))
	}
	return ""
}

// Redact shows a secret as its first 4 characters and "…", or only "…"
// when it has fewer than 8 characters (the one rule every output uses).
func Redact(secret string) string { return redact.Token(secret) }
