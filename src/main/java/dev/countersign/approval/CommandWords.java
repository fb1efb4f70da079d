package dev.countersign.approval;

import java.util.Locale;

/**
 * Reads a command word by word. CommandWords are split on runs of spaces and tabs, but what follows the
 * words read so far is handed back exactly as typed, so a payee keeps its case and punctuation.
 */
final class CommandWords {

    private final String text;
    private int position;

    CommandWords(String text) {
        this.text = text;
    }

    /** The next word, or {@code null} when there is none. */
    String next() {
        skipSpaces();
        if (position == text.length()) {
            return null;
        }
        int start = position;
        while (position < text.length() && !isSpace(text.charAt(position))) {
            position++;
        }
        return text.substring(start, position);
    }

    /** The text after the words read so far, without its leading and trailing spaces. */
    String rest() {
        skipSpaces();
        return text.substring(position).strip();
    }

    boolean atEnd() {
        skipSpaces();
        return position == text.length();
    }

    /**
     * The word in lower case when it is plain ASCII, or {@code ""}. Keywords are compared this way
     * because case-insensitive Unicode comparison would take "ſign" (long s) for "sign".
     */
    static String keyword(String word) {
        return word != null && isAscii(word) ? word.toLowerCase(Locale.ROOT) : "";
    }

    static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 0x80);
    }

    private void skipSpaces() {
        while (position < text.length() && isSpace(text.charAt(position))) {
            position++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
