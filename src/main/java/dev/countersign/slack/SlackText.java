package dev.countersign.slack;

/** Text as Slack delivers it in commands: {@code &}, {@code <} and {@code >} arrive escaped. */
final class SlackText {

    private SlackText() {
    }

    /**
     * What the person typed. Mentions ({@code <@U123|bob>}) stay as Slack wrote them; entities are
     * decoded so a payee of {@code AT&T} is stored as {@code AT&T}, not {@code AT&amp;T}.
     */
    static String typed(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
