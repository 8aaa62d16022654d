package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one running server process under test.
type server struct {
	name    string // redisName or a loop model
	port    int
	version string // redis_version from INFO server
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has exited
	stopped bool          // stopServers has run for it

	// fill is the value size every benchmark key holds, or 0 when unknown: a GET workload
	// fills the keyspace first when it differs, so that its GETs hit.
	fill int
}

// pinning says how processes are tied to CPUs; empty prefixes run them unpinned.
type pinning struct {
	server []string // command prefix for the servers
	client []string // command prefix for redis-benchmark
	reason string   // why the processes run unpinned
}

// choosePinning pins the servers to CPU 0 and redis-benchmark to CPU 1 when the machine has
// two CPUs or more and taskset is installed.
func choosePinning() pinning {
	if runtime.NumCPU() < 2 {
		return pinning{reason: "one CPU only"}
	}
	path, err := exec.LookPath("taskset")
	if err != nil {
		return pinning{reason: "taskset not found"}
	}
	return pinning{server: []string{path, "-c", "0"}, client: []string{path, "-c", "1"}}
}

func (p pinning) pinned() bool { return len(p.server) > 0 }

func (p pinning) describe() string {
	if !p.pinned() {
		return "processes run unpinned (" + p.reason + "): results are noisier and the servers share the client's CPUs"
	}
	return "servers pinned to CPU 0, redis-benchmark to CPU 1"
}

// command returns an unstarted command for argv, pinned by prefix.
func (p pinning) command(ctx context.Context, prefix []string, argv ...string) *exec.Cmd {
	full := append(append([]string{}, prefix...), argv...)
	return exec.CommandContext(ctx, full[0], full[1:]...)
}

// buildKvrpcd builds the daemon (without -race) into dir and returns the binary's path.
func buildKvrpcd(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "kvrpcd")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/kvrpcd")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/kvrpcd: %w\n%s", err, out)
	}
	return bin, nil
}

// startServers starts redis-server and kvrpcd once per loop model, in that order, and waits
// until each answers. On error it returns the servers started so far, for the caller to stop.
func startServers(ctx context.Context, bin, dir string, pin pinning) ([]*server, error) {
	var servers []*server
	for _, name := range append([]string{redisName}, loopModels...) {
		s, err := startNamed(ctx, name, bin, dir, pin)
		if s != nil {
			servers = append(servers, s)
		}
		if err != nil {
			return servers, err
		}
	}
	return servers, nil
}

// startNamed starts redis-server when name is redisName and kvrpcd with the loop model name
// otherwise, with one core each: kvrpcd gets GOMAXPROCS=1 and --loops 1. Like startServer,
// it returns the server, if its process started, even with an error.
func startNamed(ctx context.Context, name, bin, dir string, pin pinning) (*server, error) {
	common := []string{"--bind", "127.0.0.1", "--save", "", "--appendonly", "no"}
	if name == redisName {
		return startServer(ctx, name, append([]string{"redis-server"}, common...), nil, dir, pin)
	}
	argv := append([]string{bin, "--loop", name, "--loops", "1"}, common...)
	return startServer(ctx, name, argv, []string{"GOMAXPROCS=1"}, dir, pin)
}

// startServer starts argv (plus --port) on a free loopback port and waits until it answers
// PING and INFO server names the expected loop model. It returns the server, if its
// process started, even with an error.
func startServer(ctx context.Context, name string, argv, env []string, dir string, pin pinning) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	argv = append(argv, "--port", strconv.Itoa(port))
	// Not tied to ctx: servers are stopped by stop, with SIGTERM first.
	cmd := pin.command(context.Background(), pin.server, argv...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, port: port, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		logFile.Close()
		close(s.done)
	}()
	info, err := s.waitReady(ctx)
	if err != nil {
		return s, fmt.Errorf("%s on port %d: %w (log: %s)", name, port, err, s.logTail())
	}
	if name != redisName {
		if got := infoField(info, "loop_model"); got != name {
			return s, fmt.Errorf("%s: INFO server says loop_model:%q", name, got)
		}
	}
	s.version = infoField(info, "redis_version")
	logf("started %-8s pid %d port %d", name, cmd.Process.Pid, port)
	return s, nil
}

// waitReady polls the server until it answers PING, for at most 10 s, and returns its
// INFO server text.
func (s *server) waitReady(ctx context.Context) (string, error) {
	var err error
	for range 200 {
		select {
		case <-s.done:
			return "", errors.New("exited at start-up")
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		var reply string
		if reply, err = s.call("PING"); err == nil && reply == "PONG" {
			return s.call("INFO", "server")
		}
	}
	return "", fmt.Errorf("no answer to PING: %v", err)
}

func (s *server) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// call sends one command and returns the reply: a simple or bulk string, or an integer as
// text. An error reply is returned as an error.
func (s *server) call(args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", s.addr(), time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	w := bufio.NewWriter(conn)
	writeCommand(w, args)
	if err := w.Flush(); err != nil {
		return "", err
	}
	return readReply(bufio.NewReader(conn))
}

// readReply reads one RESP simple string, error, integer or bulk string.
func readReply(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return "", errors.New("empty reply line")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return "", errors.New(line[1:])
	case '$':
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 || n > 1<<20 {
			return "", fmt.Errorf("bad bulk length %q", line)
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	}
	return "", fmt.Errorf("unexpected reply %q", line)
}

// infoField returns the value of field in INFO text, or "".
func infoField(info, field string) string {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), field+":"); ok {
			return v
		}
	}
	return ""
}

// alive reports whether the server process is still running.
func (s *server) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// stopServers stops every server, each by its own pid: SIGTERM to all, then SIGKILL to
// those still running 5 s later. It is safe to call more than once.
func stopServers(servers []*server) {
	for _, s := range servers {
		if !s.stopped {
			s.cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	deadline := time.After(5 * time.Second)
	for _, s := range servers {
		if s.stopped {
			continue
		}
		s.stopped = true
		select {
		case <-s.done:
			continue
		case <-deadline:
		}
		logf("%s (pid %d) still running 5 s after SIGTERM: killing it", s.name, s.cmd.Process.Pid)
		s.cmd.Process.Kill()
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			logf("%s (pid %d) did not exit after SIGKILL", s.name, s.cmd.Process.Pid)
		}
	}
}

// logTail returns the end of the server's log, on one line.
func (s *server) logTail() string {
	data, err := os.ReadFile(s.logPath)
	if err != nil {
		return err.Error()
	}
	data = bytes.TrimSpace(data)
	if len(data) > 400 {
		data = data[len(data)-400:]
	}
	if len(data) == 0 {
		return "empty"
	}
	return strings.ReplaceAll(string(data), "\n", " | ")
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// cpuTime returns the CPU time (user plus system, all threads) the server has used so far,
// in clock ticks.
func (s *server) cpuTime() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	utime, stime, err := parseStat(data)
	return utime + stime, err
}

// parseStat returns the utime and stime fields (14 and 15, in clock ticks) of a
// /proc/<pid>/stat line. The command name, field 2, is in parentheses and may hold spaces
// and parentheses itself, so the fields are counted from the last ')'.
func parseStat(data []byte) (utime, stime int64, err error) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0, 0, errors.New("stat: no command name")
	}
	fields := strings.Fields(string(data[i+1:]))
	// fields[0] is field 3 (state), so field n is fields[n-3].
	if len(fields) < 13 {
		return 0, 0, fmt.Errorf("stat: %d fields after the command name, want at least 13", len(fields))
	}
	if utime, err = strconv.ParseInt(fields[14-3], 10, 64); err != nil {
		return 0, 0, fmt.Errorf("stat: utime: %w", err)
	}
	if stime, err = strconv.ParseInt(fields[15-3], 10, 64); err != nil {
		return 0, 0, fmt.Errorf("stat: stime: %w", err)
	}
	return utime, stime, nil
}

// clockTicks returns the kernel's clock ticks per second (getconf CLK_TCK), or 100.
func clockTicks(ctx context.Context) float64 {
	out, err := exec.CommandContext(ctx, "getconf", "CLK_TCK").Output()
	if err != nil {
		return 100
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil || n <= 0 {
		return 100
	}
	return float64(n)
}
