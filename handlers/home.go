package handlers

import (
	"github.com/slack-go/slack"
	"github.com/smtpcodes/smtpbot/locales"
)

func dividerBlock() slack.Block { return slack.NewDividerBlock() }

func (rt *Router) homeBlocks(lang *locales.Lang) []slack.Block {
	var options []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, l := range rt.eng.Languages().Languages() {
		o := slack.NewOptionBlockObject(l.Tag, slack.NewTextBlockObject(slack.PlainTextType, l.Name, false, false), nil)
		options = append(options, o)
		if l == lang {
			initial = o
		}
	}
	picker := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic,
		slack.NewTextBlockObject(slack.PlainTextType, lang.T("home.language"), false, false), actionHomeLang, options...)
	picker.InitialOption = initial

	var buttons []slack.BlockElement
	for _, c := range commonCodes {
		buttons = append(buttons, slack.NewButtonBlockElement(actionHomeCode+":"+c, c,
			slack.NewTextBlockObject(slack.PlainTextType, c, false, false)))
	}
	return []slack.Block{
		header(lang.T("home.title")),
		section(escape(lang.T("home.intro"))),
		section(lang.T("slack.help.body", "cmd", "/smtp ")),
		dividerBlock(),
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, bold(lang.T("home.language")), false, false), nil,
			slack.NewAccessory(picker)),
		section(bold(lang.T("home.common"))),
		slack.NewActionBlock("home_codes", buttons...),
	}
}
