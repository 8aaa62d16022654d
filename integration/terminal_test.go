package integration

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The terminal tests run an interactive redis-cli in a tmux pane, 120 columns
// by 40 lines, and compare the screen a person would see against the same
// session with redis-server: redis-cli decides how replies look from their
// RESP types, so the screen shows what raw byte comparisons would not, such
// as a subscription that never enters redis-cli's reading mode.

const (
	termWidth, termHeight = 120, 40
	termWait              = 10 * time.Second       // until expected text is on the screen
	termSettle            = 150 * time.Millisecond // the screen unchanged this long is complete
	termPoll              = 20 * time.Millisecond
)

// terminal is one program running in a pane of a private tmux server.
type terminal struct {
	t    testing.TB
	tmux string
	sock string
	pid  int // the tmux server's
}

// startTerminal starts a tmux server of its own, on a socket in a temporary
// directory, running args in its only pane; the server is killed at the end
// of the test. The pane stays on the screen if the program exits.
func startTerminal(t testing.TB, args ...string) *terminal {
	t.Helper()
	tmux := needTool(t, "tmux")
	// A unix socket path must stay short: not under the test's TempDir.
	dir, err := os.MkdirTemp("", "kvrpcd-tmux-")
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, tmux: tmux, sock: dir + "/s"}
	t.Cleanup(func() {
		term.close()
		os.RemoveAll(dir)
	})
	all := []string{"start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
		"new-session", "-d", "-s", "kv", "-x", strconv.Itoa(termWidth), "-y", strconv.Itoa(termHeight), "--"}
	term.run(append(all, args...)...)
	pid, err := strconv.Atoi(strings.TrimSpace(term.run("display-message", "-p", "-t", "kv", "#{pid}")))
	if err != nil {
		t.Fatalf("tmux server pid: %v", err)
	}
	term.pid = pid
	return term
}

// run runs one tmux command against the terminal's server, bounded in time.
func (term *terminal) run(args ...string) string {
	term.t.Helper()
	out, err := term.tryRun(args...)
	if err != nil {
		term.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (term *terminal) tryRun(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, term.tmux, append([]string{"-S", term.sock, "-f", "/dev/null"}, args...)...)
	// Inside a tmux session of the person running the tests, TMUX would point
	// the client at theirs.
	cmd.Env = append(os.Environ(), "TMUX=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// close kills the tmux server, and with it the program in its pane.
func (term *terminal) close() {
	if _, err := term.tryRun("kill-server"); err != nil && term.pid > 0 {
		syscall.Kill(term.pid, syscall.SIGKILL)
	}
}

// typeLine types text and presses Enter.
func (term *terminal) typeLine(text string) {
	term.t.Helper()
	term.run("send-keys", "-t", "kv", "-l", "--", text)
	term.run("send-keys", "-t", "kv", "Enter")
}

// screen returns the lines of the pane, those scrolled off the top
// included, without trailing blank lines.
func (term *terminal) screen() string {
	term.t.Helper()
	return strings.TrimRight(term.run("capture-pane", "-p", "-S", "-", "-t", "kv"), "\n")
}

// waitFor waits until the screen contains want and then until it stays
// unchanged for termSettle, and returns it; the test fails at termWait.
func (term *terminal) waitFor(want string) string {
	term.t.Helper()
	deadline := time.Now().Add(termWait)
	var s string
	for {
		s = term.screen()
		if strings.Contains(s, want) {
			break
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("after %v the terminal does not show %q; it shows:\n%s", termWait, want, s)
		}
		time.Sleep(termPoll)
	}
	stable := time.Now()
	for time.Since(stable) < termSettle {
		time.Sleep(termPoll)
		next := term.screen()
		if next != s {
			s, stable = next, time.Now()
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("after %v the terminal is still changing:\n%s", termWait, s)
		}
	}
	return s
}

// startCLI starts an interactive redis-cli with flags against port and
// waits for its prompt.
func startCLI(t testing.TB, port int, flags ...string) *terminal {
	t.Helper()
	cli := needTool(t, "redis-cli")
	args := append([]string{cli}, flags...)
	term := startTerminal(t, append(args, "-h", "127.0.0.1", "-p", strconv.Itoa(port))...)
	term.waitFor(fmt.Sprintf("127.0.0.1:%d>", port)) // capture-pane drops trailing spaces
	return term
}

// normalizePort replaces the server's port in a screen, so screens of servers
// on different ports compare.
func normalizePort(screen string, port int) string {
	return strings.ReplaceAll(screen, fmt.Sprintf("127.0.0.1:%d>", port), "127.0.0.1:PORT>")
}

// subscribeSession is a subscription typed into redis-cli and the messages
// then published to it.
type subscribeSession struct {
	name     string
	typed    string   // the subscribing command
	channels []string // what PUBSUB NUMSUB (or SHARDNUMSUB) shows subscribed once it took effect
	patterns int      // what PUBSUB NUMPAT shows then
	publish  [][]string
}

// terminalPayloads cover what redis-cli escapes or wraps: spaces, quotes,
// control and non-ASCII bytes, an empty payload, a line wider than the pane.
// The last one marks the end of a session.
var terminalPayloads = []string{"hello", "two words", `quo"te`, "bin\x00\x01\xff", "", "line\nbreak",
	"h\xc3\xa9llo", strings.Repeat("w", 150), "the end"}

func subscribeSessions() []subscribeSession {
	var chPub, patPub, shardPub [][]string
	for i, p := range terminalPayloads {
		chPub = append(chPub, []string{"PUBLISH", []string{"ch", "other"}[i%2], p})
		patPub = append(patPub, []string{"PUBLISH", []string{"news", "hallo", "n?ws"}[i%3], p})
		shardPub = append(shardPub, []string{"SPUBLISH", "sh", p})
	}
	return []subscribeSession{
		{name: "channels", typed: "SUBSCRIBE ch other", channels: []string{"ch", "other"}, publish: chPub},
		{name: "patterns", typed: `PSUBSCRIBE n?ws h[ae]llo`, patterns: 2, publish: patPub},
		{name: "shard", typed: "SSUBSCRIBE sh", channels: []string{"sh"}, publish: shardPub},
	}
}

// runSubscribeSession types the session's subscription into redis-cli, waits
// until the server has it, publishes from a raw connection, and returns the
// final screen with the port normalised.
func runSubscribeSession(t *testing.T, addr string, s subscribeSession, flags ...string) string {
	port := portOf(t, addr)
	term := startCLI(t, port, flags...)
	term.typeLine(s.typed)
	pub := dialRaw(t, addr)
	waitSubscribed(t, pub, s)
	for _, cmd := range s.publish {
		if v := pub.do(cmd...); v.Int != 1 {
			t.Fatalf("%s = %s; want one receiver", quoteCommand(cmd), render(v))
		}
	}
	return normalizePort(term.waitFor(`"the end"`), port)
}

// waitSubscribed polls PUBSUB until the subscription typed into the terminal
// has taken effect.
func waitSubscribed(t *testing.T, c *rawConn, s subscribeSession) {
	t.Helper()
	want := "*0\r\n"
	if s.patterns > 0 {
		want = ":" + strconv.Itoa(s.patterns) + "\r\n"
	} else if len(s.channels) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", 2*len(s.channels))
		for _, ch := range s.channels {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n:1\r\n", len(ch), ch)
		}
		want = b.String()
	}
	cmd := []string{"PUBSUB", "NUMPAT"}
	switch {
	case s.patterns > 0:
	case strings.HasPrefix(s.typed, "SSUBSCRIBE"):
		cmd = append([]string{"PUBSUB", "SHARDNUMSUB"}, s.channels...)
	default:
		cmd = append([]string{"PUBSUB", "NUMSUB"}, s.channels...)
	}
	deadline := time.Now().Add(termWait)
	for {
		_, got := c.doRaw(cmd...)
		if string(got) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the subscription typed into redis-cli did not take effect: %s = %q, want %q", quoteCommand(cmd), got, want)
		}
		time.Sleep(termPoll)
	}
}

// terminalProtocols are the redis-cli flags of each protocol a session runs in.
var terminalProtocols = []struct {
	name  string
	flags []string
}{{"resp2", nil}, {"resp3", []string{"-3"}}}

// TestTerminalSubscribe subscribes in an interactive redis-cli (channels,
// patterns, shard channels; RESP2 and RESP3), publishes from another client,
// and compares the screen with the same session against redis-server: the
// "Reading messages..." line and every message as redis-cli prints it.
func TestTerminalSubscribe(t *testing.T) {
	needTool(t, "tmux")
	needTool(t, "redis-cli")
	ref := startRedis(t)
	sessions := subscribeSessions()
	want := map[string]string{}
	for _, p := range terminalProtocols {
		for _, s := range sessions {
			t.Run("redis-server/"+p.name+"/"+s.name, func(t *testing.T) {
				screen := runSubscribeSession(t, ref.addr, s, p.flags...)
				if !strings.Contains(screen, "\nReading messages... (press Ctrl-C to quit)\n") {
					t.Fatalf("redis-server's session does not show redis-cli's reading mode:\n%s", screen)
				}
				want[p.name+"/"+s.name] = screen
			})
		}
	}
	forEachLoop(t, func(t *testing.T, addr string) {
		for _, p := range terminalProtocols {
			for _, s := range sessions {
				ref, ok := want[p.name+"/"+s.name]
				if !ok {
					continue // redis-server's session failed and says why
				}
				t.Run(p.name+"/"+s.name, func(t *testing.T) {
					if got := runSubscribeSession(t, addr, s, p.flags...); got != ref {
						t.Errorf("the screen differs from redis-server's session\n--- kvrpcd:\n%s\n--- redis-server:\n%s", got, ref)
					}
				})
			}
		}
	})
}

// monitorLine is a line MONITOR prints: a timestamp, the database and the
// client's address.
var monitorLine = regexp.MustCompile(`(?m)^(\d+)\.(\d{6}) \[(\d+) 127\.0\.0\.1:(\d+)\] `)

// monitorCommands are sent by another client while redis-cli shows MONITOR.
var monitorCommands = [][]string{
	{"SET", "k", "v"},
	{"GET", "k"},
	{"SET", "a b", "quo\"te\\ and\x01\xff\n"},
	{"SELECT", "3"},
	{"DEL", "k", "missing"},
	{"INCR", "n"},
	{"MULTI"},
	{"SET", "t", "1"},
	{"EXEC"},
	{"GETX", "unknown"},
	{"ECHO", strings.Repeat("w", 150)},
	{"PING", "the end"},
}

// runMonitorSession types MONITOR into redis-cli, sends monitorCommands from
// a raw connection and returns the screen with timestamps, the server's port
// and the client's port normalised; it checks that each line names the
// client that sent the command and that timestamps are near and in order.
func runMonitorSession(t *testing.T, addr string) string {
	port := portOf(t, addr)
	term := startCLI(t, port)
	term.typeLine("MONITOR")
	term.waitFor("> MONITOR\nOK")
	c := dialRaw(t, addr)
	start := time.Now()
	for _, cmd := range monitorCommands {
		c.do(cmd...)
	}
	screen := term.waitFor(`"PING" "the end"`)
	clientPort := strconv.Itoa(portOf(t, c.c.LocalAddr().String()))
	lines := monitorLine.FindAllStringSubmatch(screen, -1)
	if len(lines) == 0 {
		t.Fatalf("no MONITOR line on the screen:\n%s", screen)
	}
	var last int64
	for _, m := range lines {
		if m[4] != clientPort {
			t.Errorf("a MONITOR line names client port %s; the client is on %s:\n%s", m[4], clientPort, screen)
		}
		sec, _ := strconv.ParseInt(m[1], 10, 64)
		usec, _ := strconv.ParseInt(m[2], 10, 64)
		ts := sec*1e6 + usec
		if d := time.UnixMicro(ts).Sub(start); d < -time.Second || d > termWait {
			t.Errorf("MONITOR timestamp %s.%s is %v from when the commands were sent", m[1], m[2], d)
		}
		if ts < last {
			t.Errorf("MONITOR timestamps go backwards: %s.%s", m[1], m[2])
		}
		last = ts
	}
	screen = monitorLine.ReplaceAllString(screen, "TIME [$3 127.0.0.1:CLIENT] ")
	return normalizePort(screen, port)
}

// TestTerminalMonitor runs MONITOR in an interactive redis-cli while another
// client sends commands, and compares the screen with the same session
// against redis-server, timestamps and ports normalised.
func TestTerminalMonitor(t *testing.T) {
	needTool(t, "tmux")
	needTool(t, "redis-cli")
	ref := startRedis(t)
	var want string
	t.Run("redis-server", func(t *testing.T) { want = runMonitorSession(t, ref.addr) })
	if want == "" {
		return
	}
	forEachLoop(t, func(t *testing.T, addr string) {
		if got := runMonitorSession(t, addr); got != want {
			t.Errorf("the screen differs from redis-server's session\n--- kvrpcd:\n%s\n--- redis-server:\n%s", got, want)
		}
	})
}
