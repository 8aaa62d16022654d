//go:build linux

package reactor

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kvrpcd/kvrpcd/rpc"
)

// start runs a reactor with n loops on a free loopback port.
func start(t *testing.T, n int) (*Server, *rpc.Server, string) {
	t.Helper()
	srv, err := rpc.NewServer(rpc.Options{LoopModel: "reactor"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(srv, n)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- r.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := r.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		srv.Close()
	})
	return r, srv, ln.Addr().String()
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	return c
}

func TestPipeline(t *testing.T) {
	_, _, addr := start(t, 2)
	c := dial(t, addr)
	var req bytes.Buffer
	var want bytes.Buffer
	for i := range 5000 {
		fmt.Fprintf(&req, "*3\r\n$3\r\nSET\r\n$%d\r\nk%d\r\n$%d\r\nv%d\r\n", len(fmt.Sprint("k", i)), i, len(fmt.Sprint("v", i)), i)
		fmt.Fprintf(&req, "*2\r\n$3\r\nGET\r\n$%d\r\nk%d\r\n", len(fmt.Sprint("k", i)), i)
		fmt.Fprintf(&want, "+OK\r\n$%d\r\nv%d\r\n", len(fmt.Sprint("v", i)), i)
	}
	go func() { _, _ = c.Write(req.Bytes()) }()
	got := make([]byte, want.Len())
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("pipelined replies differ from what was expected")
	}
}

// TestSplitCommands sends a command one byte at a time: the leftover path.
func TestSplitCommands(t *testing.T) {
	_, _, addr := start(t, 1)
	c := dial(t, addr)
	req := []byte("*3\r\n$3\r\nSET\r\n$1\r\na\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
	for i := range req {
		if _, err := c.Write(req[i : i+1]); err != nil {
			t.Fatal(err)
		}
	}
	want := "+OK\r\n$5\r\nhello\r\n"
	got := make([]byte, len(want))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestManyClients(t *testing.T) {
	_, _, addr := start(t, 2)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 2})
			defer rdb.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for i := range 200 {
				key := fmt.Sprintf("g%d:%d", g, i)
				if err := rdb.Set(ctx, key, i, 0).Err(); err != nil {
					errs <- err
					return
				}
				if v, err := rdb.Get(ctx, key).Int(); err != nil || v != i {
					errs <- fmt.Errorf("GET %s = %v, %v", key, v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestBackpressure: a client that sends requests but reads no replies stops being read once
// its queue passes PauseAt, so the server's memory for it stays bounded.
func TestBackpressure(t *testing.T) {
	r, _, addr := start(t, 1)
	c := dial(t, addr)
	w := bufio.NewWriter(c)
	big := strings.Repeat("x", 512<<10)
	fmt.Fprintf(w, "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$%d\r\n%s\r\n", len(big), big)
	w.Flush()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "+OK\r\n" {
		t.Fatalf("SET: %q %v", buf, err)
	}
	// 400 GETs of 512 KiB = 200 MiB of replies that nobody reads.
	get := []byte("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n")
	_ = c.SetWriteDeadline(time.Now().Add(2 * time.Second))
	for range 400 {
		if _, err := c.Write(get); err != nil {
			break // the server stopped reading: the kernel buffers are full
		}
	}
	time.Sleep(200 * time.Millisecond)
	queued := int64(0)
	for _, st := range r.stats() {
		queued += st.Queued
	}
	if queued > PauseAt+(1<<20) {
		t.Fatalf("server queued %d bytes for a client that reads nothing; want at most about %d", queued, PauseAt)
	}
	if queued == 0 {
		t.Fatal("nothing queued: the test did not exercise backpressure")
	}
	// The client now reads everything it asked for: reading resumes and every reply arrives.
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	rd := bufio.NewReaderSize(c, 1<<20)
	sent := 400
	for i := range sent {
		line, err := rd.ReadString('\n')
		if err != nil {
			// Writes that timed out above were partly sent; the rest of the stream is not a
			// whole command, so stop counting there.
			if i > 0 {
				break
			}
			t.Fatal(err)
		}
		if line != "$524288\r\n" {
			t.Fatalf("reply %d: %q", i, line)
		}
		if _, err := rd.Discard(len(big) + 2); err != nil {
			t.Fatal(err)
		}
		if i > 10 {
			break
		}
	}
}

func TestOutputHardLimit(t *testing.T) {
	_, srv, addr := start(t, 1)
	if err := srv.Config().Set("client-output-buffer-limit", "normal 1mb 0 0"); err != nil {
		t.Fatal(err)
	}
	c := dial(t, addr)
	big := strings.Repeat("y", 256<<10)
	fmt.Fprintf(c, "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$%d\r\n%s\r\n", len(big), big)
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatal(err)
	}
	var req bytes.Buffer
	for range 200 {
		req.WriteString("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n")
	}
	_, _ = c.Write(req.Bytes())
	time.Sleep(300 * time.Millisecond)
	// The server closed the connection: reading drains what was sent, then hits EOF.
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, c)
	if err != nil {
		t.Fatalf("want EOF after the hard limit, got %v after %d bytes", err, n)
	}
	if n >= int64(200*len(big)) {
		t.Fatalf("got all %d bytes: the hard limit did not apply", n)
	}
}

func TestClientKillAcrossLoops(t *testing.T) {
	_, _, addr := start(t, 2)
	victim := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1})
	defer victim.Close()
	killer := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 1})
	defer killer.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := victim.ClientID(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := killer.ClientKillByFilter(ctx, "ID", fmt.Sprint(id)).Result(); err != nil || n != 1 {
		t.Fatalf("CLIENT KILL ID %d = %d, %v", id, n, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		// go-redis reconnects; a new id shows the old connection is gone.
		if nid, err := victim.ClientID(ctx).Result(); err == nil && nid != id {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the killed connection was not closed")
}

func TestIdleTimeout(t *testing.T) {
	_, srv, addr := start(t, 1)
	if err := srv.Config().Set("timeout", "1"); err != nil {
		t.Fatal(err)
	}
	c := dial(t, addr)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read on an idle connection: %v, want EOF", err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("closed after %v, before the 1 s timeout", d)
	}
}

func TestShutdownDrains(t *testing.T) {
	srv, err := rpc.NewServer(rpc.Options{LoopModel: "reactor"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r, err := New(srv, 2)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- r.Serve(ln) }()
	c := dial(t, ln.Addr().String())
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "+PONG\r\n" {
		t.Fatalf("PING: %q %v", buf, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if _, err := c.Read(buf); err != io.EOF {
		t.Fatalf("after Shutdown: %v, want EOF", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting after Shutdown")
	}
}

// TestHotPathAllocs drives pipelined GET/SET through a real socket (read, parse, dispatch,
// store, write) and counts the server's heap allocations per command.
func TestHotPathAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	_, _, addr := start(t, 1)
	c := dial(t, addr)
	var req, want bytes.Buffer
	for range 100 {
		req.WriteString("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
		want.WriteString("+OK\r\n$5\r\nvalue\r\n")
	}
	reply := make([]byte, want.Len())
	round := func() {
		if _, err := c.Write(req.Bytes()); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, reply); err != nil {
			t.Fatal(err)
		}
	}
	for range 50 { // warm up: buffers reach their size
		round()
	}
	const rounds = 200
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range rounds {
		round()
	}
	runtime.ReadMemStats(&after)
	commands := float64(rounds * 200)
	perCmd := float64(after.Mallocs-before.Mallocs) / commands
	if !bytes.Equal(reply, want.Bytes()) {
		t.Fatal("wrong replies")
	}
	// The whole process is counted, test client included, so allow a little noise.
	if perCmd > 0.01 {
		t.Fatalf("%.3f allocations per command, want 0", perCmd)
	}
}

// BenchmarkPipelinedGetSet measures read, parse, dispatch, GET/SET and write through a real
// loopback socket, 200 commands per round trip; allocations are the whole process's.
func BenchmarkPipelinedGetSet(b *testing.B) {
	srv, err := rpc.NewServer(rpc.Options{LoopModel: "reactor"})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	r, err := New(srv, 1)
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = r.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.Shutdown(ctx)
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	var req, want bytes.Buffer
	for range 100 {
		req.WriteString("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n")
		want.WriteString("+OK\r\n$5\r\nvalue\r\n")
	}
	reply := make([]byte, want.Len())
	b.ReportAllocs()
	b.SetBytes(int64(req.Len()))
	for b.Loop() {
		if _, err := c.Write(req.Bytes()); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, reply); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*200), "ns/cmd")
}
