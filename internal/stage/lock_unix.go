//go:build unix

package stage

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// lock takes f's exclusive lock, waiting while a sweeper holds it.
func lock(f *os.File) error {
	return flock(f, unix.LOCK_EX)
}

// tryLockFile takes f's exclusive lock if nobody holds it; an error means held
// (or errors.ErrUnsupported: the file system has no locks).
func tryLockFile(f *os.File) error {
	return flock(f, unix.LOCK_EX|unix.LOCK_NB)
}

func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.ENOLCK), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.ENOSYS):
			return fmt.Errorf("flock %s: %w (%w)", f.Name(), errors.ErrUnsupported, err)
		}
		return fmt.Errorf("flock %s: %w", f.Name(), err)
	}
}
