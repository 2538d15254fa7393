package stage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Swap puts the folder src at dst, replacing whatever dst holds. On Linux
// the two are exchanged in one rename, so no reader ever sees dst missing
// or mixed, and src holds the previous dst afterwards (the caller removes
// it with its stage); elsewhere dst is moved aside, src renamed in, and the
// previous dst removed.
func Swap(src, dst string) error {
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(src, dst)
	}
	if err := exchange(src, dst); err == nil {
		return nil
	}
	old := src + ".old"
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("move previous %s aside: %w", dst, err)
	}
	if err := os.Rename(src, dst); err != nil {
		_ = os.Rename(old, dst)
		return fmt.Errorf("move new %s into place: %w", dst, err)
	}
	return os.RemoveAll(old)
}
