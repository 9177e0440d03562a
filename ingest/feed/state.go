package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/scobot/scobot/internal/atomicfile"
)

// The bounds of the state file: what it remembers beyond them is
// forgotten oldest first.
const (
	// MaxItemsPerFeed is how many items' GUIDs and links are remembered
	// per feed: far more than a feed lists at once, so an item still in a
	// feed is never forgotten and taken again.
	MaxItemsPerFeed = 2000
	// MaxReports is how many added reports' fingerprints and event terms
	// are remembered for the duplicate and same-event rules.
	MaxReports = 2000
	// MaxEvents is how many report → event pairings are remembered.
	MaxEvents = 10000
	// MaxAttempts is how many polls an item that fails is tried in before
	// it is given up (remembered as taken, so it is not tried forever).
	MaxAttempts = 3
)

// stateVersion is the version of the state file's format.
const stateVersion = 1

// state is what the poller remembers between polls and restarts; it is
// the JSON of the state file.
type state struct {
	Version int `json:"version"`
	// Feeds holds, per feed URL, the items already taken.
	Feeds map[string]*feedState `json:"feeds"`
	// Reports are the reports added, oldest first.
	Reports []report `json:"reports"`
	// Events pairs reports with the event they report, oldest first.
	Events []pairing `json:"events"`
}

// feedState is what one feed's items taken are.
type feedState struct {
	// GUIDs and Links (as corpus.PageID normalises them) of the items
	// taken, oldest first.
	GUIDs []string `json:"guids"`
	Links []string `json:"links"`
	// Attempts counts the failed polls of items not taken yet, by key.
	Attempts map[string]int `json:"attempts,omitempty"`
}

// report is one report added: its ID, the feed it came from, its date,
// its content fingerprint and the terms of its title and lead.
type report struct {
	ID          string      `json:"id"`
	Feed        string      `json:"feed"`
	Date        string      `json:"date,omitempty"`
	Fingerprint fingerprint `json:"fingerprint"`
	Terms       []string    `json:"terms"`
}

// pairing says report Report is of the event Event (the ID of the event's
// first report).
type pairing struct {
	Report string `json:"report"`
	Event  string `json:"event"`
}

// newState returns an empty state.
func newState() *state {
	return &state{Version: stateVersion, Feeds: map[string]*feedState{}}
}

// loadState reads the state file at path; a file that is not there is an
// empty state, as is an empty path.
func loadState(path string) (*state, error) {
	if path == "" {
		return newState(), nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return newState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("couldn't read the feed state: %w", err)
	}
	st := newState()
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("couldn't read the feed state %s: %w", path, err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("couldn't read the feed state %s: version %d, want %d", path, st.Version, stateVersion)
	}
	if st.Feeds == nil {
		st.Feeds = map[string]*feedState{}
	}
	return st, nil
}

// save writes the state to path atomically; an empty path saves nothing.
func (st *state) save(path string) error {
	if path == "" {
		return nil
	}
	st.trim()
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("couldn't encode the feed state: %w", err)
	}
	if err := atomicfile.Write(path, b); err != nil {
		return fmt.Errorf("couldn't save the feed state: %w", err)
	}
	return nil
}

// trim forgets the oldest entries beyond the bounds.
func (st *state) trim() {
	for _, fs := range st.Feeds {
		fs.GUIDs = keepLast(fs.GUIDs, MaxItemsPerFeed)
		fs.Links = keepLast(fs.Links, MaxItemsPerFeed)
		for k := range fs.Attempts {
			if len(fs.Attempts) <= MaxItemsPerFeed {
				break
			}
			delete(fs.Attempts, k)
		}
	}
	st.Reports = keepLast(st.Reports, MaxReports)
	st.Events = keepLast(st.Events, MaxEvents)
}

// keepLast returns the last n elements of s.
func keepLast[T any](s []T, n int) []T {
	if len(s) <= n {
		return s
	}
	return append([]T(nil), s[len(s)-n:]...)
}

// feed returns the state of the feed at url, made if need be.
func (st *state) feed(url string) *feedState {
	fs := st.Feeds[url]
	if fs == nil {
		fs = &feedState{}
		st.Feeds[url] = fs
	}
	return fs
}

// hasGUID reports whether the feed took an item with this GUID.
func (fs *feedState) hasGUID(guid string) bool {
	return guid != "" && contains(fs.GUIDs, guid)
}

// hasLink reports whether any feed took an item whose link has this ID.
func (st *state) hasLink(linkID string) bool {
	for _, fs := range st.Feeds {
		if contains(fs.Links, linkID) {
			return true
		}
	}
	return false
}

// take remembers an item as taken.
func (fs *feedState) take(guid, linkID string) {
	if guid != "" && !contains(fs.GUIDs, guid) {
		fs.GUIDs = append(fs.GUIDs, guid)
	}
	if linkID != "" && !contains(fs.Links, linkID) {
		fs.Links = append(fs.Links, linkID)
	}
	delete(fs.Attempts, itemKey(guid, linkID))
}

// failed counts a failed attempt at an item and reports whether it is
// now given up.
func (fs *feedState) failed(guid, linkID string) bool {
	if fs.Attempts == nil {
		fs.Attempts = map[string]int{}
	}
	k := itemKey(guid, linkID)
	fs.Attempts[k]++
	if fs.Attempts[k] >= MaxAttempts {
		fs.take(guid, linkID)
		return true
	}
	return false
}

// itemKey names an item in Attempts.
func itemKey(guid, linkID string) string {
	if guid != "" {
		return guid
	}
	return linkID
}

// contains reports whether s holds v.
func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
