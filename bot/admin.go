package bot

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/scobot/scobot/render"
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

// addReport handles /add, an attachment or a forwarded message from an
// editor: a URL, a file or a text becomes a report.
func (c *Core) addReport(ctx context.Context, in Input, arg string) Reply {
	lang := c.Lang(in)
	if !in.Admin {
		return textReply(KindRefusal, render.Text(lang, render.NotEditor))
	}
	lib := c.opts.Library
	if lib == nil {
		return textReply(KindInfo, render.Text(lang, render.NoLibrary))
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
		return textReply(KindUsage, render.Text(lang, render.UsageAdd))
	}
	if err != nil {
		c.log.Warn("couldn't add a report", "chat", in.Chat, "user", in.User, "err", err)
		return textReply(KindError, render.Text(lang, render.NotAdded, err.Error()))
	}
	c.log.Info("report added", "chat", in.Chat, "user", in.User, "id", rep.ID)
	none := render.Text(lang, render.NoneFound)
	return Reply{Kind: KindInfo, Blocks: []Block{{
		Title: render.Text(lang, render.Added, rep.ID),
		Items: []Item{
			{Label: render.Text(lang, render.FieldTitle), Detail: cmp.Or(rep.Title, none)},
			{Label: render.Text(lang, render.FieldDate), Detail: cmp.Or(rep.Date, none)},
			{Label: render.Text(lang, render.FieldPublisher), Detail: cmp.Or(rep.Publisher, none)},
			{Label: render.Text(lang, render.FieldLanguages), Detail: cmp.Or(strings.Join(rep.Langs, ", "), none)},
			{Label: render.Text(lang, render.FieldChunks), Detail: fmt.Sprint(rep.Chunks)},
		},
	}, {Text: render.Text(lang, render.AddedThen, rep.ID)}}}
}

// removeReport handles /remove <id> from an editor.
func (c *Core) removeReport(ctx context.Context, in Input, id string) Reply {
	lang := c.Lang(in)
	if !in.Admin {
		return textReply(KindRefusal, render.Text(lang, render.NotEditor))
	}
	if c.opts.Library == nil {
		return textReply(KindInfo, render.Text(lang, render.NoLibrary))
	}
	id = strings.TrimSpace(id)
	if id == "" || strings.ContainsAny(id, " \n") {
		return textReply(KindUsage, render.Text(lang, render.UsageRemove))
	}
	if err := c.opts.Library.Remove(ctx, id); err != nil {
		return textReply(KindError, render.Text(lang, render.NotRemoved, err.Error()))
	}
	c.log.Info("report removed", "chat", in.Chat, "user", in.User, "id", id)
	return textReply(KindInfo, render.Text(lang, render.Removed, id))
}

// isLink reports whether s is one http(s) URL.
func isLink(s string) bool {
	l := strings.ToLower(s)
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && !strings.ContainsAny(s, " \n\t")
}
