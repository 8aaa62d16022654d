package rpc

import (
	"strings"
	"testing"
)

type addrConn struct {
	fakeConn
	remote string
}

func (a *addrConn) RemoteAddr() string { return a.remote }

// TestProtectedMode: with protected-mode on and no password, only loopback clients are
// served; a password or protected-mode off lets everyone in.
func TestProtectedMode(t *testing.T) {
	for _, tc := range []struct {
		remote  string
		config  []string
		refused bool
	}{
		{"127.0.0.1:5000", nil, false},
		{"[::1]:5000", nil, false},
		{"10.1.2.3:5000", nil, true},
		{"[2001:db8::1]:5000", nil, true},
		{"10.1.2.3:5000", []string{"protected-mode", "no"}, false},
		{"10.1.2.3:5000", []string{"requirepass", "secret"}, false},
	} {
		srv, err := NewServer(Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tc.config != nil {
			if err := srv.Config().Set(tc.config...); err != nil {
				t.Fatal(err)
			}
		}
		c := srv.Connect(&addrConn{remote: tc.remote})
		out := string(c.Output())
		if refused := strings.HasPrefix(out, "-DENIED Redis is running in protected mode"); refused != tc.refused || c.Closing() != tc.refused {
			t.Errorf("%s with %v: output %.40q, closing %v; want refused %v", tc.remote, tc.config, out, c.Closing(), tc.refused)
		}
		c.Release()
		if n := srv.Stats().ConnectedClients; n != 0 {
			t.Errorf("%d clients left after Release", n)
		}
		srv.Close()
	}
}
