package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scobot/scobot/ingest/feed"
	"github.com/scobot/scobot/ingest/fetch"
)

// Feed settings. .env.example documents them.
const (
	envFeeds        = "FEEDS"         // comma-separated RSS, Atom or JSON feed URLs serve polls
	envFeedInterval = "FEED_INTERVAL" // time between polls; default 15m
)

// defaultFeedInterval is FEED_INTERVAL when unset.
const defaultFeedInterval = 15 * time.Minute

// feedPoller returns the poller of the FEEDS setting for serve, adding
// new items' reports into the folder of added reports (with its state
// beside it), or nil when no feed is set. With the corpus watched, the
// watcher reloads after each addition; without, the sink does.
func feedPoller(c *cli, live *liveApp, watched bool) (*feed.Poller, error) {
	urls := splitList(c.env.get(envFeeds))
	if len(urls) == 0 {
		return nil, nil
	}
	if c.cfg.Added == "" {
		return nil, fmt.Errorf("%s needs a folder for added reports: set %s", envFeeds, envAdded)
	}
	for _, u := range urls {
		if !isURL(u) {
			return nil, fmt.Errorf("%s: %q is not an http(s) URL", envFeeds, u)
		}
	}
	if err := os.MkdirAll(c.cfg.Added, 0o755); err != nil {
		return nil, fmt.Errorf("couldn't create the folder of added reports for the feeds: %w", err)
	}
	fetcher := fetch.New(fetch.Config{
		Accept:              append(fetch.PageTypes(), fetch.FeedTypes()...),
		AllowPrivate:        allowPrivate(c),
		AllowPrivateSetting: envAllowPrivate,
	})
	var sink feed.Sink = feed.DirSink{Dir: c.cfg.Added}
	if !watched {
		sink = reloadingSink{next: sink, live: live}
	}
	p, err := feed.New(feed.Config{
		Feeds:     urls,
		Interval:  readDuration(c.env, envFeedInterval, defaultFeedInterval, func(msg string) { c.log.Warn(msg) }),
		Fetcher:   fetcher,
		Sink:      sink,
		StateFile: filepath.Join(filepath.Dir(strings.TrimRight(c.cfg.Added, string(filepath.Separator))), "feeds.json"),
		Logger:    c.log,
	})
	if err != nil {
		return nil, fmt.Errorf("couldn't start the feeds: %w", err)
	}
	return p, nil
}

// reloadingSink adds a report, then reloads the live app so that it is
// answered from at once (when no watcher does it).
type reloadingSink struct {
	next feed.Sink
	live *liveApp
}

func (s reloadingSink) AddPage(ctx context.Context, name string, data []byte) (string, error) {
	id, err := s.next.AddPage(ctx, name, data)
	if err == nil {
		s.live.reload(ctx)
	}
	return id, err
}
