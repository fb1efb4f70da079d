package dev.countersign.cli;

import dev.countersign.approval.RequestStatus;
import dev.countersign.audit.AuditExport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values the operator types. */
final class Converters {

    private Converters() {
    }

    /** {@code csv} or {@code json}, any case. */
    static final class FormatConverter implements ITypeConverter<AuditExport.Format> {
        @Override
        public AuditExport.Format convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "csv" -> AuditExport.Format.CSV;
                case "json" -> AuditExport.Format.JSON;
                default -> throw new TypeConversionException("use csv or json");
            };
        }
    }

    /** A request status by name, any case: {@code approved}, {@code AWAITING_CODE}. */
    static final class StatusConverter implements ITypeConverter<RequestStatus> {
        @Override
        public RequestStatus convert(String value) {
            try {
                return RequestStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("use one of " + Arrays.toString(
                        RequestStatus.values()));
            }
        }
    }

    /**
     * A point in time: {@code 2026-11-01} (midnight UTC), {@code 2026-11-01T10:00:00Z} or with
     * an offset, or a duration back from now: {@code 24h}, {@code 7d}, {@code 30m}, or ISO-8601
     * like {@code PT24H}.
     */
    static final class WhenConverter implements ITypeConverter<Instant> {

        private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,6})([smhd])");

        @Override
        public Instant convert(String value) {
            Optional<Duration> ago = duration(value.trim().toLowerCase(Locale.ROOT));
            if (ago.isPresent()) {
                return Instant.now().minus(ago.get());
            }
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                // try the longer forms
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("use a date like 2026-11-01, an instant like "
                        + "2026-11-01T10:00:00Z, or a time ago like 24h or 7d");
            }
        }

        private static Optional<Duration> duration(String value) {
            Matcher matcher = SHORT_DURATION.matcher(value);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return Optional.of(switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            }
            if (value.startsWith("p")) {
                try {
                    return Optional.of(Duration.parse(value)).filter(d -> !d.isNegative());
                } catch (DateTimeParseException notADuration) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }
    }
}
