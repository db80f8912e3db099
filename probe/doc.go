// Package probe tells what a piece of audio is, as the speech-assessment
// server's reader sees it.
//
// The server reads audio with libsndfile 1.2 (docs/server.md#the-reader). Probe answers the
// questions that reader answers when it opens a file — which container, which
// codec, what rate and channel count, how many frames, whether it opens at
// all — by reading the headers only, over an io.ReaderAt, as
// image.DecodeConfig does for pictures. ReadAll answers the questions that
// only a full read answers (how many frames actually decode, whether decoding
// fails) while keeping memory bounded.
//
// Formats live in sub-packages (probe/wav, probe/flac, probe/ogg, ...) that
// register themselves with RegisterFormat, in the spirit of
// image.RegisterFormat. Import probe/allformats to register every format.
package probe
