//go:build unix

package net

import "syscall"

// errTooManyFiles is the accept error that is worth retrying after a pause.
var errTooManyFiles = syscall.EMFILE
