package main

import (
	"bufio"
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
)

func TestWriteCommand(t *testing.T) {
	var b strings.Builder
	w := bufio.NewWriter(&b)
	writeCommand(w, []string{"SET", "key:1", ""})
	w.Flush()
	if want := "*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$0\r\n\r\n"; b.String() != want {
		t.Errorf("writeCommand = %q; want %q", b.String(), want)
	}
}

// fakeServer answers every command on one loopback connection with reply(args) and
// returns its address.
func fakeServer(t *testing.T, reply func(args []string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		r, w := bufio.NewReader(conn), bufio.NewWriter(conn)
		for {
			args, err := readCommand(r)
			if err != nil {
				return
			}
			w.WriteString(reply(args))
			if r.Buffered() == 0 {
				w.Flush()
			}
		}
	}()
	return ln.Addr().String()
}

// readCommand reads one RESP array of bulk strings, as writeCommand writes it.
func readCommand(r *bufio.Reader) ([]string, error) {
	head, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	var n int
	for _, c := range strings.TrimSpace(head[1:]) {
		n = n*10 + int(c-'0')
	}
	args := make([]string, n)
	for i := range args {
		if args[i], err = readReply(r); err != nil {
			return nil, err
		}
	}
	return args, nil
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		reply   func(args []string) string
		wantErr string
	}{
		{name: "two pipelines and a bit", n: 2*loadBatch + 7, reply: func([]string) string { return "+OK\r\n" }},
		{name: "nothing", n: 0, reply: func([]string) string { return "+OK\r\n" }},
		{name: "an error reply", n: 3 * loadBatch, wantErr: "SET key:1500 v: WRONGTYPE", reply: func(args []string) string {
			if args[1] == "key:1500" {
				return "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
			}
			return ":1\r\n"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make(chan string, tt.n+1)
			addr := fakeServer(t, func(args []string) string { seen <- args[1]; return tt.reply(args) })
			err := load(context.Background(), addr, tt.n, func(i int) []string {
				return []string{"SET", "key:" + strconv.Itoa(i), "v"}
			})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("load error = %v; want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(seen) != tt.n {
				t.Fatalf("server saw %d commands; want %d", len(seen), tt.n)
			}
			for i := range tt.n {
				if got := <-seen; got != "key:"+strconv.Itoa(i) {
					t.Fatalf("command %d is for %s", i, got)
				}
			}
		})
	}
}
