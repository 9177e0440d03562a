package glossary

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// seedNames lists, per seed report, names as they appear in the report and
// the concept each must be found as.
var seedNames = map[string][][2]string{
	"000_b54822d210cd7471": {
		{"王毅", "wang-yi"}, {"Wang Yi", "wang-yi"}, {"上海合作组织", "sco"}, {"上合组织", "sco"},
		{"Shanghai Cooperation Organization", "sco"}, {"SCO", "sco"}, {"外长理事会", "sco-cfm"},
		{"Council of Foreign Ministers", "sco-cfm"}, {"Foreign Ministers’ Meeting", "sco-cfm"},
		{"中新社", "china-news-service"}, {"Xinhua", "xinhua"}, {"阿斯塔纳", "astana"}, {"Astana", "astana"},
		{"单璐", "shan-lu"}, {"张硕", "zhang-shuo"}, {"BEIJING", "beijing"}, {"外交部长", "foreign-minister"},
		{"中共中央政治局委员", "politburo"}, {"Political Bureau of the Communist Party of China Central Committee", "politburo"},
		{"多边主义", "multilateralism"}, {"multilateralism", "multilateralism"}, {"霸权主义", "hegemonism"},
		{"hegemonism", "hegemonism"}, {"强权政治", "power-politics"}, {"power politics", "power-politics"},
		{"上海精神", "shanghai-spirit"}, {"Shanghai Spirit", "shanghai-spirit"}, {"三股势力", "three-forces"},
		{"three evil forces", "three-forces"}, {"禁毒", "drug-control"}, {"drug control", "drug-control"},
		{"一带一路", "belt-and-road"}, {"Belt and Road", "belt-and-road"}, {"疫苗", "vaccine"}, {"vaccines", "vaccine"},
		{"疫情防控", "epidemic-control"}, {"disease prevention and control", "epidemic-control"},
		{"互联互通", "connectivity"}, {"interconnectivity", "connectivity"}, {"青岛", "qingdao"}, {"Qingdao", "qingdao"},
		{"峰会", "summit"}, {"Summit", "summit"}, {"双边会见", "bilateral-talks"}, {"bilateral meetings", "bilateral-talks"},
		{"双边关系", "bilateral-relations"}, {"bilateral relations", "bilateral-relations"}, {"5月", "may"}, {"May", "may"},
		{"chinanews.com", "china-news-service"}, {"疫苗研发中心", "sco-vaccine-centre"},
	},
	"001_14086ad8159a262e": {
		{"王毅", "wang-yi"}, {"外交部", "mfa"}, {"阿斯塔纳", "astana"}, {"上海精神", "shanghai-spirit"},
		{"三股势力", "three-forces"}, {"全球南方", "global-south"}, {"战略自主", "strategic-autonomy"},
		{"四点建议", "four-point-proposal"}, {"全球安全倡议", "global-security-initiative"}, {"一带一路", "belt-and-road"},
		{"开放包容", "openness-inclusiveness"}, {"中国式现代化", "chinese-modernization"}, {"人类命运共同体", "community-shared-future"},
		{"经济全球化", "economic-globalization"}, {"世界多极化", "multipolarity"}, {"联合国宪章", "un-charter"},
		{"单边主义", "unilateralism"}, {"7月", "july"}, {"峰会", "summit"}, {"伊朗", "iran"}, {"莱西", "raisi"},
		{"阿卜杜拉希扬", "amir-abdollahian"}, {"默哀", "moment-of-silence"}, {"哈萨克斯坦", "kazakhstan"},
		{"托卡耶夫", "tokayev"}, {"俄罗斯", "russia"}, {"拉夫罗夫", "lavrov"}, {"白俄罗斯", "belarus"},
		{"阿列伊尼克", "aleinik"}, {"吉尔吉斯斯坦", "kyrgyzstan"}, {"库鲁巴耶夫", "kulubaev"}, {"乌兹别克斯坦", "uzbekistan"},
		{"赛义多夫", "saidov"}, {"双边会谈", "bilateral-talks"}, {"集体会见", "meet-with"}, {"发展中国家", "developing-countries"},
		{"脱钩断链", "decoupling"}, {"地缘政治", "geopolitics"}, {"主权和领土完整", "sovereignty-integrity"},
	},
	"002_c42d388d6a7d4817": {
		{"新华社", "xinhua"}, {"北京", "beijing"}, {"王毅", "wang-yi"}, {"国务委员", "state-councilor"},
		{"俄罗斯", "russia"}, {"哈萨克斯坦", "kazakhstan"}, {"吉尔吉斯斯坦", "kyrgyzstan"}, {"蒙古国", "mongolia"},
		{"专访", "interview"}, {"新冠肺炎", "covid-19"}, {"疫情", "pandemic"}, {"上海精神", "shanghai-spirit"},
		{"视频峰会", "video-summit"}, {"人类命运共同体", "community-shared-future"}, {"世界反法西斯战争", "wwii"},
		{"二战", "wwii"}, {"三股势力", "three-forces"}, {"一带一路", "belt-and-road"}, {"多边主义", "multilateralism"},
		{"联合国", "un"}, {"安理会", "unsc"}, {"单边主义", "unilateralism"}, {"全球数据安全倡议", "global-data-security-initiative"},
		{"拉夫罗夫", "lavrov"}, {"世界卫生组织", "who"}, {"疫苗", "vaccine"}, {"欧亚经济联盟", "eaeu"},
		{"巴特图勒嘎", "battulga"}, {"习近平", "xi-jinping"}, {"普京", "putin"}, {"托卡耶夫", "tokayev"},
		{"热恩别科夫", "jeenbekov"}, {"欧盟", "eu"}, {"中欧班列", "china-europe-railway-express"}, {"欧亚大陆", "eurasia"},
		{"钢铁驼队", "steel-camel-fleet"}, {"中亚", "central-asia"}, {"文件草案", "draft-documents"}, {"新闻公报", "press-communique"},
		{"数字丝绸之路", "digital-silk-road"}, {"健康丝路", "health-silk-road"}, {"美国", "united-states"}, {"北约", "nato"},
		{"印太战略", "indo-pacific-strategy"}, {"中俄关系", "china-russia-relations"}, {"中美关系", "china-us-relations"},
		{"进口博览会", "ciie"}, {"中医药", "tcm"}, {"后疫情时期", "post-pandemic"}, {"复工复产", "resumption-of-work"},
	},
	"003_e29fc6cbd48e96a3": {
		{"State Councilor", "state-councilor"}, {"Foreign Minister", "foreign-minister"}, {"Wang Yi", "wang-yi"},
		{"Shanghai Cooperation Organization", "sco"}, {"SCO", "sco"}, {"Council of Foreign Ministers", "sco-cfm"},
		{"Dushanbe", "dushanbe"}, {"July", "july"}, {"Shanghai Spirit", "shanghai-spirit"},
		{"community with a shared future for mankind", "community-shared-future"}, {"five-point proposal", "five-point-proposal"},
		{"three forces", "three-forces"}, {"terrorism, separatism and extremism", "three-forces"},
		{"United Nations Security Council", "unsc"}, {"East Turkestan Islamic Movement", "etim"},
		{"Global Initiative on Data Security", "global-data-security-initiative"}, {"COVID-19", "covid-19"},
		{"pandemic", "pandemic"}, {"vaccine nationalism", "vaccine-nationalism"}, {"vaccine divide", "vaccine-divide"},
		{"origin tracing", "origin-tracing"}, {"Belt and Road", "belt-and-road"}, {"unilateralism", "unilateralism"},
		{"power politics", "power-politics"}, {"United Nations", "un"}, {"Communist Party of China", "cpc"},
		{"Afghanistan", "afghanistan"}, {"September", "september"}, {"summit", "summit"}, {"2019-nCoV", "covid-19"},
		{"peace and reconciliation process", "peace-reconciliation"}, {"post-COVID era", "post-pandemic"},
	},
	"004_73a6135f73033407": {
		{"Foreign Ministry", "mfa"}, {"Ministry of Foreign Affairs", "mfa"}, {"President Xi Jinping", "xi-jinping"},
		{"Council of Heads of State", "sco-chs"}, {"Shanghai Cooperation Organization", "sco"},
		{"Xinhua News Agency", "xinhua"}, {"Beijing", "beijing"}, {"November", "november"}, {"Zheng Mingda", "zheng-mingda"},
		{"Dong Xue", "dong-xue"}, {"Vice Foreign Minister", "vice-foreign-minister"}, {"Le Yucheng", "le-yucheng"},
		{"Putin", "putin"}, {"Russian Federation", "russia"}, {"Russia", "russia"}, {"rotating chairman", "rotating-presidency"},
		{"summit", "summit"}, {"Communist Party of China", "cpc"}, {"Eurasian", "eurasia"}, {"epidemic", "pandemic"},
		{"Spirit of Shanghai", "shanghai-spirit"}, {"SCO Charter", "sco-charter"}, {"three forces", "three-forces"},
		{"Belt and Road", "belt-and-road"}, {"World Health Organization", "who"}, {"OCS", "sco"},
		{"community with a shared future for humanity", "community-shared-future"}, {"multilateralism", "multilateralism"},
		{"video", "video"}, {"Fifth Plenary Session of the XIX Central Committee", "fifth-plenum"},
		{"Treaty of Good Neighbor, Friendship and Long-Term Cooperation", "sco-treaty"},
	},
}

func readSeed(t testing.TB, id string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "corpus", "docs", id+".txt"))
	if err != nil {
		t.Fatalf("couldn't read seed: %v", err)
	}
	return string(b)
}

func TestSeedCoverage(t *testing.T) {
	g := mustDefault(t)
	for id, names := range seedNames {
		t.Run(id, func(t *testing.T) {
			doc := readSeed(t, id)
			inDoc := g.Concepts(doc)
			for _, n := range names {
				surface, concept := n[0], n[1]
				if !strings.Contains(doc, surface) {
					t.Errorf("%q does not occur in the seed; fix the test list", surface)
				}
				ms := g.Find(surface)
				if len(ms) != 1 || ms[0].Concept != concept || ms[0].Start != 0 || ms[0].End != len(surface) {
					t.Errorf("Find(%q) = %+v, want one match of %s", surface, ms, concept)
				}
				if !slices.Contains(inDoc, concept) {
					t.Errorf("concept %s not found in the seed text", concept)
				}
			}
		})
	}
}

// TestBriefCoverage checks the concepts the project brief requires have both
// a Chinese and an English term, with the expected preferred renderings.
func TestBriefCoverage(t *testing.T) {
	g := mustDefault(t)
	tests := []struct{ zh, en string }{
		{"王毅", "Wang Yi"}, {"拉夫罗夫", "Lavrov"}, {"阿列伊尼克", "Aleinik"}, {"库鲁巴耶夫", "Kulubaev"},
		{"赛义多夫", "Saidov"}, {"托卡耶夫", "Tokayev"}, {"莱西", "Raisi"}, {"阿卜杜拉希扬", "Amir-Abdollahian"},
		{"乐玉成", "Le Yucheng"}, {"习近平", "Xi Jinping"}, {"普京", "Putin"}, {"热恩别科夫", "Jeenbekov"},
		{"巴特图勒嘎", "Battulga"}, {"杜尚别", "Dushanbe"}, {"阿斯塔纳", "Astana"}, {"努尔苏丹", "Nur-Sultan"},
		{"青岛", "Qingdao"}, {"莫斯科", "Moscow"}, {"北京", "Beijing"}, {"欧亚", "Eurasia"}, {"外交部", "Ministry of Foreign Affairs"},
		{"新华社", "Xinhua News Agency"}, {"中新社", "China News Service"}, {"联合国", "United Nations"},
		{"安理会", "UN Security Council"}, {"世界卫生组织", "World Health Organization"},
		{"欧亚经济联盟", "Eurasian Economic Union"}, {"欧盟", "European Union"}, {"一带一路", "Belt and Road"},
		{"上海精神", "Shanghai Spirit"}, {"三股势力", "three forces"}, {"人类命运共同体", "community with a shared future for mankind"},
		{"疫苗", "vaccine"}, {"疫苗民族主义", "vaccine nationalism"}, {"免疫鸿沟", "vaccine divide"}, {"疫苗鸿沟", "vaccine divide"},
		{"外长理事会", "Council of Foreign Ministers"}, {"元首理事会", "Council of Heads of State"}, {"峰会", "summit"},
		{"视频峰会", "video summit"}, {"中欧班列", "China-Europe Railway Express"}, {"钢铁驼队", "steel camel fleet"},
		{"全球数据安全倡议", "Global Initiative on Data Security"}, {"全球安全倡议", "Global Security Initiative"},
		{"多边主义", "multilateralism"}, {"单边主义", "unilateralism"}, {"霸权主义", "hegemonism"},
		{"战略自主", "strategic autonomy"}, {"开放包容", "openness and inclusiveness"}, {"新冠肺炎", "COVID-19"},
		{"疫情", "pandemic"}, {"溯源", "origin tracing"}, {"东突", "East Turkestan Islamic Movement"}, {"阿富汗", "Afghanistan"},
		{"双边会谈", "bilateral talks"}, {"默哀", "moment of silence"}, {"专访", "interview"}, {"外长", "foreign minister"},
		{"国务委员", "State Councilor"}, {"副外长", "Vice Foreign Minister"}, {"五月", "May"},
		// SCO members, observers, dialogue partners
		{"中国", "China"}, {"俄罗斯", "Russia"}, {"哈萨克斯坦", "Kazakhstan"}, {"吉尔吉斯斯坦", "Kyrgyzstan"},
		{"塔吉克斯坦", "Tajikistan"}, {"乌兹别克斯坦", "Uzbekistan"}, {"印度", "India"}, {"巴基斯坦", "Pakistan"},
		{"伊朗", "Iran"}, {"白俄罗斯", "Belarus"}, {"蒙古国", "Mongolia"}, {"斯里兰卡", "Sri Lanka"}, {"土耳其", "Turkey"},
		{"柬埔寨", "Cambodia"}, {"阿塞拜疆", "Azerbaijan"}, {"尼泊尔", "Nepal"}, {"亚美尼亚", "Armenia"}, {"埃及", "Egypt"},
		{"卡塔尔", "Qatar"}, {"沙特阿拉伯", "Saudi Arabia"}, {"科威特", "Kuwait"}, {"马尔代夫", "Maldives"}, {"缅甸", "Myanmar"},
		{"阿联酋", "United Arab Emirates"}, {"巴林", "Bahrain"}, {"老挝", "Laos"},
		{"比什凯克", "Bishkek"}, {"塔什干", "Tashkent"}, {"新德里", "New Delhi"}, {"伊斯兰堡", "Islamabad"},
		{"德黑兰", "Tehran"}, {"明斯克", "Minsk"}, {"喀布尔", "Kabul"}, {"乌兰巴托", "Ulaanbaatar"},
	}
	for _, tt := range tests {
		t.Run(tt.zh, func(t *testing.T) {
			zh, en := g.Concepts(tt.zh), g.Concepts(tt.en)
			if len(zh) != 1 || !slices.Equal(zh, en) {
				t.Fatalf("Concepts(%q) = %q, Concepts(%q) = %q; want the same single concept", tt.zh, zh, tt.en, en)
			}
			if got := g.Term(zh[0], "en"); !strings.EqualFold(got, tt.en) && !slices.Contains(g.Terms(zh[0], "en"), tt.en) {
				t.Errorf("en terms of %s = %q, lack %q", zh[0], g.Terms(zh[0], "en"), tt.en)
			}
		})
	}
	if g.Len() < 150 {
		t.Errorf("Len = %d, want at least 150 concepts", g.Len())
	}
}

// TestSeedsGolden records every match in every seed, so a glossary edit shows
// its effect (including false matches) in review.
func TestSeedsGolden(t *testing.T) {
	g := mustDefault(t)
	ids := make([]string, 0, len(seedNames))
	for id := range seedNames {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var b strings.Builder
	for _, id := range ids {
		doc := readSeed(t, id)
		fmt.Fprintf(&b, "== %s\n", id)
		counts := map[[2]string]int{}
		var order [][2]string
		for _, m := range g.Find(doc) {
			k := [2]string{m.Concept, strings.Join(strings.Fields(doc[m.Start:m.End]), " ")}
			if counts[k] == 0 {
				order = append(order, k)
			}
			counts[k]++
		}
		for _, k := range order {
			fmt.Fprintf(&b, "%s\t%s\t%d\n", k[0], k[1], counts[k])
		}
	}
	checkGolden(t, "seeds.golden", b.String())
}
