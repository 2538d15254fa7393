//go:build !unix

package stage

import (
	"errors"
	"os"
)

// lock and tryLockFile are Unix-only (flock); elsewhere Sweep goes by the
// age of a leftover (StaleAfter).
func lock(*os.File) error        { return errors.ErrUnsupported }
func tryLockFile(*os.File) error { return errors.ErrUnsupported }
