package tokens

import "strings"

// stem is a light English stemmer for lower-case ASCII words. It conflates
// the inflections that matter between a question and a news report
// (plural, third person, -ed, -ing) and little else:
//
//	countries → country, policies/policy → policy, meetings → meeting (a noun kept whole, see noStem),
//	proposed/proposes/propose/proposing → propos, stopped → stop,
//	attended → attend, issues → issu.
//
// The final silent "e" is dropped from every stem so a base form and its
// inflections land on the same term. Stems are only ever compared with other
// stems, so they need not be words. Porter's algorithm would also strip
// derivational suffixes (-ation, -al, -ness). It was not adopted: the
// English dev questions that fail to retrieve their answer fail because the
// answer is in Chinese (the glossary's job), not for want of conflation, so
// there was nothing for a heavier stemmer to win, and it would cost a
// dependency or a few hundred lines plus over-conflation ("general" /
// "generate", "organization" / "organ").
func stem(w string) string {
	if len(w) <= 3 || noStem[w] {
		return w
	}
	w = stemPlural(w)
	if noStem[w] {
		return w
	}
	w = stemSuffix(w)
	if len(w) > 4 && strings.HasSuffix(w, "e") {
		w = w[:len(w)-1]
	}
	return w
}

// stemPlural strips a plural or third-person "s" (after Harman's S-stemmer).
func stemPlural(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4 && !strings.HasSuffix(w, "eies") && !strings.HasSuffix(w, "aies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "aes") && !strings.HasSuffix(w, "ees") && !strings.HasSuffix(w, "oes"):
		return w[:len(w)-1]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// stemSuffix strips "-ing" or "-ed" when a plausible stem (three letters or
// more, with a vowel) remains, then undoes a doubled final consonant
// ("stopp" → "stop").
func stemSuffix(w string) string {
	var s string
	switch {
	case strings.HasSuffix(w, "ied") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ing"):
		s = w[:len(w)-3]
	case strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		s = w[:len(w)-2]
	default:
		return w
	}
	if len(s) < 3 || !strings.ContainsAny(s, "aeiouy") {
		return w
	}
	if n := len(s); s[n-1] == s[n-2] && !strings.ContainsRune("aeioulsz", rune(s[n-1])) {
		s = s[:n-1]
	}
	return s
}

// noStem lists words the suffix rules would mangle into another word.
var noStem = map[string]bool{
	"news": true, "series": true, "species": true, "always": true, "perhaps": true,
	"during": true, "thing": true, "things": true, "nothing": true, "anything": true,
	"something": true, "everything": true, "beijing": true, "nanjing": true,
	"chongqing": true, "qingdao": true, "xinjiang": true, "kunming": true, "xining": true,
	// Nouns in -ing whose verb means something else: a "meeting" (会议) is
	// not "meet" (会见), a "briefing" not "brief".
	"meeting": true, "briefing": true, "building": true, "morning": true, "evening": true,
	"wellbeing": true, "hearing": true, "funding": true, "understanding": true,
}

// stopWords are English function words and question words. Question words
// matter most: a question's "what" or "which" would otherwise score against
// the few documents that happen to contain them.
var stopWords = setOf(
	"a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
	"be", "because", "been", "before", "being", "between", "both", "but", "by",
	"can", "could", "did", "do", "does", "doing", "done", "down", "each", "else", "ever", "for", "from", "further",
	"had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
	"i", "if", "in", "into", "is", "it", "its", "itself", "just", "let", "me", "might", "more", "most", "much", "must", "my", "myself",
	"nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "others", "our", "ours", "ourselves", "out", "own",
	"same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
	"themselves", "then", "there", "these", "they", "this", "those", "through", "thus", "to", "too",
	"until", "upon", "very", "was", "we", "were", "what", "whatever", "when", "where", "whether", "which",
	"while", "who", "whom", "whose", "why", "will", "with", "would", "you", "your", "yours", "yourself",
	// Cyrillic (Russian) function words.
	"и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его",
	"но", "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "мне", "было", "вот", "от",
	"меня", "еще", "нет", "о", "из", "ему", "когда", "даже", "ну", "ли", "если", "уже", "или", "быть",
	"был", "него", "до", "вас", "там", "потом", "себя", "ничего", "ей", "может", "они", "тут", "где",
	"есть", "надо", "ней", "для", "мы", "тебя", "их", "чем", "была", "сам", "чтобы", "без", "будто", "чего",
	"раз", "тоже", "себе", "под", "будет", "ж", "тогда", "кто", "этот", "того", "потому", "этого", "какой",
	"ним", "этом", "при", "об", "это", "эти", "также",
)

// hanParticles are structural particles that never begin or end a content
// word in this domain; a Han run is cut at them.
var hanParticles = map[rune]bool{'的': true, '了': true, '吗': true, '呢': true, '吧': true, '啊': true}

// hanStopWords are question words, pronouns and conjunctions cut out of a
// Han run before bigrams are formed, longest first.
var hanStopWords = runesOf(
	"为什么", "什么", "哪些", "哪里", "哪个", "哪儿", "如何", "怎么", "怎样", "多少", "是否",
	"我们", "你们", "他们", "她们", "它们", "这些", "那些", "这个", "那个", "这样", "那样",
	"以及", "并且", "而且", "但是", "因为", "所以", "如果", "虽然", "或者", "还是", "已经", "可以",
)

// hanStopStarts are the first characters of hanStopWords.
var hanStopStarts = func() map[rune]bool {
	m := map[rune]bool{}
	for _, w := range hanStopWords {
		m[w[0]] = true
	}
	return m
}()

// hanStopChars are function characters dropped when they stand alone.
var hanStopChars = map[rune]bool{
	'是': true, '在': true, '和': true, '与': true, '及': true, '等': true, '也': true, '就': true,
	'都': true, '而': true, '对': true, '从': true, '将': true, '把': true, '被': true, '为': true,
	'这': true, '那': true, '其': true, '之': true, '我': true, '你': true, '他': true, '她': true,
	'它': true, '有': true, '个': true, '又': true, '并': true, '或': true, '但': true, '于': true,
	'以': true, '向': true, '同': true, '由': true, '让': true, '给': true, '到': true, '着': true,
	'还': true, '很': true, '地': true, '得': true, '即': true, '则': true, '所': true, '么': true,
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func runesOf(words ...string) [][]rune {
	rs := make([][]rune, len(words))
	for i, w := range words {
		rs[i] = []rune(w)
	}
	return rs
}
