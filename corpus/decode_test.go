package corpus

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const zhSample = "上海合作组织成员国外长理事会会议在阿斯塔纳举行。王毅表示,各方应弘扬“上海精神”,深化合作。"

func encodeWith(t *testing.T, enc interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
	t.Helper()
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	gb := encodeWith(t, simplifiedchinese.GB18030.NewEncoder(), zhSample)
	gbk := encodeWith(t, simplifiedchinese.GBK.NewEncoder(), "<p>"+zhSample+"</p>\n"+zhSample)
	u16le := encodeWith(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), "SCO 上合组织 "+zhSample)
	u16be := encodeWith(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder(), "Astana summit")
	tests := []struct {
		name    string
		in      []byte
		want    string
		wantErr error
	}{
		{"utf-8", []byte(zhSample), zhSample, nil},
		{"utf-8 with BOM", append([]byte("\xEF\xBB\xBF"), zhSample...), zhSample, nil},
		{"utf-16 LE with BOM", u16le, "SCO 上合组织 " + zhSample, nil},
		{"utf-16 BE with BOM", u16be, "Astana summit", nil},
		{"gb18030", gb, zhSample, nil},
		{"gbk", gbk, "<p>" + zhSample + "</p>\n" + zhSample, nil},
		{"utf-8 with a bad byte", []byte("上海合作组织\xff成员国外长理事会会议在阿斯塔纳举行" + strings.Repeat("。", 50)), "上海合作组织\uFFFD成员国外长理事会会议在阿斯塔纳举行" + strings.Repeat("。", 50), nil},
		{"ascii with a latin-1 byte", []byte("Caf\xe9 talks in Astana went well for everyone involved in the summit."), "Caf\uFFFD talks in Astana went well for everyone involved in the summit.", nil},
		{"garbage", []byte(strings.Repeat("\xc3\x28\xa0\xa1\xff\xfe\x80", 40)), "", ErrUndecodable},
		{"binary NUL", []byte("PK\x03\x04\x00\x00text"), "", ErrBinary},
		{"binary control chars", []byte(strings.Repeat("a\x01\x02\x03\x04\x05\x06\x07\x08", 10)), "", ErrBinary},
		{"empty", nil, "", ErrEmpty},
		{"whitespace", []byte(" \r\n\t \n"), "", ErrEmpty},
		{"BOM only", []byte("\xEF\xBB\xBF \n"), "", ErrEmpty},
		{"utf-16 BOM only", []byte("\xFF\xFE"), "", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDecodeHTMLCharset(t *testing.T) {
	page := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>` + zhSample + `</p></body></html>`
	b := encodeWith(t, simplifiedchinese.GBK.NewEncoder(), page)
	got, err := decodeHTML(b)
	if err != nil || got != page {
		t.Fatalf("decodeHTML = %q, %v", got, err)
	}
	// A page that declares a legacy charset but is really UTF-8 stays UTF-8.
	if got, err := decodeHTML([]byte(page)); err != nil || got != page {
		t.Errorf("mis-declared UTF-8 page: %q, %v", got, err)
	}
	if got := metaCharset([]byte(`<meta charset="UTF-8">`)); got != "UTF-8" {
		t.Errorf("metaCharset = %q", got)
	}
}
