//go:build !unix

package redcon

import "net"

// peerClosed cannot peek at a socket here: a blocked client that went away is noticed when
// its command is served.
func peerClosed(net.Conn) bool { return false }
