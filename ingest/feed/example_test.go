package feed_test

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/scobot/scobot/ingest/feed"
	"github.com/scobot/scobot/ingest/fetch"
)

// ExampleNew shows how an app wires a Poller: one Fetcher for feeds and
// their pages, a Sink into its managed corpus folder, a state file beside
// the index, and Run until shutdown; Status and Events feed a /sources
// view and the briefings.
func ExampleNew() {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	fetcher := fetch.New(fetch.Config{
		Accept:              append(fetch.PageTypes(), fetch.FeedTypes()...),
		AllowPrivateSetting: "INGEST_ALLOW_PRIVATE",
	})
	p, err := feed.New(feed.Config{
		Feeds:     []string{"https://news.example/sco/rss.xml"},
		Interval:  15 * time.Minute,
		Fetcher:   fetcher,
		Sink:      feed.DirSink{Dir: "/var/lib/scobot/added"},
		StateFile: "/var/lib/scobot/feeds.json",
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		slog.Error("couldn't start the feeds", "err", err)
		return
	}
	go p.Run(ctx)
	for _, s := range p.Status() {
		slog.Info("feed", "url", s.URL, "new", s.New, "failed", s.Failed, "err", s.Err)
	}
	_ = p.Events() // report ID → event ID
}
