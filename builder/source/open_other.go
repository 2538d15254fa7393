//go:build !unix

package source

// openFlags: other systems have no named pipes in a folder to wait on.
const openFlags = 0
