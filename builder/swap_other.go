//go:build !linux

package builder

import "errors"

// exchange is Linux-only; elsewhere swapDir falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
