//go:build !linux

package stage

import "errors"

// exchange is Linux-only; elsewhere Swap falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
