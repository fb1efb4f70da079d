package dev.countersign.logging;

/** How log lines are written ({@code LOG_FORMAT}): for people to read, or for a log pipeline. */
public enum LogFormat {
    /** One line per event: UTC time, level, thread, logger, message. */
    TEXT,
    /** One JSON object per line, with the request's reference as a field of its own. */
    JSON
}
