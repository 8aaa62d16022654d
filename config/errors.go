package config

import (
	"errors"
	"fmt"
)

// Error is a failure of [Registry.Set] (and of a few load checks) carrying
// Redis's exact message, without the "ERR " prefix that the protocol layer
// adds when it turns the error into a reply.
type Error struct {
	Msg string
}

// Error returns the message.
func (e *Error) Error() string { return e.Msg }

// LoadError is a failure while applying configuration text. It names the
// place of the offending directive; Msg uses redis-server's wording.
type LoadError struct {
	// File is the configuration file, as named by the caller or by an
	// include directive; empty for text given to [Registry.LoadString] or
	// for command-line options.
	File string
	// Line is the 1-based line of the directive, 0 for a command-line option.
	Line int
	// Directive is the directive's name as written (for command-line
	// options, the option without its leading "--").
	Directive string
	// Msg says what is wrong.
	Msg string
	// Err is the underlying error, if any (an OnChange hook's error, or the
	// error opening an included file).
	Err error
}

// Error renders the error as "file:line: msg", "line N: msg" or
// "option --name: msg".
func (e *LoadError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("option --%s: %s", e.Directive, e.Msg)
	case e.File == "":
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
}

// Unwrap returns the underlying error.
func (e *LoadError) Unwrap() error { return e.Err }

// ErrStdin is returned by [Registry.LoadArgs] for a lone "-" option: unlike
// redis-server, kvrpcd does not read its configuration from standard input.
var ErrStdin = errors.New("config: reading the configuration from standard input is not supported")

// Messages of Redis 7.0, kept verbatim.
const (
	msgSyntax           = "syntax error"
	msgArity            = "wrong number of arguments for 'config|set' command"
	msgImmutable        = "can't set immutable config"
	msgProtected        = "can't set protected config"
	msgDuplicate        = "duplicate parameter"
	msgBool             = "argument must be 'yes' or 'no'"
	msgEnum             = "argument(s) must be one of the following: "
	msgInteger          = "argument couldn't be parsed into an integer"
	msgMemory           = "argument must be a memory value"
	msgMemoryPercent    = "argument must be a memory or percent value"
	msgOctal            = "argument couldn't be parsed as an octal number"
	msgWrongArgs        = "wrong number of arguments"
	msgBadDirective     = "Bad directive or wrong number of arguments"
	msgUnbalanced       = "Unbalanced quotes in configuration line"
	msgModuleNoValue    = "Module config specified without value"
	msgSentinel         = "sentinel directive while not in sentinel mode"
	msgReplicaofCluster = "replicaof directive not allowed in cluster mode"
	msgSave             = "Invalid save parameters"
	msgObufArgs         = "Wrong number of arguments in buffer limit configuration."
	msgObufClass        = "Invalid client class specified in buffer limit configuration."
	msgObufValue        = "Error in hard, soft or soft_seconds setting in buffer limit configuration."
	msgOOMValues        = "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
	msgNotify           = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
	msgTooManyBind      = "Too many bind addresses specified."
	msgMasterPort       = "Invalid master port"
	msgPercentileParse  = "Invalid latency-tracking-info-percentiles parameters"
	msgPercentileRange  = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
	msgShutdownFlags    = "shutdown options SAVE and NOSAVE can't be used simultaneously"
	msgProcTitle        = "template format is invalid or contains unknown variables"
	msgHostnameLen      = "Hostnames must be less than 256 characters"
	msgHostnameChars    = "Hostnames may only contain alphanumeric characters, hyphens or dots"
	msgDBFilename       = "dbfilename can't be a path, just a filename"
	msgAOFFilenameEmpty = "appendfilename can't be empty"
	msgAOFFilenamePath  = "appendfilename can't be a path, just a filename"
	msgAOFDirnameEmpty  = "appenddirname can't be empty"
	msgAOFDirnamePath   = "appenddirname can't be a path, just a dirname"
)

func errUnknown(name string) error {
	return &Error{Msg: "Unknown option or number of arguments for CONFIG SET - '" + name + "'"}
}

func errFailed(name, reason string) error {
	return &Error{Msg: "CONFIG SET failed (possibly related to argument '" + name + "') - " + reason}
}

func errUnsupported(directive string) string {
	return "Directive '" + directive + "' is not supported by kvrpcd"
}
