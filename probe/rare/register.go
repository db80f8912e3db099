package rare

import (
	"io"

	"github.com/audiopreflight/audiopreflight/probe"
)

// The signatures are those of libsndfile 1.2.0's guess_file_type, tested
// on the first 12 bytes (HTK also on the file length).
func init() {
	for _, f := range []probe.Format{
		{Name: ContainerPAF, Magic: " paf", Order: probe.OrderPAF, ReadHeader: readPAF, ReadAll: readAllPAF},
		{Name: ContainerPAF, Magic: "fap ", Order: probe.OrderPAF, ReadHeader: readPAF, ReadAll: readAllPAF},
		{Name: ContainerNIST, Magic: "NIST", Order: probe.OrderNIST, ReadHeader: settled(ContainerNIST, "NIST", readNIST)},
		{Name: ContainerIRCAM, Order: probe.OrderIRCAM, Match: match12(isIRCAM), ReadHeader: settled(ContainerIRCAM, "IRCAM", readIRCAM)},
		{Name: ContainerMAT4, Order: probe.OrderMAT, Match: match12(isMAT4), ReadHeader: settled(ContainerMAT4, "MAT4", readMAT4)},
		{Name: ContainerMAT5, Magic: "MATLAB 5", Order: probe.OrderMAT + 1, ReadHeader: settled(ContainerMAT5, "MAT5", readMAT5)},
		{Name: ContainerPVF, Magic: "PVF1", Order: probe.OrderPVF, ReadHeader: settled(ContainerPVF, "PVF", readPVF)},
		{Name: ContainerXI, Magic: "Extended Ins", Order: probe.OrderXI, ReadHeader: settled(ContainerXI, "XI", readXI)},
		{Name: ContainerWVE, Magic: "ALawSoundFil", Order: probe.OrderWVE, ReadHeader: settled(ContainerWVE, "WVE", readWVE)},
		{Name: ContainerDWD, Magic: "DiamondWare ", Order: probe.OrderDWD, ReadHeader: refused(ContainerDWD, "DiamondWare")},
		{Name: ContainerTXW, Magic: "LM89", Order: probe.OrderTXW, ReadHeader: refused(ContainerTXW, "Yamaha TX16W")},
		{Name: ContainerTXW, Magic: "53\x00\x00", Order: probe.OrderTXW, ReadHeader: refused(ContainerTXW, "Yamaha TX16W")},
		{Name: ContainerSDS, Order: probe.OrderSDS, Match: match12(isSDS), ReadHeader: readSDS, ReadAll: readAllSDS},
		{Name: ContainerMPC2K, Magic: "\x01\x04", Order: probe.OrderMPC2K, Match: match12(func([]byte) bool { return true }), ReadHeader: settled(ContainerMPC2K, "MPC2K", readMPC2K)},
		{Name: ContainerREX2, Magic: "CAT ????REX2", Order: probe.OrderREX2, ReadHeader: refused(ContainerREX2, "ReCycle REX2")},
		{Name: ContainerHTK, Order: probe.OrderHTK, Match: isHTK, ReadHeader: settled(ContainerHTK, "HTK", readHTK)},
		{Name: ContainerAVR, Magic: "2BIT", Order: probe.OrderAVR, ReadHeader: settled(ContainerAVR, "AVR", readAVR)},
	} {
		probe.RegisterFormat(f)
	}
}

// refused is the reader of a format libsndfile recognises but was built
// without (its "experimental" code): sf_open fails as unimplemented.
func refused(name, what string) func(io.ReaderAt, int64) (*probe.Info, error) {
	return func(r io.ReaderAt, size int64) (*probe.Info, error) {
		info := &probe.Info{Container: name}
		if size < 12 {
			return info, &probe.FormatError{Format: name, Msg: "shorter than the 12 bytes libsndfile needs to recognise a format"}
		}
		return info, &probe.UnsupportedError{Format: name, Msg: what + " files are recognised but not read by the server's libsndfile"}
	}
}
