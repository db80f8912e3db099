package rare

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

// The signatures are those of libsndfile 1.2.0's guess_file_type, tested
// on the first 12 bytes (HTK also on the file length). Every reader and
// test is a function of its own: closures over a format's names would be
// made by this initialiser at every start.
func init() {
	for _, f := range []probe.Format{
		{Name: ContainerPAF, Magic: " paf", Order: probe.OrderPAF, ReadHeader: readPAF, ReadAll: readAllPAF},
		{Name: ContainerPAF, Magic: "fap ", Order: probe.OrderPAF, ReadHeader: readPAF, ReadAll: readAllPAF},
		{Name: ContainerNIST, Magic: "NIST", Order: probe.OrderNIST, ReadHeader: readHeaderNIST},
		{Name: ContainerIRCAM, Order: probe.OrderIRCAM, Match: matchIRCAM, ReadHeader: readHeaderIRCAM},
		{Name: ContainerMAT4, Order: probe.OrderMAT, Match: matchMAT4, ReadHeader: readHeaderMAT4},
		{Name: ContainerMAT5, Magic: "MATLAB 5", Order: probe.OrderMAT + 1, ReadHeader: readHeaderMAT5},
		{Name: ContainerPVF, Magic: "PVF1", Order: probe.OrderPVF, ReadHeader: readHeaderPVF},
		{Name: ContainerXI, Magic: "Extended Ins", Order: probe.OrderXI, ReadHeader: readHeaderXI},
		{Name: ContainerWVE, Magic: "ALawSoundFil", Order: probe.OrderWVE, ReadHeader: readHeaderWVE},
		{Name: ContainerDWD, Magic: "DiamondWare ", Order: probe.OrderDWD, ReadHeader: readHeaderDWD},
		{Name: ContainerTXW, Magic: "LM89", Order: probe.OrderTXW, ReadHeader: readHeaderTXW},
		{Name: ContainerTXW, Magic: "53\x00\x00", Order: probe.OrderTXW, ReadHeader: readHeaderTXW},
		{Name: ContainerSDS, Order: probe.OrderSDS, Match: matchSDS, ReadHeader: readSDS, ReadAll: readAllSDS},
		{Name: ContainerMPC2K, Magic: "\x01\x04", Order: probe.OrderMPC2K, Match: has12, ReadHeader: readHeaderMPC2K},
		{Name: ContainerREX2, Magic: "CAT ????REX2", Order: probe.OrderREX2, ReadHeader: readHeaderREX2},
		{Name: ContainerHTK, Order: probe.OrderHTK, Match: isHTK, ReadHeader: readHeaderHTK},
		{Name: ContainerAVR, Magic: "2BIT", Order: probe.OrderAVR, ReadHeader: readHeaderAVR},
	} {
		probe.RegisterFormat(f)
	}
}

// The readers of formats libsndfile reads, then checks every frame of.
func readHeaderNIST(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerNIST, "NIST", readNIST, r, size)
}

func readHeaderIRCAM(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerIRCAM, "IRCAM", readIRCAM, r, size)
}

func readHeaderMAT4(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerMAT4, "MAT4", readMAT4, r, size)
}

func readHeaderMAT5(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerMAT5, "MAT5", readMAT5, r, size)
}

func readHeaderPVF(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerPVF, "PVF", readPVF, r, size)
}

func readHeaderXI(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerXI, "XI", readXI, r, size)
}

func readHeaderWVE(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerWVE, "WVE", readWVE, r, size)
}

func readHeaderMPC2K(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerMPC2K, "MPC2K", readMPC2K, r, size)
}

func readHeaderHTK(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerHTK, "HTK", readHTK, r, size)
}

func readHeaderAVR(r io.ReaderAt, size int64) (*probe.Info, error) {
	return settled(ContainerAVR, "AVR", readAVR, r, size)
}

// The readers of formats libsndfile recognises but does not read.
func readHeaderDWD(r io.ReaderAt, size int64) (*probe.Info, error) {
	return refused(ContainerDWD, "DiamondWare", size)
}

func readHeaderTXW(r io.ReaderAt, size int64) (*probe.Info, error) {
	return refused(ContainerTXW, "Yamaha TX16W", size)
}

func readHeaderREX2(r io.ReaderAt, size int64) (*probe.Info, error) {
	return refused(ContainerREX2, "ReCycle REX2", size)
}

// The tests on libsndfile's 12-byte detection buffer.
func matchIRCAM(head []byte, _ int64) bool { return len(head) >= 12 && isIRCAM(head[:12]) }
func matchMAT4(head []byte, _ int64) bool  { return len(head) >= 12 && isMAT4(head[:12]) }
func matchSDS(head []byte, _ int64) bool   { return len(head) >= 12 && isSDS(head[:12]) }
func has12(head []byte, _ int64) bool      { return len(head) >= 12 }

// refused is the reader of a format libsndfile recognises but was built
// without (its "experimental" code): sf_open fails as unimplemented.
func refused(name, what string, size int64) (*probe.Info, error) {
	info := &probe.Info{Container: name}
	if size < 12 {
		return info, &probe.FormatError{Format: name, Msg: "shorter than the 12 bytes libsndfile needs to recognise a format"}
	}
	return info, &probe.UnsupportedError{Format: name, Msg: what + " files are recognised but not read by the server's libsndfile"}
}
