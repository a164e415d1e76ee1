//go:build !linux

package main

import "syscall"

// sysProcAttr: only Linux can tie the bot's life to the tool's.
func sysProcAttr() *syscall.SysProcAttr { return nil }
