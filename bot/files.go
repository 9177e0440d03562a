package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// download fetches a file a user sent (getFile, then the file itself from
// the Bot API server at base), refusing one larger than max bytes. Its
// errors never hold the token.
func (a *api) download(ctx context.Context, base, fileID string, max int) ([]byte, error) {
	resp, err := a.call(ctx, "getFile", tgbotapi.Params{"file_id": fileID})
	if err != nil {
		return nil, fmt.Errorf("couldn't get the file: %w", err)
	}
	var f tgbotapi.File
	if err := json.Unmarshal(resp.Result, &f); err != nil || f.FilePath == "" {
		return nil, fmt.Errorf("couldn't get the file: Telegram gave no path for it")
	}
	if f.FileSize > max {
		return nil, fmt.Errorf("the file is larger than %d MiB", max>>20)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/file/bot"+a.token+"/"+f.FilePath, nil)
	if err != nil {
		return nil, fmt.Errorf("couldn't download the file: %w", a.scrub(err))
	}
	r, err := a.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("couldn't download the file: %w", a.scrub(err))
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("couldn't download the file: the server answered %s", strconv.Itoa(r.StatusCode))
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("couldn't download the file: %w", a.scrub(err))
	}
	if len(data) > max {
		return nil, fmt.Errorf("the file is larger than %d MiB", max>>20)
	}
	return data, nil
}
