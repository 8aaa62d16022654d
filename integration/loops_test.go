package integration

import (
	"strings"
	"testing"
)

// TestLoopModelInInfo checks that INFO server names the loop model the server runs, and for
// the reactor its loops and their connections.
func TestLoopModelInInfo(t *testing.T) {
	for _, model := range loopModels {
		t.Run(model, func(t *testing.T) {
			srv := startKvrpcd(t, "--loop", model, "--loops", "2")
			conn := dialRaw(t, srv.addr)
			info := string(conn.do("INFO", "server").Str)
			fields := map[string]string{}
			for _, line := range strings.Split(info, "\r\n") {
				if k, v, ok := strings.Cut(line, ":"); ok {
					fields[k] = v
				}
			}
			if fields["loop_model"] != model {
				t.Errorf("loop_model = %q, want %q", fields["loop_model"], model)
			}
			if model == "reactor" {
				if fields["loops"] != "2" {
					t.Errorf("loops = %q, want 2", fields["loops"])
				}
				// This connection is the only one, on one of the two loops.
				if c := fields["loop_connections"]; c != "1,0" && c != "0,1" {
					t.Errorf("loop_connections = %q, want one connection on one loop", c)
				}
			}
		})
	}
}
