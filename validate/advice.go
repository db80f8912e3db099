package validate

// Advice says what usually causes an exception and what to do about it.
// It is the tool's own knowledge, not part of the API's listing.
type Advice struct {
	Cause string `json:"cause"`
	Fix   string `json:"fix"`
}

var advice = map[string]Advice{
	ASRInterProcessException: {
		Cause: "The speech recogniser behind the API failed while scoring this request. It depends on the API's state, not on your audio.",
		Fix:   "Retry with backoff; if it persists, report the error text and the time of the request to the API's support.",
	},
	ASRSocketTimeout: {
		Cause: "The speech recogniser took too long. Long audio in sync mode makes this more likely.",
		Fix:   "Retry; for long recordings use async mode. audiopreflight cannot predict it.",
	},
	ASRConnectionFailed: {
		Cause: "The API could not reach its speech recogniser: a server-side outage.",
		Fix:   "Retry later. audiopreflight cannot predict it.",
	},
	FailedToReadAudioFromURL: {
		Cause: "The server could not download audio_path: not an http(s) URL, a private or local host, a DNS/TLS/connect failure, a non-2xx status, an empty body or an expired pre-signed URL.",
		Fix:   "Check the URL the way the API would: audiopreflight check URL. Use a public https URL or a fresh pre-signed URL, or upload the file with audio_file instead.",
	},
	FailedToParseAudioHeader: {
		Cause: "The server's audio reader did not recognise the bytes as audio it can open: M4A/AAC, WebM, AMR, raw PCM, a truncated header, or not audio at all.",
		Fix:   "Convert to 16 kHz mono WAV: ffmpeg -i INPUT -ar 16000 -ac 1 -c:a pcm_s16le OUTPUT.wav, then audiopreflight check OUTPUT.wav.",
	},
	InvalidAudioFormat: {
		Cause: "The audio opens but is not WAV, FLAC or Ogg-Opus at exactly 16000 Hz with one channel (for example 44.1 kHz stereo, or MP3).",
		Fix:   "Resample and downmix: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav (or OUTPUT.flac). audiopreflight probe INPUT shows the rate and channels the API sees.",
	},
	FailedToConvertAudio: {
		Cause: "The server opened the audio but failed while decoding it: a corrupt frame (FLAC CRC or lost sync), a format it cannot read, or a stream that changes rate or channels mid-way.",
		Fix:   "Re-encode from the original: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav; audiopreflight check INPUT (without --header-only) shows where decoding fails.",
	},
	FailedToDecodeAudioFromBytes: {
		Cause: "audio_data is not valid base64 (wrong padding, or a number of characters one more than a multiple of four after dropping non-alphabet characters).",
		Fix:   "Encode the file's bytes with standard base64 (base64 -w0 FILE); check the field with audiopreflight check --base64 FIELD.txt.",
	},
	MissingAudioParam: {
		Cause: "The request had none of audio_file, audio_path or audio_data, or the audio was 0 bytes.",
		Fix:   "Send exactly one of audio_file, audio_path, audio_data, with non-empty audio.",
	},
	AudioTooBigForSync: {
		Cause: "In sync mode the audio is larger than the sync limit (10 MiB by default).",
		Fix:   "Use async mode, or shorten or compress the audio (16 kHz mono FLAC is about half the size of WAV): audiopreflight check --mode async, or --sync-limit to match your account.",
	},
	FailedToUseAudio: {
		Cause: "The audio opened but was unusable: its length is unknown (a streamed FLAC or Ogg without a length), it decodes to zero frames, or base64 for a scripted request did not decode.",
		Fix:   "Re-encode it so the header carries its length: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav; audiopreflight check INPUT tells which of these it is.",
	},
	NoTokenProvided: {
		Cause: "The request had no Authorization header, or an empty one — in CI usually a secret that is not set for this pipeline or branch.",
		Fix:   "Send Authorization: ELSA <token> (or Bearer <token>). In GitHub Actions: env: API_TOKEN: ${{ secrets.API_TOKEN }}; in GitLab CI: a masked CI/CD variable. audiopreflight check --check-auth catches it before the upload.",
	},
	InvalidSessionToken: {
		Cause: "The token is not valid: expired or revoked, or pasted with a trailing newline, a doubled scheme (Bearer Bearer …) or an invisible character.",
		Fix:   "Set the header to exactly Authorization: ELSA <token> or Bearer <token>, with the token trimmed. In CI keep the token in a secret and pass it through an environment variable (GitHub Actions: env: API_TOKEN: ${{ secrets.API_TOKEN }}; GitLab CI: a masked CI/CD variable); audiopreflight check --check-auth shows malformed tokens (redacted).",
	},
	UserDoesNotExist: {
		Cause: "The account the token belongs to was not found by the API.",
		Fix:   "Check you use the token of the right environment (staging vs production) and account. audiopreflight cannot predict it.",
	},
	ClientIsNotActive: {
		Cause: "The client account exists but is deactivated.",
		Fix:   "Contact the API provider to reactivate the account. audiopreflight cannot predict it.",
	},
	ClientDoesNotHaveAccess: {
		Cause: "The account is not entitled to this API (for example scripted vs unscripted scoring).",
		Fix:   "Ask the API provider to enable this API for the account, or call the endpoint your plan includes.",
	},
	ClientHasNoMoreMinutes: {
		Cause: "The account has used all its audio minutes.",
		Fix:   "Top up or upgrade the plan; check usage before large batch runs.",
	},
	InvalidHeaderParameter: {
		Cause: "The Authorization header of a scripted request is not '<scheme> <token>' with scheme ELSA or Bearer and exactly one token.",
		Fix:   "Send Authorization: ELSA <token> or Authorization: Bearer <token>, one space, no quotes. In CI keep the token in a secret and pass it through an environment variable (GitHub Actions: env: API_TOKEN: ${{ secrets.API_TOKEN }}; GitLab CI: a masked CI/CD variable); audiopreflight check --request scripted --check-auth checks it.",
	},
}

// AdviceFor returns what usually causes the named exception and how to fix it.
func AdviceFor(name string) Advice { return advice[name] }

// Predictable reports whether the tool can predict the exception from the
// request alone; the ASR and account exceptions depend on the server's state.
func Predictable(name string) bool {
	switch name {
	case ASRInterProcessException, ASRSocketTimeout, ASRConnectionFailed,
		UserDoesNotExist, ClientIsNotActive, ClientDoesNotHaveAccess, ClientHasNoMoreMinutes:
		return false
	}
	return true
}
