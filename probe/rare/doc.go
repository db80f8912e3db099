// Package rare reads the less common formats libsndfile 1.2.0 opens —
// Ensoniq PARIS (PAF), NIST SPHERE, IRCAM/BICSF, MATLAB 4 and 5, Portable
// Voice Format, FastTracker 2 XI, HTK, MIDI Sample Dump Standard, Audio
// Visual Research, Psion WVE and Akai MPC 2000 — and names the ones it
// recognises but refuses (DiamondWare, Yamaha TX16W, ReCycle REX2).
//
// These matter mostly for what they can be mistaken for: libsndfile tries
// their signatures before Ogg, FLAC and MPEG, some of them are only a few
// bytes long, and HTK is recognised by the file length alone, so a short
// or random input can open as one of them (and then be an accepted-format
// question, not a parse failure).
package rare
