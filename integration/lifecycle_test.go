package integration

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestVersion(t *testing.T) {
	if buildErr != nil {
		t.Fatalf("kvrpcd was not built: %v", buildErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, kvrpcdBin, "--version")
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=100 "+os.Getenv("GORACE"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kvrpcd --version: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 1 || strings.TrimSpace(lines[0]) == "" {
		t.Errorf("kvrpcd --version printed %q; want one version line", out)
	}
}

// TestSignalShutdown checks that SIGINT, like SIGTERM, ends the server
// cleanly, with connected clients.
func TestSignalShutdown(t *testing.T) {
	for _, model := range loopModels {
		t.Run(model, func(t *testing.T) {
			srv := startKvrpcd(t, "--loop", model)
			conn := dialRaw(t, srv.addr)
			if v := conn.do("SET", "k", "v"); string(v.Str) != "OK" {
				t.Fatalf("SET = %v", v)
			}
			srv.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-srv.done:
			case <-time.After(stopTimeout):
				t.Fatalf("kvrpcd still running %v after SIGINT", stopTimeout)
			}
			if srv.err != nil {
				t.Errorf("kvrpcd exited with %v after SIGINT\noutput:\n%s", srv.err, srv.out)
			}
			if m := srv.out.marker(); m != "" {
				t.Errorf("kvrpcd printed %q\noutput:\n%s", m, srv.out)
			}
			if _, closed := conn.readAll(time.Second); !closed {
				t.Errorf("a client connection stayed open after shutdown")
			}
			srv.detach()
		})
	}
}

// TestConfigFile starts kvrpcd with a configuration file, which the command
// line overrides.
func TestConfigFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kvrpcd.conf")
	conf := "# kvrpcd test configuration\nrequirepass secret\ndatabases 4\n"
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, model := range loopModels {
		t.Run(model, func(t *testing.T) {
			srv := startKvrpcdConfig(t, file, "--loop", model)
			conn := dialRaw(t, srv.addr)
			if _, raw := conn.doRaw("PING"); !bytes.HasPrefix(raw, []byte("-NOAUTH")) {
				t.Errorf("PING before AUTH = %q; want NOAUTH", raw)
			}
			if _, raw := conn.doRaw("AUTH", "secret"); string(raw) != "+OK\r\n" {
				t.Fatalf("AUTH = %q; want +OK", raw)
			}
			if _, raw := conn.doRaw("SELECT", "4"); string(raw) != "-ERR DB index is out of range\r\n" {
				t.Errorf("SELECT 4 with 4 databases = %q; want the out of range error", raw)
			}
			if _, raw := conn.doRaw("SELECT", "3"); string(raw) != "+OK\r\n" {
				t.Errorf("SELECT 3 with 4 databases = %q; want +OK", raw)
			}
		})
	}
}
