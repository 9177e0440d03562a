// Package words is the message table of scobot's presentation home
// (package render): every message the bot and the command line show in
// their own words, in Chinese, English and Russian, from one table
// (messages.go), and the one way a source is written ("Title — Publisher,
// date", sources.go). It is a leaf: it knows the domain types of package
// rag and nothing else of scobot's, so the packages that write answers
// (rag/answer, rag/brief) can take their words from it while render, which
// imports them, draws what they write.
package words

import (
	"fmt"
	"strings"
)

// Key names one message of the table.
type Key string

// The messages. Each is written once, in every language, in the table
// below; a %d or %s in it is filled by Text's arguments.
const (
	StartIntro       Key = "start.intro"
	StartReports     Key = "start.reports"
	StartTry         Key = "start.try"
	StartHelpHint    Key = "start.help"
	HelpIntro        Key = "help.intro"
	HelpCommands     Key = "help.commands"
	CmdAsk           Key = "cmd.ask"
	CmdSources       Key = "cmd.sources"
	CmdBrief         Key = "cmd.brief"
	CmdTimeline      Key = "cmd.timeline"
	CmdStart         Key = "cmd.start"
	CmdHelp          Key = "cmd.help"
	CmdLang          Key = "cmd.lang"
	CmdAdd           Key = "cmd.add"
	CmdRemove        Key = "cmd.remove"
	MenuAsk          Key = "menu.ask"
	MenuSources      Key = "menu.sources"
	MenuBrief        Key = "menu.brief"
	MenuTimeline     Key = "menu.timeline"
	MenuStart        Key = "menu.start"
	MenuHelp         Key = "menu.help"
	MenuLang         Key = "menu.lang"
	UsageAsk         Key = "usage.ask"
	UsageBrief       Key = "usage.brief"
	UsageLang        Key = "usage.lang"
	UnknownCommand   Key = "unknown.command"
	QuestionTooLong  Key = "question.long"
	QuestionTooLongN Key = "question.longn"
	TopicTooLong     Key = "topic.long"
	FilterTooLong    Key = "filter.long"
	AnswerTimeout    Key = "answer.timeout"
	AnswerFailed     Key = "answer.failed"
	BriefComing      Key = "brief.coming"
	TimelineMissing  Key = "timeline.missing"
	NoReports        Key = "sources.none"
	SourcesTitle     Key = "sources.title"
	SourcesHeading   Key = "sources.heading"
	LangSet          Key = "lang.set"
	LangAuto         Key = "lang.auto"
	Refused          Key = "refused"
	NonText          Key = "nontext"
	RateLimit        Key = "ratelimit"
	RateQuestions    Key = "rate.questions"
	RateCommands     Key = "rate.commands"
	PerSecond        Key = "per.second"
	PerMinute        Key = "per.minute"
	PerHour          Key = "per.hour"
	PerDuration      Key = "per.duration"
	NotEditor        Key = "admin.noteditor"
	NoLibrary        Key = "admin.nolibrary"
	UsageAdd         Key = "usage.add"
	UsageRemove      Key = "usage.remove"
	Added            Key = "admin.added"
	AddedThen        Key = "admin.addedthen"
	NotAdded         Key = "admin.notadded"
	Removed          Key = "admin.removed"
	NotRemoved       Key = "admin.notremoved"
	FieldTitle       Key = "field.title"
	FieldDate        Key = "field.date"
	FieldPublisher   Key = "field.publisher"
	FieldLanguages   Key = "field.languages"
	FieldChunks      Key = "field.chunks"
	NoneFound        Key = "none.found"

	// The words of answers and briefings (rag/answer's notes).
	Abstain             Key = "answer.abstain"
	AccordingTo         Key = "answer.according"
	AccordingToDates    Key = "answer.accordingdates"
	ListSep             Key = "list.sep"
	ListAnd             Key = "list.and"
	Unnamed             Key = "answer.unnamed"
	OtherYears          Key = "answer.otheryears"
	NoteUnavailable     Key = "note.unavailable"
	NoteUngrounded      Key = "note.ungrounded"
	NoteUncited         Key = "note.uncited"
	NoteKeywordOnly     Key = "note.keywordonly"
	NoteBriefUnavail    Key = "note.briefunavailable"
	NoteBriefUngrounded Key = "note.briefungrounded"
	NoteBriefDropped    Key = "note.briefdropped"
	NoteCutOff          Key = "note.cutoff"
	NoteUnsupported     Key = "note.unsupported"
	NoteRemovedOne      Key = "note.removedone"
	NoteRemovedMany     Key = "note.removedmany"
	SuggestPerson       Key = "suggest.person"
	SuggestPlace        Key = "suggest.place"
	SuggestTopic        Key = "suggest.topic"
	ButtonQuotes        Key = "button.quotes"
	ButtonBrief         Key = "button.brief"
	ButtonExpired       Key = "button.expired"
	ButtonThanks        Key = "button.thanks"
	QuotesTitle         Key = "quotes.title"
	CmdReset            Key = "cmd.reset"
	MenuReset           Key = "menu.reset"
	ResetDone           Key = "reset.done"
	CmdSubscribe        Key = "cmd.subscribe"
	CmdSubscriptions    Key = "cmd.subscriptions"
	CmdUnsubscribe      Key = "cmd.unsubscribe"
	MenuSubscribe       Key = "menu.subscribe"
	UsageSubscribe      Key = "usage.subscribe"
	UsageUnsubscribe    Key = "usage.unsubscribe"
	Subscribed          Key = "sub.done"
	NotSubscribed       Key = "sub.not"
	NoSubscriptions     Key = "sub.none"
	SubscriptionsTitle  Key = "sub.title"
	Unsubscribed        Key = "sub.removed"
	NotGroupAdmin       Key = "sub.notadmin"
	NoDigests           Key = "sub.nodigests"
	DigestTitle         Key = "digest.title"

	// The words of briefings and timelines (rag/brief's headlines,
	// render's briefing and timeline renderers).
	BriefAbstain    Key = "brief.abstain"
	BriefNothingNew Key = "brief.nothingnew"
	BriefKeyPoints  Key = "brief.keypoints"
	TimelineTitle   Key = "timeline.title"
	SourcesDiffer   Key = "brief.differ"
	NoteLabel       Key = "brief.note"
	Undated         Key = "event.undated"
	DateReported    Key = "event.reported"
	NoEvents        Key = "timeline.none"
	LabelColon      Key = "label.colon"

	// The prose of briefings: their extractive headline ("Topic: 3 SCO
	// Council of Foreign Ministers meetings, 2020–2024; the latest on
	// 2024-05-21 in Astana") and the sentences saying where sources
	// differ on an event's date or on the number of proposals made at it.
	HeadlineOne       Key = "headline.one"
	HeadlineMeetings  Key = "headline.meetings"
	HeadlineEvents    Key = "headline.events"
	HeadlineSince     Key = "headline.since"
	YearSpan          Key = "headline.years"
	MeetingsOne       Key = "count.meetings.one"
	MeetingsFew       Key = "count.meetings.few"
	MeetingsMany      Key = "count.meetings.many"
	EventsOne         Key = "count.events.one"
	EventsFew         Key = "count.events.few"
	EventsMany        Key = "count.events.many"
	WhenIn            Key = "when.in"
	WhenHeld          Key = "when.held"
	WhenHeldIn        Key = "when.heldin"
	EventMeetingPlace Key = "event.meetingplace"
	EventMeeting      Key = "event.meeting"
	EventPlace        Key = "event.place"
	EventOn           Key = "event.on"
	DifferDate        Key = "differ.date"
	DifferCount       Key = "differ.count"
	DateSaysOne       Key = "differ.saysone"
	DateSaysMany      Key = "differ.saysmany"
	DateGivesBoth     Key = "differ.both"
	DateBothAnd       Key = "differ.bothand"
	DateWhileOne      Key = "differ.whileone"
	DateWhileMany     Key = "differ.whilemany"
	DifferSep         Key = "differ.sep"
	DateQuoted        Key = "differ.quoted"
	CountCited        Key = "differ.countcited"
	NumberWords       Key = "number.words"
	ProposalsOne      Key = "count.proposals.one"
	ProposalsFew      Key = "count.proposals.few"
	ProposalsMany     Key = "count.proposals.many"

	// What follows a command in /help ("/ask <question>").
	ArgsQuestion  Key = "args.question"
	ArgsTopic     Key = "args.topic"
	ArgsFilter    Key = "args.filter"
	ArgsLang      Key = "args.lang"
	ArgsSubscribe Key = "args.subscribe"
	ArgsID        Key = "args.id"
	ArgsAdd       Key = "args.add"

	// The terminal chat's own words (scobot chat).
	ChatIntro       Key = "chat.intro"
	ChatLineTooLong Key = "chat.linelong"
)

// Languages are the languages of the table, the first the default.
var Languages = []string{"en", "zh", "ru"}

// messages is the table: for each key, its text in English, Chinese and
// Russian, in the order of Languages.
var messages = map[Key][3]string{
	StartIntro: {
		"I answer questions about the diplomacy of the Shanghai Cooperation Organization (SCO) from a set of news reports, in Chinese, English or Russian, and cite the report behind every statement. When the reports don't say, I tell you so.",
		"我根据一组新闻报道回答有关上海合作组织（上合组织）外交的问题，可用中文、英文或俄文提问，每句话都注明出处。报道中没有的内容，我会如实告诉你。",
		"Я отвечаю на вопросы о дипломатии Шанхайской организации сотрудничества (ШОС) по подборке новостных сообщений — на русском, китайском или английском — и указываю источник каждого утверждения. Если в сообщениях ответа нет, я так и скажу.",
	},
	StartReports:  {"The reports (%d)", "报道（%d 篇）", "Сообщения (%d)"},
	StartTry:      {"Try asking", "可以这样问", "Попробуйте спросить"},
	StartHelpHint: {"Send /help for the commands.", "发送 /help 查看命令。", "Отправьте /help, чтобы увидеть команды."},
	HelpIntro: {
		"Ask a question in Chinese, English or Russian and I answer from the news reports, with numbered sources.",
		"用中文、英文或俄文提问，我根据新闻报道作答，并标注编号来源。",
		"Задайте вопрос на русском, китайском или английском — я отвечу по новостным сообщениям с пронумерованными источниками.",
	},
	HelpCommands: {"Commands", "命令", "Команды"},
	CmdAsk:       {"answer a question (in groups, use this or mention me)", "回答问题（在群组中请用此命令或 @ 我）", "ответить на вопрос (в группах — этой командой или упомянув меня)"},
	CmdSources:   {"the reports I answer from", "我据以回答的报道", "сообщения, по которым я отвечаю"},
	CmdBrief:     {"a short briefing on a topic", "某一主题的简报", "краткая справка по теме"},
	CmdTimeline:  {"the events in the reports, oldest first", "报道中的事件，按时间先后排列", "события из сообщений, от ранних к поздним"},
	CmdStart:     {"what I am, with example questions", "介绍与示例问题", "кто я, с примерами вопросов"},
	CmdHelp:      {"this message", "本帮助信息", "это сообщение"},
	CmdLang:      {"the language I speak to you in: zh, en, ru, or auto", "我使用的语言：zh、en、ru 或 auto（自动）", "язык, на котором я с вами говорю: zh, en, ru или auto"},
	CmdAdd:       {"add a report (or send a .txt, .md or .html file, or forward a message); editors only", "添加报道（或发送 .txt、.md、.html 文件，或转发消息）；仅限编辑", "добавить сообщение (или прислать файл .txt, .md, .html, или переслать сообщение); только для редакторов"},
	CmdRemove:    {"remove a report added with /add; editors only", "删除用 /add 添加的报道；仅限编辑", "удалить сообщение, добавленное через /add; только для редакторов"},
	MenuAsk:      {"Answer a question from the news reports", "根据新闻报道回答问题", "Ответить на вопрос по новостям"},
	MenuSources:  {"List the reports I answer from", "列出我据以回答的报道", "Список сообщений, по которым я отвечаю"},
	MenuBrief:    {"A short briefing on a topic", "某一主题的简报", "Краткая справка по теме"},
	MenuTimeline: {"The events in the reports, oldest first", "报道中的事件时间线", "Хронология событий из сообщений"},
	MenuStart:    {"What this bot is, with examples", "机器人介绍与示例", "Что это за бот, с примерами"},
	MenuHelp:     {"How to use the bot", "使用方法", "Как пользоваться ботом"},
	MenuLang:     {"Choose the bot's language", "选择机器人的语言", "Выбрать язык бота"},
	UsageAsk:     {"Usage: /ask <question>, e.g. /ask %s", "用法：/ask <问题>，例如 /ask %s", "Использование: /ask <вопрос>, например /ask %s"},
	UsageBrief:   {"Usage: /brief <topic>, e.g. /brief the 2024 Astana meeting", "用法：/brief <主题>，例如 /brief 2024年阿斯塔纳会议", "Использование: /brief <тема>, например /brief встреча в Астане 2024"},
	UsageLang:    {"Usage: /lang zh, /lang en, /lang ru, or /lang auto (your Telegram language)", "用法：/lang zh、/lang en、/lang ru，或 /lang auto（跟随 Telegram 语言）", "Использование: /lang zh, /lang en, /lang ru или /lang auto (язык вашего Telegram)"},
	UnknownCommand: {
		"I don't know the command /%s. Send /help for what I can do.",
		"我不认识命令 /%s。发送 /help 查看我能做什么。",
		"Я не знаю команды /%s. Отправьте /help, чтобы узнать, что я умею.",
	},
	QuestionTooLongN: {"Your question is %d characters long; please keep it under %d.", "你的问题有 %d 个字符，请控制在 %d 个以内。", "В вашем вопросе %d символов; пожалуйста, не больше %d."},
	QuestionTooLong:  {"Your question is too long; please keep it under %d characters.", "问题太长，请控制在 %d 个字符以内。", "Вопрос слишком длинный; пожалуйста, не больше %d символов."},
	TopicTooLong:     {"The topic is %d characters long; please keep it under %d.", "主题有 %d 个字符，请控制在 %d 个以内。", "В теме %d символов; пожалуйста, не больше %d."},
	FilterTooLong:    {"The filter is %d characters long; please keep it under %d.", "筛选词有 %d 个字符，请控制在 %d 个以内。", "В фильтре %d символов; пожалуйста, не больше %d."},
	AnswerTimeout:    {"Sorry, answering took too long. Please try again in a moment.", "抱歉，回答用时过长，请稍后再试。", "Извините, ответ занял слишком много времени. Попробуйте чуть позже."},
	AnswerFailed:     {"Sorry, something went wrong while answering. Please try again later.", "抱歉，回答时出了问题，请稍后再试。", "Извините, при ответе что-то пошло не так. Попробуйте позже."},
	BriefComing:      {"Briefings are coming soon. Meanwhile, ask me a question, e.g. %s", "简报功能即将推出。你可以先提问，例如：%s", "Справки скоро появятся. А пока задайте вопрос, например: %s"},
	TimelineMissing:  {"The timeline is not available here.", "此处不提供时间线。", "Хронология здесь недоступна."},
	NoReports:        {"No reports are loaded.", "尚未载入任何报道。", "Сообщения не загружены."},
	SourcesTitle:     {"I answer from %d reports", "我根据 %d 篇报道作答", "Я отвечаю по %d сообщениям"},
	SourcesHeading:   {"Sources", "来源", "Источники"},
	LangSet:          {"I will speak English to you here.", "我在这里将使用中文。", "Здесь я буду говорить с вами по-русски."},
	LangAuto:         {"I will speak to you in your Telegram language.", "我将使用你的 Telegram 语言。", "Я буду говорить с вами на языке вашего Telegram."},
	Refused:          {"Sorry, this bot only answers in chats it has been set up for.", "抱歉，本机器人只在已设置的聊天中回答。", "Извините, этот бот отвечает только в чатах, для которых он настроен."},
	NonText: {
		"I can only read text. Please type your question, e.g. %s",
		"我只能读文字。请输入你的问题，例如：%s",
		"Я читаю только текст. Напишите вопрос, например: %s",
	},
	RateLimit:     {"Please wait a moment before asking again (limit: %s).", "请稍等片刻再提问（限制：%s）。", "Пожалуйста, подождите немного, прежде чем спросить снова (ограничение: %s)."},
	RateQuestions: {"%d questions %s", "%[2]s %[1]d 个问题", "%d вопросов %s"},
	RateCommands:  {"%d commands %s", "%[2]s %[1]d 条命令", "%d команд %s"},
	PerSecond:     {"per second", "每秒", "в секунду"},
	PerMinute:     {"per minute", "每分钟", "в минуту"},
	PerHour:       {"per hour", "每小时", "в час"},
	PerDuration:   {"per %s", "每 %s", "за %s"},
	NotEditor:     {"Only the newsroom's editors can add or remove reports. Ask me a question instead.", "只有编辑可以添加或删除报道。你可以直接向我提问。", "Добавлять и удалять сообщения могут только редакторы. Задайте мне вопрос."},
	NoLibrary:     {"Adding reports is not available in this bot.", "本机器人不支持添加报道。", "В этом боте нельзя добавлять сообщения."},
	UsageAdd: {
		"Usage: /add <url>, /add followed by the report's text, or send a .txt, .md or .html file (or forward a message) to add it.",
		"用法：/add <网址>，/add 后接报道全文，或发送 .txt、.md、.html 文件（或转发消息）来添加。",
		"Использование: /add <адрес>, /add и текст сообщения, или пришлите файл .txt, .md, .html (или перешлите сообщение).",
	},
	UsageRemove: {"Usage: /remove <id> (the ID /add gave).", "用法：/remove <ID>（/add 给出的 ID）。", "Использование: /remove <ID> (тот, что выдала /add)."},
	Added:       {"Added %s", "已添加 %s", "Добавлено: %s"},
	AddedThen:   {"It is answered from now on; /remove %s undoes it.", "现在起即可据此作答；/remove %s 可撤销。", "С этого момента я отвечаю и по нему; /remove %s отменяет."},
	NotAdded:    {"Not added: %s", "未添加：%s", "Не добавлено: %s"},
	Removed:     {"Removed %s: it is no longer answered from.", "已删除 %s，不再据此作答。", "Удалено: %s — больше не используется в ответах."},
	NotRemoved:  {"Not removed: %s", "未删除：%s", "Не удалено: %s"},
	FieldTitle:  {"title", "标题", "заголовок"},
	FieldDate:   {"date", "日期", "дата"},
	FieldPublisher: {
		"publisher", "发布者", "издатель",
	},
	FieldLanguages: {"languages", "语言", "языки"},
	FieldChunks:    {"chunks", "分块", "фрагменты"},
	NoneFound:      {"(none found)", "（未找到）", "(не найдено)"},

	Abstain: {
		"The corpus does not say: none of the indexed reports covers this question.",
		"语料库中没有相关信息：现有报道均未涉及这个问题。",
		"В корпусе нет ответа на этот вопрос: ни один из отчётов его не освещает.",
	},
	AccordingTo:      {"According to the reports:", "据语料中的报道：", "Согласно сообщениям:"},
	AccordingToDates: {"According to reports of %s:", "据%s的报道：", "Согласно сообщениям от %s:"},
	ListSep:          {", ", "、", ", "},
	ListAnd:          {" and ", "、", " и "},
	Unnamed:          {"No report mentions %s.", "没有一篇报道提到%s。", "Ни в одном отчёте не упоминается: %s."},
	OtherYears: {
		"The reports that name this are of %s, not of %s.",
		"提到这些的报道是%s年的，不是%s年的。",
		"Отчёты, где это упоминается, относятся к %s, а не к %s.",
	},
	NoteUnavailable: {
		"The language model is unavailable; this answer quotes the reports directly.",
		"语言模型暂时不可用，以下为报道原文摘录。",
		"Языковая модель недоступна; ответ дословно цитирует сообщения.",
	},
	NoteUngrounded: {
		"The language model's answer cited no source, so this answer quotes the reports directly.",
		"语言模型的回答未引用任何来源，因此改为报道原文摘录。",
		"Ответ языковой модели не ссылался ни на один источник, поэтому ответ дословно цитирует сообщения.",
	},
	NoteUncited: {
		"Some sentences of this answer carry no citation; check them against the sources.",
		"回答中有些句子未标注来源，请核对。",
		"Некоторые предложения ответа без ссылки на источник; сверьте их с источниками.",
	},
	NoteKeywordOnly: {
		"Semantic search is unavailable; passages were found by keyword search only.",
		"向量检索暂时不可用，结果仅来自关键词检索。",
		"Семантический поиск недоступен; фрагменты найдены только по ключевым словам.",
	},
	NoteBriefUnavail: {
		"The language model is unavailable; the key points quote the reports directly.",
		"语言模型暂时不可用，以下要点为报道原文摘录。",
		"Языковая модель недоступна; основные пункты дословно цитируют сообщения.",
	},
	NoteBriefUngrounded: {
		"The language model's points cited no valid source, so the key points quote the reports directly.",
		"语言模型起草的要点未引用有效来源，因此改为报道原文摘录。",
		"Пункты языковой модели не ссылались на действительный источник, поэтому они дословно цитируют сообщения.",
	},
	NoteBriefDropped: {
		"Some drafted points cited no valid source and were left out.",
		"部分起草的要点未引用有效来源，已删去。",
		"Некоторые пункты без действительного источника опущены.",
	},
	NoteCutOff: {
		"The language model's answer was cut off at its length limit and may be incomplete.",
		"语言模型的回答因长度限制被截断，可能不完整。",
		"Ответ языковой модели обрезан по лимиту длины и может быть неполным.",
	},
	NoteUnsupported: {
		"No sentence of the language model's answer was supported by the reports it cited, so this answer quotes the reports directly.",
		"语言模型的回答没有一句得到所引报道的支持，因此改为报道原文摘录。",
		"Ни одно предложение ответа языковой модели не подтверждено цитируемыми сообщениями, поэтому ответ дословно цитирует их.",
	},
	NoteRemovedOne: {
		"%d sentence the cited reports do not support was removed.",
		"已删去 %d 句所引报道不支持的内容。",
		"Удалено предложений, не подтверждённых источниками: %d.",
	},
	SuggestPerson:      {"What else did %s say?", "%s还说了什么？", "Что ещё сказал(а) %s?"},
	SuggestPlace:       {"What happened in %s?", "在%s发生了什么？", "Что говорится в сообщениях о городе %s?"},
	SuggestTopic:       {"What do the reports say about %s?", "报道中关于%s说了什么？", "Что говорится в сообщениях на тему «%s»?"},
	ButtonQuotes:       {"📄 Full quotes", "📄 原文", "📄 Цитаты"},
	ButtonBrief:        {"📋 Briefing", "📋 简报", "📋 Справка"},
	ButtonExpired:      {"This button has expired; please ask again.", "按钮已过期，请重新提问。", "Срок действия кнопки истёк; задайте вопрос снова."},
	ButtonThanks:       {"Thank you: noted.", "谢谢，已记录。", "Спасибо, учтено."},
	CmdReset:           {"forget this conversation, for a fresh start", "清除本对话的上下文，重新开始", "забыть этот разговор и начать заново"},
	MenuReset:          {"Forget this conversation", "清除对话上下文", "Забыть разговор"},
	ResetDone:          {"Done: I have forgotten this conversation; the next question stands on its own.", "好的，已清除本对话的上下文；下一个问题将单独理解。", "Готово: я забыл этот разговор; следующий вопрос будет понят сам по себе."},
	CmdSubscribe:       {"a digest on a topic, every day or week: /subscribe <topic> [daily HH:MM | weekly DAY HH:MM] [timezone]", "定期简报：/subscribe <主题> [daily HH:MM | weekly 星期 HH:MM] [时区]", "регулярная сводка: /subscribe <тема> [daily ЧЧ:ММ | weekly ДЕНЬ ЧЧ:ММ] [часовой пояс]"},
	CmdSubscriptions:   {"this chat's digests", "本聊天的定期简报", "сводки этого чата"},
	CmdUnsubscribe:     {"stop a digest: /unsubscribe <id>", "取消定期简报：/unsubscribe <ID>", "отменить сводку: /unsubscribe <ID>"},
	MenuSubscribe:      {"A digest on a topic, daily or weekly", "定期简报（每日或每周）", "Сводка по теме, ежедневно или еженедельно"},
	UsageSubscribe:     {"Usage: /subscribe <topic> [daily HH:MM | weekly DAY HH:MM] [timezone], e.g. /subscribe foreign ministers daily 08:00 Europe/Moscow", "用法：/subscribe <主题> [daily HH:MM | weekly 星期 HH:MM] [时区]，例如 /subscribe 外长会议 daily 08:00 Asia/Shanghai", "Использование: /subscribe <тема> [daily ЧЧ:ММ | weekly ДЕНЬ ЧЧ:ММ] [пояс], например /subscribe министры иностранных дел daily 08:00 Europe/Moscow"},
	UsageUnsubscribe:   {"Usage: /unsubscribe <id> (/subscriptions lists them)", "用法：/unsubscribe <ID>（/subscriptions 可查看）", "Использование: /unsubscribe <ID> (список — /subscriptions)"},
	Subscribed:         {"Subscribed (%s): a digest on “%s”, %s, next on %s. Only what is new is sent; nothing new, nothing sent.", "已订阅（%s）：关于“%s”的简报，%s，下次 %s。只发送新内容；没有新内容则不发送。", "Подписка оформлена (%s): сводка по теме «%s», %s, следующая %s. Присылается только новое; нет нового — ничего не приходит."},
	NotSubscribed:      {"Not subscribed: %s", "未订阅：%s", "Подписка не оформлена: %s"},
	NoSubscriptions:    {"This chat has no digests. /subscribe <topic> sets one up.", "本聊天没有定期简报。用 /subscribe <主题> 订阅。", "В этом чате нет сводок. /subscribe <тема> — подписаться."},
	SubscriptionsTitle: {"This chat's digests", "本聊天的定期简报", "Сводки этого чата"},
	Unsubscribed:       {"Digest %s stopped.", "已取消定期简报 %s。", "Сводка %s отменена."},
	NotGroupAdmin:      {"In a group, only its admins can set up or stop digests.", "在群组中，只有管理员可以订阅或取消简报。", "В группе подписываться и отменять сводки могут только её администраторы."},
	NoDigests:          {"Digests are not available in this bot.", "本机器人不提供定期简报。", "В этом боте нет сводок."},
	DigestTitle:        {"Digest: %s", "简报：%s", "Сводка: %s"},
	QuotesTitle:        {"The cited passages", "所引段落", "Цитируемые фрагменты"},
	BriefAbstain: {
		"The corpus does not cover this topic: none of the indexed reports is about “%s”.",
		"语料库未涉及这一主题：现有报道均与“%s”无关。",
		"Корпус не освещает эту тему: ни одно из сообщений не посвящено теме «%s».",
	},
	BriefNothingNew: {"Nothing new since %s on “%s”.", "自%s以来，关于“%s”没有新的报道。", "С %s ничего нового по теме «%s»."},
	BriefKeyPoints:  {"Key points", "要点", "Главное"},
	TimelineTitle:   {"Timeline", "时间线", "Хронология"},
	SourcesDiffer:   {"Sources differ", "说法不一", "Источники расходятся"},
	NoteLabel:       {"Note", "注", "Примечание"},
	Undated:         {"undated", "日期不详", "без даты"},
	DateReported:    {" (reported)", "（报道日期）", " (дата сообщения)"},
	NoEvents:        {"No events match.", "没有符合条件的事件。", "Подходящих событий нет."},
	LabelColon:      {": ", "：", ": "},
	HeadlineOne:     {"%s: %s", "%s：%s", "%s: %s"},
	HeadlineMeetings: {
		"%[1]s: %[2]s %[3]s meetings, %[4]s; the latest on %[5]s",
		"%[1]s：%[4]s年共%[2]s次%[3]s会议，最近一次于%[5]s",
		"%[1]s: %[2]s (%[3]s), %[4]s; последняя — %[5]s",
	},
	HeadlineEvents: {
		"%[1]s: %[2]s reported events, %[3]s; the latest on %[4]s",
		"%[1]s：%[3]s年共%[2]s起相关事件，最近一次于%[4]s",
		"%[1]s: %[2]s, %[3]s; последнее — %[4]s",
	},
	HeadlineSince:     {"%s (new since %s)", "%s（%s以来）", "%s (новое с %s)"},
	YearSpan:          {"%s–%s", "%s—%s", "%s–%s гг."},
	MeetingsOne:       {"%d", "%d", "%d встреча"},
	MeetingsFew:       {"%d", "%d", "%d встречи"},
	MeetingsMany:      {"%d", "%d", "%d встреч"},
	EventsOne:         {"%d", "%d", "%d событие"},
	EventsFew:         {"%d", "%d", "%d события"},
	EventsMany:        {"%d", "%d", "%d событий"},
	WhenIn:            {"%s in %s", "%s在%s", "%s, %s"},
	WhenHeld:          {"%s", "%s举行", "%s"},
	WhenHeldIn:        {"%s in %s", "%s在%s举行", "%s, %s"},
	EventMeetingPlace: {"the %[1]s meeting in %[2]s on %[3]s", "%[3]s在%[2]s举行的%[1]s会议", "встречи (%[1]s; %[2]s, %[3]s)"},
	EventMeeting:      {"the %[1]s meeting on %[2]s", "%[2]s的%[1]s会议", "встречи (%[1]s; %[2]s)"},
	EventPlace:        {"the event in %[1]s on %[2]s", "%[2]s在%[1]s举行的事件", "события (%[1]s, %[2]s)"},
	EventOn:           {"the event on %s", "%s的事件", "события (%s)"},
	DifferDate: {
		"Sources differ on the date of %s: %s%s.",
		"关于%s的日期，来源说法不一：%s%s。",
		"Источники расходятся в дате %s: %s%s.",
	},
	DifferCount: {
		"Sources differ on the number of proposals made at %s: %s.",
		"关于%s上提出建议的数量，来源说法不一：%s。",
		"Источники расходятся в том, сколько предложений было выдвинуто в ходе %s: %s.",
	},
	DateSaysOne:   {"%s says %s", "%s写作%s", "%s указывает %s"},
	DateSaysMany:  {"%s says %s", "%s写作%s", "%s указывают %s"},
	DateGivesBoth: {"%s gives both %s", "%s同时写作%s", "%s указывает и %s"},
	DateBothAnd:   {" and ", "和", ", и "},
	DateWhileOne:  {", while %s gives %s", "，而%s为%s", ", а %s — %s"},
	DateWhileMany: {", while %s give %s", "，而%s为%s", ", а %s — %s"},
	DifferSep:     {"; ", "；", "; "},
	DateQuoted:    {"“%s”", "“%s”", "«%s»"},
	CountCited:    {"%s %s", "%s%s", "%s %s"},
	NumberWords: {
		"one two three four five six seven eight nine ten",
		"一 两 三 四 五 六 七 八 九 十",
		"одно два три четыре пять шесть семь восемь девять десять",
	},
	ProposalsOne:  {"%s", "%s点", "%s предложение"},
	ProposalsFew:  {"%s", "%s点", "%s предложения"},
	ProposalsMany: {"%s", "%s点", "%s предложений"},
	ArgsQuestion:  {"<question>", "<问题>", "<вопрос>"},
	ArgsTopic:     {"<topic>", "<主题>", "<тема>"},
	ArgsFilter:    {"[word or year]", "[词语或年份]", "[слово или год]"},
	ArgsLang:      {"zh | en | ru | auto", "zh | en | ru | auto", "zh | en | ru | auto"},
	ArgsSubscribe: {"<topic> [daily HH:MM | weekly DAY HH:MM] [timezone]", "<主题> [daily HH:MM | weekly 星期 HH:MM] [时区]", "<тема> [daily ЧЧ:ММ | weekly ДЕНЬ ЧЧ:ММ] [часовой пояс]"},
	ArgsID:        {"<id>", "<ID>", "<ID>"},
	ArgsAdd:       {"<url> | <text>", "<网址> | <正文>", "<адрес> | <текст>"},
	ChatIntro: {
		"Ask about SCO diplomacy (%d documents; /help for commands). An empty line ends the chat.",
		"请提问上合组织外交（%d 篇报道；发送 /help 查看命令）。空行结束对话。",
		"Спрашивайте о дипломатии ШОС (%d документов; /help — команды). Пустая строка завершает разговор.",
	},
	ChatLineTooLong: {
		"That line is too long (over %d KiB); please keep a question under %d characters.",
		"这一行太长（超过 %d KiB），请把问题控制在 %d 个字符以内。",
		"Строка слишком длинная (больше %d КиБ); пожалуйста, задайте вопрос короче %d символов.",
	},
	NoteRemovedMany: {
		"%d sentences the cited reports do not support were removed.",
		"已删去 %d 句所引报道不支持的内容。",
		"Удалено предложений, не подтверждённых источниками: %d.",
	},
}

// Text returns message k in lang (a language of Languages; any other,
// English), its verbs filled with args.
func Text(lang string, k Key, args ...any) string {
	m, ok := messages[k]
	if !ok {
		return string(k)
	}
	s := m[index(lang)]
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// index is lang's column of the table.
func index(lang string) int {
	for i, l := range Languages {
		if l == lang {
			return i
		}
	}
	return 0
}

// Lang returns the table's language for a language tag ("zh-hans",
// "ru-RU", "en"): its language if the table has it, else "" (unknown).
func Lang(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	for _, l := range Languages {
		if l == base {
			return l
		}
	}
	return ""
}
