package resp

import (
	"bytes"
	"testing"
)

func BenchmarkParseCommand(b *testing.B) {
	var in []byte
	for i := 0; i < 50; i++ {
		in = append(in, "*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000042\r\n$8\r\nxxxxxxxx\r\n"...)
		in = append(in, "*2\r\n$3\r\nGET\r\n$16\r\nkey:000000000042\r\n"...)
	}
	args := make([][]byte, 0, 8)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		buf := in
		for len(buf) > 0 {
			var n int
			args, n, _ = ParseCommand(buf, args, nil)
			buf = buf[n:]
		}
	}
}

func BenchmarkParseInline(b *testing.B) {
	in := bytes.Repeat([]byte("SET key:000000000042 xxxxxxxx\r\nGET key:000000000042\r\n"), 50)
	args := make([][]byte, 0, 8)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		buf := in
		for len(buf) > 0 {
			var n int
			args, n, _ = ParseCommand(buf, args, nil)
			buf = buf[n:]
		}
	}
}

func BenchmarkWriterBulk(b *testing.B) {
	w := Writer{Proto: 2, Buf: make([]byte, 0, 64<<10)}
	val := []byte("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
	b.ReportAllocs()
	for b.Loop() {
		w.Buf = w.Buf[:0]
		for range 100 {
			w.Bulk(val)
		}
	}
}
