package builder

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/playbook-sales/playbook/internal/stage"
)

// OutputMarker is the file every build puts in the root of its output: a
// build replaces only a destination that holds it, is empty or is missing
// (see checkReplaceable).
const OutputMarker = stage.Marker

const stagePrefix = ".playbook-build-"

// legacyFiles are written by every Playbook build, the first ones included,
// which had no marker: SITE/public holding all of them is an earlier build.
var legacyFiles = []string{"404.html", "sitemap.xml", "api/pages.json"}

// stageDir makes a temporary folder beside dest, on the same file system so
// the final rename is atomic, with the output marker in it. The stages that
// killed builds left there are removed first; those of running builds stay
// (package stage).
func stageDir(dest string) (*stage.Dir, error) {
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	stage.Sweep(parent, stagePrefix)
	name := strings.ReplaceAll(filepath.Base(dest), string(filepath.Separator), "_")
	d, err := stage.New(parent, stagePrefix+name+"-")
	if err != nil {
		return nil, fmt.Errorf("build folder: %w", err)
	}
	return d, nil
}

// checkReplaceable refuses a destination whose replacement could lose
// something that is not Playbook's: anything but a missing path, an empty
// folder or a folder an earlier build wrote. render.Output of a Playbook older
// than the marker is recognised only at the default SITE/public, by
// legacyFiles; elsewhere the user empties it once.
func checkReplaceable(site, dest string) error {
	st, err := os.Lstat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("destination: %w", err)
	case st.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(dest)
		return fmt.Errorf("%w: %s is a symbolic link (to %s); a build would replace the link, not the folder it points to: give that folder with -d, or remove the link",
			ErrDest, dest, target)
	case !st.IsDir():
		return fmt.Errorf("%w: %s is a file, not a folder; pick another folder with -d", ErrDest, dest)
	}
	if stage.IsMarked(dest) || dest == filepath.Join(site, "public") && isLegacyBuild(dest) {
		return nil
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return fmt.Errorf("destination: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s is not empty (%s) and has no %s file, so Playbook did not write it; a build replaces the whole folder and would delete what is in it: empty the folder or pick another one with -d",
		ErrDest, dest, sample(entries), OutputMarker)
}

// isLegacyBuild reports whether dir holds every file of legacyFiles.
func isLegacyBuild(dir string) bool {
	for _, f := range legacyFiles {
		if st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f))); err != nil || !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// sample names the first few entries of a folder for a message.
func sample(entries []fs.DirEntry) string {
	const show = 3
	var names []string
	for _, e := range entries[:min(len(entries), show)] {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	if more := len(entries) - show; more > 0 {
		names = append(names, fmt.Sprintf("%d more", more))
	}
	return strings.Join(names, ", ")
}

// swapDir puts the finished build tmp at dest (stage.Swap), checking again
// that dest may be replaced: the build took a while. The caller removes tmp,
// which may hold the previous build.
func swapDir(tmp, site, dest string) error {
	if !stage.IsMarked(tmp) { // overwritten by a static file of that name
		return fmt.Errorf("static/%s: the name of Playbook's output marker; rename the file (in the site's or the theme's static/)", OutputMarker)
	}
	if err := checkReplaceable(site, dest); err != nil {
		return err
	}
	return stage.Swap(tmp, dest)
}
