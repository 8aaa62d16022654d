package integration

import "syscall"

// childProcAttr makes a started server die with the test binary, so that a
// test run killed by its timeout leaves no server behind.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
