// Package remote reads URL inputs (audio_path) the way the
// speech-assessment server downloads them (docs/server.md#urls), fetching only what
// the verdict needs.
//
// The server is a Python service that fetches audio_path with requests
// (urllib3, getaddrinfo) from the public internet, without cookies or
// credentials. So a Client
//
//   - parses the URL as requests does (url.go) and reads host literals as
//     glibc's getaddrinfo does (2130706433, 0x7f.1, 0177.0.0.1, 127.1 are
//     all 127.0.0.1: addr.go);
//   - refuses hosts that are not on the public internet (addr.go's
//     registry tables), by literal before any connection and by resolved
//     address at every connection, redirects included, unless
//     Options.AllowPrivate; the connecting dialer does its own resolution,
//     so what is checked is what is connected to;
//   - refuses pre-signed URLs whose expiry has passed, and warns about those
//     that expire within the hour (presign.go);
//   - follows at most Options.MaxRedirects redirects, to http(s) only;
//   - sends "User-Agent: audiopreflight/<version>", "Accept: */*",
//     "Accept-Encoding: identity" and a Range header, nothing else (no
//     cookie jar, no proxy; credentials only from the URL's user
//     information, as requests sends them); inflates gzip and deflate
//     bodies that come anyway, as requests does (limits.go says why
//     identity); speaks HTTP/2 where offered and reuses connections across
//     inputs, at most Options.MaxConnsPerHost to one host; is safe for
//     concurrent use.
//
// Everything the server would fail on is a *Failure: the verdict
// FailedToReadAudioFromURL, with a Detail for people (failure.go).
//
// An Object (object.go) is the remote file as an io.ReaderAt of known
// size, which is what the prober reads. Open asks for the first 64 KiB
// with a Range request and learns the size from Content-Range (or
// Content-Length, when the server ignores Range and answers 200: then it
// reads the prefix and closes the connection); later reads fetch aligned
// blocks, so a header check of a large file costs a few small requests
// (≤ 256 KiB). A header check (Options.HeaderOnly) never reads ahead, and
// reads at most HeaderWindow of a body the server sends whole, however it
// is encoded (limits.go). Sequential reading, as a full check does, turns into
// streaming responses with growing read-ahead, in bounded memory and never
// on disk. FinishDownload then receives what the full read did not, to find
// a body shorter than its Content-Length or a download slower than the
// timeout, as the server's download would.
//
// Wiring, per URL input:
//
//	obj, fail := client.Open(ctx, input)
//	if fail != nil { /* FailedToReadAudioFromURL, detail fail.Detail, hint fail.Hint */ }
//	defer obj.Close()
//	size := obj.Size() // AudioTooBigForSync needs nothing more
//	info, err := probe.Probe(obj, size, obj.Name())
//	res, err := probe.ReadAll(obj, size, info) // full checks only
//	fail = obj.FinishDownload()                 // full checks only
//	// any err with remote.AsFailure(err) → FailedToReadAudioFromURL, which
//	// outranks every audio verdict (docs/server.md#decision-order)
//	// obj.Warnings() → the result's warnings
//
// Package remotetest serves files over loopback with the behaviours real
// servers have, for tests of all this and of the commands.
package remote
