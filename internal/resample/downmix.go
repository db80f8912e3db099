package resample

// Downmix appends to dst the mono signal of the interleaved frames in src:
// the average of each frame's channels. Averaging keeps the level of what
// the channels share (a centred voice stays as loud as it was) and never
// clips; what is opposite in phase between channels cancels, as in any
// fold-down to one channel.
func Downmix(dst, src []float32, channels int) []float32 {
	if channels <= 1 {
		return append(dst, src...)
	}
	n := len(src) / channels
	if channels == 2 {
		for i := range n {
			dst = append(dst, (src[2*i]+src[2*i+1])*0.5)
		}
		return dst
	}
	scale := 1 / float32(channels)
	for i := range n {
		var sum float32
		for _, v := range src[i*channels : (i+1)*channels] {
			sum += v
		}
		dst = append(dst, sum*scale)
	}
	return dst
}
