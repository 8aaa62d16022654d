package resp

// ProtocolError is a malformed request. Error() returns "Protocol error: " + Msg,
// e.g. "Protocol error: invalid multibulk length". Callers reply "-ERR " + Error() and close.
// [ParseReply] uses it too, for a malformed reply.
type ProtocolError struct{ Msg string }

// Error returns the message as Redis words it, without the "ERR " prefix.
func (e *ProtocolError) Error() string { return "Protocol error: " + e.Msg }

// The protocol errors with a fixed text are shared so that a refused request
// costs no allocation.
var (
	errTooBigInline     = &ProtocolError{Msg: "too big inline request"}
	errTooBigMbulkCount = &ProtocolError{Msg: "too big mbulk count string"}
	errTooBigBulkCount  = &ProtocolError{Msg: "too big bulk count string"}
	errInvalidMbulkLen  = &ProtocolError{Msg: "invalid multibulk length"}
	errUnauthMbulkLen   = &ProtocolError{Msg: "unauthenticated multibulk length"}
	errInvalidBulkLen   = &ProtocolError{Msg: "invalid bulk length"}
	errUnauthBulkLen    = &ProtocolError{Msg: "unauthenticated bulk length"}
	errUnbalancedQuotes = &ProtocolError{Msg: "unbalanced quotes in request"}
)

// errExpectedDollar reports a bulk line that does not start with '$'. Redis
// formats the offending byte with %c and then turns CR and LF into spaces.
func errExpectedDollar(c byte) error {
	if c == '\r' || c == '\n' {
		c = ' '
	}
	return &ProtocolError{Msg: "expected '$', got '" + string([]byte{c}) + "'"}
}

// Reply parsing errors.
var (
	errReplyCRLF     = &ProtocolError{Msg: "expected CRLF"}
	errReplyKind     = &ProtocolError{Msg: "unknown reply type"}
	errReplyInt      = &ProtocolError{Msg: "invalid integer"}
	errReplyBulkLen  = &ProtocolError{Msg: "invalid bulk length"}
	errReplyMbulkLen = &ProtocolError{Msg: "invalid multibulk length"}
	errReplyBool     = &ProtocolError{Msg: "invalid boolean"}
	errReplyNull     = &ProtocolError{Msg: "invalid null"}
	errReplyVerbatim = &ProtocolError{Msg: "invalid verbatim string"}
	errReplyDepth    = &ProtocolError{Msg: "reply nested too deeply"}
)
