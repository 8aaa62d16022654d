package rpc

// Canonical error replies of the connection and server commands (cmd_conn.go,
// cmd_server.go, cmd_command.go, info.go), word for word as redis-server 7.0 sends them.
const (
	msgNoProto        = "NOPROTO unsupported protocol version"
	msgProtoVersion   = "ERR Protocol version is not an integer or out of range"
	msgHelloNoAuth    = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	msgClientName     = "ERR Client names cannot contain spaces, newlines or special characters."
	msgNoSuchClient   = "ERR No such client"
	msgClientIDRange  = "ERR client-id should be greater than 0"
	msgInvalidID      = "ERR Invalid client ID"
	msgUnblockReason  = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"
	msgCachingNoTrack = "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"

	msgInvalidCommand  = "ERR Invalid command specified"
	msgNoKeyArgs       = "ERR The command has no key arguments"
	msgGetKeysArity    = "ERR Invalid number of arguments specified for command"
	msgGetKeysInvalid  = "ERR Invalid arguments specified for command"
	msgNoConfigFile    = "ERR The server is running without a config file"
	msgDebugNotAllowed = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
	msgDebugProtocol   = "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false"
	msgDebugRESP2      = "ERR RESP2 is not supported by this command"

	msgFunctionFlushMode = "ERR FUNCTION FLUSH only supports SYNC|ASYNC option"
	msgLibraryNameArg    = "ERR library name argument was not given"
	msgLibraryNotFound   = "ERR Library not found"
	msgNotBusy           = "NOTBUSY No scripts in execution right now."
)

// subcommandSyntax formats Redis's reply to a subcommand it knows but whose arguments are
// wrong (addReplySubcommandSyntaxError): the subcommand as sent, the command upper-cased.
func subcommandSyntax(args [][]byte) string {
	return "ERR unknown subcommand or wrong number of arguments for '" + sanitize(truncate(args[1], 128)) +
		"'. Try " + upperASCII(args[0]) + " HELP."
}

// upperASCII returns the ASCII upper case of b.
func upperASCII(b []byte) string {
	out := make([]byte, len(b))
	for i, ch := range b {
		if 'a' <= ch && ch <= 'z' {
			ch -= 'a' - 'A'
		}
		out[i] = ch
	}
	return string(out)
}
