package validate

import (
	"strings"
	"testing"
)

func TestCheckAuth(t *testing.T) {
	tests := []struct {
		request, header string
		want            string // "" = no finding; else Name or Name{token}
	}{
		{Unscripted, "", NoTokenProvided},
		{Scripted, "", NoTokenProvided},
		{Unscripted, "  \t\n", NoTokenProvided},
		{Scripted, " ", NoTokenProvided},

		{Scripted, "ELSA abcdefgh12345678", ""},
		{Scripted, "Bearer abcdefgh12345678", ""},
		{Scripted, "bearer abcdefgh12345678", ""},
		{Scripted, "eLsA abcdefgh12345678", ""},
		{Scripted, "Token abcdefgh12345678", InvalidHeaderParameter},
		{Scripted, "abcdefgh12345678", InvalidHeaderParameter},
		{Scripted, "Bearer  abcdefgh12345678", InvalidHeaderParameter},
		{Scripted, "Bearer Bearer abcdefgh12345678", InvalidHeaderParameter},
		{Scripted, "Bearer abcdefgh12345678 ", InvalidHeaderParameter},
		{Scripted, "Bearer abcdefgh12345678\n", InvalidHeaderParameter},
		{Scripted, "Bearer ", InvalidHeaderParameter},

		{Unscripted, "Bearer abcdefgh12345678", ""},
		{Unscripted, "ELSA abcdefgh12345678", ""},
		{Unscripted, "abcdefgh12345678", ""},
		{Unscripted, "Bearer abcdefgh12345678\n", InvalidSessionToken + "{abcd…}"},
		{Unscripted, "Bearer Bearer abcdefgh12345678", InvalidSessionToken + "{Bear…}"},
		{Unscripted, "Bearer abcd\u200befgh12345678", InvalidSessionToken + "{abcd…}"},
		{Unscripted, "Bearer abc\x01", InvalidSessionToken + "{…}"},
		{Unscripted, "Bearer tökenvalue99", InvalidSessionToken + "{töke…}"},
		{Unscripted, "Bearer ", InvalidSessionToken + "{…}"},
	}
	for _, tt := range tests {
		got := ""
		for _, f := range CheckAuth(tt.request, AuthHeader{Value: tt.header}) {
			got = f.Exception.Name
			if tok, ok := f.Params["token"]; ok {
				got += "{" + tok + "}"
			}
			if f.Step != StepAuth {
				t.Errorf("step %q", f.Step)
			}
		}
		if got != tt.want {
			t.Errorf("CheckAuth(%s, %q) = %q, want %q", tt.request, tt.header, got, tt.want)
		}
	}
}

func TestCheckAuthNeverShowsTheToken(t *testing.T) {
	token := "s3cr3tTOKENvalue\n"
	for _, req := range []string{Unscripted, Scripted} {
		for _, f := range CheckAuth(req, AuthHeader{Value: "Bearer " + token}) {
			all := f.Message() + f.Detail + strings.Join(mapValues(f.Params), "")
			if strings.Contains(all, "s3cr3tTOKENvalue") || strings.Contains(all, "alue") {
				t.Errorf("%s leaks the token: %q", f.Exception.Name, all)
			}
		}
	}
	f := CheckAuth(Unscripted, AuthHeader{Value: "Bearer " + token, ShowSecrets: true})
	if len(f) != 1 || f[0].Params["token"] != token {
		t.Errorf("--show-secrets: %+v", f)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{"": "…", "abc": "…", "abcdefg": "…", "abcdefgh": "abcd…", "ääääöööö": "ääää…"} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
