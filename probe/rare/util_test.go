package rare_test

import "fmt"

func sprintf(f string, a ...any) string { return fmt.Sprintf(f, a...) }

func strp(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
