//go:build !linux

package reactor

import (
	"context"
	"errors"
	"net"

	"github.com/kvrpcd/kvrpcd/rpc"
)

// PauseAt is the queued output at which a connection stops being read.
const PauseAt = 1 << 20

// Server is unavailable on this system.
type Server struct{}

// New reports that the reactor needs Linux.
func New(srv *rpc.Server, loops int) (*Server, error) {
	return nil, errors.New("the reactor loop model needs Linux epoll; use --loop net")
}

// Serve is never reached: New fails.
func (s *Server) Serve(ln net.Listener) error { return errors.ErrUnsupported }

// Shutdown is never reached: New fails.
func (s *Server) Shutdown(ctx context.Context) error { return nil }
