package main

import "syscall"

// sysProcAttr makes the kernel kill the bot if the tool dies first.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
