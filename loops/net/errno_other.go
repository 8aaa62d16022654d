//go:build !unix

package net

import "errors"

var errTooManyFiles = errors.New("too many open files")
