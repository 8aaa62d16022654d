package rpc

// Canonical error replies of the pub/sub commands (pubsub.go), word for word as
// redis-server 7.0 sends them.
const (
	msgSsubscribeInExec = "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client"
)

// subscribedOnly formats the reply to a command a RESP2 client with subscriptions may not
// run; name is the command's full name ("get", "pubsub|channels").
func subscribedOnly(name string) string {
	return "ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
}
