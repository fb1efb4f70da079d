package dev.countersign.approval;

/** Checks on free text people type into an approval: trimmed, not empty, short, printable. */
final class FreeText {

    private FreeText() {
    }

    static String required(String value, String field, int maxLength) {
        String text = optional(value, field, maxLength);
        if (text == null) {
            throw new InvalidActionException(field + " must not be empty");
        }
        return text;
    }

    /** The trimmed text, or {@code null} when blank. */
    static String optional(String value, String field, int maxLength) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (text.isEmpty()) {
            return null;
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw new InvalidActionException(field + " is longer than " + maxLength
                    + " characters");
        }
        if (hasControlCharacter(text)) {
            throw new InvalidActionException(field + " contains control characters");
        }
        return text;
    }

    static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(FreeText::isControlCharacter);
    }

    /**
     * Control characters, line and paragraph separators, lone surrogates, and invisible format
     * characters such as the bidi override U+202E, which can make text read differently from what
     * it says. The zero-width joiner is allowed because emoji sequences are built with it.
     */
    static boolean isControlCharacter(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.FORMAT && codePoint != 0x200D
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }
}
