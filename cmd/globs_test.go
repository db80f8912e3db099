package cmd

import (
	"slices"
	"testing"

	"github.com/spf13/pflag"
)

// TestGlobsValueIsPflagsStringArray drives a pattern flag and pflag's own
// string array through the same steps: the text help and config show print,
// the list the command gets and the list config show reads must not differ.
func TestGlobsValueIsPflagsStringArray(t *testing.T) {
	steps := []struct {
		op  string
		arg []string
	}{
		{"set", []string{"*.wav"}},
		{"set", []string{`a,b "quoted".flac`}},
		{"append", []string{"x"}},
		{"replace", []string{"**/*.ogg", "with space.wav"}},
		{"set", []string{"after-replace"}},
		{"replace", []string{}},
		{"append", []string{"last"}},
	}
	var ours, theirs []string
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	globsVar(fs, &ours, "ours", "")
	fs.StringArrayVar(&theirs, "theirs", nil, "")
	o, p := fs.Lookup("ours"), fs.Lookup("theirs")
	compare := func(step string) {
		t.Helper()
		if o.Value.String() != p.Value.String() || o.DefValue != p.DefValue || o.Value.Type() != p.Value.Type() {
			t.Fatalf("%s: text %q default %q type %q, pflag's %q %q %q", step,
				o.Value.String(), o.DefValue, o.Value.Type(), p.Value.String(), p.DefValue, p.Value.Type())
		}
		if !slices.Equal(ours, theirs) || (ours == nil) != (theirs == nil) {
			t.Fatalf("%s: list %#v, pflag's %#v", step, ours, theirs)
		}
		og, pg := o.Value.(pflag.SliceValue).GetSlice(), p.Value.(pflag.SliceValue).GetSlice()
		if !slices.Equal(og, pg) || (og == nil) != (pg == nil) {
			t.Fatalf("%s: GetSlice %#v, pflag's %#v", step, og, pg)
		}
	}
	compare("defined")
	for _, s := range steps {
		for _, v := range []pflag.Value{o.Value, p.Value} {
			var err error
			switch s.op {
			case "set":
				err = v.Set(s.arg[0])
			case "append":
				err = v.(pflag.SliceValue).Append(s.arg[0])
			case "replace":
				err = v.(pflag.SliceValue).Replace(s.arg)
			}
			if err != nil {
				t.Fatalf("%s %q: %v", s.op, s.arg, err)
			}
		}
		compare(s.op)
	}
}
