package sndfile

// BitsPerSample is the sample width a codec decodes to, 0 when it has none
// worth reporting.
func BitsPerSample(c Codec) int {
	switch c {
	case PCMS8, PCMU8, ULaw, ALaw, DPCM8:
		return 8
	case PCM16, DWVW16, DPCM16, ALAC16, IMAADPCM, MSADPCM, GSM610, G721_32, G723_24, G723_40:
		return 16
	case ALAC20:
		return 20
	case PCM24, DWVW24, ALAC24:
		return 24
	case PCM32, Float, ALAC32:
		return 32
	case Double:
		return 64
	case DWVW12:
		return 12
	}
	return 0
}

// FFmpegCodec names a codec the way ffmpeg does, for display.
func FFmpegCodec(c Codec, little bool) string {
	end := "be"
	if little {
		end = "le"
	}
	switch c {
	case PCMS8:
		return "pcm_s8"
	case PCMU8:
		return "pcm_u8"
	case PCM16:
		return "pcm_s16" + end
	case PCM24:
		return "pcm_s24" + end
	case PCM32:
		return "pcm_s32" + end
	case Float:
		return "pcm_f32" + end
	case Double:
		return "pcm_f64" + end
	case ULaw:
		return "pcm_mulaw"
	case ALaw:
		return "pcm_alaw"
	case IMAADPCM:
		return "adpcm_ima"
	case MSADPCM:
		return "adpcm_ms"
	case GSM610:
		return "gsm"
	case G721_32, G723_24, G723_40:
		return "adpcm_g72x"
	case DWVW12, DWVW16, DWVW24, DWVWN:
		return "dwvw"
	case DPCM8, DPCM16:
		return "dpcm_xi"
	case ALAC16, ALAC20, ALAC24, ALAC32:
		return "alac"
	}
	return ""
}
