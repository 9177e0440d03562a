package bot

import (
	"context"
	"fmt"
	"strings"
)

// Library adds reports to the corpus and removes them, for the editors
// (Config.AdminUsers). Its errors are shown to the editor as they are:
// one line saying what and why. cmd/scobot implements it over the folder
// of added reports, so that an added report is answered from at once.
type Library interface {
	// AddURL fetches a page and adds it.
	AddURL(ctx context.Context, url string) (AddedReport, error)
	// AddFile adds a report sent as a file (.txt, .md or .html).
	AddFile(ctx context.Context, name string, data []byte) (AddedReport, error)
	// AddText adds a report sent as a message's text; name is a stable
	// file name for it (without extension).
	AddText(ctx context.Context, name, text string) (AddedReport, error)
	// Remove removes an added report by its ID.
	Remove(ctx context.Context, id string) error
}

// AddedReport is what was understood of an added report.
type AddedReport struct {
	ID        string
	Title     string
	Date      string // ISO 8601, "" if none found
	Publisher string
	Langs     []string
	Chunks    int
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name string
	Data []byte
}

// Admin texts.
const (
	textNotEditor  = "Only the newsroom's editors can add or remove reports. Ask me a question instead."
	textNoLibrary  = "Adding reports is not available in this bot."
	textAddUsage   = "Usage: /add <url>, /add followed by the report's text, or send a .txt, .md or .html file (or forward a message) to add it."
	textRemoveUsge = "Usage: /remove <id> (the ID /add gave)."
)

// addReport handles /add, an attachment or a forwarded message from an
// editor: a URL, a file or a text becomes a report.
func (c *Core) addReport(ctx context.Context, in Input, arg string) Reply {
	if !in.Admin {
		return textReply(KindRefusal, textNotEditor)
	}
	lib := c.opts.Library
	if lib == nil {
		return textReply(KindInfo, textNoLibrary)
	}
	arg = strings.TrimSpace(arg)
	var rep AddedReport
	var err error
	switch {
	case in.Attachment != nil:
		rep, err = lib.AddFile(ctx, in.Attachment.Name, in.Attachment.Data)
	case isLink(arg):
		rep, err = lib.AddURL(ctx, arg)
	case arg != "":
		rep, err = lib.AddText(ctx, in.Name, arg)
	default:
		return textReply(KindUsage, textAddUsage)
	}
	if err != nil {
		c.log.Warn("couldn't add a report", "chat", in.Chat, "user", in.User, "err", err)
		return textReply(KindError, "Not added: "+err.Error())
	}
	c.log.Info("report added", "chat", in.Chat, "user", in.User, "id", rep.ID)
	return Reply{Kind: KindInfo, Blocks: []Block{{
		Title: "Added " + rep.ID,
		Items: []Item{
			{Label: "title", Detail: orNone(rep.Title)},
			{Label: "date", Detail: orNone(rep.Date)},
			{Label: "publisher", Detail: orNone(rep.Publisher)},
			{Label: "languages", Detail: orNone(strings.Join(rep.Langs, ", "))},
			{Label: "chunks", Detail: fmt.Sprint(rep.Chunks)},
		},
	}, {Text: "It is answered from now on; /remove " + rep.ID + " undoes it."}}}
}

// removeReport handles /remove <id> from an editor.
func (c *Core) removeReport(ctx context.Context, in Input, id string) Reply {
	if !in.Admin {
		return textReply(KindRefusal, textNotEditor)
	}
	if c.opts.Library == nil {
		return textReply(KindInfo, textNoLibrary)
	}
	id = strings.TrimSpace(id)
	if id == "" || strings.ContainsAny(id, " \n") {
		return textReply(KindUsage, textRemoveUsge)
	}
	if err := c.opts.Library.Remove(ctx, id); err != nil {
		return textReply(KindError, "Not removed: "+err.Error())
	}
	c.log.Info("report removed", "chat", in.Chat, "user", in.User, "id", id)
	return textReply(KindInfo, "Removed "+id+": it is no longer answered from.")
}

// isLink reports whether s is one http(s) URL.
func isLink(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && !strings.ContainsAny(s, " \n\t")
}

func orNone(s string) string {
	if s == "" {
		return "(none found)"
	}
	return s
}
