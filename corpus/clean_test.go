package corpus

import (
	"strings"
	"testing"
)

// article is a stand-in for real article text in the boilerplate tables.
const (
	zhLead = "新华社阿斯塔纳7月4日电 上海合作组织成员国元首理事会第二十四次会议4日在阿斯塔纳举行,与会各方深入交换意见。"
	zhBody = "会议签署并发表《阿斯塔纳宣言》,批准上合组织至2035年发展战略,并决定接收白俄罗斯为成员国。各方表示愿继续弘扬“上海精神”。"
	enLead = "ASTANA, July 4 (Xinhua) -- Leaders of the Shanghai Cooperation Organization adopted the Astana Declaration on Thursday at the close of their summit."
	enBody = "The heads of state also approved a development strategy until 2035. They agreed that the next summit will be held in China."
)

func TestCleanRemovesBoilerplate(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		absent []string
	}{
		{"zh breadcrumb", "首页 » 新闻频道 » 国内新闻\n\n" + zhLead + "\n\n" + zhBody, []string{"首页", "新闻频道"}},
		{"en breadcrumb", "HOME > News\n" + enLead + "\n\n" + enBody, []string{"HOME", "News\n"}},
		{"position breadcrumb", "当前位置:首页 > 国际 > 正文\n\n" + zhLead + "\n\n" + zhBody, []string{"当前位置", "正文"}},
		{"menu row", "首页 | 国内 | 国际 | 军事 | 财经\n\n" + zhLead + "\n\n" + zhBody, []string{"军事", "财经"}},
		{"menu lines above the article", "About Us\nConsular Services\nFor Students & Scholars\nFIGHT COVID-19 THE CHINESE WAY\n\n" + enLead + "\n\n" + enBody, []string{"About Us", "Consular", "COVID"}},
		{"spam link", "治疗鼻炎哪家好 https://spam.example.com/a.html\n\n" + zhLead + "\n\n" + zhBody, []string{"鼻炎", "spam.example"}},
		{"ad marker", "[ad_1]\n" + enLead + "\n\nAdvertisement\n\n" + enBody, []string{"[ad_1]", "Advertisement"}},
		{"related reading", zhLead + "\n\n" + zhBody + "\n\n• 相关阅读\n• 宏观政策发挥积极效应\n\n央视网消息:5月21日,《新闻联播》报道了我国多项经济政策发挥积极效应……为全年...\n\n时间:05-22\n• 财经观察:资本要素加速集聚\n\n国家统计局近日发布的数据显示,4月份...\n\n时间:05-22",
			[]string{"相关阅读", "宏观政策", "央视网", "时间", "财经观察", "国家统计局"}},
		{"teaser run without heading", enLead + "\n\n" + enBody + "\n\nGrain exports rise\nFarmers in the north said the harvest was the best in...\nRail freight booms\nThe new line carried more goods than ever in...", []string{"Grain", "Farmers", "Rail freight", "new line"}},
		{"english related", enLead + "\n\n" + enBody + "\n\nRelated stories\nKazakhstan opens border crossing\nGrain exports rise for a third year", []string{"Related", "border crossing", "Grain"}},
		{"comment form", enLead + "\n\n" + enBody + "\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *\n\nGreat article, thanks for sharing the news with all of us here.", []string{"Reply", "email", "Great article"}},
		{"zh comment form", zhLead + "\n\n" + zhBody + "\n\n发表回复\n\n您的邮箱地址不会被公开。 必填项已用 * 标注", []string{"发表回复", "邮箱"}},
		{"view counter", zhLead + "\n\n" + zhBody + "\n\nViews: 1\n\n阅读(2381)\n\n浏览次数:42", []string{"Views", "阅读", "浏览"}},
		{"disclaimer", zhLead + "\n\n" + zhBody + "\n免责声明:本网对文中陈述、观点判断保持中立,不对所包含内容的准确性、可靠性或完整性提供任何明示或暗示的保证。请读者仅作参考,并请自行承担全部责任。", []string{"免责声明", "本网"}},
		{"copyright", enLead + "\n\n" + enBody + "\n\n© 2024 Steppe Herald. All rights reserved.\n\nCopyright 2024 Xinhua", []string{"©", "rights reserved", "Copyright"}},
		{"share and print", enLead + "\n\n" + enBody + "\n\nSuggest To A Friend\n  Print", []string{"Suggest", "Print"}},
		{"share bar", zhLead + "\n\n" + zhBody + "\n\n分享到:微信 微博 QQ空间\n\n【打印】【关闭】", []string{"分享", "微博", "打印"}},
		{"full version footer", zhLead + "\n\n" + zhBody + "\n\n1\n查看完整版本: 上海合作组织成员国外长理事会会议并", []string{"完整版本", "\n\n1"}},
		{"digit run", enLead + "\n\n" + enBody + "\n010020020110000000000000011124101126701050", []string{"0100200"}},
		{"spam byline", "TUhjnbcbe - 2023/5/30 21:45:00\n\n" + zhLead + "\n\n" + zhBody, []string{"TUhjnbcbe", "2023"}},
		{"date and source lines", "王毅出席上海合作组织成员国外长理事会会议\n\n2024-05-21 18:02:47\n\n来源:外交部网站\n\n" + zhLead + "\n\n" + zhBody + "\n\n【来源】http://www.chinanews.com/gn/2024/05-21/10220988.shtml", []string{"18:02", "来源", "chinanews"}},
		{"editorial markers", zhLead + "\n\n" + zhBody + "\n\n英语如下:\n\nKeywords: Wang Yi, SCO\n\n" + enLead + "\n\n" + enBody, []string{"英语如下", "Keywords"}},
		{"editor credit", zhLead + "\n\n" + zhBody + "\n\n【责任编辑:王芳】\n\nEditor: Li Ming", []string{"责任编辑", "Editor"}},
		{"cookie banner", "We use cookies to improve your experience. By continuing you accept our cookie policy.\nAccept\n\n" + enLead + "\n\n" + enBody, []string{"cookie", "Accept"}},
		{"tags line", enLead + "\n\n" + enBody + "\n\nTags: SCO, Kazakhstan", []string{"Tags"}},
		{"short tag line above article", "哈萨克斯坦\n\n" + zhLead + "\n\n" + zhBody, []string{"哈萨克斯坦\n"}},
		{"read more pointer", enLead + "\n\nRead more: Central Asian railways see record freight\n\n" + enBody, []string{"Read more", "railways"}},
		{"russian footer", "АСТАНА, 4 июля. /ТАСС/. Главы государств ШОС подписали декларацию и утвердили стратегию развития до 2035 года.\n\nСледующий саммит пройдет в Китае, сообщили в администрации.\n\nЧитайте также\n- Токаев провел переговоры\n\nТеги: ШОС, Казахстан\n\nПоделиться: VK | Telegram\n\n© 1999-2024 ТАСС. Все права защищены.", []string{"Читайте", "Токаев провел", "Теги", "Поделиться", "права"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clean(tt.in)
			for _, s := range tt.absent {
				if strings.Contains(got, s) {
					t.Errorf("boilerplate %q left in:\n%s", s, got)
				}
			}
			// the article itself survives, whatever it was
			for _, para := range []string{zhLead, zhBody, enLead, enBody} {
				if strings.Contains(tt.in, para) && !strings.Contains(got, tidySpaces(para)) {
					t.Errorf("article paragraph lost: %q\ngot:\n%s", para, got)
				}
			}
		})
	}
}

func TestCleanNormalises(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"markdown emphasis and heading", "# **Wang Yi Attends SCO Meeting**\n\n" + enLead, "Wang Yi Attends SCO Meeting\n\n" + enLead},
		{"headline prefix", "**Headline: Wang Yi Attends SCO Foreign Ministers’ Meeting**\n\n" + enLead, "Wang Yi Attends SCO Foreign Ministers’ Meeting\n\n" + enLead},
		{"masked words", zhLead + "\n\n为峰会作*治准备,反对一手放任新冠病*,一手散布“*治病*”,干涉别国内*。", tidySpaces(zhLead) + "\n\n为峰会作政治准备,反对一手放任新冠病毒,一手散布“政治病毒”,干涉别国内政。"},
		{"whitespace", "  " + enLead + "  \r\n\r\n\r\n\u3000\u3000当地时间5月21日, 王毅 在 阿斯塔纳出席会议。这是  一次 重要会议。\n\n\n\nThe  meeting\twas held   in Astana. It was important.",
			enLead + "\n\n当地时间5月21日, 王毅在阿斯塔纳出席会议。这是一次重要会议。\n\nThe meeting was held in Astana. It was important."},
		{"hard-wrapped lines", "АСТАНА, 4 июля. /ТАСС/. Главы государств - членов Шанхайской организации сотрудничества подписали\nпо итогам саммита декларацию.",
			"АСТАНА, 4 июля. /ТАСС/. Главы государств - членов Шанхайской организации сотрудничества подписали по итогам саммита декларацию."},
		{"wrapped at a fixed width, capitals and all",
			"The second summit meeting of the Shanghai Cooperation Organization\n(SCO) concluded in St. Petersburg Friday with fruitful results,\npresidents of the six member countries said.\n\"The summit has reaped expected results,\" Chinese President Jiang\nZemin said at a joint press conference following the summit.",
			"The second summit meeting of the Shanghai Cooperation Organization (SCO) concluded in St. Petersburg Friday with fruitful results, presidents of the six member countries said.\n\n\"The summit has reaped expected results,\" Chinese President Jiang Zemin said at a joint press conference following the summit."},
		{"Chinese sentence broken across paragraphs", "上海合作组织观察员国蒙古、伊朗和印度的元首、代表也将应邀与会。印度政府代表、石油和\n\n天然气部长穆利·德奥拉也将同日抵沪。",
			"上海合作组织观察员国蒙古、伊朗和印度的元首、代表也将应邀与会。印度政府代表、石油和天然气部长穆利·德奥拉也将同日抵沪。"},
		{"a Chinese heading stays apart", "哈萨克斯坦和巴基斯坦两国元首抵沪\n\n新华网上海6月13日电 哈萨克斯坦总统纳扎尔巴耶夫13日傍晚抵达上海。",
			"哈萨克斯坦和巴基斯坦两国元首抵沪\n\n新华网上海6月13日电哈萨克斯坦总统纳扎尔巴耶夫13日傍晚抵达上海。"},
		{"repeated paragraph", enLead + "\n\n" + enLead + "\n\n" + enBody, enLead + "\n\n" + enBody},
		{"punctuation as written", "王毅表示,当前形势复杂多变。他强调:“上海精神”是根本遵循!各方应加强合作,共同应对挑战。", "王毅表示,当前形势复杂多变。他强调:“上海精神”是根本遵循!各方应加强合作,共同应对挑战。"},
		{"truncated last paragraph kept", zhLead + "\n\n五、记者:您如何评价中国周边安全形势?是否与到访四国商谈维护周边稳定措施?\n\n王毅:俄罗斯、中亚、蒙古国是中国西北重要周边,中方高度\n\n1",
			tidySpaces(zhLead) + "\n\n五、记者:您如何评价中国周边安全形势?是否与到访四国商谈维护周边稳定措施?\n\n王毅:俄罗斯、中亚、蒙古国是中国西北重要周边,中方高度"},
		{"short last sentence kept", enLead + "\n\nIt was short.", enLead + "\n\nIt was short."},
		{"list lead-in kept", "当地时间2024年5月21日,中共中央政治局委员、外交部长王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议。\n\n王毅提出四点建议:\n\n一要坚持战略自主,保持团结协作。",
			"当地时间2024年5月21日,中共中央政治局委员、外交部长王毅在阿斯塔纳出席上海合作组织成员国外长理事会会议。\n\n王毅提出四点建议:\n\n一要坚持战略自主,保持团结协作。"},
		{"invisible characters", "\ufeff王毅\u200b在阿斯塔\u00ad纳\u202b出席\u2066会议\u2069。", "王毅在阿斯塔纳出席会议。"},
		{"empty", " \n\t\n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestSeedsBoilerplate checks, per seed, boilerplate that must be gone and
// article sentences that must remain.
func TestSeedsBoilerplate(t *testing.T) {
	tests := []struct {
		id      string
		absent  []string
		present []string
	}{
		{"000_b54822d210cd7471",
			[]string{"**", "英语如下", "Keywords", "Headline:", "【来源】", "Views", "发表回复", "邮箱", "必填项"},
			[]string{"此次会议是王毅外长就任后首次出席上合组织相关活动", "Wang Yi Attends SCO Foreign Ministers’ Meeting",
				"BEIJING, May 21, 2023 (Xinhua) — Wang Yi, member of the Political Bureau",
				"exchanging views on deepening bilateral relations and the international and regional issues of common concern."}},
		{"001_14086ad8159a262e",
			[]string{"首页", "»", "新闻频道", "18:02:47", "来源:", "相关阅读", "央视网", "时间:05-22", "宏观政策", "免责声明", "本网站转载", "港珠澳"},
			[]string{"王毅出席上海合作组织成员国外长理事会会议", "王毅提出四点建议:", "会议为7月举行的阿斯塔纳峰会进行了全面准备。",
				"会议开始前,各方外长为伊朗总统莱西和外长阿卜杜拉希扬不幸遇难默哀。", "赛义多夫举行了双边会谈。(外交部网站)"}},
		{"002_c42d388d6a7d4817",
			[]string{"首页", "TUhjnbcbe", "2023/5/30", "白癜风", "39.net", "查看完整版本", "*治", "病*", "内*", "\n\n1"},
			[]string{"新华社北京9月16日电", "一、记者:在当前全球疫情形势仍较严峻背景下", "作政治准备", "新冠病毒", "“政治病毒”", "干涉别国内政",
				"打造成驰骋欧亚大陆的“钢铁驼队”。", "王毅:俄罗斯、中亚、蒙古国是中国西北重要周边,中方高度"}},
		{"003_e29fc6cbd48e96a3",
			[]string{"Imformation", "Consular Services", "Topics", "China Human Rights", "FIGHT COVID-19", "HOME", "15:08", "Suggest To A Friend", "Print"},
			[]string{"Wang Yi Attends Meeting of Shanghai Cooperation Organization Council of Foreign Ministers",
				"On July 14, 2021 local time, State Councilor and Foreign Minister Wang Yi attended",
				"The countries should firmly oppose \"vaccine nationalism\"",
				"The meeting has also made comprehensive preparations for the SCO summit in September."}},
		{"004_73a6135f73033407",
			[]string{"[ad_1]", "Shanghai-Xinhuanet", "Focus on learning progress", "010020020110000000000000011124101126701050"},
			[]string{"The Foreign Ministry holds a briefing for Chinese and foreign media on President Xi Jinping’s attendance",
				"Xinhua News Agency, Beijing, November 5 (Reporters Zheng Mingda and Dong Xue)",
				"and will be held by video.",
				"a community with a shared future for humanity."}},
	}
	docs := loadSeeds(t)
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			d, ok := docs[tt.id]
			if !ok {
				t.Fatalf("seed %s not loaded", tt.id)
			}
			text := d.Text()
			for _, s := range tt.absent {
				if strings.Contains(text, s) {
					t.Errorf("boilerplate %q left in the text", s)
				}
			}
			for _, s := range tt.present {
				if !strings.Contains(text, s) {
					t.Errorf("article text %q lost", s)
				}
			}
		})
	}
}

// TestSeedsKeepEverySentence checks that every sentence of each seed's
// article paragraphs survives cleaning: the raw paragraphs that hold
// running text must all be found, whitespace aside, in the output.
func TestSeedsKeepEverySentence(t *testing.T) {
	docs := loadSeeds(t)
	raw := readSeeds(t)
	for id, src := range raw {
		t.Run(id, func(t *testing.T) {
			text := docs[id].Text()
			for _, l := range splitLines(src) {
				if l.heading || !isProse(l.raw) || endsEllipsis(l.raw) || isJunk(l.raw) {
					continue // headlines, teasers and boilerplate are checked elsewhere
				}
				if !strings.Contains(text, tidySpaces(l.raw)) {
					t.Errorf("paragraph lost: %.80q", l.raw)
				}
			}
		})
	}
}

func TestCleanIdempotent(t *testing.T) {
	for id, src := range readSeeds(t) {
		t.Run(id, func(t *testing.T) {
			once := Clean(src)
			if twice := Clean(once); twice != once {
				t.Errorf("Clean(Clean(x)) != Clean(x):\n%s", lineDiff(once, twice))
			}
		})
	}
}

func TestCleanRepairsConverterResidue(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"pinyin glosses", "中新網(wǎng)6月17日電 上海合作組織地區(qū)反恐機構(gòu)17日上午正式啟動。",
			"中新網6月17日電上海合作組織地區反恐機構17日上午正式啟動。"},
		{"brackets that are not glosses stay", "世界贸易组织(WTO)于2001年(当年)接纳中国。",
			"世界贸易组织(WTO)于2001年(当年)接纳中国。"},
		{"lost characters", "2025年上?海合作组??织??峰??会将?于8月??31日至9月??1日在天?津举行。外交??部发言人??宣布,峰??会期间将?举行欢迎宴会。",
			"2025年上海合作组织峰会将于8月31日至9月1日在天津举行。外交部发言人宣布,峰会期间将举行欢迎宴会。"},
		{"a few real question marks stay", "你知道吗?我们明天见?好的?",
			"你知道吗?我们明天见?好的?"},
	} {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// Lines of one width are a hard-wrapped paragraph; lines of any width, too
// few lines or too narrow a width are not.
func TestWrappedWidth(t *testing.T) {
	wrapped := []string{
		"The one-day meeting closed in the afternoon after presidents of",
		"China, Russia, Kazakhstan, Kyrgyzstan, Tajikistan and Uzbekistan",
		"signed three documents to chart the goals of the organization's",
		"development and to institutionalize their cooperation.",
	}
	if w := wrappedWidth(wrapped); w != 64 {
		t.Errorf("wrapped block: width %v, want 64", w)
	}
	for name, rows := range map[string][]string{
		"varied":    {"Heads of state signed the following documents in Astana today", "The Astana Declaration", "A statement on terrorism", "A joint communique"},
		"too few":   wrapped[:3],
		"too short": {"Member States:", "Observer States:", "Dialogue Partners:", "Secretariat:"},
	} {
		if w := wrappedWidth(rows); w != 0 {
			t.Errorf("%s: width %v, want 0", name, w)
		}
	}
}
