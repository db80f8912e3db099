//go:build !amd64 || purego

package flac

// crc16Update folds p into the running frame CRC c.
func crc16Update(c uint16, p []byte) uint16 { return crc16Table(c, p) }
