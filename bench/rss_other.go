//go:build !unix

package main

import "os"

// maxRSS is unknown off Unix; the report shows n/a.
func maxRSS(*os.ProcessState) int64 { return 0 }

// flushFileSystems is a no-op off Unix.
func flushFileSystems() {}
