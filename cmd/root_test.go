package cmd

import (
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func emptyApp() *app {
	return &app{in: strings.NewReader(""), out: &strings.Builder{}, errOut: &strings.Builder{}, getenv: func(string) string { return "" }}
}

func names(cs []*cobra.Command) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name())
	}
	return out
}

// A run of one command builds that command alone under the root; the root
// itself, help and completion get every command.
func TestCommandTreeHoldsWhatTheRunNeeds(t *testing.T) {
	var all []string
	for _, c := range commands {
		all = append(all, c.name)
	}
	slices.Sort(all)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"check", "x.wav"}, []string{"check"}},
		{[]string{"check", "--header-only", "--", "version"}, []string{"check"}},
		{[]string{"--no-color", "check", "x.wav"}, []string{"check"}},
		{[]string{"-o", "json", "check", "x.wav"}, []string{"check"}},
		{[]string{"--output=json", "probe", "x.wav"}, []string{"probe"}},
		{[]string{"config", "show", "--strict"}, []string{"config"}},
		{[]string{"version"}, []string{"version"}},
		{[]string{"fix", "--help"}, []string{"fix"}},
		{nil, all},
		{[]string{"--version"}, all},
		{[]string{"--help"}, all},
		{[]string{"-o", "check"}, all}, // -o took "check": the root runs
		{[]string{"help", "check"}, all},
		{[]string{"chek"}, all},
		{[]string{"completion", "bash"}, all},
		{[]string{"__complete", "check", ""}, all},
	}
	for _, tt := range tests {
		got := names(commandTree(emptyApp(), tt.args).Commands())
		if !slices.Equal(got, tt.want) {
			t.Errorf("commandTree(%q) holds %q, want %q", tt.args, got, tt.want)
		}
	}
	if got := names(newRootCmd(emptyApp()).Commands()); !slices.Equal(got, all) {
		t.Errorf("newRootCmd holds %q, want %q", got, all)
	}
}

// A command built alone is the command of the whole tree: the same usage,
// flags and help, down to its subcommands.
func TestCommandAloneIsTheCommandOfTheWholeTree(t *testing.T) {
	whole := newRootCmd(emptyApp())
	var same func(alone, inWhole *cobra.Command)
	same = func(alone, inWhole *cobra.Command) {
		if a, w := alone.UsageString(), inWhole.UsageString(); a != w {
			t.Errorf("%s alone:\n%s\nin the whole tree:\n%s", alone.CommandPath(), a, w)
		}
		if a, w := alone.Long, inWhole.Long; a != w {
			t.Errorf("%s alone has another description", alone.CommandPath())
		}
		if a, w := names(alone.Commands()), names(inWhole.Commands()); !slices.Equal(a, w) {
			t.Errorf("%s alone has commands %q, in the whole tree %q", alone.CommandPath(), a, w)
		}
		for _, sub := range alone.Commands() {
			w, _, err := inWhole.Find([]string{sub.Name()})
			if err != nil || w == inWhole {
				t.Errorf("%s: no %s in the whole tree", inWhole.CommandPath(), sub.Name())
				continue
			}
			same(sub, w)
		}
	}
	for _, c := range commands {
		root := commandTree(emptyApp(), []string{c.name})
		alone, _, err := root.Find([]string{c.name})
		inWhole, _, err2 := whole.Find([]string{c.name})
		if err != nil || err2 != nil || alone == root || inWhole == whole {
			t.Errorf("%s: not found (%v, %v)", c.name, err, err2)
			continue
		}
		same(alone, inWhole)
	}
}
