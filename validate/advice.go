package validate

// Advice says what usually causes an exception and what to do about it.
// It is the tool's own knowledge, not part of the API's listing.
type Advice struct {
	Cause string `json:"cause"`
	Fix   string `json:"fix"`
}

// AdviceFor returns what usually causes the named exception and how to fix
// it; the zero Advice for a name it does not know. (A switch, not a map:
// a map would be filled by the package's initialiser at every start.)
func AdviceFor(name string) Advice {
	switch name {
	case ASRInterProcessException:
		return Advice{
			Cause: "The speech recogniser behind the API failed while scoring this request. It depends on the API's state, not on your audio.",
			Fix:   "Retry with backoff; if it persists, report the error text and the time of the request to the API's support.",
		}
	case ASRSocketTimeout:
		return Advice{
			Cause: "The speech recogniser took too long. Long audio in sync mode makes this more likely.",
			Fix:   "Retry; for long recordings use async mode. audiopreflight cannot predict it.",
		}
	case ASRConnectionFailed:
		return Advice{
			Cause: "The API could not reach its speech recogniser: a server-side outage.",
			Fix:   "Retry later. audiopreflight cannot predict it.",
		}
	case FailedToReadAudioFromURL:
		return Advice{
			Cause: "The server could not download audio_path: not an http(s) URL, a private or local host, a DNS/TLS/connect failure, a non-2xx status, an empty body or an expired pre-signed URL.",
			Fix:   "Check the URL the way the API would: audiopreflight check URL. Use a public https URL or a fresh pre-signed URL, or upload the file with audio_file instead.",
		}
	case FailedToParseAudioHeader:
		return Advice{
			Cause: "The server's audio reader did not recognise the bytes as audio it can open: M4A/AAC, WebM, AMR, raw PCM, a truncated header, or not audio at all.",
			Fix:   "Convert to 16 kHz mono WAV: ffmpeg -i INPUT -ar 16000 -ac 1 -c:a pcm_s16le OUTPUT.wav, then audiopreflight check OUTPUT.wav.",
		}
	case InvalidAudioFormat:
		return Advice{
			Cause: "The audio opens but is not WAV, FLAC or Ogg-Opus at exactly 16000 Hz with one channel (for example 44.1 kHz stereo, or MP3).",
			Fix:   "Resample and downmix: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav (or OUTPUT.flac). audiopreflight probe INPUT shows the rate and channels the API sees.",
		}
	case FailedToConvertAudio:
		return Advice{
			Cause: "The server opened the audio but failed while decoding it: a corrupt frame (FLAC CRC or lost sync), a format it cannot read, or a stream that changes rate or channels mid-way.",
			Fix:   "Re-encode from the original: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav; audiopreflight check INPUT (without --header-only) shows where decoding fails.",
		}
	case FailedToDecodeAudioFromBytes:
		return Advice{
			Cause: "audio_data is not valid base64 (wrong padding, or a number of characters one more than a multiple of four after dropping non-alphabet characters).",
			Fix:   "Encode the file's bytes with standard base64 (base64 -w0 FILE); check the field with audiopreflight check --base64 FIELD.txt.",
		}
	case MissingAudioParam:
		return Advice{
			Cause: "The request had none of audio_file, audio_path or audio_data, or the audio was 0 bytes.",
			Fix:   "Send exactly one of audio_file, audio_path, audio_data, with non-empty audio.",
		}
	case AudioTooBigForSync:
		return Advice{
			Cause: "In sync mode the audio is larger than the sync limit (10 MiB by default).",
			Fix:   "Use async mode, or shorten or compress the audio (16 kHz mono FLAC is about half the size of WAV): audiopreflight check --mode async, or --sync-limit to match your account.",
		}
	case FailedToUseAudio:
		return Advice{
			Cause: "The audio opened but was unusable: its length is unknown (a streamed FLAC or Ogg without a length), it decodes to zero frames, or base64 for a scripted request did not decode.",
			Fix:   "Re-encode it so the header carries its length: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav; audiopreflight check INPUT tells which of these it is.",
		}
	case NoTokenProvided:
		return Advice{
			Cause: "The request had no Authorization header, or an empty one — in CI usually a secret that is not set for this pipeline or branch.",
			Fix:   "Send Authorization: ELSA <token> (or Bearer <token>). In GitHub Actions: env: API_TOKEN: ${{ secrets.API_TOKEN }}; in GitLab CI: a masked CI/CD variable. audiopreflight check --check-auth catches it before the upload.",
		}
	case InvalidSessionToken:
		return Advice{
			Cause: "The token is not valid: expired or revoked, or pasted with a trailing newline, a doubled scheme (Bearer Bearer …) or an invisible character.",
			Fix:   "Set the header to exactly Authorization: ELSA <token> or Bearer <token>, with the token trimmed. In CI keep the token in a secret and pass it through an environment variable (GitHub Actions: env: API_TOKEN: ${{ secrets.API_TOKEN }}; GitLab CI: a masked CI/CD variable); audiopreflight check --check-auth shows malformed tokens (redacted).",
		}
	case UserDoesNotExist:
		return Advice{
			Cause: "The account the token belongs to was not found by the API.",
			Fix:   "Check you use the token of the right environment (staging vs production) and account. audiopreflight cannot predict it.",
		}
	case ClientIsNotActive:
		return Advice{
			Cause: "The client account exists but is deactivated.",
			Fix:   "Contact the API provider to reactivate the account. audiopreflight cannot predict it.",
		}
	case ClientDoesNotHaveAccess:
		return Advice{
			Cause: "The account is not entitled to this API (for example scripted vs unscripted scoring).",
			Fix:   "Ask the API provider to enable this API for the account, or call the endpoint your plan includes.",
		}
	case ClientHasNoMoreMinutes:
		return Advice{
			Cause: "The account has used all its audio minutes.",
			Fix:   "Top up or upgrade the plan; check usage before large batch runs.",
		}
	case InvalidHeaderParameter:
		return Advice{
			Cause: "The Authorization header of a scripted request is not '<scheme> <token>' with scheme ELSA or Bearer and exactly one token.",
			Fix:   "Send Authorization: ELSA <token> or Authorization: Bearer <token>, one space, no quotes. In CI keep the token in a secret and pass it through an environment variable (GitHub Actions: env: API_TOKEN: ${{ secrets.API_TOKEN }}; GitLab CI: a masked CI/CD variable); audiopreflight check --request scripted --check-auth checks it.",
		}
	}
	return Advice{}
}

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
