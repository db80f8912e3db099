package resample

import (
	"encoding/binary"
	"math"
	"math/cmplx"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// tool finds a program the comparison needs: under CI its absence is a
// failure, elsewhere the test is skipped.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not on PATH: CI must have it", name)
		}
		t.Skipf("%s not on PATH", name)
	}
	return p
}

// readF32 reads raw little-endian float32 samples.
func readF32(t *testing.T, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

// fft is an in-place radix-2 transform (len(x) a power of two).
func fft(x []complex128) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				a, b := x[start+k], x[start+k+size/2]*wk
				x[start+k], x[start+k+size/2] = a+b, a-b
				wk *= w
			}
		}
	}
}

// bandSNR is the ratio, in dB, of ref's energy to the energy of
// got−ref, both counted below maxHz only (Hann-windowed blocks).
func bandSNR(got, ref []float32, rate, maxHz float64) float64 {
	const n = 4096
	win := make([]float64, n)
	for i := range win {
		win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/n)
	}
	top := int(maxHz / rate * n)
	var sig, noise float64
	a, d := make([]complex128, n), make([]complex128, n)
	for start := 0; start+n <= min(len(got), len(ref)); start += n / 2 {
		for i := range n {
			a[i] = complex(float64(ref[start+i])*win[i], 0)
			d[i] = complex(float64(got[start+i]-ref[start+i])*win[i], 0)
		}
		fft(a)
		fft(d)
		for k := 1; k <= top; k++ {
			sig += real(a[k] * cmplx.Conj(a[k]))
			noise += real(d[k] * cmplx.Conj(d[k]))
		}
	}
	return 10 * math.Log10(sig/noise)
}

// TestAgainstSox converts speech at the usual recording rates with this
// package and with `sox … rate -v 16000`, and compares the two: the
// difference over the whole band (where sox's wider passband, to 7.6 kHz,
// shows) and below 7 kHz, where both should be flat.
func TestAgainstSox(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	sox := tool(t, "sox")
	espeak := tool(t, "espeak-ng")
	dir := t.TempDir()
	speech := filepath.Join(dir, "speech.wav")
	text := "The quick brown fox jumps over the lazy dog, while six sharp sheep sleep. Please check the audio first."
	if b, err := exec.Command(espeak, "-v", "en-us", "-w", speech, text).CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v\n%s", err, b)
	}
	for _, rate := range []int{8000, 11025, 22050, 32000, 44100, 48000, 96000} {
		in := filepath.Join(dir, "in.f32")
		// the speech at the input rate, as float, made by sox's best
		if b, err := exec.Command(sox, "-V1", "-R", speech, "-e", "float", "-b", "32", "-t", "raw", in, "rate", "-v", strconv.Itoa(rate)).CombinedOutput(); err != nil {
			t.Fatalf("sox: %v\n%s", err, b)
		}
		ref := filepath.Join(dir, "ref.f32")
		if b, err := exec.Command(sox, "-V1", "-R", "-t", "raw", "-e", "float", "-b", "32", "-c", "1", "-r", strconv.Itoa(rate), in,
			"-t", "raw", "-e", "float", "-b", "32", ref, "rate", "-v", "16000").CombinedOutput(); err != nil {
			t.Fatalf("sox: %v\n%s", err, b)
		}
		x := readF32(t, in)
		want := readF32(t, ref)
		got := convert(t, rate, 16000, x)
		if d := len(got) - len(want); d < -1 || d > 1 {
			t.Errorf("%d Hz: %d samples, sox %d", rate, len(got), len(want))
		}
		full := bandSNR(got, want, 16000, 8000)
		below := bandSNR(got, want, 16000, 7000)
		top := 7000.0
		if rate < 16000 {
			top = 0.9 * float64(rate) / 2
			below = bandSNR(got, want, 16000, top)
		}
		t.Logf("%6d Hz: difference from sox rate -v: %.1f dB below 8 kHz, %.1f dB below %.0f Hz", rate, full, below, top)
		if below < 60 {
			t.Errorf("%d Hz: only %.1f dB between this converter and sox below %.0f Hz, want ≥ 60", rate, below, top)
		}
	}
}
