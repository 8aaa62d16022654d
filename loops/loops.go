// Package loops defines what every network model of kvrpcd provides. Each model lives in a
// sub-package (net, and later reactor, prefork and redcon) and carries no command logic: it
// moves bytes between sockets and an [rpc.Client], so that the models can be compared fairly.
package loops

import (
	"context"
	"net"
)

// Server is a running network model.
type Server interface {
	// Serve accepts connections on ln until Shutdown or a fatal accept error. It returns nil
	// after a Shutdown.
	Serve(ln net.Listener) error
	// Shutdown stops accepting, lets each connection finish the commands it has read and
	// write their replies, and returns when every connection is closed or ctx is done (then
	// the rest are closed at once).
	Shutdown(ctx context.Context) error
}
