package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

const (
	// loadBatch is the number of commands in one pipeline of the loader.
	loadBatch = 1000
	// batchTimeout bounds writing one pipeline and reading its replies.
	batchTimeout = 30 * time.Second
)

// load sends the commands command(0) … command(n-1) to addr over one connection, in
// pipelines of loadBatch, and checks that each gets a reply that is not an error. The
// replies must be short (simple strings or integers): a pipeline is written whole before
// its replies are read.
func load(ctx context.Context, addr string, n int, command func(i int) []string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	r := bufio.NewReaderSize(conn, 64<<10)
	w := bufio.NewWriterSize(conn, 64<<10)
	for start := 0; start < n; start += loadBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+loadBatch, n)
		conn.SetDeadline(time.Now().Add(batchTimeout))
		for i := start; i < end; i++ {
			writeCommand(w, command(i))
		}
		if err := w.Flush(); err != nil {
			return err
		}
		for i := start; i < end; i++ {
			if _, err := readReply(r); err != nil {
				return fmt.Errorf("%s: %w", clipCommand(command(i)), err)
			}
		}
	}
	return nil
}

// writeCommand writes args as a RESP array of bulk strings; the writer's error shows at
// Flush.
func writeCommand(w *bufio.Writer, args []string) {
	var num [20]byte
	w.WriteByte('*')
	w.Write(strconv.AppendInt(num[:0], int64(len(args)), 10))
	w.WriteString("\r\n")
	for _, a := range args {
		w.WriteByte('$')
		w.Write(strconv.AppendInt(num[:0], int64(len(a)), 10))
		w.WriteString("\r\n")
		w.WriteString(a)
		w.WriteString("\r\n")
	}
}

// clipCommand returns the start of a command, for an error message.
func clipCommand(args []string) string {
	s := strings.Join(args, " ")
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}
