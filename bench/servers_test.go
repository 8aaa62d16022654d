package main

import (
	"bufio"
	"slices"
	"strings"
	"testing"
)

func TestParseStat(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		utime, stime int64
		wantErr      bool
	}{
		{
			name:  "redis-server",
			in:    "4242 (redis-server) S 1 4242 4242 0 -1 4194560 1234 0 0 0 317 45 0 0 20 0 5 0 99 0 0\n",
			utime: 317, stime: 45,
		},
		{
			name:  "name with spaces and parentheses",
			in:    "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 12 3 0 0 20 0 1 0 5",
			utime: 12, stime: 3,
		},
		{name: "no name", in: "7 R 1 7 7", wantErr: true},
		{name: "short", in: "7 (x) R 1 7 7 0", wantErr: true},
		{name: "not a number", in: "7 (x) R 1 7 7 0 -1 0 0 0 0 0 lots 3 0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, s, err := parseStat([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseStat error = %v; want error %v", err, tt.wantErr)
			}
			if err == nil && (u != tt.utime || s != tt.stime) {
				t.Errorf("parseStat = %d, %d; want %d, %d", u, s, tt.utime, tt.stime)
			}
		})
	}
}

func TestServerOrder(t *testing.T) {
	tests := []struct {
		round int
		want  []int
	}{
		{0, []int{0, 1, 2, 3}},
		{1, []int{3, 2, 1, 0}},
		{2, []int{0, 1, 2, 3}},
	}
	for _, tt := range tests {
		if got := serverOrder(4, tt.round); !slices.Equal(got, tt.want) {
			t.Errorf("serverOrder(4, %d) = %v; want %v", tt.round, got, tt.want)
		}
	}
}

func TestReadReply(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "+PONG\r\n", want: "PONG"},
		{in: ":42\r\n", want: "42"},
		{in: "$5\r\nhello\r\n", want: "hello"},
		{in: "$0\r\n\r\n", want: ""},
		{in: "-ERR unknown command\r\n", wantErr: true},
		{in: "$-1\r\n", wantErr: true},
		{in: "*1\r\n", wantErr: true},
		{in: "$9\r\nshort\r\n", wantErr: true},
	}
	for _, tt := range tests {
		got, err := readReply(bufio.NewReader(strings.NewReader(tt.in)))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("readReply(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestInfoField(t *testing.T) {
	info := "# Server\r\nredis_version:7.0.15\r\nloop_model:reactor\r\n"
	for field, want := range map[string]string{"redis_version": "7.0.15", "loop_model": "reactor", "loop": "", "tcp_port": ""} {
		if got := infoField(info, field); got != want {
			t.Errorf("infoField(%q) = %q; want %q", field, got, want)
		}
	}
}
