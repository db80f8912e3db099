package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

const samples = "../testdata/samples"

func TestCheckAuthVerdicts(t *testing.T) {
	ok := samples + "/hello-16k-mono.wav"
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string // the first finding's name, "" for accepted
	}{
		{"off by default", nil, []string{"check", ok}, ""},
		{"no token", nil, []string{"check", "--check-auth", ok}, "NoTokenProvided"},
		{"no token, scripted", nil, []string{"check", "--check-auth", "--request", "scripted", ok}, "NoTokenProvided"},
		{"on from the environment", map[string]string{"AUDIOPREFLIGHT_CHECK_AUTH": "1"}, []string{"check", ok}, "NoTokenProvided"},
		{"token flag", nil, []string{"check", "--check-auth", "--token", "abcdefgh1234", ok}, ""},
		{"token env", map[string]string{"AUDIOPREFLIGHT_TOKEN": "abcdefgh1234"}, []string{"check", "--check-auth", ok}, ""},
		{"authorization env", map[string]string{"AUDIOPREFLIGHT_AUTHORIZATION": "ELSA abcdefgh1234"}, []string{"check", "--check-auth", "--request", "scripted", ok}, ""},
		{"empty env is no token", map[string]string{"AUDIOPREFLIGHT_TOKEN": ""}, []string{"check", "--check-auth", ok}, "NoTokenProvided"},
		{"pasted newline", map[string]string{"AUDIOPREFLIGHT_TOKEN": "abcdefgh1234\n"}, []string{"check", "--check-auth", ok}, "InvalidSessionToken"},
		{"doubled scheme", nil, []string{"check", "--check-auth", "--authorization", "Bearer Bearer abcdefgh1234", ok}, "InvalidSessionToken"},
		{"doubled scheme, scripted", nil, []string{"check", "--check-auth", "--request", "scripted", "--authorization", "Bearer Bearer abcdefgh1234", ok}, "InvalidHeaderParameter"},
		{"unknown scheme, scripted", nil, []string{"check", "--check-auth", "--request", "scripted", "--authorization", "Token abcdefgh1234", ok}, "InvalidHeaderParameter"},
		{"flag wins over env", map[string]string{"AUDIOPREFLIGHT_TOKEN": "bad token"}, []string{"check", "--check-auth", "--token", "abcdefgh1234", ok}, ""},
	}
	for _, tt := range tests {
		code, out, stderr := run(t, tt.env, "", append(tt.args, "-o", "json")...)
		var doc struct {
			Results []struct {
				Findings []struct{ Name string } `json:"findings"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v\n%s%s", tt.name, err, out, stderr)
		}
		got := ""
		if f := doc.Results[0].Findings; len(f) > 0 {
			got = f[0].Name
		}
		if got != tt.want {
			t.Errorf("%s: first finding %q, want %q", tt.name, got, tt.want)
		}
		if wantCode := map[bool]int{true: 0, false: 1}[tt.want == ""]; code != wantCode {
			t.Errorf("%s: exit %d, want %d", tt.name, code, wantCode)
		}
	}
}

// TestSecretsNeverLeak runs every output format with a known token — valid,
// and malformed so that it is quoted in a finding — and fails if the token,
// or its last 4 characters, appear anywhere in stdout or stderr.
func TestSecretsNeverLeak(t *testing.T) {
	const token = "sk_live_9f8e7d6c5b4aQZXW"
	const tail = "QZXW"
	inputs := []string{samples + "/hello-16k-mono.wav", samples + "/hello.m4a", samples + "/no-such-file.wav"}
	headers := []map[string]string{
		{"AUDIOPREFLIGHT_TOKEN": token},
		{"AUDIOPREFLIGHT_TOKEN": token + "\n"},
		{"AUDIOPREFLIGHT_AUTHORIZATION": "Bearer Bearer " + token},
		{"AUDIOPREFLIGHT_AUTHORIZATION": token},
	}
	for _, format := range []string{"text", "json", "jsonl", "github", "junit"} {
		for _, request := range []string{"unscripted", "scripted"} {
			for _, env := range headers {
				env["AUDIOPREFLIGHT_CHECK_AUTH"] = "true"
				_, out, stderr := run(t, env, "", append([]string{"check", "-o", format, "--request", request}, inputs...)...)
				if strings.Contains(out+stderr, token) || strings.Contains(out+stderr, tail) {
					t.Errorf("-o %s --request %s %v leaks the token:\n%s\n%s", format, request, env, out, stderr)
				}
			}
			// As a flag, too.
			_, out, stderr := run(t, nil, "", append([]string{"check", "--check-auth", "--token", token + " x", "-o", format, "--request", request}, inputs...)...)
			if strings.Contains(out+stderr, token) || strings.Contains(out+stderr, tail) {
				t.Errorf("--token, -o %s --request %s leaks the token:\n%s\n%s", format, request, out, stderr)
			}
		}
	}
	// A token with characters each format escapes, quoted in input names
	// (an unreadable input's error repeats its name), given as "Bearer T":
	// neither T nor the header appears, raw or escaped.
	const odd = `tok&<en>"1234%:,ABCD`
	names := []string{samples + "/" + odd + ".wav", samples + "/x" + odd, strings.Repeat("n", 4000) + odd}
	for _, format := range []string{"text", "json", "jsonl", "github", "junit"} {
		_, out, stderr := run(t, map[string]string{"AUDIOPREFLIGHT_AUTHORIZATION": "Bearer " + odd}, "", append([]string{"check", "--check-auth", "-o", format}, names...)...)
		if strings.Contains(out+stderr, "ABCD") {
			t.Errorf("-o %s leaks the token:\n%s\n%s", format, out, stderr)
		}
	}
	// --show-secrets shows it.
	_, out, _ := run(t, map[string]string{"AUDIOPREFLIGHT_TOKEN": token + "\n"}, "", "check", "--check-auth", "--show-secrets", "-o", "json", inputs[0])
	if !strings.Contains(out, token) {
		t.Errorf("--show-secrets did not show the token:\n%s", out)
	}
}

func TestHelpShowsNoSecretDefaults(t *testing.T) {
	const token = "sk_live_9f8e7d6c5b4aQZXW"
	_, out, stderr := run(t, map[string]string{"AUDIOPREFLIGHT_TOKEN": token, "AUDIOPREFLIGHT_AUTHORIZATION": "Bearer " + token}, "", "check", "--help")
	if !strings.Contains(out, "--token") || strings.Contains(out+stderr, "QZXW") {
		t.Errorf("help:\n%s%s", out, stderr)
	}
}
