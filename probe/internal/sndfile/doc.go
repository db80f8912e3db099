// Package sndfile reproduces the parts of libsndfile 1.2.0's reading
// machinery that decide what its header parsers see: the cached header
// reader behind psf_binheader_readf (common.c) as sf_open leaves it after
// detecting the format and skipping ID3v2 tags, the fields of SF_PRIVATE
// that the parsers fill in, the codec set-up functions that recompute the
// frame count (pcm_init, ulaw_init, ...), the sanity checks psf_open_file
// applies after a parser returns, and the read loop of python-soundfile
// (SoundFile.read in blocks, with a seek after every block). Every format
// libsndfile reads itself (WAV, RF64, W64, AIFF, AU, CAF, VOC and the rare
// ones) is parsed on top of it.
//
// libsndfile's parsers read with a header cache that has its own quirks: a
// value that straddles the end of the file reads as zero, a skip larger
// than the cache moves the file position without caching, positions are
// sometimes taken from the cache index rather than the file, and the cache
// refuses to grow past 100 KiB, after which header reads are ignored.
// Parsers written on top of HeaderReader inherit those quirks, so that a
// damaged file opens, or does not, exactly as it does on the server.
//
// Everything here is bounded: the cache's bytes are not stored (a record of
// which file bytes it holds stands for them, so bodies it skips are never
// read), and no length from the input is used to allocate.
package sndfile
