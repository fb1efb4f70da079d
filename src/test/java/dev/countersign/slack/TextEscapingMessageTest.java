package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.shown;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TextEscapingMessageTest {

    @Test
    void slacksThreeControlCharactersAreEscaped() {
        assertThat(Mrkdwn.escape("AT&T <!channel> <@U0BOB> a > b"))
                .isEqualTo("AT&amp;T &lt;!channel&gt; &lt;@U0BOB&gt; a &gt; b");
    }

    @Test
    void formattingCharactersCannotFormatButStillReadAsTyped() {
        String typed = "*bold* _italic_ ~struck~ `code` ```block```";

        String escaped = Mrkdwn.escape(typed);

        assertThat(shown(escaped)).isEqualTo(typed);
        assertThat(escaped).doesNotContain("*bold*", "_italic_", "~struck~", "`code`", "```");
        assertThat(escaped.replace("\u200B", "")).isEqualTo(typed);
    }

    @Test
    void everyFormattingCharacterIsFencedOnBothSides() {
        for (String mark : new String[] {"*", "_", "~", "`"}) {
            assertThat(Mrkdwn.escape("a" + mark + "b")).isEqualTo("a\u200B" + mark + "\u200Bb");
        }
    }

    @Test
    void typedLineCannotBecomeAQuote() {
        String escaped = Mrkdwn.escape("first\n> quoted");

        assertThat(shown(escaped)).isEqualTo("first\n> quoted");
        assertThat(escaped).doesNotContain("\n&gt;");
    }

    @Test
    void hostileTextReadsAsTypedAndNothingInItIsLive() {
        String escaped = Mrkdwn.escape(HOSTILE);

        assertThat(shown(escaped)).isEqualTo(HOSTILE);
        assertThat(escaped).doesNotContain("<").doesNotContain(">").doesNotContain("*bold*");
    }

    @Test
    void plainTextIsLeftAlone() {
        assertThat(Mrkdwn.escape("pay USD 2,500.00 to Acme Corp (for INV-1042)"))
                .isEqualTo("pay USD 2,500.00 to Acme Corp (for INV-1042)");
        assertThat(Mrkdwn.escape("Zürich GmbH — 株式会社 👩‍💼")).isEqualTo("Zürich GmbH — 株式会社 👩‍💼");
        assertThat(Mrkdwn.escape(null)).isEmpty();
    }

    @Test
    void timeIsShownInEachReadersZoneWithAUtcFallback() {
        assertThat(Mrkdwn.time(Instant.parse("2025-06-02T09:05:00Z")))
                .isEqualTo("<!date^1748855100^{time}|09:05 UTC>");
    }

    @Test
    void typedTextFromACommandIsDecodedOnceSoEscapingGivesSlacksFormBack() {
        String fromSlack = "AT&amp;T &lt;Widgets&gt; &amp;lt;";

        String typed = SlackText.typed(fromSlack);

        assertThat(typed).isEqualTo("AT&T <Widgets> &lt;");
        assertThat(Mrkdwn.escape(typed)).isEqualTo(fromSlack);
    }

    @Test
    void mentionsInACommandStayAsSlackWroteThem() {
        assertThat(SlackText.typed("pay 5 USD to <@U0BOB|bob>")).isEqualTo("pay 5 USD to "
                + "<@U0BOB|bob>");
        assertThat(SlackText.typed(null)).isEmpty();
    }
}
