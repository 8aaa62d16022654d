package main

import "testing"

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    options
		wantErr bool
	}{
		{args: nil, want: options{rounds: 3}},
		{args: []string{"--quick"}, want: options{quick: true, rounds: 1}},
		{args: []string{"--quick", "--rounds", "2"}, want: options{quick: true, rounds: 2}},
		{args: []string{"--memory-only", "--out", "x"}, want: options{rounds: 3, out: "x", memoryOnly: true}},
		{args: []string{"--no-memory"}, want: options{rounds: 3, noMemory: true}},
		{args: []string{"--memory-only", "--no-memory"}, wantErr: true},
		{args: []string{"--rounds", "0"}, wantErr: true},
		{args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseFlags(tt.args)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("parseFlags(%q) = %+v, %v; want %+v, error %v", tt.args, got, err, tt.want, tt.wantErr)
		}
	}
}
