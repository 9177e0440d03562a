package corpus

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"
)

func TestFindDates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-05-21 18:02:47", "2024-05-21"},
		{"发布于 2024/5/21", "2024-05-21"},
		{"2024.05.21", "2024-05-21"},
		{"当地时间2024年5月21日,王毅", "2024-05-21"},
		{"2024 年 7 月 4 日", "2024-07-04"},
		{"BEIJING, May 21, 2024 (Xinhua)", "2024-05-21"},
		{"On July 14, 2021 local time", "2021-07-14"},
		{"Nov. 5, 2020", "2020-11-05"},
		{"14 July 2021", "2021-07-14"},
		{"1st June 2023", "2023-06-01"},
		{"4 июля 2024 года", "2024-07-04"},
		{"21 мая 2024", "2024-05-21"},
		{"2024-02-30", ""},   // no such day
		{"12024-05-211", ""}, // part of a longer number
		{"May 21", ""},       // no year
		{"9月16日", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := ""
			if ds := findDates(tt.in); len(ds) > 0 {
				got = ds[0].iso()
			}
			if got != tt.want {
				t.Errorf("findDates(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateLines(t *testing.T) {
	tests := []struct {
		in           string
		date, byline bool
	}{
		{"2024-05-21 18:02:47", true, false},
		{"2021-07-14 15:08", true, false},
		{"时间:05-22", true, false},
		{"发布时间:2024年05月21日 10:00", true, false},
		{"Published: July 14, 2021", true, false},
		{"Updated 4 July 2024, 15:40 GMT", true, false},
		{"TUhjnbcbe - 2023/5/30 21:45:00", false, true},
		{"By Li Ming | 2024-05-21", false, true},
		{"Sun", false, false},
		{"On July 14, 2021 local time, Wang Yi attended the meeting.", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := isDateLine(tt.in); got != tt.date {
				t.Errorf("isDateLine = %v, want %v", got, tt.date)
			}
			if got := !tt.date && isByline(tt.in); got != tt.byline {
				t.Errorf("isByline = %v, want %v", got, tt.byline)
			}
		})
	}
}

func TestFindDateline(t *testing.T) {
	tests := []struct {
		in, agency string
		want       date
		ok         bool
	}{
		{"中新社阿斯塔纳5月21日电 (记者 单璐 张硕) 当地时间", "中新社", date{0, 5, 21}, true},
		{"新华社北京9月16日电9月16日,王毅", "新华社", date{0, 9, 16}, true},
		{"人民网莫斯科2024年7月3日电 记者", "人民网", date{2024, 7, 3}, true},
		{"BEIJING, May 21, 2023 (Xinhua) — Wang Yi", "Xinhua", date{2023, 5, 21}, true},
		{"ASTANA, July 4 (Reuters) - Leaders", "Reuters", date{0, 7, 4}, true},
		{"Xinhua News Agency, Beijing, November 5 (Reporters Zheng Mingda)", "Xinhua News Agency", date{0, 11, 5}, true},
		{"АСТАНА, 4 июля. /ТАСС/. Главы государств", "ТАСС", date{0, 7, 4}, true},
		{"Москва, 4 июля стала местом встречи", "", date{}, false},
		{"Wang Yi said, this year marks the 20th anniversary.", "", date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			dl, ok := findDateline(tt.in)
			if ok != tt.ok || (ok && (dl.agency != tt.agency || dl.d != tt.want)) {
				t.Errorf("findDateline = %+v, %v; want agency %q date %+v, %v", dl, ok, tt.agency, tt.want, tt.ok)
			}
		})
	}
}

func TestURLDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://www.chinanews.com/gn/2024/05-21/10220988.shtml", "2024-05-21"},
		{"https://www.fmprc.gov.cn/wjbzhd/202405/t20240521_11308960.shtml", "2024-05-21"},
		{"https://example.org/world/2024/07/04/sco-summit", "2024-07-04"},
		{"http://www.news.cn/world/20240704/abc/c.html", "2024-07-04"},
		{"https://example.org/2024-07-04/x", "2024-07-04"},
		{"https://example.org/article/10220988", ""},
		{"https://20240521.example.org/", ""},
	}
	for _, tt := range tests {
		d, _ := urlDate(tt.in)
		if got := d.iso(); got != tt.want {
			t.Errorf("urlDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHarvest(t *testing.T) {
	tests := []struct {
		name string
		text string
		want meta
	}{
		{"source line, date line, headline",
			"首页 » 新闻\n\n王毅出席会议并发表重要讲话谈合作\n\n2024-05-21 18:02:47\n\n来源:外交部网站\n\n当地时间5月21日,王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议并发表讲话。",
			meta{title: "王毅出席会议并发表重要讲话谈合作", date: "2024-05-21", source: "Ministry of Foreign Affairs of the PRC"}},
		{"URL in a source line beats an English dateline's year",
			"**王毅出席上海合作组织成员国外长理事会会议**\n\n中新社阿斯塔纳5月21日电 当地时间5月21日,王毅在阿斯塔纳出席会议。会议取得成果。\n\nBEIJING, May 21, 2023 (Xinhua) — Wang Yi attended the meeting. It was fruitful.\n\n【来源】http://www.chinanews.com/gn/2024/05-21/10220988.shtml",
			meta{title: "王毅出席上海合作组织成员国外长理事会会议", date: "2024-05-21", source: "China News Service", url: "http://www.chinanews.com/gn/2024/05-21/10220988.shtml"}},
		{"spam byline ignored for a lead date",
			"spammer99 - 2023/5/30 21:45:00\n\nOn July 14, 2021 local time, Wang Yi attended the meeting in Dushanbe. It was the 20th anniversary.",
			meta{title: "On July 14, 2021 local time, Wang Yi attended the meeting in…", date: "2021-07-14"}},
		{"byline date only when it agrees with the dateline",
			"TUhjnbcbe - 2023/5/30 21:45:00\n\n新华社北京9月16日电 王毅接受新华社记者专访。内容如下:",
			meta{title: "王毅接受新华社记者专访", source: "Xinhua"}},
		{"recent repost dates a year-less dateline",
			"abc - 2024/7/6 09:12:33\n\n新华社阿斯塔纳7月4日电 会议在阿斯塔纳举行。各方交换意见。",
			meta{title: "会议在阿斯塔纳举行", date: "2024-07-04", source: "Xinhua"}},
		{"agency tag and Xinhua News Agency dateline",
			"Xinhua News Agency, Beijing, November 5 (Reporters Zheng Mingda) The Ministry held a briefing on the 5th. It was important.",
			meta{title: "The Ministry held a briefing on the 5th", source: "Xinhua"}},
		{"attribution at the end",
			"当地时间5月21日,王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议并发表讲话。\n\n会议取得积极成果,各方同意加强合作。(外交部网站)",
			meta{title: "王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议并发表讲话", source: "Ministry of Foreign Affairs of the PRC"}},
		{"english source label and publish line",
			"Published: 4 July 2024\n\nSource: Kazinform\n\nASTANA — The summit opened on Thursday. Leaders met in the capital.",
			meta{title: "The summit opened on Thursday", date: "2024-07-04", source: "Kazinform"}},
		{"unknown publisher kept as written",
			"来源:环亚资讯\n\n会议在阿斯塔纳举行。各方交换意见。会议取得成果。",
			meta{title: "会议在阿斯塔纳举行", source: "环亚资讯"}},
		{"widget lines and a split dateline before the lead",
			"Select font Verdana Georgia\nLine height: Normal Wide\nBeijing,\nJune 15, 2001\nThe leaders of the six states met in Beijing and signed the declaration. It founded the organisation.",
			meta{title: "The leaders of the six states met in Beijing and signed the…", date: "2001-06-15"}},
		{"a journal number is no headline",
			"第 12 期\n\n新华社阿斯塔纳7月4日电 上合组织峰会在阿斯塔纳举行。各方交换意见。",
			meta{title: "上合组织峰会在阿斯塔纳举行", source: "Xinhua"}},
		{"a dateline alone is no headline",
			"新华社北京6月9日电\n上海合作组织成员国外长会议新闻公报\n(2019年6月8日至9日,北京)\n2019年6月8日至9日,上海合作组织成员国外长会议在北京举行。各方通过了新闻公报。",
			meta{title: "上海合作组织成员国外长会议新闻公报", date: "2019-06-09", source: "Xinhua"}},
		{"a masthead number is no headline",
			"国内刊号:11-2222/TB 国际刊号:1234-5678【官方】\n主办单位:某某资讯有限公司\n加强国际合作 共谋发展\n--\n作者:admin   更新时间:2021-07-18\n\n新华社北京7月17日电 王毅接受媒体采访,谈国际合作。内容如下:",
			meta{title: "加强国际合作共谋发展", date: "2021-07-17", source: "Xinhua"}},
		{"a scraper's timestamp is no part of the headline",
			"date 2017-06-09 Leaders agree on new members\n\nThe leaders agree on new members of the organisation. They met in Astana.",
			meta{title: "Leaders agree on new members"}},
		{"dateline with region and agency dropped from the lead",
			"Dushanbe [Tajikistan], September 17 (ANI): The minister met his counterpart on the sidelines. They talked.",
			meta{title: "The minister met his counterpart on the sidelines"}},
		{"dateline with country and year dropped from the lead",
			"TIANJIN, China, Sept. 1, 2025 (AP) — China plans a development bank, the president said. He spoke.",
			meta{title: "China plans a development bank, the president said", date: "2025-09-01"}},
		{"Russian dateline with a short month dropped from the lead",
			"АСТАНА, 9 июн — Sputnik. Лидеры подписали документы по итогам саммита. Встреча прошла в столице.",
			meta{title: "Лидеры подписали документы по итогам саммита"}},
		{"traditional, full-width dateline dropped from the lead",
			"新華社比什凱克６月14日電（記者 張三）上海合作組織成員國外長會議在比什凱克舉行。各方交換意見。",
			meta{title: "上海合作組織成員國外長會議在比什凱克舉行", date: "", source: "Xinhua"}},
		{"a headline keeps its lead-in",
			"# UFA SUMMIT — India and Pakistan to join\n\nIndia and Pakistan will join the organisation, leaders agreed in Ufa. The summit ended.",
			meta{title: "UFA SUMMIT — India and Pakistan to join"}},
		{"a bracketed byline dropped from the lead",
			"【某报驻莫斯科特派记者 李四 某报记者 王五】外交部发言人宣布峰会将在天津举行。各方表示欢迎。",
			meta{title: "外交部发言人宣布峰会将在天津举行"}},
		{"first sentence when nothing else names it",
			"The meeting was held. Leaders spoke about cooperation and trade.",
			meta{title: "The meeting was held"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := harvest(analyze(tt.text), htmlMeta{}); got != tt.want {
				t.Errorf("harvest = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
}

func TestHarvestPrefersPageMeta(t *testing.T) {
	hm := htmlMeta{ogTitle: "Page title", date: "2024-07-04T18:30:00+05:00", canonical: "https://example.org/2024/07/05/x", site: "Xinhua"}
	got := harvest(analyze("spam - 2023/1/1 10:00\n\nLeaders met. They talked."), hm)
	want := meta{title: "Page title", date: "2024-07-04", source: "Xinhua", url: "https://example.org/2024/07/05/x"}
	if got != want {
		t.Errorf("harvest = %+v, want %+v", got, want)
	}
}

func TestPublisherName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"外交部网站", "Ministry of Foreign Affairs of the PRC"},
		{"中新社", "China News Service"},
		{"中国新闻网", "China News Service"},
		{"新华网", "Xinhua"},
		{"Xinhua News Agency", "Xinhua"},
		{"ТАСС", "TASS"},
		{"央视网", "CCTV"},
		{"Steppe Herald", "Steppe Herald"},
		{"http://spam.example.com", ""},
	}
	for _, tt := range tests {
		if got := publisherName(tt.in); got != tt.want {
			t.Errorf("publisherName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSeedHeuristics checks what the heuristics alone find in the seeds,
// without the curated metadata file.
func TestSeedHeuristics(t *testing.T) {
	fsys := fstest.MapFS{}
	for id, src := range readSeeds(t) {
		fsys[id+".txt"] = &fstest.MapFile{Data: []byte(src)}
	}
	if _, err := fs.Stat(fsys, MetadataFile); err == nil {
		t.Fatal("metadata file copied")
	}
	res, err := Load(context.Background(), fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]meta{
		"000_b54822d210cd7471": {title: "王毅出席上海合作组织成员国外长理事会会议强调深化合作共赢发展", date: "2024-05-21", source: "China News Service", url: "http://www.chinanews.com/gn/2024/05-21/10220988.shtml"},
		"001_14086ad8159a262e": {title: "王毅出席上海合作组织成员国外长理事会会议", date: "2024-05-21", source: "Ministry of Foreign Affairs of the PRC"},
		"002_c42d388d6a7d4817": {title: "上海合作组织成员国外长理事会会议并", source: "Xinhua"}, // the repost's 2023 byline is not the report's date
		"003_e29fc6cbd48e96a3": {title: "Wang Yi Attends Meeting of Shanghai Cooperation Organization Council of Foreign Ministers", date: "2021-07-14"},
		"004_73a6135f73033407": {title: "The Foreign Ministry holds a briefing for Chinese and foreign media on President Xi Jinping’s attendance at the 20th meeting of the Council of Heads of State of the Member States of the Shanghai Cooperation Organization", source: "Xinhua"},
	}
	for _, d := range res.Docs {
		got := meta{title: d.Title, date: d.Date, source: d.Source, url: d.URL}
		if got != want[d.ID] {
			t.Errorf("%s:\n got %+v\nwant %+v", d.ID, got, want[d.ID])
		}
	}
}

func TestDatesOfScrapedPages(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"day.month.year stamp", "24.06.2016 08:39\n\nЛидеры ШОС начали заседание в узком составе\n\nГлавы государств начали саммит в Ташкенте.\n", "2016-06-24"},
		{"stamp on a dropped line", "新闻中心新浪首页 > 新闻中心 > 国内新闻 > 正文\n\n两国元首抵沪\n\nhttp://www.sina.com.cn 2006年06月13日20:49 新华网\n\n新华网上海6月13日电 哈萨克斯坦总统13日傍晚抵达上海。\n", "2006-06-13"},
		{"traditional dateline, year from the text", "新華社比什凱克6月14日電上海合作組織成員國元首理事會會議新聞公報全文如下:\n\n上海合作組織成員國元首理事會會議\n\n新聞公報\n\n成員國領導人討論了落實情況。\n\n(2019年6月13日至14日,比什凱克)\n", "2019-06-14"},
	} {
		d := fromText(t, tt.text)
		if d.Date != tt.want {
			t.Errorf("%s: date %q, want %q", tt.name, d.Date, tt.want)
		}
	}
}

// fromText loads one document from its text, as Load would.
func fromText(t *testing.T, text string) Document {
	t.Helper()
	res, err := Load(context.Background(), fstest.MapFS{"doc.txt": &fstest.MapFile{Data: []byte(text)}}, nil)
	if err != nil || len(res.Docs) != 1 {
		t.Fatalf("Load: %v, %d documents", err, len(res.Docs))
	}
	return res.Docs[0]
}
