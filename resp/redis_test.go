package resp

import (
	"bytes"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// TestRedisProtocolErrors replays protocolErrorCases against a live
// redis-server to keep the recorded replies honest. It runs only when
// KVRPCD_TEST_REDIS holds the address of a server without a password; the
// unauthenticated cases need KVRPCD_TEST_REDIS_AUTH, the address of a
// server with requirepass set.
func TestRedisProtocolErrors(t *testing.T) {
	addr, authAddr := os.Getenv("KVRPCD_TEST_REDIS"), os.Getenv("KVRPCD_TEST_REDIS_AUTH")
	if addr == "" && authAddr == "" {
		t.Skip("KVRPCD_TEST_REDIS and KVRPCD_TEST_REDIS_AUTH are not set")
	}
	for _, tc := range protocolErrorCases {
		target := addr
		if tc.unauth {
			target = authAddr
		}
		if target == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := redisReply(t, target, tc.in)
			if !bytes.Equal(got, []byte(tc.reply)) {
				t.Fatalf("redis-server replies %q, the table says %q", got, tc.reply)
			}
		})
	}
}

// redisReply sends in on a new connection and returns what the server
// answers before it closes the connection or stays silent for a while.
func redisReply(t *testing.T, addr, in string) []byte {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, in); err != nil {
		t.Fatal(err)
	}
	var out []byte
	buf := make([]byte, 4096)
	for {
		if err := c.SetReadDeadline(time.Now().Add(300 * time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out
		}
	}
}
