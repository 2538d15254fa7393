//go:build unix

package source

import "syscall"

// openFlags opens without waiting: a file swapped for a named pipe after
// it was found regular would otherwise block the open until a writer came.
const openFlags = syscall.O_NONBLOCK
