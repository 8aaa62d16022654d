package store

import "testing"

func TestType(t *testing.T) {
	tests := []struct {
		typ  Type
		name string
	}{
		{TypeNone, "none"},
		{TypeString, "string"},
		{TypeList, "list"},
		{TypeSet, "set"},
		{TypeZSet, "zset"},
		{TypeHash, "hash"},
		{TypeStream, "stream"},
		{Type(200), "none"},
	}
	for _, tt := range tests {
		if got := tt.typ.String(); got != tt.name {
			t.Errorf("Type(%d).String() = %q, want %q", tt.typ, got, tt.name)
		}
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in  string
		typ Type
		ok  bool
	}{
		{"string", TypeString, true},
		{"STRING", TypeString, true},
		{"ZSet", TypeZSet, true},
		{"hash", TypeHash, true},
		{"stream", TypeStream, true},
		{"list", TypeList, true},
		{"set", TypeSet, true},
		{"none", TypeNone, true},
		{"foo", TypeNone, false},
		{"", TypeNone, false},
		{"strings", TypeNone, false},
	}
	for _, tt := range tests {
		typ, ok := ParseType(tt.in)
		if typ != tt.typ || ok != tt.ok {
			t.Errorf("ParseType(%q) = %v, %v; want %v, %v", tt.in, typ, ok, tt.typ, tt.ok)
		}
	}
}
