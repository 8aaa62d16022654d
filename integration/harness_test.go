package integration

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kvrpcd/kvrpcd/resp"
)

// loopModels lists the network loop models of kvrpcd; every test that talks
// to kvrpcd runs once per model (see forEachLoop).
var loopModels = []string{"net", "reactor", "redcon"}

const (
	startTimeout = 10 * time.Second // until a started server answers PING
	stopTimeout  = 5 * time.Second  // between SIGTERM and SIGKILL
	ioTimeout    = 10 * time.Second // one request or reply on a raw connection
	startTries   = 3                // a free port may be taken before the server binds it
)

// kvrpcdBin is the binary under test, built by TestMain; buildErr says why
// there is none.
var (
	kvrpcdBin string
	buildErr  error
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if bin := os.Getenv("KVRPCD_BIN"); bin != "" {
		var err error
		if kvrpcdBin, err = filepath.Abs(bin); err != nil { // servers run in their own directory
			fmt.Fprintln(os.Stderr, "integration:", err)
			return 1
		}
		return m.Run()
	}
	flag.Parse()
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		return m.Run() // listing tests needs no binary
	}
	dir, err := os.MkdirTemp("", "kvrpcd-integration-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	kvrpcdBin, buildErr = buildKvrpcd(dir)
	return m.Run()
}

// buildKvrpcd builds ./cmd/kvrpcd into dir, with the race detector when this
// test binary has it.
func buildKvrpcd(dir string) (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("go tool not found: %w", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "kvrpcd")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	args = append(args, "./cmd/kvrpcd")
	cmd := exec.Command(goTool, args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return bin, nil
}

// ciMode reports whether the tests run in CI, where a missing external tool
// is a failure rather than a reason to skip.
func ciMode() bool { return os.Getenv("CI") != "" }

// needTool returns the path of an external program, skipping the test when it
// is absent outside CI and failing it in CI.
func needTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if ciMode() {
		t.Fatalf("%s not found and CI is set: run scripts/install-test-deps.sh", name)
	}
	t.Skipf("%s not found (run scripts/install-test-deps.sh); skipping", name)
	return ""
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago. It is
// never 6379, where a packaged redis-server may be running.
func freePort(t testing.TB) int {
	t.Helper()
	for range 10 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("free port: %v", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port != 6379 {
			return port
		}
	}
	t.Fatal("free port: no port found")
	return 0
}

// server is a process started by a test: kvrpcd or redis-server.
type server struct {
	name string
	addr string
	port int
	cmd  *exec.Cmd
	out  *outputLog
	done chan struct{} // closed when the process has exited
	err  error         // the result of Wait, valid once done is closed

	detached bool // the test stopped the process itself and checked how
}

// startKvrpcd starts the kvrpcd binary on a free loopback port with the given
// extra arguments and waits until it answers PING. The test fails if the
// server does not stop cleanly at the end of the test.
func startKvrpcd(t testing.TB, args ...string) *server {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("kvrpcd was not built: %v", buildErr)
	}
	return startServer(t, "kvrpcd", kvrpcdBin, args...)
}

// startRedis starts a real redis-server without persistence on a free
// loopback port. Outside CI the test is skipped when redis-server is missing.
func startRedis(t testing.TB, args ...string) *server {
	t.Helper()
	bin := needTool(t, "redis-server")
	all := append([]string{"--save", "", "--appendonly", "no"}, args...)
	return startServer(t, "redis-server", bin, all...)
}

// forEachLoop runs f in one subtest per loop model, each with a fresh kvrpcd
// started with --loop <model> and the given extra arguments.
func forEachLoop(t *testing.T, f func(t *testing.T, addr string), args ...string) {
	t.Helper()
	for _, model := range loopModels {
		t.Run(model, func(t *testing.T) {
			srv := startKvrpcd(t, append([]string{"--loop", model}, args...)...)
			f(t, srv.addr)
		})
	}
}

// usesRedconParser reports whether the subtest t runs the redcon model, whose protocol parser
// is redcon's own rather than kvrpcd's.
func usesRedconParser(t *testing.T) bool { return strings.HasSuffix(t.Name(), "/redcon") }

// startKvrpcdConfig starts kvrpcd like startKvrpcd, with a configuration
// file as its first argument.
func startKvrpcdConfig(t testing.TB, configFile string, args ...string) *server {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("kvrpcd was not built: %v", buildErr)
	}
	return startServerConfig(t, "kvrpcd", kvrpcdBin, configFile, args...)
}

func startServer(t testing.TB, name, bin string, args ...string) *server {
	t.Helper()
	return startServerConfig(t, name, bin, "", args...)
}

func startServerConfig(t testing.TB, name, bin, configFile string, args ...string) *server {
	t.Helper()
	// The process works in a directory of its own, so that whatever it writes there (a
	// redis-server's dump.rdb at shutdown) goes when the test ends.
	dir := t.TempDir()
	var lastErr error
	for range startTries {
		srv, err := launch(name, bin, configFile, dir, freePort(t), args)
		if err == nil {
			t.Cleanup(func() { srv.stop(t) })
			return srv
		}
		lastErr = err
		if !strings.Contains(strings.ToLower(err.Error()), "address already in use") {
			break
		}
	}
	t.Fatalf("start %s: %v", name, lastErr)
	return nil
}

// launch starts one process and waits until it answers PING; on failure the
// process is gone and the error carries its output.
func launch(name, bin, configFile, dir string, port int, args []string) (*server, error) {
	var all []string
	if configFile != "" {
		all = append(all, configFile)
	}
	all = append(all, "--port", strconv.Itoa(port), "--bind", "127.0.0.1")
	all = append(all, args...)
	srv := &server{
		name: name,
		addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		port: port,
		cmd:  exec.Command(bin, all...),
		out:  &outputLog{},
		done: make(chan struct{}),
	}
	// A binary built with -race sleeps a second at exit by default, to let
	// late reports out; a tenth of that is plenty for a server that has
	// stopped serving, and saves a second per server started. Options the
	// environment sets come later and win.
	srv.cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=100 "+os.Getenv("GORACE"))
	srv.cmd.Dir = dir
	srv.cmd.Stdout = srv.out
	srv.cmd.Stderr = srv.out
	srv.cmd.SysProcAttr = childProcAttr()
	// A child of the server that keeps the output pipe open must not keep
	// Wait from returning once the server itself has exited.
	srv.cmd.WaitDelay = time.Second
	if err := srv.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		srv.err = srv.cmd.Wait()
		close(srv.done)
	}()
	if err := srv.waitReady(); err != nil {
		srv.kill()
		return nil, fmt.Errorf("%s %s: %w\noutput:\n%s", bin, strings.Join(all, " "), err, srv.out)
	}
	return srv, nil
}

// waitReady polls with PING until any reply comes back (a NOAUTH error counts:
// the server is up).
func (s *server) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("exited before answering PING: %v", s.err)
		default:
		}
		lastErr = pingOnce(s.addr)
		if lastErr == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no answer to PING within %v: %v", startTimeout, lastErr)
}

func pingOnce(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if n > 0 && (buf[0] == '+' || buf[0] == '-') {
		return nil
	}
	if err == nil {
		err = fmt.Errorf("unexpected reply %q", buf[:n])
	}
	return err
}

// alive reports whether the process is still running.
func (s *server) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// stop sends SIGTERM, waits, SIGKILLs after stopTimeout, and fails t unless
// the process exited cleanly without a race report or a panic.
func (s *server) stop(t testing.TB) {
	t.Helper()
	if s.detached {
		return
	}
	if !s.alive() {
		t.Errorf("%s exited before the end of the test: %v\noutput:\n%s", s.name, s.err, s.out)
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.kill()
		t.Errorf("%s did not exit within %v of SIGTERM; killed\noutput:\n%s", s.name, stopTimeout, s.out)
		return
	}
	if s.err != nil {
		t.Errorf("%s exited with %v\noutput:\n%s", s.name, s.err, s.out)
		return
	}
	if m := s.out.marker(); m != "" {
		t.Errorf("%s printed %q\noutput:\n%s", s.name, m, s.out)
	}
}

// detach tells the end of the test that the test stopped the process itself
// and checked its exit.
func (s *server) detach() { s.detached = true }

// kill ends the process at once and waits for it (bounded).
func (s *server) kill() {
	s.cmd.Process.Kill()
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
	}
}

// outputLog collects a process's output: its beginning and its end are kept,
// and markers of failure are looked for in all of it.
type outputLog struct {
	mu      sync.Mutex
	head    []byte
	tail    []byte
	dropped int64
	carry   []byte // the end of the previous write, so markers split across writes are seen
	found   string
}

const outputKeep = 64 << 10

var outputMarkers = []string{"DATA RACE", "panic"}

// Write implements io.Writer.
func (o *outputLog) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.found == "" {
		scan := append(o.carry, p...)
		for _, m := range outputMarkers {
			if bytes.Contains(scan, []byte(m)) {
				o.found = m
				break
			}
		}
		if len(scan) > 16 {
			scan = scan[len(scan)-16:]
		}
		o.carry = append(o.carry[:0], scan...)
	}
	rest := p
	if n := min(outputKeep-len(o.head), len(rest)); n > 0 {
		o.head = append(o.head, rest[:n]...)
		rest = rest[n:]
	}
	o.tail = append(o.tail, rest...)
	if over := len(o.tail) - outputKeep; over > 0 {
		o.dropped += int64(over)
		o.tail = append(o.tail[:0], o.tail[over:]...)
	}
	return len(p), nil
}

// marker returns the first failure marker seen in the output, or "".
func (o *outputLog) marker() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.found
}

// String returns the kept output.
func (o *outputLog) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dropped == 0 {
		return string(o.head) + string(o.tail)
	}
	return fmt.Sprintf("%s\n[... %d bytes dropped ...]\n%s", o.head, o.dropped, o.tail)
}

// rawConn is a plain TCP connection for sending exact bytes and reading
// replies one at a time.
type rawConn struct {
	t     testing.TB
	c     net.Conn
	addr  string
	buf   []byte // received, not yet consumed
	chunk []byte // read buffer
}

// dialRaw connects to addr; the connection is closed at the end of the test.
func dialRaw(t testing.TB, addr string) *rawConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, c: c, addr: addr}
}

// send writes b in full.
func (r *rawConn) send(b []byte) {
	r.t.Helper()
	r.c.SetWriteDeadline(time.Now().Add(ioTimeout))
	if _, err := r.c.Write(b); err != nil {
		r.t.Fatalf("write to %s: %v", r.addr, err)
	}
}

// do sends one command in RESP and reads its reply.
func (r *rawConn) do(args ...string) resp.Value {
	r.t.Helper()
	r.send(encodeCommand(args...))
	v, _ := r.reply()
	return v
}

// doRaw sends one command in RESP and returns its reply parsed and as the
// exact bytes received.
func (r *rawConn) doRaw(args ...string) (resp.Value, []byte) {
	r.t.Helper()
	r.send(encodeCommand(args...))
	return r.reply()
}

// reply reads one reply and returns it parsed and as the exact bytes received.
func (r *rawConn) reply() (resp.Value, []byte) {
	r.t.Helper()
	v, raw, err := r.readReply(ioTimeout)
	if err != nil {
		r.t.Fatalf("read reply from %s: %v", r.addr, err)
	}
	return v, raw
}

// readReply reads one reply within timeout. The value returned does not
// alias the connection's buffer.
func (r *rawConn) readReply(timeout time.Duration) (resp.Value, []byte, error) {
	r.c.SetReadDeadline(time.Now().Add(timeout))
	for {
		if len(r.buf) > 0 {
			_, n, err := resp.ParseReply(r.buf)
			if err != nil {
				return resp.Value{}, nil, fmt.Errorf("bad reply %q: %w", clip(r.buf), err)
			}
			if n > 0 {
				raw := bytes.Clone(r.buf[:n])
				r.buf = r.buf[n:]
				v, _, _ := resp.ParseReply(raw)
				return v, raw, nil
			}
		}
		if err := r.fill(); err != nil {
			return resp.Value{}, nil, fmt.Errorf("%w (buffered %q)", err, clip(r.buf))
		}
	}
}

// fill reads what has arrived into the buffer.
func (r *rawConn) fill() error {
	if r.chunk == nil {
		r.chunk = make([]byte, 16<<10)
	}
	n, err := r.c.Read(r.chunk)
	r.buf = append(r.buf, r.chunk[:n]...)
	if n > 0 {
		return nil
	}
	return err
}

// readN reads exactly n bytes within timeout.
func (r *rawConn) readN(n int, timeout time.Duration) ([]byte, error) {
	r.c.SetReadDeadline(time.Now().Add(timeout))
	for len(r.buf) < n {
		if err := r.fill(); err != nil {
			return clip(r.buf), err
		}
	}
	got := bytes.Clone(r.buf[:n])
	r.buf = r.buf[n:]
	return got, nil
}

// readAll reads whatever arrives within wait and reports whether the server
// closed the connection; it returns early at close.
func (r *rawConn) readAll(wait time.Duration) (data []byte, closed bool) {
	r.c.SetReadDeadline(time.Now().Add(wait))
	data = append(data, r.buf...)
	r.buf = nil
	chunk := make([]byte, 16<<10)
	for {
		n, err := r.c.Read(chunk)
		data = append(data, chunk[:n]...)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return data, false
		}
		return data, true // EOF or reset: the server closed the connection
	}
}

// encodeCommand returns args as a RESP array of bulk strings.
func encodeCommand(args ...string) []byte {
	b := make([]byte, 0, 16*len(args)+8)
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}

// clip shortens b for messages.
func clip(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}
