package builder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const stagePrefix = ".playbook-build-"

// stageDir makes a temporary folder beside dest, on the same file system so
// the final rename is atomic. Leftovers of killed builds are removed first.
func stageDir(dest string) (string, error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", parent, err)
	}
	if old, _ := filepath.Glob(filepath.Join(parent, stagePrefix+"*")); len(old) > 0 {
		for _, o := range old {
			if st, err := os.Stat(o); err == nil && time.Since(st.ModTime()) > 10*time.Minute {
				os.RemoveAll(o)
			}
		}
	}
	dir, err := os.MkdirTemp(parent, stagePrefix+strings.ReplaceAll(filepath.Base(dest), string(filepath.Separator), "_")+"-")
	if err != nil {
		return "", fmt.Errorf("create build folder: %w", err)
	}
	return dir, os.Chmod(dir, 0o755)
}

// swapDir puts the finished build at dest. On Linux the old and new folders
// are exchanged in one rename, so no reader ever sees a missing or mixed
// dest; elsewhere dest is moved aside and the new one renamed in.
func swapDir(tmp, dest string) error {
	if _, err := os.Lstat(dest); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dest)
	}
	if err := exchange(tmp, dest); err == nil {
		return os.RemoveAll(tmp) // tmp now holds the previous build
	}
	old := tmp + ".old"
	if err := os.Rename(dest, old); err != nil {
		return fmt.Errorf("move previous build aside: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		_ = os.Rename(old, dest)
		return fmt.Errorf("move new build into place: %w", err)
	}
	return os.RemoveAll(old)
}
