//go:build !linux

package integration

import "syscall"

// childProcAttr returns the attributes of a started server process.
func childProcAttr() *syscall.SysProcAttr { return nil }
