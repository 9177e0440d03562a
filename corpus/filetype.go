package corpus

import (
	"errors"
	"io/fs"
	"path"
	"strings"
)

// regularFile says why the file p, whose entry in its folder has the given
// mode, must not be read, or returns "" for a regular file. Only regular
// files are ever opened: opening a named pipe blocks until a writer comes,
// and a device or socket is no document.
//
// A symbolic link is judged by its target, and only a target inside fsys is
// followed. Two checks keep links in: the link's own text (an absolute
// target, or a relative one climbing above the root, is refused whatever
// fsys is), and fsys itself, which must confine every open to its folder
// (os.Root's FS does, links along the way included; os.DirFS does not).
// A link to a folder is not followed.
func regularFile(fsys fs.FS, p string, mode fs.FileMode) string {
	if mode.Type() == fs.ModeSymlink {
		if linkLeaves(fsys, p) {
			return "symbolic link out of the corpus folder (not followed)"
		}
		fi, err := fs.Stat(fsys, p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "broken symbolic link"
		case err != nil:
			return "symbolic link not followed: " + errReason(err)
		}
		mode = fi.Mode()
	}
	if mode.IsRegular() {
		return ""
	}
	return typeReason(mode)
}

// typeReason names what a file that is not a regular file is.
func typeReason(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a folder, not a file (links to folders are not followed)"
	case mode&fs.ModeNamedPipe != 0:
		return "not a regular file: a named pipe"
	case mode&fs.ModeSocket != 0:
		return "not a regular file: a socket"
	case mode&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return "not a regular file: a device"
	}
	return "not a regular file"
}

// linkLeaves reports whether the symbolic link p says outright that it
// points outside fsys: its target is absolute, or climbs above the root.
// (A link inside that leads to another link out is caught by fsys.) When
// fsys cannot read links it reports false and leaves the judgement to fsys.
func linkLeaves(fsys fs.FS, p string) bool {
	target, err := fs.ReadLink(fsys, p)
	if err != nil {
		return false
	}
	if path.IsAbs(target) {
		return true
	}
	joined := path.Join(path.Dir(p), target)
	return joined == ".." || strings.HasPrefix(joined, "../")
}
