package resp

import (
	"reflect"
	"testing"
)

// TestSplitInline checks inline argument splitting against replies seen
// from redis-server 7.0 (ECHO of the argument, or the argument count).
func TestSplitInline(t *testing.T) {
	tests := []struct {
		name string
		line string
		want []string // nil with ok false: unbalanced quotes
		ok   bool
	}{
		{"empty", "", nil, true},
		{"blanks", " \t\r\n\v\f", nil, true},
		{"words", "SET key value", []string{"SET", "key", "value"}, true},
		{"many separators", "  a \t b\r\rc\nd  ", []string{"a", "b", "c", "d"}, true},
		{"vertical tab inside a word", "ECHO a\vb", []string{"ECHO", "a\vb"}, true},
		{"form feed inside a word", "ECHO a\fb", []string{"ECHO", "a\fb"}, true},
		{"leading vertical tab skipped", "\vECHO a", []string{"ECHO", "a"}, true},
		{"double quotes", `ECHO "a b"`, []string{"ECHO", "a b"}, true},
		{"double quote escapes", `ECHO "\a\b\t\r\n\\\"\q"`, []string{"ECHO", "\a\b\t\r\n\\\"q"}, true},
		{"hex escapes", `ECHO "\x41\x4g\xZZ\xaF\x"`, []string{"ECHO", "Ax4gxZZ\xafx"}, true},
		{"short hex escape", `ECHO "\x4"`, []string{"ECHO", "x4"}, true},
		{"empty double quotes", `ECHO ""`, []string{"ECHO", ""}, true},
		{"empty single quotes", `ECHO ''`, []string{"ECHO", ""}, true},
		{"single quotes", `ECHO 'a\'b\n'`, []string{"ECHO", `a'b\n`}, true},
		{"single quotes keep backslashes", `ECHO 'c\\d'`, []string{"ECHO", `c\\d`}, true},
		{"quote opens inside a word", `ECHO ab"c d"`, []string{"ECHO", "abc d"}, true},
		{"single quote opens inside a word", `ECHO a'b c'`, []string{"ECHO", "ab c"}, true},
		{"closing quote then vertical tab", "ECHO \"a\"\vb", []string{"ECHO", "a", "b"}, true},
		{"closing quote then form feed", "ECHO \"a\"\f", []string{"ECHO", "a"}, true},
		{"quotes inside quotes", `ECHO "it's" 'say "hi"'`, []string{"ECHO", "it's", `say "hi"`}, true},
		{"high bytes", "ECHO \xff\x80", []string{"ECHO", "\xff\x80"}, true},
		{"unterminated double", `ECHO "a`, nil, false},
		{"unterminated single", `ECHO 'a`, nil, false},
		{"text after double", `ECHO "a"b`, nil, false},
		{"text after single", `ECHO 'a'b`, nil, false},
		{"escaped closing quote", `ECHO "a\"`, nil, false},
		{"backslash at end", `ECHO "ab\`, nil, false},
		{"touching quotes", `ECHO "a""b"`, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := []byte(tc.line)
			args, ok := splitInline(line, nil)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			var got []string
			for _, a := range args {
				got = append(got, string(a))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
