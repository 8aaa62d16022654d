//go:build !linux

package rpc

import "time"

// processRSS is not known on this platform.
func processRSS() uint64 { return 0 }

// totalMemory is not known on this platform.
func totalMemory() uint64 { return 0 }

// cpuTimes are not known on this platform.
func cpuTimes() (sys, user, sysChildren, userChildren time.Duration) { return 0, 0, 0, 0 }
