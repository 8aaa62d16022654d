package rpc

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// processRSS returns the process's resident set size in bytes, from /proc/self/statm.
func processRSS() uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := bytes.Fields(data)
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(string(fields[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// totalMemory returns the machine's physical memory in bytes.
func totalMemory() uint64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return uint64(si.Totalram) * uint64(si.Unit)
}

// cpuTimes returns the system and user CPU time of the process and of its waited-for
// children.
func cpuTimes() (sys, user, sysChildren, userChildren time.Duration) {
	var self, children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	return time.Duration(self.Stime.Nano()), time.Duration(self.Utime.Nano()),
		time.Duration(children.Stime.Nano()), time.Duration(children.Utime.Nano())
}
