package feed

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestStateBounded: the saved state keeps only the newest MaxItemsPerFeed
// items per feed, MaxReports reports and MaxEvents pairings, and reads
// back as it was saved.
func TestStateBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feeds.json")
	st := newState()
	fs := st.feed("https://news.example/rss")
	for i := range MaxItemsPerFeed + 10 {
		fs.take(fmt.Sprintf("guid-%d", i), fmt.Sprintf("link-%d", i))
	}
	for i := range MaxReports + 5 {
		st.Reports = append(st.Reports, report{ID: fmt.Sprintf("r%d", i)})
	}
	for i := range MaxEvents + 5 {
		st.Events = append(st.Events, pairing{Report: fmt.Sprintf("r%d", i), Event: "r0"})
	}
	if err := st.save(path); err != nil {
		t.Fatal(err)
	}
	got, err := loadState(path)
	if err != nil {
		t.Fatal(err)
	}
	gfs := got.Feeds["https://news.example/rss"]
	tests := []struct {
		name        string
		n, want     int
		first, last string
		wantFirst   string
		wantLast    string
	}{
		{"guids", len(gfs.GUIDs), MaxItemsPerFeed, gfs.GUIDs[0], gfs.GUIDs[len(gfs.GUIDs)-1], "guid-10", fmt.Sprintf("guid-%d", MaxItemsPerFeed+9)},
		{"links", len(gfs.Links), MaxItemsPerFeed, gfs.Links[0], gfs.Links[len(gfs.Links)-1], "link-10", fmt.Sprintf("link-%d", MaxItemsPerFeed+9)},
		{"reports", len(got.Reports), MaxReports, got.Reports[0].ID, got.Reports[len(got.Reports)-1].ID, "r5", fmt.Sprintf("r%d", MaxReports+4)},
		{"events", len(got.Events), MaxEvents, got.Events[0].Report, got.Events[len(got.Events)-1].Report, "r5", fmt.Sprintf("r%d", MaxEvents+4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.n != tt.want || tt.first != tt.wantFirst || tt.last != tt.wantLast {
				t.Errorf("%d kept, %s … %s; want %d, %s … %s", tt.n, tt.first, tt.last, tt.want, tt.wantFirst, tt.wantLast)
			}
		})
	}
}
