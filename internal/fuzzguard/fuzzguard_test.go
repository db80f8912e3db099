package fuzzguard

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEveryFuzzTargetIsWatched reads every test file of the module: each
// function given to f.Fuzz must begin with `defer fuzzguard.Watch(...)()`,
// so that no target can loop forever on one input.
func TestEveryFuzzTargetIsWatched(t *testing.T) {
	root := filepath.Join("..", "..")
	targets := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isMethod(call.Fun, "Fuzz") || len(call.Args) != 1 {
				return true
			}
			targets++
			lit, ok := call.Args[0].(*ast.FuncLit)
			if !ok || len(lit.Body.List) == 0 || !isWatch(lit.Body.List[0]) {
				t.Errorf("%s: the function given to Fuzz does not begin with `defer fuzzguard.Watch(len(data))()`", fset.Position(call.Pos()))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if targets < 10 {
		t.Fatalf("found %d fuzz targets: is the walk looking in the right place?", targets)
	}
}

func isMethod(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name
}

// isWatch reports whether s is `defer fuzzguard.Watch(...)()`.
func isWatch(s ast.Stmt) bool {
	d, ok := s.(*ast.DeferStmt)
	if !ok {
		return false
	}
	inner, ok := d.Call.Fun.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := inner.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Watch" {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "fuzzguard"
}

// TestWatchStopsAStuckInput runs a stuck "input" in a child process: the
// watchdog must end it with a panic that names the limit.
func TestWatchStopsAStuckInput(t *testing.T) {
	if os.Getenv("FUZZGUARD_CHILD") == "1" {
		defer watch(7, 50*time.Millisecond)()
		select {} // a parser that never returns
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchStopsAStuckInput$")
	cmd.Env = append(os.Environ(), "FUZZGUARD_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the stuck input ended without a failure:\n%s", out)
	}
	if !strings.Contains(string(out), "one fuzz input (7 bytes) ran for more than 50ms") {
		t.Fatalf("the child failed without the watchdog's message:\n%s", out)
	}
}

func TestWatchLetsAQuickInputGo(t *testing.T) {
	stop := watch(1, 20*time.Millisecond)
	stop()
	time.Sleep(60 * time.Millisecond) // a stopped watchdog never fires
}
