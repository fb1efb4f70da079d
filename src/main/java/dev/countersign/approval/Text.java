package dev.countersign.approval;

/** Checks on free text people type into an approval: trimmed, not empty, short, printable. */
final class Text {

    private Text() {
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
            throw new InvalidActionException(field + " is longer than " + maxLength + " characters");
        }
        if (hasControlCharacter(text)) {
            throw new InvalidActionException(field + " contains control characters");
        }
        return text;
    }

    static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL
                || Character.getType(cp) == Character.FORMAT && cp != 0x200D // zero-width joiner: emoji
                || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                || Character.getType(cp) == Character.UNASSIGNED && !Character.isValidCodePoint(cp)
                || Character.getType(cp) == Character.SURROGATE);
    }
}
