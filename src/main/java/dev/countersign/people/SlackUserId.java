package dev.countersign.people;

import java.util.regex.Pattern;

/**
 * A Slack user id, {@code U024BE7LH} (or {@code W…} in Enterprise Grid): the one definition of
 * its shape, used by settings, the operator's command line and the slash command alike.
 */
public record SlackUserId(String value) {

    /** The shape without anchors, for finding ids inside text such as {@code <@U024BE7LH>}. */
    public static final String REGEX = "[UW][A-Z0-9]{2,20}";
    private static final Pattern SHAPE = Pattern.compile(REGEX);

    public SlackUserId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("a Slack user id looks like U024BE7LH");
        }
    }

    public static boolean isValid(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
