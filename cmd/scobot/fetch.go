package main

import (
	"context"
	"strings"

	"github.com/scobot/scobot/corpus"
	"github.com/scobot/scobot/ingest/fetch"
)

// envAllowPrivate lets reports be fetched from loopback, private and
// link-local addresses (a newsroom intranet; tests). Off by default: a URL
// given to the bot must not reach the services beside it.
const envAllowPrivate = "INGEST_ALLOW_PRIVATE"

// allowPrivate reads INGEST_ALLOW_PRIVATE: "1", "true", "on" or "yes"
// allow; anything else does not.
func allowPrivate(c *cli) bool {
	switch strings.ToLower(strings.TrimSpace(c.env.get(envAllowPrivate))) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// urlFetcher fetches a report by URL safely (ingest/fetch: timeout, size
// cap, bounded redirects, web pages only, no private addresses unless
// INGEST_ALLOW_PRIVATE) and names it as the corpus keeps fetched pages
// (corpus.PageFile).
func urlFetcher(c *cli) pageFetcher {
	f := fetch.New(fetch.Config{AllowPrivate: allowPrivate(c), AllowPrivateSetting: envAllowPrivate})
	return func(ctx context.Context, url string) (string, []byte, error) {
		p, err := f.Fetch(ctx, url)
		if err != nil {
			return "", nil, err
		}
		return corpus.PageFile(corpus.Page{URL: p.URL, ContentType: p.ContentType, Body: p.Body, Fetched: p.Fetched})
	}
}
