package rpc

// notifyKeyspace publishes a keyspace notification for key in db.
func (s *Server) notifyKeyspace(class int64, event, key string, db int) {}
