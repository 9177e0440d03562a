package feed_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scobot/scobot/ingest/feed"
	"github.com/scobot/scobot/internal/atomicfile"
)

// TestDirSink: a report is written whole into the folder under its name
// and its ID is the name without the extension; a file already there is
// left as it is (fs.ErrExist); a name that is not a plain file name is
// refused; no temporary file is left behind.
func TestDirSink(t *testing.T) {
	dir := t.TempDir()
	sink := feed.DirSink{Dir: dir}
	ctx := context.Background()
	if err := os.WriteFile(filepath.Join(dir, "old.html"), []byte("by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		file    string
		wantID  string
		wantErr string // "" for none
		exists  bool   // the error wraps fs.ErrExist
	}{
		{name: "new report", file: "news.example_sco_1a2b3c4d.html", wantID: "news.example_sco_1a2b3c4d"},
		{name: "plain text", file: "news.example_note_5e6f7a8b.txt", wantID: "news.example_note_5e6f7a8b"},
		{name: "already there", file: "old.html", wantErr: "couldn't add old.html: file already exists", exists: true},
		{name: "path", file: "../escape.html", wantErr: `couldn't add "../escape.html": not a plain file name`},
		{name: "backslash", file: `a\b.html`, wantErr: `not a plain file name`},
		{name: "empty", file: "", wantErr: `not a plain file name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := sink.AddPage(ctx, tt.file, []byte("<p>report</p>"))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if errors.Is(err, fs.ErrExist) != tt.exists {
					t.Errorf("errors.Is(err, fs.ErrExist) = %v", !tt.exists)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id != tt.wantID {
				t.Errorf("id %q, want %q", id, tt.wantID)
			}
			if b, err := os.ReadFile(filepath.Join(dir, tt.file)); err != nil || string(b) != "<p>report</p>" {
				t.Errorf("file holds %q, %v", b, err)
			}
		})
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "old.html")); string(b) != "by hand" {
		t.Errorf("old.html was overwritten: %q", b)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), atomicfile.TempInfix) {
			t.Errorf("temporary file %s left", e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.html")); err == nil {
		t.Error("a file was written outside the folder")
	}
}
