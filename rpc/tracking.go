package rpc

// keyModified invalidates key of db in the client-side caches that track it; c is the client
// whose command modified it, nil for expiry.
func (s *Server) keyModified(c *Client, db int, key string) {}
