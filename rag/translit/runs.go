package translit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// hanTranslitChars are the characters Chinese uses to transliterate foreign
// names, after the Xinhua tables for Russian, English and the Turkic and
// Persian names of Central and South Asia. Very common characters that
// transliterations rarely need are left out (日, 东, 北, 中, 上, 新, 大, 国),
// so that runs do not swallow ordinary words next to a name.
const hanTranslitChars = "" +
	"阿埃艾爱安昂奥澳敖巴拜班邦鲍堡贝比彼毕别宾波伯博勃布卜查察柴彻车楚茨采" +
	"策岑达代戴丹德登迪蒂帝第丁杜敦多顿俄厄鄂额恩尔耳法凡范菲费芬丰冯夫弗伏" +
	"佛福富符芙甫盖甘冈戈格哥根贡古圭瓜干哈海汉汗豪赫黑亨洪侯胡华怀霍惠基吉" +
	"季加迦贾简杰捷金京久居济集嘉卡凯坎康考柯科克肯孔库夸奎昆喀拉莱赖兰朗劳" +
	"勒雷蕾黎里丽利莉历廉连列林琳留柳卢鲁伦罗洛马玛迈麦曼芒毛茂梅美门蒙孟米" +
	"密明缪莫墨默姆穆慕木摩纳娜奈南瑙内尼妮涅宁纽努诺奴欧帕派潘庞佩彭皮珀蒲" +
	"普品泊奇齐契恰乔切钦琴秋丘其热荣茹瑞若萨塞赛桑瑟森沙莎山尚绍舍申什施史" +
	"舒斯松苏素索撒思朔塔泰坦汤唐陶特提廷汀通图托陀土铁腾瓦万旺威韦维温翁沃" +
	"乌伍武西希锡夏谢辛欣休修逊雅亚娅扬杨耶叶伊依因尤约延义英扎泽曾詹章哲贞" +
	"朱祖佐卓兹孜嘎疆蓬罕龙棱廖滕津翰盛吾"

// hanStopWords are ordinary two-character words made of transliteration
// characters (特别 "special", 基金 "fund"), and abbreviations of regions
// (亚欧 Asia-Europe, 美俄 US-Russia): a run that is one of them, or that
// begins or ends with one, is not (all) a name.
const hanStopWords = "" +
	"历史 特别 丰富 比赛 古代 因素 尤其 若干 森林 明代 坦克 考察 密切 基金 依法 " +
	"唐代 历代 思维 思考 普查 基因 明日 哈哈 列车 维修 依赖 赛季 简历 夏季 连连 " +
	"明明 金额 通车 多久 考古 密集 日历 豪华 恰恰 加热 万万 汉代 代谢 热爱 默默 " +
	"采集 加班 热门 依托 居多 采纳 卡车 秋季 派别 施加 马车 茂密 考查 钦佩 普法 " +
	"多多 特约 根基 久久 连日 简明 皮毛 历法 福利 雷达 吉普 图腾 布丁 丰收 其次 " +
	"亚欧 欧亚 美俄 俄美 俄乌 乌俄 西亚 南亚 欧美 美欧 拉美 中亚 特色 万多 多万 " +
	"依次 其余 因而 基于 海里 山里 车里 门内 其内 内里 多米 铁塔 泰斗 哥哥 弟弟 " +
	"妮妮 尼龙 沙龙 克隆 克拉 摩托 马达 卡通 吉他 芭蕾 托福 纳米 拉力 加仑 博客 " +
	"迷你 扑克 桑拿 探戈 伦巴 比索 贝雷 佛教 佛祖 基督 申明 普惠 普通 普及 科考 " +
	"班列 "

// hanGlueWords are common words made of one transliteration character and
// one other character (提出 "put forward", 安全 "security", 声明
// "statement"). When a run ends in the first character of such a word and
// the text goes on with its second, or begins with the second character of
// one whose first character precedes the run, that character belongs to the
// word, not to the name: 拉夫罗夫提出 gives 拉夫罗夫.
const hanGlueWords = "" +
	"什么 因为 通过 其中 代表 其他 根据 法律 因此 提出 基本 基础 第一 提高 提供 " +
	"比较 科技 达到 内容 思想 利用 科学 希望 集团 采用 范围 其实 劳动 基地 土地 " +
	"加强 铁路 多少 安全 采取 根本 干部 法规 明显 集中 第二 特点 武器 考虑 利益 " +
	"别人 通常 达成 加入 加快 加大 加深 提升 提议 提名 提及 明年 明确 多次 多边 " +
	"多国 多方 多年 多个 多项 多种 特使 安排 安理 西方 西部 南部 内部 万人 万元 " +
	"万吨 美国 美元 英国 英语 其间 因故 连续 维护 维持 维和 修建 修订 通报 通讯 " +
	"通信 华人 华侨 克服 比如 比例 海上 海关 海洋 山区 金融 铁道 门户 " +
	"经济 这里 许多 参加 产品 部门 分别 一切 增加 政策 年代 那里 公里 很多 原因 " +
	"及其 国内 分布 价格 交通 时代 实施 办法 今日 汽车 商品 无法 宪法 作品 现代 " +
	"胜利 更加 意义 专门 说明 调查 措施 声明 表明 文明 发布 宣布 公布 颁布 访华 " +
	"中华 来华 各国 同比 对比 相比 主义 正义 名义 定义 对华 境内 以内 之内 国内 " +
	"千米 中欧 中亚 中俄 中巴 中哈 中吉 中塔 中乌 中蒙 中伊 中印 "

// stopSet, glueSet and translitSet are the tables above as sets. They are
// built once and never changed.
var (
	translitSet = runeSet(hanTranslitChars)
	stopSet     = wordSet(hanStopWords)
	glueSet     = wordSet(hanGlueWords)
)

// runeSet returns the set of runes of s.
func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, len(s)/3)
	for _, r := range s {
		m[r] = true
	}
	return m
}

// wordSet returns the set of two-rune words of a space-separated list, each
// as the pair of its runes.
func wordSet(s string) map[[2]rune]bool {
	m := map[[2]rune]bool{}
	var w []rune
	flush := func() {
		if len(w) == 2 {
			m[[2]rune{w[0], w[1]}] = true
		}
		w = w[:0]
	}
	for _, r := range s {
		if r == ' ' {
			flush()
			continue
		}
		w = append(w, r)
	}
	flush()
	return m
}

// IsTranslitChar reports whether r is one of the Han characters Chinese uses
// to transliterate foreign names.
func IsTranslitChar(r rune) bool {
	// Every one is a CJK Unified Ideograph: a rune outside that block
	// (ASCII, most of a text) need not be looked up.
	if r < hanFirst || r > hanLast {
		return false
	}
	i := r - hanFirst
	return translitBits[i/64]&(1<<(i%64)) != 0
}

// hanFirst and hanLast bound the CJK Unified Ideographs block, which holds
// every transliteration character.
const hanFirst, hanLast = 0x4E00, 0x9FFF

// translitBits is translitSet as one bit per rune of the CJK block: a
// lookup of every Han character of every chunk is then one load, not a
// map access.
var translitBits = func() (bits [(hanLast - hanFirst + 64) / 64]uint64) {
	for r := range translitSet {
		i := r - hanFirst
		bits[i/64] |= 1 << (i % 64)
	}
	return bits
}()

// NameRuns returns the runs of Han characters in text that look like
// transliterated foreign names: maximal runs of transliteration characters
// (IsTranslitChar), split at anything else, so also at the middle dot of a
// full name (伊姆兰·汗 gives 伊姆兰; a part of one character is dropped).
// Ordinary words at the edges of a run are trimmed off (拉夫罗夫提出 gives
// 拉夫罗夫, 特别 is never a name); what is left is kept if it has at least
// three characters, or two that are not an ordinary word (普京, 莫迪).
// Runs are returned in text order, repeated as often as they occur.
func NameRuns(text string) []string {
	var out []string
	scanHan(text, func(run string) { out = append(out, run) })
	return out
}

// scanHan calls fn with each name run of text, as NameRuns returns them.
func scanHan(text string, fn func(run string)) {
	var prev rune // the rune before the current run
	start := -1   // byte offset of the current run, -1 outside a run
	for i := 0; i <= len(text); {
		r, size := rune(0), 1
		if i < len(text) {
			r, size = decodeRune(text, i)
		}
		if i < len(text) && IsTranslitChar(r) {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		if start >= 0 {
			if run := trimRun(text[start:i], prev, r); run != "" {
				fn(run)
			}
			start = -1
		}
		prev = r
		i += size
	}
}

// trimRun trims ordinary words off the edges of run, which is preceded in
// the text by before and followed by after, and returns what is left if it
// can be a name, else "".
func trimRun(run string, before, after rune) string {
	rs := []rune(run)
	if len(rs) > 0 && glueSet[[2]rune{before, rs[0]}] {
		rs = rs[1:]
	}
	for len(rs) > 2 && stopSet[[2]rune{rs[0], rs[1]}] {
		rs = rs[2:]
	}
	if len(rs) > 0 && glueSet[[2]rune{rs[len(rs)-1], after}] {
		rs = rs[:len(rs)-1]
	}
	for len(rs) > 2 && stopSet[[2]rune{rs[len(rs)-2], rs[len(rs)-1]}] {
		rs = rs[:len(rs)-2]
	}
	switch {
	case len(rs) < 2:
		return ""
	case len(rs) == 2 && stopSet[[2]rune{rs[0], rs[1]}]:
		return ""
	}
	return string(rs)
}

// Words returns the words of text in the Latin or Cyrillic alphabet that
// may be names: those that begin with a capital letter and are not a common
// capitalised word of English or Russian news (The, President, Министр,
// September) or an acronym of up to five capitals (SCO, TASS). Hyphens split
// words (Cholpon-Ata gives Cholpon and Ata); apostrophes do not (Oʻzbekiston).
// Words are returned in text order, repeated as often as they occur.
func Words(text string) []string {
	var out []string
	scanWords(text, func(w string) { out = append(out, w) })
	return out
}

// scanWords calls fn with each word of text, as Words returns them.
func scanWords(text string, fn func(w string)) {
	start := -1
	for i := 0; i <= len(text); {
		r, size := rune(0), 1
		if i < len(text) {
			r, size = decodeRune(text, i)
		}
		if i < len(text) && inWord(r, start >= 0) {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		if start >= 0 {
			// A word is a name only if it begins with a capital letter,
			// which trimming its end does not change: a word of ASCII
			// beginning with anything else is not looked at further.
			if c := text[start]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
				if w := trimPossessive(trimJoiners(text[start:i])); isNameWord(w) {
					fn(w)
				}
			}
			start = -1
		}
		i += size
	}
}

// decodeRune is utf8.DecodeRuneInString(text[i:]) with ASCII and the
// three-byte runes of Chinese (U+1000–U+FFFF but the surrogates) decoded in
// line (FuzzDecodeRune).
func decodeRune(text string, i int) (rune, int) {
	c := text[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(text) {
		b1, b2 := text[i+1], text[i+2]
		if b1&0xC0 == 0x80 && b2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(b1&0x3F)<<6 | rune(b2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(text[i:])
}

// inWord reports whether r continues (inside) or begins a word of
// scanWords: a Latin or Cyrillic letter, or inside a word a joiner. ASCII
// and the CJK blocks, which hold neither letter nor joiner outside a word,
// are told apart without the Unicode tables (TestInWordEveryRune).
func inWord(r rune, inside bool) bool {
	switch {
	case r < utf8.RuneSelf:
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || (inside && (r == '\'' || r == '`'))
	case !inside && r >= 0x2E80 && r <= 0x9FFF:
		return false
	case r >= 0x0410 && r <= 0x044F: // А–я
		return true
	}
	s := scriptOf(r)
	return s == Latin || s == Cyrillic || (inside && isWordJoiner(r))
}

// trimPossessive drops an English possessive 's from the end of a word:
// Lavrov's gives Lavrov.
func trimPossessive(w string) string {
	for _, suffix := range []string{"'s", "’s"} {
		if len(w) > len(suffix) && strings.HasSuffix(w, suffix) {
			return w[:len(w)-len(suffix)]
		}
	}
	return w
}

// trimJoiners drops apostrophes and marks at the end of a word.
func trimJoiners(w string) string {
	for len(w) > 0 {
		r, size := utf8.DecodeLastRuneInString(w)
		if !isWordJoiner(r) {
			break
		}
		w = w[:len(w)-size]
	}
	return w
}

// isNameWord reports whether the word w may be a name: it is capitalised,
// not an acronym and not a common word.
func isNameWord(w string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(first) {
		return false
	}
	upper, letters := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if upper == letters && letters <= 5 {
		return false
	}
	if len(w) <= 32 && isASCII(w) {
		// The same lookup without building the lower-case string.
		var buf [32]byte
		for i := 0; i < len(w); i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		return !commonWords[string(buf[:len(w)])]
	}
	return !commonWords[lowerWord(w)]
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerWord returns w in lower case.
func lowerWord(w string) string {
	rs := []rune(w)
	for i, r := range rs {
		rs[i] = unicode.ToLower(r)
	}
	return string(rs)
}

// commonWords are capitalised words of English and Russian news that are no
// names, in lower case.
var commonWords = func() map[string]bool {
	m := map[string]bool{}
	word := []rune{}
	for _, r := range commonWordList + " " {
		if r == ' ' || r == '\n' {
			if len(word) > 0 {
				m[string(word)] = true
				word = word[:0]
			}
			continue
		}
		word = append(word, r)
	}
	return m
}()

// commonWordList is the text of commonWords.
const commonWordList = `
the a an and or but if in on at to of for from with by as is are was were be
this that these those it its he she they we you i his her their our my your
there here when where while after before since during under over about into
what which who whom whose why how all any some no not also however meanwhile
according earlier later last next first second third new more most other such
mr mrs ms dr prof he's it's yes
president minister ministry secretary general council summit security
cooperation organization organisation foreign affairs statement declaration
region regional member members states state observer observers partner
partners dialogue chairman chairmanship committee parliament charter strategy
terrorism extremism separatism forum meeting meetings delegation ambassador
embassy agreement agreements treaty development initiative energy railway
pipeline military exercise exercises peace mission structure government
deputy spokesperson spokesman spokeswoman conference press agency news
global times daily western central eastern northern southern european union
nations united secretariat anniversary protocol memorandum bilateral
multilateral sovereignty territorial integrity transport corridor customs
investment trade tourism culture education health digital technology
innovation leaders leader ministers presidents heads head prime premier
foreign-minister national international republic federation people's
chinese russian indian iranian pakistani eurasian economic asian asia
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october
november december
министр министра министры президент президента саммит саммита организация
организации сотрудничество сотрудничества безопасность безопасности
заявление генеральный генерального секретарь секретаря шанхайская
шанхайской председатель председателя правительство правительства совет
совета глава главы делегация посол соглашение договор развитие энергетика
терроризм экстремизм сепаратизм кремль государство государства республика
республики федерация федерации стороны сторон лидеры министры наблюдатели
партнёры партнеры декларация хартия меморандум протокол форум встреча
переговоры стратегия экономика торговля инвестиции структура заместитель
министерство иностранных дел агентство сегодня однако кроме также между
он она они мы это этот эта эти в на по с со к из за для при о об от до
и а но или как что когда где после перед во время
понедельник вторник среда четверг пятница суббота воскресенье
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь
декабрь января февраля марта апреля мая июня июля августа сентября
октября ноября декабря
`
