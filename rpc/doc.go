// Package rpc is kvrpcd's command layer: the command table, dispatch, per-connection client
// state and the handlers of every command, one file per data type or area (cmd_string.go,
// cmd_keys.go, ...). It is also the RPC framework: an application declares its own commands
// as [Command] values and passes them in [Options.Commands]; they are served, checked and
// documented (COMMAND INFO, COMMAND DOCS) exactly like Redis's own.
//
// # Declaring a command
//
// Each command is declared once, as a [Command]: name, arity, flags, key specs, handler and
// documentation. Arity and unknown-command errors, COMMAND INFO/DOCS/GETKEYS/LIST, ACL
// categories and the keys that are locked for a call are all derived from that value, so they
// cannot drift apart. The table is validated when the [Server] is created.
//
// # Concurrency
//
// A [Server] is shared by every connection of every loop model. A [Client] is driven by one
// goroutine at a time (its loop), through [Server.Connect], [Client.Process] and
// [Client.Release]. Before a handler runs, dispatch locks the store shards of every key the
// command's key specs find, in ascending order (commands flagged [AllKeys] lock them all), so
// a handler sees its keys atomically and multi-key commands stay atomic, as in Redis.
//
// # Buffer lifetimes
//
// The arguments a [Handler] gets alias the connection's input buffer and are valid only until
// it returns; the store copies what it keeps. Replies are appended to the client's output
// buffer, which the loop writes once per read batch.
package rpc
