package corpus

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestSites loads pages "in the style of other news sites" (testdata/sites)
// that come with no curated metadata, and checks that heuristics alone clean,
// title, date and attribute them.
func TestSites(t *testing.T) {
	res, err := Load(context.Background(), os.DirFS("testdata/sites"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 0 {
		t.Fatalf("skipped: %v", res.Skipped)
	}
	tests := []struct {
		id                       string
		title, date, source, url string
		langs                    string
		present, absent          []string
	}{
		{
			id:    "gb18030_portal_summit",
			title: "上合组织成员国元首理事会第二十四次会议在阿斯塔纳举行", date: "2024-07-04", source: "Xinhua", langs: "zh",
			present: []string{"新华社阿斯塔纳7月4日电", "与会各方围绕“加强多边对话——促进可持续和平与发展”主题深入交换意见。",
				"并决定接收白俄罗斯为成员国。", "下一任轮值主席国由中国担任。"},
			absent: []string{"当前位置", "正文", "军事", "来源", "作者", "阅读", "责任编辑", "分享", "微博", "热门推荐", "防暑", "强降雨",
				"关于我们", "版权所有", "Copyright", "\u3000"},
		},
		{
			id:    "repost_spam_summit",
			title: "习近平出席上海合作组织成员国元首理事会第二十四次会议", date: "2024-07-04", source: "Xinhua", langs: "zh",
			present: []string{"新华社阿斯塔纳7月4日电(记者张三李四)国家主席习近平4日", "推动上合组织政治互信不断深化,反对干涉别国内政",
				"会议发表了《阿斯塔纳宣言》。"},
			absent: []string{"时政", "首页", "abc123xyz", "2024/7/6", "鼻炎", "spam.example", "**", "相关阅读", "花絮", "时间:",
				"哈萨克斯坦总统会见", "阅读(", "查看完整版本", "0101110100011", "*治", "内*"},
		},
		{
			id:    "steppe_herald_astana",
			title: "SCO leaders adopt Astana Declaration at summit", date: "2024-07-04", source: "Steppe Herald",
			url: "https://www.steppeherald.example/world/2024/07/04/sco-astana-declaration", langs: "en",
			present: []string{"ASTANA, July 4 (Steppe Herald) — Leaders of the Shanghai Cooperation Organization",
				"admitted Belarus as the tenth full member", "focus on practical cooperation in trade, transport and energy.",
				`build a more prosperous common home. The next summit will be hosted by China.`},
			absent: []string{"cookie", "Accept", "World", "Politics", "Home", "Aigerim", "Facebook", "Advertisement", "Read more",
				"railways", "Print", "Related", "border crossing", "Most read", "Almaty", "©", "rights reserved", "Privacy", "dataLayer"},
		},
		{
			id:    "tass_style_astana",
			title: "Лидеры стран ШОС подписали Астанинскую декларацию", date: "2024-07-04", source: "TASS", langs: "ru",
			present: []string{"АСТАНА, 4 июля. /ТАСС/. Главы государств - членов Шанхайской организации сотрудничества (ШОС) подписали по итогам саммита",
				"заявил президент Казахстана Касым-Жомарт Токаев", "Следующий саммит пройдет в Китае."},
			absent: []string{"Главная", "Политика", "15:40", "Читайте также", "Токаев провел переговоры", "медиацентр", "Теги",
				"Поделиться", "WhatsApp", "©", "Все права", "](", "**", "# "},
		},
	}
	docs := map[string]Document{}
	for _, d := range res.Docs {
		docs[d.ID] = d
	}
	if len(docs) != len(tests) {
		t.Errorf("loaded %d documents, want %d", len(docs), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			d, ok := docs[tt.id]
			if !ok {
				t.Fatal("not loaded")
			}
			if d.Title != tt.title || d.Date != tt.date || d.Source != tt.source || d.URL != tt.url {
				t.Errorf("metadata: title %q date %q source %q url %q\nwant       title %q date %q source %q url %q",
					d.Title, d.Date, d.Source, d.URL, tt.title, tt.date, tt.source, tt.url)
			}
			if got := strings.Join(d.Langs, ","); got != tt.langs {
				t.Errorf("langs = %s, want %s", got, tt.langs)
			}
			text := d.Text()
			for _, s := range tt.present {
				if !strings.Contains(text, s) {
					t.Errorf("article text %q lost", s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(text, s) {
					t.Errorf("boilerplate %q left in", s)
				}
			}
			if !strings.HasPrefix(text, tt.title) {
				t.Errorf("text does not open with the headline: %.60q", text)
			}
		})
	}
}
