package rpc

import (
	"errors"

	"github.com/kvrpcd/kvrpcd/store"
)

// Redis's canonical error replies, each with its prefix. Every reply text kvrpcd sends for a
// common error lives here, so that they match redis-server's word for word.
const (
	msgSyntax        = "ERR syntax error"
	msgNotInteger    = "ERR value is not an integer or out of range"
	msgNotFloat      = "ERR value is not a valid float"
	msgOverflow      = "ERR increment or decrement would overflow"
	msgNaN           = "ERR increment would produce NaN or Infinity"
	msgWrongType     = "WRONGTYPE Operation against a key holding the wrong kind of value"
	msgNoSuchKey     = "ERR no such key"
	msgTooLong       = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	msgOutOfRange    = "ERR index out of range"
	msgDBIndex       = "ERR DB index is out of range"
	msgInvalidExpire = "ERR invalid expire time in '%s' command"
	msgNoAuth        = "NOAUTH Authentication required."
	msgWrongPass     = "WRONGPASS invalid username-password pair or user is disabled."
	msgNoPassword    = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
	msgMaxClients    = "ERR max number of clients reached"
	msgPositive      = "ERR value is out of range, must be positive"
	msgSameObject    = "ERR source and destination objects are the same"

	msgProtectedMode = "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside."
)

// Pre-encoded replies shared by every connection.
var (
	replyOK   = []byte("+OK\r\n")
	replyZero = []byte(":0\r\n")
	replyOne  = []byte(":1\r\n")
	replyPong = []byte("+PONG\r\n")
)

// errorReply maps a store error to Redis's reply text.
func errorReply(err error) string {
	switch {
	case errors.Is(err, store.ErrWrongType):
		return msgWrongType
	case errors.Is(err, store.ErrNotInteger):
		return msgNotInteger
	case errors.Is(err, store.ErrNotFloat):
		return msgNotFloat
	case errors.Is(err, store.ErrOverflow):
		return msgOverflow
	case errors.Is(err, store.ErrNaN):
		return msgNaN
	case errors.Is(err, store.ErrNoSuchKey):
		return msgNoSuchKey
	case errors.Is(err, store.ErrTooLong):
		return msgTooLong
	}
	return "ERR " + err.Error()
}

// Blocking commands.
const (
	msgTimeoutNotFloat = "ERR timeout is not a float or out of range"
	msgTimeoutNegative = "ERR timeout is negative"
)
