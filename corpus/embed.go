package corpus

import (
	"embed"
	"io/fs"
)

//go:embed docs
var docsFS embed.FS

// Embedded returns the built-in documents (the files of corpus/docs,
// including its metadata.json) as a file system rooted at the docs folder,
// ready for Load.
func Embedded() fs.FS {
	sub, err := fs.Sub(docsFS, "docs")
	if err != nil { // cannot happen: "docs" is a valid path that is embedded
		panic(err)
	}
	return sub
}
