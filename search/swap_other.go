//go:build !linux

package search

import "errors"

// exchange is Linux-only; elsewhere swapInto falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
